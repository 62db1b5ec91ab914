"""Stable exports: MEMS XML whose every MedicalEducationMetrics validates against the shipped
MedBiquitous XSDs (compared with a golden file), and the activity workbook; both take the list
page's filters and never include another provider's activity."""

import os
from io import BytesIO

from lxml import etree
from openpyxl import load_workbook

from pars.formats import mems_xml, schemas
from pars.models import (
    MocCreditType,
    MocRegistration,
    Provider,
)
from tests.factories import DATA, TODAY, full_activity

GOLDEN = DATA / "mems-export.xml"
HOSTILE = "Cardiology <script>alert('x')</script> & \"friends\" =SUM(A1)"


def records(body: bytes) -> list[etree._Element]:
    root = etree.fromstring(body)
    assert root.tag == "ACCMEActivities"
    return list(root)


def test_every_exported_activity_validates_against_the_medbiquitous_xsds(
    client, editor, make_activity
):
    full_activity(make_activity, editor.provider_id)
    make_activity(editor.provider_id, title=HOSTILE, description=None, ama_credits=None)
    make_activity(
        editor.provider_id,
        title=None,
        format=None,
        start_date=None,
        end_date=None,
        country=None,
        city=None,
        state=None,
        postal_code=None,
    )  # a bare draft
    response = client.get("/exports/activities.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    found = records(response.data)
    assert len(found) == 3
    for record in found:
        assert schemas.errors(record, schemas.METRICS) == []
    titles = [r.findtext(f".//{{{mems_xml.LOM}}}title/{{{mems_xml.LOM}}}string") for r in found]
    assert HOSTILE in titles  # text kept exactly, escaped by the XML writer


def test_the_export_matches_the_golden_file(client, editor, make_activity, session):
    session.get(Provider, editor.provider_id).accme_provider_id = "0001234"
    session.commit()
    full_activity(
        make_activity, editor.provider_id, record_key="6f1c2b1e-0c6a-4b8e-9d7e-2a51c3f0a9b4"
    )
    body = client.get("/exports/activities.xml").data
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_bytes(body)
    assert body.decode() == GOLDEN.read_text()


def test_record_action_and_filters(client, editor, make_activity):
    full_activity(make_activity, editor.provider_id)
    new = make_activity(editor.provider_id, title="Not Yet Reported")
    actions = {
        r.findtext(f".//{{{mems_xml.LOM}}}title/{{{mems_xml.LOM}}}string"): r.findtext(
            f".//{{{mems_xml.ACCME}}}activityRecordAction"
        )
        for r in records(client.get("/exports/activities.xml").data)
    }
    assert actions == {"Heart Failure Update 2026": "Update", "Not Yet Reported": "Add"}
    only = records(client.get(f"/exports/activities.xml?ids={new.id}").data)
    assert len(only) == 1
    assert len(records(client.get("/exports/activities.xml?year=2026&q=heart").data)) == 1
    assert records(client.get("/exports/activities.xml?status=Closed").data) == []


def sheet_rows(body: bytes) -> list[tuple]:
    return list(load_workbook(BytesIO(body))["Activities"].iter_rows(values_only=True))


def test_the_workbook_export_takes_the_same_filters(client, editor, make_activity):
    full_activity(make_activity, editor.provider_id)
    make_activity(editor.provider_id, title="Other Course")
    response = client.get("/exports/activities.xlsx?q=heart")
    rows = sheet_rows(response.data)
    title = rows[1].index("Title")  # the template's layout: guidance, then the header
    assert response.status_code == 200
    assert [row[title] for row in rows[2:]] == ["Heart Failure Update 2026"]


def test_workbook_export_then_import_gives_the_same_records(client, editor, make_activity, session):
    from sqlmodel import select

    from pars.models import Activity
    from tests.factories import preview_of

    full_activity(make_activity, editor.provider_id, title=HOSTILE)
    make_activity(editor.provider_id, title="Second Course", internal_id="S-2")
    exported = client.get("/exports/activities.xlsx").data
    assert b"<strong>2</strong> unchanged" in preview_of(client, exported)[1].data
    for activity in session.exec(select(Activity)).all():
        client.post(f"/activities/{activity.id}/delete")
    location, preview = preview_of(client, exported)
    assert b"<strong>2</strong> new activities" in preview.data, preview.data[-2000:]
    client.post(location + "/commit")
    again = client.get("/exports/activities.xlsx").data
    assert sorted(sheet_rows(again)[2:], key=str) == sorted(sheet_rows(exported)[2:], key=str)


def test_exports_never_include_another_providers_activity(client, editor, make_user, make_activity):
    other = make_user("b@example.org", provider="Other")
    theirs = make_activity(other.provider_id, title="Their Secret Symposium")
    for url in (
        f"/exports/activities.xml?ids={theirs.id}",
        "/exports/activities.xml",
        f"/exports/activities.xlsx?ids={theirs.id}",
    ):
        assert b"Their Secret Symposium" not in client.get(url).data


def test_learner_completions_export_validates_against_activity_report_v2(
    client, editor, make_activity
):
    from datetime import timedelta

    past = TODAY - timedelta(days=5)
    activity = full_activity(
        make_activity,
        editor.provider_id,
        start_date=past,
        end_date=past,
        moc_registrations=[
            MocRegistration(
                board="ABIM",
                points=2.0,
                claim_date=past,
                credit_types=[MocCreditType(credit_type="Medical Knowledge")],
            )
        ],
    )
    learner = dict(
        {
            "first_name": "Ana <b>",
            "last_name": "Diaz",
            "birth_month_day": "02/29",
            "state": "IL",
            "license_number": "036-123456",
            "npi": "1234567893",
            "completion_date": past.isoformat(),
            "cme_credits": "2",
            "board": "ABIM",
            "board_id": "998877",
            "board_points-0-credit_type": "Medical Knowledge",
            "board_points-0-points": "2",
        }
    )
    assert client.post(f"/activities/{activity.id}/learners", data=learner).status_code == 303
    no_id = make_activity(
        editor.provider_id, title="Not reported yet", start_date=past, end_date=past
    )
    plain = {k: v for k, v in learner.items() if not k.startswith(("board", "cme"))}
    assert client.post(f"/activities/{no_id.id}/learners", data=plain).status_code == 303
    response = client.get("/exports/learners.xml")
    assert response.status_code == 200
    root = etree.fromstring(response.data)
    assert root.tag == "ACCMELearnerReports"
    comments = [c.text for c in root if isinstance(c, etree._Comment)]
    assert any(f"activity {no_id.id}" in c and "no ACCME Activity ID" in c for c in comments)
    assert any("ACCME Provider ID" in c for c in comments)  # not set for this provider yet
    [reports] = root.findall("{http://ns.medbiq.org/activityreport/v2/}ActivityReports")
    assert len(reports.findall("{http://ns.medbiq.org/activityreport/v2/}ActivityReport")) == 1
    assert schemas.errors(reports, schemas.ACTIVITY_REPORT) == []
    ns = {
        "ar": "http://ns.medbiq.org/activityreport/v2/",
        "m": "http://ns.medbiq.org/member/v2/",
        "n": "http://ns.medbiq.org/name/v2/",
        "x": mems_xml.ACCME,
    }
    assert reports.findtext(".//n:GivenName", namespaces=ns) == "Ana <b>"
    assert reports.findtext(".//ar:ActivityInstanceID", namespaces=ns) == "202612345"
    assert {u.text for u in reports.iterfind(".//m:UniqueID", ns)} == {
        "1234567893",
        "998877",
        "036-123456",
    }
    assert reports.findtext(".//m:PersonalInfo/m:BirthDate", namespaces=ns) == "2000-02-29"
    assert reports.find(".//ar:ModuleName", ns).get("moduleID") == "202612345"
    units = [e.text for e in reports.iterfind(".//hx:creditUnit", ns | {"hx": mems_xml.HX})]
    assert units == ["Point", "Point"]  # the AMA credits and the one board credit type
    created = reports.findtext("ar:DateTimeCreated", namespaces=ns)
    assert created.endswith("+00:00")  # with its time zone
    empty = etree.fromstring(client.get("/exports/learners.xml?status=Closed").data)
    assert empty.tag == "ACCMELearnerReports"
    assert [e for e in empty if not isinstance(e, etree._Comment)] == []
