"""ACCMELearnerReports XML import: the learner template's rules, the file's elements named in
every refusal; this system's own export and a file in the draft schema's placement (the
learner's identifiers in the credit certificate, bare domains) read the same."""

import re

from sqlmodel import select

from pars.formats import learner_reports_xml
from pars.models import LearnerCompletion, MocCreditType
from tests.factories import PAST, abim_registration, moc_course_fields, preview_of

AR = "http://ns.medbiq.org/activityreport/v2/"


def learners(session) -> list[tuple]:
    session.expire_all()
    return sorted(
        (
            c.first_name,
            c.birth_month_day,
            c.state,
            c.license_number,
            c.npi,
            c.completion_date,
            c.cme_credits,
            c.board,
            c.board_id,
            sorted((b.credit_type, b.points) for b in c.board_credits),
            c.report_permission,
        )
        for c in session.exec(select(LearnerCompletion))
    )


def the_activity(make_activity, provider_id):
    registration = abim_registration(
        credit_types=[
            MocCreditType(credit_type="Medical Knowledge"),
            MocCreditType(credit_type="Practice Assessment"),
        ]
    )
    return make_activity(
        provider_id,
        accme_activity_id="202612345",
        **(moc_course_fields(PAST) | {"moc_registrations": [registration]}),
    )


def add_learners(client, activity) -> None:
    base = {
        "last_name": "Diaz",
        "state": "ME",
        "completion_date": PAST.isoformat(),
        "cme_credits": "2",
    }
    client.post(
        f"/activities/{activity.id}/learners",
        data=base
        | {
            "first_name": "Ana",
            "birth_month_day": "02/29",
            "license_number": "036-123456",
            "board": "ABIM",
            "board_id": "998877",
            "board_points-0-credit_type": "Medical Knowledge",
            "board_points-0-points": "1",
            "board_points-1-credit_type": "Practice Assessment",
            "board_points-1-points": "1",
        },
    )
    client.post(
        f"/activities/{activity.id}/learners",
        data=base
        | {
            "first_name": "Ben",
            "birth_month_day": "09/10",
            "npi": "1234567893",
            "report_permission": "yes",
        },
    )


def test_the_export_reads_back_the_same_completions(client, editor, make_activity, session):
    activity = the_activity(make_activity, editor.provider_id)
    add_learners(client, activity)
    before = learners(session)
    assert len(before) == 2 and len(before[0][9]) == 2 and before[1][10] is True
    exported = client.get("/exports/learners.xml").data
    location, preview = preview_of(client, exported, "learners.xml")
    assert b"<strong>3</strong> unchanged" in preview.data, preview.data[-3000:]  # 2 + 1 type
    for completion in session.exec(select(LearnerCompletion)).all():
        session.delete(completion)
    session.commit()
    location, preview = preview_of(client, exported, "learners.xml")
    assert b"<strong>2</strong> new completions" in preview.data, preview.data[-3000:]
    client.post(location + "/commit")
    assert learners(session) == before


DRAFT_REPORT = """<?xml version="1.0" encoding="UTF-8"?>
<ACCMELearnerReports><ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/">
 <DateTimeCreated>2026-11-20T10:00:00</DateTimeCreated>
 <ActivityReport>
  <ReportingOrganization>Other System</ReportingOrganization>
  <Member><Name><GivenName>Cara</GivenName><FamilyName>Lee</FamilyName></Name>
   <PersonalInfo><BirthDate>1980-07-04</BirthDate></PersonalInfo></Member>
  <Activity><ProviderOrganization>0001234</ProviderOrganization>
   <Module><ModuleName moduleID="202612345">Course</ModuleName><Status>Completed</Status>
    <CompletedDateTime>{day}T00:00:00</CompletedDateTime>
    <CreditCertificate>
     <UniqueID domain="NPI">1234567893</UniqueID><UniqueID domain="ABIM">555444</UniqueID>
     <CreditReceived><activityCertification>AMA PRA Category 1</activityCertification>
      <creditUnit>Point</creditUnit><numberOfCredits>{credits}</numberOfCredits></CreditReceived>
     <CreditID>ccid:x:1</CreditID></CreditCertificate>
    <CreditCertificate>
     <CreditReceived><activityCertification>Medical Knowledge</activityCertification>
      <creditUnit>Point</creditUnit><numberOfCredits>2</numberOfCredits></CreditReceived>
     <CreditID>ccid:x:2</CreditID></CreditCertificate>
   </Module></Activity>
  <XtensibleInfo><LearnerRecordAction>add</LearnerRecordAction></XtensibleInfo>
 </ActivityReport>
</ActivityReports></ACCMELearnerReports>"""


def test_a_file_in_the_draft_placement_is_read(client, editor, make_activity, session):
    the_activity(make_activity, editor.provider_id)
    data = DRAFT_REPORT.format(day=PAST.isoformat(), credits="3").encode()
    [(_, cells)] = list(learner_reports_xml.read(data))
    assert (cells["Licensing ID or NPI"], cells["Certifying Board ID"]) == ("1234567893", "555444")
    location, preview = preview_of(client, data, "learners.xml")
    assert b"<strong>1</strong> new completions" in preview.data, preview.data[-3000:]
    client.post(location + "/commit")
    [stored] = learners(session)
    assert stored[1] == "07/04" and stored[7:9] == ("ABIM", "555444")


def test_a_bad_value_is_named_by_its_element(client, editor, make_activity, session):
    the_activity(make_activity, editor.provider_id)
    data = DRAFT_REPORT.format(day=PAST.isoformat(), credits="3.1").encode()
    html = preview_of(client, data, "learners.xml")[1].data.decode()
    assert re.search(
        r"<td>1</td><td>CreditCertificate \(AMA PRA Category 1\)/numberOfCredits", html
    )
    assert learners(session) == []


def test_an_identifier_nothing_stores_is_named_in_a_notice(client, editor, make_activity):
    the_activity(make_activity, editor.provider_id)
    data = (
        DRAFT_REPORT.format(day=PAST.isoformat(), credits="3")
        .replace('<UniqueID domain="ABIM">', '<UniqueID domain="DEA">')
        .encode()
    )
    html = preview_of(client, data, "learners.xml")[1].data.decode()
    assert "UniqueID with the domain &#39;DEA&#39; is not one this system reads" in html
