"""Learner matching, reason by reason (pure), and the directory through the test client."""

from datetime import timedelta

import pytest
from sqlmodel import select

from pars.learners.directory import Proposed
from pars.learners.matching import MatchKind, match, name_key, one_edit_apart
from pars.models import Learner
from pars.vocab import Role
from tests.factories import TODAY

ROBERT = Learner(
    provider_id=1,
    first_name="Robert",
    last_name="Smith",
    first_key="robert",
    last_key="smith",
    birth_month_day="03/14",
    state="IL",
    npi="1234567893",
    board="ABIM",
    board_id="445566",
)


@pytest.mark.parametrize(
    ("proposed", "kind", "reason"),
    [
        (Proposed("Robert", "Smith", "03/14", state="IL"), MatchKind.EXACT, "state of licensure"),
        (Proposed("ROBERT", "smith", "03/14", npi="1234567893"), MatchKind.EXACT, "NPI"),
        (
            Proposed("Robert", "Smith", "03/14", board="ABIM", board_id="445566"),
            MatchKind.EXACT,
            "ABIM ID",
        ),
        (
            Proposed("Robert J.", "Smith", "03/14", state="IL"),
            MatchKind.PROBABLE,
            "middle initial differs",
        ),
        (
            Proposed("Bob", "Smith", "03/14", state="IL"),
            MatchKind.PROBABLE,
            "nickname (Bob / Robert)",
        ),
        (
            Proposed("Smith", "Robert", "03/14", state="IL"),
            MatchKind.PROBABLE,
            "first and last name swapped",
        ),
        (
            Proposed("Robret", "Smith", "03/14", state="IL"),
            MatchKind.PROBABLE,
            "one-letter difference in the first name",
        ),
        (
            Proposed("Robert", "Smyth", "03/14", state="IL"),
            MatchKind.PROBABLE,
            "one-letter difference in the last name",
        ),
        (
            Proposed("Robert", "Smith", "03/14", state="CA"),
            MatchKind.PROBABLE,
            "different state, NPI and board ID",
        ),
        (
            Proposed("Rob", "Jones", "01/01", npi="1234567893"),
            MatchKind.PROBABLE,
            "same NPI, different name",
        ),
        (Proposed("Robert", "Smith", "03/15", state="IL"), MatchKind.NONE, None),
        (Proposed("Alice", "Smith", "03/14", state="IL"), MatchKind.NONE, None),
    ],
)
def test_match_kinds_and_reasons(proposed, kind, reason):
    result = match(proposed, [ROBERT])
    assert result.kind is kind
    if reason:
        assert any(reason in r for c in result.candidates for r in c.reasons)


def test_name_keys_and_edits():
    assert name_key("José-Luis  O.") == "jose luis"
    assert name_key("Ana M.") == name_key("ana") == "ana"
    assert one_edit_apart("smith", "smyth") and one_edit_apart("robert", "robret")
    assert one_edit_apart("ann", "anne") and not one_edit_apart("ann", "anna marie")


@pytest.fixture
def activity(make_user, login, make_activity):
    user = make_user(role=Role.EDITOR)
    login()
    past = TODAY - timedelta(days=3)
    return make_activity(user.provider_id, start_date=past, end_date=past)


def add_learner(client, activity, first, last, birth="03/14", state="IL"):
    data = {
        "first_name": first,
        "last_name": last,
        "birth_month_day": birth,
        "state": state,
        "completion_date": activity.start_date.isoformat(),
    }
    return client.post(f"/activities/{activity.id}/learners", data=data)


def test_inline_match_fragment_while_typing(client, activity):
    assert add_learner(client, activity, "Robert", "Smith").status_code == 303
    url = f"/activities/{activity.id}/learners/match"
    empty = client.get(url, query_string={"first_name": "Bob"}).data
    assert b"Type the name and MM/DD" in empty
    probable = client.get(
        url,
        query_string={
            "first_name": "Bob",
            "last_name": "Smith",
            "birth_month_day": "03/14",
            "state": "IL",
        },
    ).data
    assert b"Probable match" in probable and b"nickname (Bob / Robert)" in probable
    exact = client.get(
        url,
        query_string={
            "first_name": "robert",
            "last_name": "SMITH",
            "birth_month_day": "03/14",
            "state": "IL",
        },
    ).data
    assert b"Exact match" in exact


def test_directory_keeps_one_person_and_lists_every_completion(
    client, activity, make_activity, session
):
    other_day = make_activity(
        activity.provider_id,
        title="Second Course",
        start_date=activity.start_date,
        end_date=activity.end_date,
    )
    add_learner(client, activity, "Robert", "Smith")
    add_learner(client, other_day, "ROBERT", "smith")
    add_learner(client, activity, "Bob", "Smith")  # probable: a new person, not merged
    people = session.exec(select(Learner)).all()
    assert len(people) == 2
    page = client.get("/learners/?q=smi").data.decode()
    assert "Smith, Robert" in page and "Smith, Bob" in page
    robert = next(p for p in people if p.first_name == "Robert")
    record = client.get(f"/learners/{robert.id}").data.decode()
    assert "Grand Rounds: Heart Failure" in record and "Second Course" in record


def test_prevalidation_reports_each_row_with_column_and_match(client, activity):
    add_learner(client, activity, "Robert", "Smith")
    text = (
        "First Name\tLast Name\tDOB\tState\tNPI\n"
        "Bob\tSmith\t03/14\tIL\t\n"
        "Ana\tDiaz\t13/45\tIL\t1234567890\n"
        "\tNoFirst\t01/01\tZZ\t\n"
    )
    response = client.post("/learners/check", data={"learners": text})
    html = response.data.decode()
    assert response.status_code == 200 and "3 rows checked" in html
    row1, row2, row3 = (html.split(f'id="row-{n}"')[1][:900] for n in (1, 2, 3))
    assert "Probable match" in row1 and "nickname (Bob / Robert)" in row1 and "OK" in row1
    assert "Date of Birth (MM/DD): 13/45 is not a day of the year" in row2
    assert "NPI or License Number: This NPI&#39;s check digit is wrong" in row2
    assert "First Name: Required." in row3 and "Licensing State: ZZ is not a US state" in row3


def test_prevalidation_needs_text(client, activity):
    response = client.post("/learners/check", data={"learners": ""})
    assert response.status_code == 422 and b"Paste at least one learner." in response.data
