"""Annual reporting rules (domain.md section 6): the deadline, which year is due, the five
steps' checklist and the Program Summary. Plain Python: no Flask, no database.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

FIRST_YEAR = 2000  # the earliest reporting year the selector offers

AGREEMENT = (
    "By accepting, our organization confirms that the activities, learner totals and Program "
    "Summary it reports for this year are complete and accurate to the best of its knowledge; "
    "that each activity was planned, delivered and evaluated in line with the accreditation "
    "requirements that applied to it; and that it will keep the records that support this "
    "report and make them available on request."
)

# Program Summary amounts: field -> label (whole dollars, 0 or more).
SUMMARY_AMOUNTS = {
    "advertising_income": "Advertising and exhibit income",
    "registration_fees": "Registration fees",
    "government_grants": "Government monetary grants",
    "private_donations": "Private monetary donations",
}


def next_business_day(day: date) -> date:
    """The day itself when it is Monday to Friday, else the Monday after (ACCME's FAQ 10506:
    the 2023 year, due Sunday 31 March 2024, was due Monday 1 April)."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def deadline_error(text: str) -> str | None:
    """A provider's own deadline, "MM/DD" in the year after the reporting year."""
    try:
        month, day = (int(part) for part in text.strip().split("/"))
        date(2000, month, day)  # a leap year: 02/29 is a day some year has
    except ValueError:
        return "Enter the deadline as MM/DD, such as 03/15."
    return None


def deadline(year: int, own: str | None = None) -> date:
    """When the report for ``year`` is due: the provider's own MM/DD in the next year, or
    ACCME's, March 31 of the next year, moved to the next business day on a weekend."""
    if own and not deadline_error(own):
        month, day = (int(part) for part in own.split("/"))
        while True:
            try:
                return date(year + 1, month, day)
            except ValueError:  # 02/29 in a common year: the day before
                day -= 1
    return next_business_day(date(year + 1, 3, 31))


def due_year(today: date, own: str | None = None) -> int:
    """The reporting year whose deadline comes next: last year's until its deadline passes."""
    return today.year - 1 if today <= deadline(today.year - 1, own) else today.year


def year_error(year: int, today: date) -> str | None:
    """Reports can be prepared for any year from FIRST_YEAR up to the current one."""
    if year < FIRST_YEAR or year > today.year:
        return f"Choose a reporting year from {FIRST_YEAR} to {today.year}."
    return None


def closed_year_error(year: int, today: date) -> str | None:
    """The agreement, summary and review are given once the year is over."""
    return year_error(year, today) or (
        f"Reporting for {year} opens on January 1, {year + 1}." if year >= today.year else None
    )


def totals_outdated(updated_on: date | None, year: int) -> bool:
    """Whether an enduring material's learner totals predate the end of ``year``."""
    return updated_on is None or updated_on < date(year, 12, 31)


@dataclass(frozen=True)
class SupportTotals:
    """Commercial support received by the year's activities, for the Program Summary."""

    monetary: int = 0
    in_kind_sources: int = 0


def support_totals(sources: list[tuple[str, int | None]]) -> SupportTotals:
    """Sum (kind, amount) rows of the year's support sources."""
    monetary = sum(amount or 0 for kind, amount in sources if kind == "Monetary")
    return SupportTotals(monetary, sum(1 for kind, _ in sources if kind == "In-kind"))


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    done: bool
    status: str  # what is done, or what is left, in a sentence


def checklist(report: Any, *, unclosed: int, enduring_pending: int, contacts: int) -> list[Step]:
    """The five steps, each done or not from the data: ``report`` is the year's AnnualReport
    (or None), ``unclosed`` the activities that ended in the year and are not closed,
    ``enduring_pending`` the enduring materials open across Dec 31 whose totals were not
    updated since, ``contacts`` how many contacts the organization has."""
    accepted = report is not None and report.agreement_accepted_at is not None
    submitted = report is not None and report.summary_submitted_at is not None
    reviewed = report is not None and report.contacts_reviewed_at is not None and contacts > 0
    return [
        Step(
            1,
            "Accept the annual agreement",
            accepted,
            "Accepted." if accepted else "Not accepted yet.",
        ),
        Step(
            2,
            "Close the activities that ended in the year",
            unclosed == 0,
            "Every activity that ended in the year is closed."
            if unclosed == 0
            else f"{unclosed:,} ended in the year and {'is' if unclosed == 1 else 'are'} "
            "not closed.",
        ),
        Step(
            3,
            "Update enduring materials open across December 31",
            enduring_pending == 0,
            "Learner totals are up to date."
            if enduring_pending == 0
            else f"{enduring_pending:,} still need{'s' if enduring_pending == 1 else ''} "
            "learner totals as of December 31.",
        ),
        Step(
            4,
            "Submit the Program Summary",
            submitted,
            "Submitted." if submitted else "Not submitted yet.",
        ),
        Step(
            5,
            "Review the organization's contacts",
            reviewed,
            "Reviewed."
            if reviewed
            else (
                "Add at least one contact, then confirm the review."
                if contacts == 0
                else "Not confirmed yet."
            ),
        ),
    ]


def complete(steps: list[Step]) -> bool:
    return all(step.done for step in steps)
