"""Annual reporting rules: the deadline, the year due, the checklist and the support totals."""

from datetime import date
from types import SimpleNamespace

import pytest

from pars.annual import rules as annual_rules
from tests.factories import NOW


@pytest.mark.parametrize(
    ("year", "due"),
    [
        (2025, date(2026, 3, 31)),  # a Tuesday
        (2026, date(2027, 3, 31)),  # a Wednesday
        (2019, date(2020, 3, 31)),
        (2028, date(2029, 4, 2)),  # March 31, 2029 is a Saturday: Monday, April 2
        (2023, date(2024, 4, 1)),  # a Sunday: Monday, April 1 (ACCME FAQ 10506)
        (2024, date(2025, 3, 31)),  # a Monday
        (2014, date(2015, 3, 31)),
        (2012, date(2013, 4, 1)),  # March 31, 2013 is a Sunday
    ],
)
def test_the_deadline_is_march_31_of_the_next_year_or_the_next_business_day(year, due):
    assert annual_rules.deadline(year) == due
    assert due.weekday() < 5


def test_a_provider_may_have_its_own_deadline():
    assert annual_rules.deadline(2026, "03/15") == date(2027, 3, 15)
    assert annual_rules.deadline(2026, "02/29") == date(2027, 2, 28)  # no Feb 29 in 2027
    assert annual_rules.deadline(2027, "02/29") == date(2028, 2, 29)
    assert annual_rules.deadline_error("13/45") and annual_rules.deadline_error("March") is not None
    assert annual_rules.deadline_error("02/29") is None


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (date(2026, 11, 23), 2026),
        (date(2027, 1, 5), 2026),
        (date(2027, 3, 31), 2026),
        (date(2027, 4, 1), 2027),
        (date(2026, 3, 31), 2025),
    ],
)
def test_the_year_due_is_last_year_until_its_deadline_passes(today, year):
    assert annual_rules.due_year(today) == year


def test_years_in_the_future_cannot_be_reported():
    today = date(2026, 11, 23)
    assert annual_rules.year_error(2026, today) is None
    assert "from 2000 to 2026" in annual_rules.year_error(2027, today)
    assert annual_rules.year_error(1999, today)
    assert "opens on January 1, 2027" in annual_rules.closed_year_error(2026, today)
    assert annual_rules.closed_year_error(2025, today) is None
    assert annual_rules.closed_year_error(3000, today)


def report(**fields):
    base = dict(agreement_accepted_at=None, summary_submitted_at=None, contacts_reviewed_at=None)
    return SimpleNamespace(**(base | fields))


def test_checklist_marks_each_step_from_the_data():
    now = NOW
    steps = annual_rules.checklist(None, unclosed=3, enduring_pending=1, contacts=0)
    assert [s.done for s in steps] == [False] * 5
    assert "3 ended in the year and are not closed" in steps[1].status
    assert "1 still needs learner totals" in steps[2].status
    assert "Add at least one contact" in steps[4].status
    done = report(agreement_accepted_at=now, summary_submitted_at=now, contacts_reviewed_at=now)
    steps = annual_rules.checklist(done, unclosed=0, enduring_pending=0, contacts=2)
    assert all(s.done for s in steps) and annual_rules.complete(steps)
    # A review confirmed before every contact was removed no longer counts.
    assert not annual_rules.checklist(done, unclosed=0, enduring_pending=0, contacts=0)[4].done


def test_support_totals_sum_money_and_count_in_kind_sources():
    totals = annual_rules.support_totals(
        [
            ("Monetary", 5000),
            ("Monetary", 250),
            ("In-kind", None),
            ("In-kind", None),
            ("Monetary", None),
        ]
    )
    assert totals == annual_rules.SupportTotals(monetary=5250, in_kind_sources=2)


def test_totals_are_outdated_until_updated_on_or_after_dec_31():
    assert annual_rules.totals_outdated(None, 2026)
    assert annual_rules.totals_outdated(date(2026, 12, 30), 2026)
    assert not annual_rules.totals_outdated(date(2026, 12, 31), 2026)
    assert not annual_rules.totals_outdated(date(2027, 1, 4), 2026)
