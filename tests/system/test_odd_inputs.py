"""Inputs that answered 500: each now gets a 4xx naming the field, and changes nothing."""

from io import BytesIO

import pytest
from sqlmodel import func, select

from pars.accounts import tokens
from pars.models import Activity, User
from tests.factories import DATA, PAST

DAY = "2026-01-01"
BASE = {"title": "T", "format": "Live Course", "start_date": DAY, "end_date": DAY}


@pytest.fixture
def api(app, session, editor):
    token = tokens.create(session, session.get(User, editor.id), "odd inputs")
    session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def activities(session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Activity)).one()


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"repeat_instances": [{"start_date": 5, "end_date": 5}]}, "repeat_instances[0]"),
        ({"moc_registrations": [{"board": "ABIM", "credit_types": 5}]}, "moc_registrations[0]"),
        ({"support_sources": [{"kind": {"a": 1}, "source": "x"}]}, "support_sources[0].kind"),
        ({"outcomes": [{"outcome": {"x": 1}}]}, "outcomes[0].outcome"),
        ({"outcomes": ["Learner Knowledge"]}, "outcomes[0]"),
        ({"joint_providers": [{"name": "x"}]}, "joint_providers[0]"),
    ],
)
def test_the_api_names_an_element_of_the_wrong_shape(api, session, fields, path):
    response = api.post("/api/v1/activities", json=BASE | fields)
    assert response.status_code == 400, response.json
    assert any(e["path"].startswith(path) for e in response.json["errors"]), response.json
    assert activities(session) == 0


def test_versions_no_activity_can_have_are_refused(api, client, session, editor, make_activity):
    activity = make_activity(editor.provider_id, start_date=PAST, end_date=PAST)
    counts = {"physician_learners": 1, "other_learners": 1}
    for version in (2**70, True, 0):
        sent = api.put(
            f"/api/v1/activities/{activity.id}/learner-counts", json=counts | {"version": version}
        )
        assert sent.status_code == 422 and sent.json["errors"][-1]["path"] == "version"
    web = client.post(
        f"/activities/{activity.id}/learners",
        data={"physician_learners": "1", "other_learners": "1", "version": "9" * 20},
    )
    assert web.status_code == 422
    session.expire_all()
    assert session.get(Activity, activity.id).physician_learners is None


def test_accme_ids_are_unique_within_a_provider_and_say_nothing_of_others(
    app, api, session, make_user
):
    accme = BASE | {"accme_activity_id": "123456789"}
    first = api.post("/api/v1/activities", json=accme)
    assert first.status_code == 201
    again = api.post("/api/v1/activities", json=accme)
    assert again.status_code == 409 and again.json["errors"][0]["path"] == "accme_activity_id"
    assert str(first.json["id"]) in again.json["error"] and "provider" not in again.json["error"]
    assert activities(session) == 1
    # Another provider may hold the same ID: its create succeeds, as if nobody had it.
    other = make_user("other@example.org", provider="Other")
    token = tokens.create(session, session.get(User, other.id), "other")
    session.commit()
    theirs = app.test_client().post(
        "/api/v1/activities", json=accme, headers={"Authorization": f"Bearer {token}"}
    )
    assert theirs.status_code == 201 and activities(session) == 2


LINE = (DATA / "legacy-template-d.txt").read_bytes().split(b"\r\n")[0]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (b"\t40\t5\t", "\t4²\t5\t".encode(), b"13 # of Physicians"),
        (b"\t2025\t", b"\t0\t", b"4 Reporting Year"),
        (b"\t2025\t", b"\t99999\t", b"4 Reporting Year"),
        (b"\t40\t5\t", b"\t" + b"9" * 4400 + b"\t5\t", b"13 # of Physicians"),
        (b"\tAcme Pharma\t5000\t", "\tAcme Pharma\t5²\t".encode(), b"supporter 1 amount"),
    ],
)
def test_odd_numerals_in_a_tab_file_are_named(client, editor, session, old, new, field):
    data = LINE.replace(old, new, 1) + b"\r\n"
    sent = client.post(
        "/uploads/",
        data={"file": (BytesIO(data), "legacy.txt")},
        content_type="multipart/form-data",
    )
    preview = client.get(sent.headers["Location"])
    assert preview.status_code == 422 and field in preview.data
    assert activities(session) == 0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_doctype_in_utf16_or_utf32_xml_is_refused(client, editor, session, encoding):
    xml = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><ACCMEActivities>&e;</ACCMEActivities>'
    )
    sent = client.post(
        "/uploads/",
        data={"file": (BytesIO(xml.encode(encoding)), "a.xml")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 422
    assert activities(session) == 0
