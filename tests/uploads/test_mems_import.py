"""MEMS XML import through the upload pipeline: the entry form's rules for every record, a
preview with counts and errors by record and field, all or nothing, and hostile XML refused."""

import re

import pytest
from lxml import etree
from sqlmodel import select

from pars.models import Activity, Upload
from tests.factories import full_activity, preview_of, upload


def titles(session) -> list[str]:
    session.expire_all()
    return sorted(a.title or "" for a in session.exec(select(Activity)))


def test_export_then_import_gives_the_same_records(client, editor, make_activity, session):
    full_activity(make_activity, editor.provider_id)
    make_activity(editor.provider_id, title="Second Course", internal_id="S-2")
    exported = client.get("/exports/activities.xml").data
    location, preview = preview_of(client, exported)
    assert b"<strong>2</strong> unchanged" in preview.data  # re-importing changes nothing
    for activity in session.exec(select(Activity)).all():
        assert client.post(f"/activities/{activity.id}/delete").status_code == 303
    assert titles(session) == []
    location, preview = preview_of(client, exported)
    assert b"<strong>2</strong> new activities" in preview.data, preview.data[-3000:]
    assert client.post(location + "/commit").status_code == 303
    assert titles(session) == ["Heart Failure Update 2026", "Second Course"]
    again = client.get("/exports/activities.xml").data
    # Every field, child row and identifier came back identical (the order may differ: the
    # list sorts by when each was added, and the file added them oldest last).
    assert sorted(records_of(again)) == sorted(records_of(exported))


def records_of(xml: bytes) -> list[bytes]:
    return [etree.tostring(record, method="c14n") for record in etree.fromstring(xml)]


def edit(xml: bytes, old: str, new: str) -> bytes:
    assert old.encode() in xml
    return xml.replace(old.encode(), new.encode(), 1)


def test_each_bad_record_is_named_by_number_and_field_and_nothing_is_stored(
    client, editor, make_activity, session
):
    full_activity(make_activity, editor.provider_id)
    make_activity(editor.provider_id, title="Second Course", internal_id="S-2")
    exported = client.get("/exports/activities.xml").data
    for activity in session.exec(select(Activity)).all():
        client.post(f"/activities/{activity.id}/delete")
    broken = edit(exported, "<hx:activitySponsorship>joint", "<hx:activitySponsorship>sideways")
    broken = edit(
        broken,
        "<hx:numberOfCredits>1</hx:numberOfCredits>",
        "<hx:numberOfCredits>0.3</hx:numberOfCredits>",
    )
    location, preview = preview_of(client, broken)
    html = preview.data.decode()
    assert preview.status_code == 422
    # Record 1 is the newer activity (the list's order), record 2 the Heart Failure one.
    assert re.search(r"<td>2</td><td>MEMS schema</td><td>[^<]*sideways", html)
    # The rules' problems are named by the file's element, not the entry form's question.
    assert re.search(r"<td>1</td><td>credits/numberOfCredits</td><td>[^<]*quarter steps", html)
    refused = client.post(location + "/commit", follow_redirects=True)
    assert b"nothing was stored" in refused.data and titles(session) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<ACCMEActivities>&e;</ACCMEActivities>",
            b"DOCTYPE or entities",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
            b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><ACCMEActivities>&lol2;'
            b"</ACCMEActivities>",
            b"DOCTYPE or entities",
        ),
    ],
)
def test_xml_with_doctype_or_entities_is_refused_unread(client, editor, session, data, message):
    response = upload(client, data)
    assert response.status_code == 422 and message in response.data
    assert session.exec(select(Upload)).all() == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"<ACCMEActivities><MedicalEducationMetrics xmlns='urn:wrong'/></ACCMEActivities>",
            b"namespace http://ns.medbiq.org/metrics/v1/",
        ),
        (
            b"<ACCMEActivities><MedicalEducationMetrics xmlns='http://ns.medbiq.org/metrics/v1/'>"
            b"<ReportDescr",
            b"not well-formed",
        ),
    ],
)
def test_wrong_namespace_and_truncated_xml_store_nothing(client, editor, session, data, message):
    location, preview = preview_of(client, data)
    assert preview.status_code == 422 and message in preview.data
    refused = client.post(location + "/commit", follow_redirects=True)
    assert b"Nothing was stored" in refused.data
    assert titles(session) == []


def test_an_accme_id_another_provider_holds_says_nothing_about_it(
    client, editor, make_user, make_activity, session, login
):
    """ACCME Activity IDs are unique within a provider: a file carrying another provider's
    ID makes this provider's own activity, and nothing on the page hints at the other."""
    theirs = full_activity(make_activity, editor.provider_id)
    exported = client.get("/exports/activities.xml").data
    other = make_user("b@example.org", provider="Other")
    login("b@example.org")
    location, preview = preview_of(client, exported)
    assert b"<strong>1</strong> new activities" in preview.data
    assert b"already in use" not in preview.data and b"another provider" not in preview.data.lower()
    client.post(location + "/commit")
    session.expire_all()
    mine = session.exec(select(Activity).where(Activity.provider_id == other.provider_id)).one()
    assert mine.accme_activity_id == theirs.accme_activity_id and mine.id != theirs.id
    assert session.get(Activity, theirs.id).provider_id == editor.provider_id
