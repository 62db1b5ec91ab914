"""The list's stored blockers say exactly what the live status engine says."""

from datetime import date, timedelta

import pytest

from pars import rules
from pars.demo import demo_activity
from pars.operations import refresh_status
from tests.test_rules import TODAY, activity

CASES = [
    {}, {"description": None}, {"end_date": None}, {"city": None},
    {"start_date": TODAY - timedelta(5), "end_date": TODAY - timedelta(5)},
    {"start_date": TODAY - timedelta(5), "end_date": TODAY - timedelta(5), "outcomes": []},
    {"start_date": TODAY - timedelta(5), "end_date": TODAY - timedelta(5), "description": None},
    {"start_date": TODAY - timedelta(5), "end_date": TODAY - timedelta(5),
     "physician_learners": None, "providership": "Joint"},
    {"end_date": TODAY - timedelta(1), "start_date": TODAY}, {"moc": True},
]  # fmt: skip


@pytest.mark.parametrize("overrides", CASES)
def test_stored_next_step_matches_the_live_engine(overrides):
    subject = activity(**overrides)
    refresh_status(subject, today=TODAY)
    assert rules.stored_next_step(subject, today=TODAY) == rules.next_step(subject, today=TODAY)


def test_stored_next_step_matches_for_every_demo_activity():
    import random

    rng, today = random.Random(3), date(2026, 11, 23)
    for number in range(120):
        subject = demo_activity(rng, 1, number, today=today)
        refresh_status(subject, today=today)
        assert rules.stored_next_step(subject, today=today) == rules.next_step(
            subject, today=today
        ), number
