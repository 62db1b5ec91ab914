"""Hostile input of every type, generated: hypothesis sends typed JSON (numbers of any size,
lists, objects, deep nesting, lone surrogates) to every field of every API body, and odd
numerals in every encoding a file may come in to every upload format. Nothing may answer 5xx,
and nothing invalid may be stored (tests/system/test_fuzz.py checks what is stored).

`make soak` runs it with many more examples (HYPOTHESIS_PROFILE=soak).
"""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pars.accounts import tokens
from pars.api.learners import LearnerBody
from pars.api.schema import ActivityBody, LearnerCountsBody
from pars.models import User
from pars.vocab import Role
from tests.factories import DATA, upload
from tests.system.test_fuzz import PROFILE, assert_stored_values_valid

# Numbers a parser may choke on: past 64 bits, past a float (past Python's 4,300 digits: the
# "digits" oddity below, which json.dumps cannot write).
NUMBERS = st.one_of(
    st.integers(),
    st.sampled_from([2**63, -(2**63) - 1, 2**70, 10**300, 0, -1, True, False]),
    st.floats(allow_nan=False),
)
SCALARS = st.one_of(st.none(), NUMBERS, st.text(max_size=30), st.booleans())
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
ODD = {
    "surrogate": '"\\ud800"',  # valid JSON text, a string no UTF-8 can hold
    "nested": "[" * 50_000 + "]" * 50_000,
    "digits": "9" * 4400,
}
BODIES = {
    "POST /api/v1/activities": ActivityBody,
    "PATCH /api/v1/activities/{activity_id}": ActivityBody,
    "PUT /api/v1/activities/{activity_id}/learner-counts": LearnerCountsBody,
    "POST /api/v1/activities/{activity_id}/learners": LearnerBody,
    "POST /api/v1/learners/match": LearnerBody,
}


def raw_body(fields: dict, odd: str | None, name: str) -> str:
    """The body as JSON text; ``odd`` puts one of ODD under ``name``."""
    text = json.dumps(fields)
    if odd is None:
        return text
    return text[:-1] + (", " if fields else "") + f'"{name}": {ODD[odd]}}}'


@pytest.fixture
def api(app, session, make_user, make_activity):
    user = make_user(role=Role.EDITOR)
    token = tokens.create(session, session.get(User, user.id), "fuzz")
    activity = make_activity(user.provider_id)
    session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    client.activity_id = activity.id
    return client


@settings(settings.get_profile(PROFILE))
@given(data=st.data())
def test_typed_json_in_any_field_never_answers_5xx(api, session, data):
    route = data.draw(st.sampled_from(sorted(BODIES)), label="route")
    fields = list(BODIES[route].model_fields) + ["version", "unknown"]
    chosen = data.draw(st.lists(st.sampled_from(fields), max_size=4, unique=True), label="fields")
    body = {name: data.draw(JSON, label=name) for name in chosen}
    odd = data.draw(st.sampled_from([None, None, *ODD]), label="odd")
    name = data.draw(st.sampled_from(fields), label="odd field")
    method, path = route.split(" ")
    response = api.open(
        path.format(activity_id=api.activity_id),
        method=method,
        data=raw_body(body, odd, name),
        content_type="application/json",
    )
    assert response.status_code < 500, (route, body, odd, response.status_code)
    assert response.is_json, (route, response.data[:200])
    assert_stored_values_valid(session)


# Numerals the files' numbers and years may hold, and the encodings a file may come in.
NUMERALS = ["4²", "١٢", "１２", "1e999", "9" * 4400, "-0", "NaN", "Infinity", "0x1F", "1_000", "½"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"]
TAB = (DATA / "legacy-template-d.txt").read_text(encoding="utf-8").split("\r\n")[0]
MEMS = (DATA / "mems-export.xml").read_text(encoding="utf-8")


@pytest.fixture
def editor_client(client, editor, make_activity):
    make_activity(editor.provider_id, accme_activity_id="202400123")
    return client


@settings(settings.get_profile(PROFILE), max_examples=min(settings().max_examples, 150))
@given(data=st.data())
def test_odd_numerals_and_encodings_in_any_upload_format_never_answer_5xx(
    editor_client, session, data
):
    kind = data.draw(st.sampled_from(["tab", "xml"]), label="format")
    numeral = data.draw(st.sampled_from(NUMERALS) | st.text(max_size=6), label="numeral")
    encoding = data.draw(st.sampled_from(ENCODINGS), label="encoding")
    if kind == "tab":
        cells = TAB.split("\t")
        at = data.draw(st.integers(0, len(cells) - 1), label="cell")
        cells[at] = numeral
        text, name = "\t".join(cells) + "\r\n", "legacy.txt"
    else:
        numbers = [n for n in ("2025", "6.5", "120", "14") if f">{n}<" in MEMS]
        number = data.draw(st.sampled_from(numbers), label="number")
        text, name = MEMS.replace(f">{number}<", f">{numeral}<", 1), "activities.xml"
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        raw = text.encode(encoding, errors="replace")
    sent = upload(editor_client, raw, name)
    assert sent.status_code < 500, (kind, numeral, encoding, sent.status_code)
    if sent.status_code == 303:
        preview = editor_client.get(sent.headers["Location"])
        assert preview.status_code < 500, (kind, numeral, encoding)
        committed = editor_client.post(
            sent.headers["Location"] + "/commit", data={"valid_only": "y"}
        )
        assert committed.status_code < 500, (kind, numeral, encoding)
    assert_stored_values_valid(session)
