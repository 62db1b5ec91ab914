"""MEMS XML from other systems: ACCME's elements in any namespace or none, in the draft
schema's spellings or older ones, read the same as this system's own; a value that cannot be
used is refused naming its element; Delete is honoured where the rules allow it."""

import re

import pytest
from sqlmodel import select

from pars.formats import mems_read
from pars.models import Activity
from tests.factories import full_activity, preview_of

MEMS = "http://ns.medbiq.org/metrics/v1/"


def other_system_file(extensions: str, namespace: str = "") -> bytes:
    """One record as another system writes it: the MEMS part as the XSDs require, and the
    XtensibleInfo elements unprefixed, in ``namespace`` (none by default)."""
    xmlns = f' xmlns="{namespace}"'
    extensions = re.sub(r"<(\w+)", lambda m: f"<{m.group(1)}{xmlns}", extensions)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ACCMEActivities xmlns:lom="http://ltsc.ieee.org/xsd/LOM"
    xmlns:hx="http://ns.medbiq.org/lom/extend/v1/" xmlns:a="http://ns.medbiq.org/address/v1/">
 <MedicalEducationMetrics xmlns="{MEMS}">
  <ReportDescription><ReportingStartDate>2026-03-02</ReportingStartDate>
   <ReportingEndDate>2026-03-02</ReportingEndDate></ReportDescription>
  <ActivityDescription>
   <lom:lom>
    <lom:general>
     <lom:identifier><lom:catalog>Provider Activity ID</lom:catalog>
      <lom:entry>OTHER-1</lom:entry></lom:identifier>
     <lom:identifier><lom:catalog>URL</lom:catalog>
      <lom:entry>https://cme.example.org/sepsis</lom:entry></lom:identifier>
     <lom:title><lom:string language="en">Sepsis Update</lom:string></lom:title>
     <lom:description><lom:string language="en">Early sepsis care.</lom:string></lom:description>
    </lom:general>
    <hx:healthcareMetadata><hx:healthcareEducation>
     <hx:credits><hx:activityCertification>AMA PRA Category 1</hx:activityCertification>
      <hx:numberOfCredits>2</hx:numberOfCredits></hx:credits>
     <hx:activityLocation><a:City>Portland</a:City><a:StateOrProvince>ME</a:StateOrProvince>
      <a:Country><a:CountryCode>USA</a:CountryCode></a:Country></hx:activityLocation>
     <hx:startDateTime>2026-03-02T00:00:00</hx:startDateTime>
     <hx:endDateTime>2026-03-02T00:00:00</hx:endDateTime>
     <hx:activitySponsorship>direct</hx:activitySponsorship>
     <hx:activityFormat><lom:string language="en">Live Course</lom:string></hx:activityFormat>
     <hx:commercialSupport>no</hx:commercialSupport>
    </hx:healthcareEducation></hx:healthcareMetadata>
   </lom:lom>
  </ActivityDescription>
  <ParticipationMetrics>
   <ParticipantsByCategory category="physician">40</ParticipantsByCategory>
   <ParticipantsByCategory category="nurse">7</ParticipantsByCategory>
   <ParticipantsByCategory category="pharmacist">3</ParticipantsByCategory>
  </ParticipationMetrics>
  <XtensibleInfo>{extensions}</XtensibleInfo>
 </MedicalEducationMetrics>
