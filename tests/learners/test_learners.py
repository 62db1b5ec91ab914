"""Individual learners of an activity: rules (pure) and the page (test client)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from pars.learners import rules as learner_rules
from pars.models import LearnerCompletion
from pars.vocab import Role
from tests.factories import TODAY, moc_course_fields

PAST = TODAY - timedelta(days=10)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("09/10", True),
        ("02/29", True),
        ("12/31", True),
        ("13/45", False),
        ("02/30", False),
        ("9/10", False),
        ("00/10", False),
        ("ab/cd", False),
    ],
)
def test_birth_month_day(text, ok):
    assert (learner_rules.birth_month_day_error(text) is None) is ok


@pytest.mark.parametrize(
    ("npi", "ok"),
    [
        ("1234567893", True),
        ("1245319599", True),
        ("1234567890", False),
        ("123456789", False),
        ("12345678901", False),
        ("12345678a3", False),
    ],
)
def test_npi_check_digit(npi, ok):
    assert (learner_rules.npi_error(npi) is None) is ok


@pytest.fixture
def activity(make_user, login, make_activity):
    user = make_user(role=Role.EDITOR)
    login()
    return make_activity(user.provider_id, **moc_course_fields(PAST))


LEARNER = {
    "first_name": "Ana",
    "last_name": "Diaz",
    "birth_month_day": "02/29",
    "state": "IL",
    "npi": "1234567893",
    "completion_date": PAST.isoformat(),
    "cme_credits": "3",
}


def add(client, activity, **changes):
    return client.post(f"/activities/{activity.id}/learners", data=LEARNER | changes)


def test_adding_a_learner_raises_the_physician_total(client, activity, session):
    response = add(client, activity)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).data.decode()
    assert "Ana Diaz" in page and "raised to 1 (was not set)" in page
    session.expire_all()
    assert session.get(type(activity), activity.id).physician_learners == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Enter the first name."),
        ({"birth_month_day": "13/45"}, "birth_month_day", "not a day of the year"),
        ({"npi": "1234567890"}, "npi", "check digit is wrong"),
        ({"state": "ZZ"}, "state", "Not a valid choice"),
        ({"completion_date": (TODAY + timedelta(1)).isoformat()}, "completion_date", "future"),
        ({"completion_date": (PAST - timedelta(1)).isoformat()}, "completion_date", "within"),
        ({"cme_credits": "3.25"}, "cme_credits", "claim no more than that"),
        ({"cme_credits": "1.1"}, "cme_credits", "quarter steps"),
        ({"board": "ABS"}, "board", "Not a valid choice"),
        ({"board": "ABIM"}, "board_id", "ABIM ID."),
        (
            {
                "board": "ABIM",
                "board_id": "123",
                "board_points-0-credit_type": "Medical Knowledge",
                "board_points-0-points": "2.5",
            },
            "board_points-0-points",
            "registered for 2 points",
        ),
    ],
)
def test_bad_learners_are_refused_under_the_field(
    client, activity, session, changes, field, message
):
    response = add(client, activity, **changes)
    assert response.status_code == 422
    html = response.data.decode()
    assert f'id="{field}-error"' in html and message in html
    assert session.exec(select(LearnerCompletion)).all() == []


def test_one_completion_per_learner_per_day(client, activity, session):
    assert add(client, activity).status_code == 303
    again = add(client, activity, first_name="ana")
    assert again.status_code == 422 and b"already has a completion" in again.data
    assert len(session.exec(select(LearnerCompletion)).all()) == 1


def test_board_fields_open_only_for_a_chosen_board(client, activity):
    url = f"/activities/{activity.id}/learners/board-fields"
    assert b"board_id" not in client.get(url).data
    opened = client.get(url, query_string={"board": "ABIM"}).data
    assert b"board_id" in opened and b"Medical Knowledge" in opened


def test_board_credits_are_stored_and_completions_deleted_not_edited(client, activity, session):
    add(
        client,
        activity,
        board="ABIM",
        board_id="778899",
        **{"board_points-0-credit_type": "Medical Knowledge", "board_points-0-points": "2"},
    )
    completion = session.exec(select(LearnerCompletion)).one()
    assert [(c.credit_type, c.points) for c in completion.board_credits] == [
        ("Medical Knowledge", 2.0)
    ]
    url = f"/activities/{activity.id}/learners/{completion.id}/delete"
    assert client.post(url).status_code == 303
    session.expire_all()
    assert session.exec(select(LearnerCompletion)).all() == []


def test_learner_summary_counts_boards_credit_types_credits_and_matches(client, activity):
    add(
        client,
        activity,
        board="ABIM",
        board_id="778899",
        **{"board_points-0-credit_type": "Medical Knowledge", "board_points-0-points": "2"},
    )
    add(
        client,
        activity,
        first_name="Bo",
        last_name="Lee",
        birth_month_day="01/02",
        cme_credits="1.5",
        npi="",
    )
    add(
        client,
        activity,
        first_name="Ana",
        last_name="Diaz",
        completion_date=(PAST + timedelta(1)).isoformat(),
    )  # same person, another day
    page = client.get(f"/activities/{activity.id}/learners").data.decode()
    assert "3 by 2 learners" in page
    assert "<dd>7.5</dd>" in page  # 3 + 1.5 + 3 credits
    assert "ABIM: 1; No board: 2" in page
    assert "ABIM Medical Knowledge: 2" in page
    assert "Exact match: 1; No match: 2" in page


def test_one_completion_a_day_ignores_case_and_spacing_of_the_name():
    day = TODAY
    assert learner_rules.completion_key(
        "Ana ", "Lee", "01/02", day
    ) == learner_rules.completion_key("ana", " LEE", "01/02", day)
    assert learner_rules.completion_key("Ana", "Lee", "01/02", day) != learner_rules.completion_key(
        "Ana", "Lee", "01/02", day - timedelta(days=1)
    )
