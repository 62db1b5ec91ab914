"""The list's stored stage and blockers say exactly what the live status engine says, on the
day they were stored and on every day after it (nothing stored depends on the date)."""

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


DAYS = [TODAY - timedelta(400), TODAY - timedelta(1), TODAY, TODAY + timedelta(1)]
DAYS += [TODAY + timedelta(40), TODAY + timedelta(4000)]


@pytest.mark.parametrize("overrides", CASES)
def test_stored_next_step_matches_the_live_engine_on_any_day(overrides):
    subject = course(**overrides)
    refresh_status(subject)
    for day in DAYS:
        stored = activity_status.stored_next_step(subject, today=day)
        assert stored == activity_status.next_step(subject, today=day), day
        shown = activity_status.shown_status(subject.stage, subject.end_date, today=day)
        assert shown is activity_status.derive_status(subject, today=day), day


def test_stored_next_step_matches_for_every_demo_activity():
    import random

    rng, today = random.Random(3), date(2026, 11, 23)
    for number in range(120):
        subject = demo_activity(rng, 1, number, today=today)
        refresh_status(subject)
        for day in (today, today + timedelta(90), today + timedelta(800)):
            stored = activity_status.stored_next_step(subject, today=day)
            assert stored == activity_status.next_step(subject, today=day), (number, day)
