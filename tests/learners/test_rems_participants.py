"""A REMS activity's learners carry what PARS asks of each participant (the MedBiquitous
Activity Report XSD's Participant, the draft learner schema's Participants): entered on the
learner form (profession required), taken by the API, written in the learner report, read back
from it, and changed by a re-upload that says something else."""

import json
import re
from pathlib import Path

from lxml import etree
from sqlmodel import select

from pars.accounts import tokens
from pars.formats import learner_reports_xml, schemas
from pars.models import LearnerCompletion, Provider, User
from tests.factories import PAST, preview_of

AR = "http://ns.medbiq.org/activityreport/v2/"
DRAFT = Path(__file__).parent.parent / "data" / "accme-draft"
LEARNER_SCHEMA = json.loads((DRAFT / "accme-pars-learner-reports.schema_v0_4.json").read_text())

DETAILS = {
    "rems_profession": "Advanced practice nurse",
    "rems_practice_state": "WI",
    "rems_dea_registration": "Individual",
    "rems_practice_area": "Hospice and/or Palliative Care",
    "rems_surgical": "no",
    "rems_time_in_practice": "11-15 years",
}
LEARNER = {
    "first_name": "Ana",
    "last_name": "Diaz",
    "birth_month_day": "02/29",
    "state": "ME",
    "license_number": "036-123456",
    "completion_date": PAST.isoformat(),
    "cme_credits": "1",
    "report_permission": "yes",
}


def rems_activity(make_activity, provider_id, **changes):
    return make_activity(
        provider_id,
        accme_activity_id="202612346",
        start_date=PAST,
        end_date=PAST,
        rems=True,
        rems_type="Opioid Analgesic",
        **changes,
    )


def stored(session) -> list[dict]:
    session.expire_all()
    return [
        {name: getattr(c, name) for name in (*DETAILS, "report_permission", "first_name")}
        for c in session.exec(select(LearnerCompletion).order_by(LearnerCompletion.first_name))
    ]


def test_a_rems_learner_needs_a_profession_and_keeps_the_details(
    client, editor, make_activity, session
):
    activity = rems_activity(make_activity, editor.provider_id)
    page = client.get(f"/activities/{activity.id}/learners").data.decode()
    assert "REMS participant details" in page
    assert '<label for="rems_profession">Profession</label>' in page
    refused = client.post(f"/activities/{activity.id}/learners", data=LEARNER)
    assert refused.status_code == 422
    assert re.search(
        r'id="rems_profession-error">Choose the learner&#39;s profession', refused.data.decode()
    )
    assert stored(session) == []
    saved = client.post(f"/activities/{activity.id}/learners", data=LEARNER | DETAILS)
    assert saved.status_code == 303
    [row] = stored(session)
    assert row == DETAILS | {"rems_surgical": False, "report_permission": True, "first_name": "Ana"}
    table = client.get(f"/activities/{activity.id}/learners").data.decode()
    assert "Advanced practice nurse · Hospice and/or Palliative Care" in table


def test_another_activity_shows_no_rems_details_and_the_api_says_they_do_not_apply(
    app, client, editor, make_activity, session
):
    plain = make_activity(editor.provider_id, start_date=PAST, end_date=PAST)
    assert b"REMS participant details" not in client.get(f"/activities/{plain.id}/learners").data
    token = tokens.create(session, session.get(User, editor.id), "tests")
    session.commit()
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    body = {k: v for k, v in LEARNER.items() if k != "report_permission"} | {"cme_credits": 1}
    refused = api.post(
        f"/api/v1/activities/{plain.id}/learners", json=body | {"rems_profession": "Physician"}
    )
    assert refused.status_code == 422
    assert ["rems_profession", "Only a REMS activity's learners have REMS details."] in [
        list(e.values())[:2] for e in refused.json["errors"]
    ] or "rems_profession" in json.dumps(refused.json)
    unknown = api.post(
        f"/api/v1/activities/{plain.id}/learners", json=body | {"rems_profession": "Astronaut"}
    )
    assert unknown.status_code == 400 and "rems_profession" in json.dumps(unknown.json)
    rems = rems_activity(make_activity, editor.provider_id)
    created = api.post(
        f"/api/v1/activities/{rems.id}/learners",
        json=body | {"rems_profession": "Pharmacist", "rems_surgical": True},
    )
    assert created.status_code == 201, created.json
    assert created.json["rems_profession"] == "Pharmacist" and created.json["rems_surgical"]
    assert stored(session)[0]["rems_profession"] == "Pharmacist"


def participants(data: bytes) -> list:
    return etree.fromstring(data).findall(f".//{{{AR}}}Participant")


