"""The list's stored blockers say exactly what the live status engine says."""

from datetime import date, timedelta

import pytest

from pars.activities import status as activity_status
from pars.activities.operations import refresh_status
from pars.admin.demo import demo_activity
from tests.factories import TODAY, course

CASES = [
    {},
    {"description": None},
    {"end_date": None},
    {"city": None},
    {"start_date": TODAY - timedelta(5), "end_date": TODAY - timedelta(5)},
    {"start_date": TODAY - timedelta(5), "end_date": TODAY - timedelta(5), "outcomes": []},
    {"start_date": TODAY - timedelta(5), "end_date": TODAY - timedelta(5), "description": None},
    {
        "start_date": TODAY - timedelta(5),
        "end_date": TODAY - timedelta(5),
        "physician_learners": None,
        "providership": "Joint",
    },
    {"end_date": TODAY - timedelta(1), "start_date": TODAY},
    {"moc": True},
]


@pytest.mark.parametrize("overrides", CASES)
def test_stored_next_step_matches_the_live_engine(overrides):
    subject = course(**overrides)
    refresh_status(subject, today=TODAY)
    assert activity_status.stored_next_step(subject, today=TODAY) == activity_status.next_step(
        subject, today=TODAY
    )


def test_stored_next_step_matches_for_every_demo_activity():
    import random

    rng, today = random.Random(3), date(2026, 11, 23)
    for number in range(120):
        subject = demo_activity(rng, 1, number, today=today)
        refresh_status(subject, today=today)
        assert activity_status.stored_next_step(subject, today=today) == activity_status.next_step(
            subject, today=today
        ), number
