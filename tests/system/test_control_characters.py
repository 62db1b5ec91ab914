"""A control character (or a lone surrogate) is refused at every entrance with the field named,
and an export survives any stored value (a replacement character, never a 500)."""

from io import BytesIO

import pytest
from lxml import etree
from openpyxl import load_workbook
from sqlmodel import select

from pars.accounts import tokens
from pars.core import validation
from pars.models import Activity, LearnerCompletion, User
from tests.factories import DATA, PAST, preview_of

BAD = "Grand\x07Rounds"


@pytest.mark.parametrize(
    ("text", "multiline", "refused"),
    [
        ("Plain title", False, False),
        (BAD, False, True),
        ("Nul\x00", True, True),
        ("lone \ud800 surrogate", True, True),
        ("two\nlines", False, True),
        ("two\nlines\tand a tab", True, False),
        ("DEL\x7f", True, True),
    ],
)
def test_control_characters_are_named(text, multiline, refused):
    error = validation.control_character_error(text, multiline=multiline)
    assert (error is not None) == refused
    if refused:
        assert "U+" in error


@pytest.mark.parametrize(
    ("record", "found"),
    [
        ({"title": "Grand Rounds", "city": "Chicago"}, []),
        ({"title": "Grand\x07Rounds", "city": "Chicago"}, ["title"]),
        ({"title": "Grand Rounds", "city": "Chi\tcago"}, ["city"]),
        ({"title": "Grand Rounds", "description": "Line one\nline two"}, []),
        ({"title": "Grand\ud800", "description": "Line one\nline two"}, ["title"]),
        ({"title": "Grand Rounds", "instances": [{"city": "Chi\x00"}]}, ["instances-0-city"]),
    ],
)
def test_a_record_is_searched_once_when_clean_and_each_problem_named_when_not(record, found):
    assert [where for where, _ in validation.text_problems(record)] == found


def test_the_wizard_refuses_a_control_character_and_stores_nothing(client, editor, session):
    data = {"title": BAD, "format": "Journal CME/CE", "start_date": "2026-12-01"}
    response = client.post("/activities/new", data=data)
    assert response.status_code == 400 and b"the field title" in response.data
    assert b"U+0007" in response.data
    assert session.exec(select(Activity)).all() == []


def test_the_api_refuses_control_characters_lone_surrogates_and_deep_nesting(app, session, editor):
    token = tokens.create(session, session.get(User, editor.id), "t")
    session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    sent = client.post("/api/v1/activities", data='{"title": "A\\u0007B"}', headers=headers)
    assert sent.status_code == 422 and sent.json["errors"][0]["path"] == "title"
    lone = client.post("/api/v1/activities", data='{"title": "A\\ud800"}', headers=headers)
    assert lone.status_code == 422 and lone.json["errors"][0]["path"] == "title"
    deep = client.post("/api/v1/activities", data="[" * 50_000 + "]" * 50_000, headers=headers)
    assert deep.status_code == 400
    assert session.exec(select(Activity)).all() == []


def test_a_tab_file_row_with_a_control_character_is_invalid(client, editor, session):
    data = (
        (DATA / "legacy-template-d.txt").read_bytes().replace(b"Legacy Grand", b"Legacy\x07Grand")
    )
    location, preview = preview_of(client, data)
    assert preview.status_code == 422
    assert b"U+0007" in preview.data and b"<td>5 Activity Title</td>" in preview.data
    assert session.exec(select(Activity)).all() == []


def test_every_export_survives_a_stored_control_character(client, editor, make_activity, session):
    activity = make_activity(
        editor.provider_id,
        title=BAD,
        description="Escape \x1b and bell \x07",
        start_date=PAST,
        accme_activity_id="202600001",
    )
    session.add(
        LearnerCompletion(
            activity_id=activity.id,
            first_name="Ana\x01",
            last_name="Lee",
            birth_month_day="01/02",
            completion_date=PAST,
        )
    )
    session.commit()
    for url in ("/activities/download?status=", "/exports/activities.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        titles = [c.value for row in load_workbook(BytesIO(response.data)).active.rows for c in row]
        assert "Grand\ufffdRounds" in titles, url
    for url in ("/exports/activities.xml", f"/exports/learners.xml?ids={activity.id}"):
        response = client.get(url)
        assert response.status_code == 200, url
        etree.fromstring(response.data)  # well-formed
        assert "\ufffd".encode() in response.data, url