def test_the_report_writes_a_participant_the_xsd_and_the_draft_accept_and_reads_it_back(
    client, editor, make_activity, session
):
    session.get(Provider, editor.provider_id).accme_provider_id = "0001234"
    session.commit()
    activity = rems_activity(make_activity, editor.provider_id)
    client.post(f"/activities/{activity.id}/learners", data=LEARNER | DETAILS)
    before = stored(session)
    exported = client.get("/exports/learners.xml").data
    root = etree.fromstring(exported)
    [reports] = root.findall(f"{{{AR}}}ActivityReports")
    assert schemas.errors(reports, schemas.ACTIVITY_REPORT) == []
    [found] = participants(exported)
    report = LEARNER_SCHEMA["properties"]["ACCMELearnerReports"]["properties"]["ActivityReports"]
    draft = report["properties"]["ActivityReport"]["items"]["properties"]["Participants"]
    draft = draft["properties"]["Participant"]
    names = [etree.QName(e).localname for e in found]
    assert set(names) <= set(draft["properties"]) and set(draft["required"]) <= set(names)
    domain = found.find(f"{{{AR}}}LocalIdentifier").get("domain")
    assert re.fullmatch(
        draft["properties"]["LocalIdentifier"]["properties"]["domain"]["pattern"], domain
    )
    assert found.findtext(f"{{{AR}}}StateOfPrimaryPractice") == "Wisconsin"  # the full name
    assert found.findtext(f"{{{AR}}}SurgicalProcedures") == "false"
    regulation = reports.find(f".//{{{AR}}}CompliantToRegulation")
    assert regulation.get("label") == "Opioid REMS"

    location, preview = preview_of(client, exported, "learners.xml")
    assert b"<strong>1</strong> unchanged" in preview.data, preview.data[-3000:]
    for completion in session.exec(select(LearnerCompletion)).all():
        session.delete(completion)
    session.commit()
    location, preview = preview_of(client, exported, "learners.xml")
    assert b"<strong>1</strong> new completions" in preview.data, preview.data[-3000:]
    client.post(location + "/commit")
    assert stored(session) == before


def test_a_rems_completion_without_a_profession_is_named_in_the_report(
    client, editor, make_activity, session
):
    activity = rems_activity(make_activity, editor.provider_id)
    client.post(f"/activities/{activity.id}/learners", data=LEARNER | DETAILS)
    session.exec(select(LearnerCompletion)).one().rems_profession = None
    session.commit()
    exported = client.get("/exports/learners.xml").data
    assert participants(exported) == []
    assert b"1 completion(s) of REMS activities have no participant details" in exported


def test_a_file_that_says_otherwise_changes_the_permission_and_the_details(
    client, editor, make_activity, session
):
    activity = rems_activity(make_activity, editor.provider_id)
    client.post(f"/activities/{activity.id}/learners", data=LEARNER | DETAILS)
    exported = client.get("/exports/learners.xml").data.decode()
    changed = (
        exported.replace("true</accme:ReportPermission>", "false</accme:ReportPermission>")
        .replace(">Advanced practice nurse<", ">pharmacist<")
        .encode()
    )
    assert changed != exported.encode()
    location, preview = preview_of(client, changed, "learners.xml")
    html = preview.data.decode()
    assert "<strong>1</strong> completions whose permission or REMS details change" in html, html
    assert client.post(location + "/commit").status_code == 303
    [row] = stored(session)
    assert (row["report_permission"], row["rems_profession"]) == (False, "Pharmacist")
    assert row["rems_practice_area"] == DETAILS["rems_practice_area"]  # the rest as it was
    again = preview_of(client, changed, "learners.xml")[1].data
    assert b"<strong>1</strong> unchanged" in again


def test_participant_values_nothing_can_use_are_named_and_none_is_dropped(
    client, editor, make_activity, session
):
    activity = rems_activity(make_activity, editor.provider_id)
    client.post(f"/activities/{activity.id}/learners", data=LEARNER | DETAILS)
    exported = client.get("/exports/learners.xml").data.decode()
    for completion in session.exec(select(LearnerCompletion)).all():
        session.delete(completion)
    session.commit()
    bad = (
        exported.replace(">Advanced practice nurse<", ">Astronaut<")
        .replace(">Wisconsin<", ">Atlantis<")
        .replace(">false</SurgicalProcedures>", ">sometimes</SurgicalProcedures>")
        .replace(">11-15 years<", ">forever<")
        .replace(">Individual<", ">Maybe<")
        .replace(">Hospice and/or Palliative Care<", ">Space<")
    )
    html = preview_of(client, bad.encode(), "learners.xml")[1].data.decode()
    for element in learner_reports_xml.PARTICIPANT:
        assert f"Participant/{element}" in html, element
    assert stored(session) == []

    plain = make_activity(
        editor.provider_id, accme_activity_id="202612399", start_date=PAST, end_date=PAST
    )
    elsewhere = exported.replace('moduleID="202612346"', f'moduleID="{plain.accme_activity_id}"')
    html = preview_of(client, elsewhere.encode(), "learners.xml")[1].data.decode()
    assert "is not registered for REMS, so its learners&#39; participant details" in html


def test_the_learner_template_of_a_rems_activity_says_what_it_lacks(
    client, editor, make_activity, session
):
    activity = rems_activity(make_activity, editor.provider_id)
    client.post(f"/activities/{activity.id}/learners", data=LEARNER | DETAILS)
    workbook = client.get(f"/activities/{activity.id}/learners.xlsx").data
    html = preview_of(client, workbook, "learners.xlsx")[1].data.decode()
    assert "<strong>1</strong> unchanged" in html
    assert "Activity 202612346 is a REMS activity: its learners need participant details" in html