</ACCMEActivities>""".encode()


DRAFT_EXTENSIONS = """
 <DeliveryMethods><DeliveryMethod>In-Person</DeliveryMethod></DeliveryMethods>
 <MeasuredOutcomes><MeasuredOutcome>Community Health</MeasuredOutcome>
  <MeasurementType>Objective</MeasurementType></MeasuredOutcomes>
 <ForPublicList>true</ForPublicList>
 <FeeForParticipation>No, it’s free</FeeForParticipation>
 <ActivityRegistration>Limited</ActivityRegistration>
 <IsMeritBasedIncentivePaymentSystem>true</IsMeritBasedIncentivePaymentSystem>
 <activityRecordAction>Add</activityRecordAction>
 <closeActivityRecord>false</closeActivityRecord>"""


@pytest.mark.parametrize("namespace", ["", "urn:someone-else:accme", "http://example.org/x"])
def test_extension_elements_are_read_by_local_name_in_any_namespace_or_none(namespace):
    [(number, record)] = list(mems_read.read(other_system_file(DRAFT_EXTENSIONS, namespace)))
    values = record["values"]
    assert (values["in_cme_passport"], values["mips"]) == (True, True)
    assert values["fee"] == "No, it's free" and values["registration"] == (
        "Limited to certain participants"
    )
    assert values["outcomes"] == [("Community/Population Health", True, False)]
    assert values["delivery_methods"] == ["In-Person"]
    assert (values["physician_learners"], values["other_learners"]) == (40, 10)
    assert any("nurse, pharmacist were counted as other learners" in n for n in record["notices"])
    assert values["close"] is False and values["postal_code"] is None


def test_a_draft_spelled_file_from_another_system_stores_what_it_says(client, editor, session):
    location, preview = preview_of(client, other_system_file(DRAFT_EXTENSIONS))
    assert b"<strong>1</strong> new activities" in preview.data, preview.data[-3000:]
    client.post(location + "/commit")
    stored = session.exec(select(Activity)).one()
    assert (stored.in_cme_passport, stored.mips, stored.fee) == (True, True, "No, it's free")
    assert stored.status_on(stored.end_date) == "Active"  # no ZIP needed in person
    assert stored.record_key  # a key of its own for the next round trip


@pytest.mark.parametrize(
    ("element", "value"),
    [
        ("ForPublicList", "maybe"),
        ("IsMeritBasedIncentivePaymentSystem", "sometimes"),
        ("closeActivityRecord", "perhaps"),
        ("FeeForParticipation", "Donation"),
        ("ActivityRegistration", "Members"),
        ("activityRecordAction", "Replace"),
    ],
)
def test_a_value_that_cannot_be_used_is_refused_naming_its_element(element, value):
    changed = re.sub(
        rf"<{element}>[^<]*</{element}>", f"<{element}>{value}</{element}>", DRAFT_EXTENSIONS
    )
    [(_, record)] = list(mems_read.read(other_system_file(changed)))
    assert [path for path, _ in record["errors"]] == [f"XtensibleInfo/{element}"]
    assert value in record["errors"][0][1]


def test_elements_nothing_stores_are_named_in_a_notice():
    [(_, record)] = list(mems_read.read(other_system_file(DRAFT_EXTENSIONS + "<ContentOutlines/>")))
    assert (
        "XtensibleInfo/ContentOutlines is not stored by this system; it was not read."
        in (record["notices"])
    )


def test_delete_removes_an_open_activity_and_refuses_a_closed_one(
    client, editor, make_activity, session
):
    open_id = make_activity(editor.provider_id, title="Planned, never held", internal_id="P-1").id
    closed_id = full_activity(make_activity, editor.provider_id, internal_id="C-1").id
    body = client.get("/exports/activities.xml").data.replace(
        b">Add</accme:activityRecordAction>", b">Delete</accme:activityRecordAction>"
    )
    assert body.count(b">Delete<") == 1
    location, preview = preview_of(client, body)
    assert b"<strong>1</strong> deleted activities" in preview.data, preview.data[-3000:]
    client.post(location + "/commit")
    session.expire_all()
    assert session.get(Activity, open_id) is None

    closed = session.get(Activity, closed_id)
    closed.closed_at, closed.stage = closed.updated_at, "Closed"
    session.commit()
    body = client.get("/exports/activities.xml").data.replace(
        b">Update</accme:activityRecordAction>", b">Delete</accme:activityRecordAction>"
    )
    html = preview_of(client, body)[1].data.decode()
    assert "Delete: A closed activity cannot be deleted" in html
    assert session.get(Activity, closed_id) is not None
