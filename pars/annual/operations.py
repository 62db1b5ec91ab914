"""Annual reporting in the database: what each step reads, and the changes it makes.

The rules (deadline, checklist, totals) are pure, in pars.annual.rules; this module gathers their
inputs with a few aggregate queries, so the page stays fast with 100,000 activities.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from pars.activities import operations, queries, status
from pars.annual import rules as annual_rules
from pars.core import validation
from pars.core.errors import Refused
from pars.models import Activity, AnnualReport, Contact, SupportSource, User
from pars.vocab import STATUS_ORDER, ActivityFormat, Status

SHOWN = 50  # activities listed per step; the list page shows the rest
CLOSED_RANK = STATUS_ORDER.index(Status.CLOSED)  # status_rank is indexed, closed_at is not


def ended_unclosed(provider_id: int, year: int, today: date):
    """Activities that ended in ``year`` (before today) and are not closed (step 2)."""
    return select(Activity).where(queries.ended_unclosed(provider_id, today, year))


def enduring_open(provider_id: int, year: int):
    """Enduring materials running across Dec 31 of ``year`` and not closed (step 3)."""
    return select(Activity).where(
        Activity.provider_id == provider_id,
        Activity.status_rank < CLOSED_RANK,
        Activity.format == ActivityFormat.ENDURING.value,
        Activity.start_date <= date(year, 12, 31),
        Activity.end_date > date(year, 12, 31),
    )


def not_updated_since_year_end(query, year: int):
    """The SQL form of annual_rules.totals_outdated."""
    return query.where(
        or_(
            Activity.learners_updated_on.is_(None),
            Activity.learners_updated_on < date(year, 12, 31),
        )
    )


def count(session: Session, query) -> int:
    return session.exec(select(func.count()).select_from(query.subquery())).one()


@dataclass
class YearView:
    """Everything the Annual Reporting page shows for one year."""

    year: int
    deadline: date
    report: AnnualReport | None
    steps: list[annual_rules.Step]
    unclosed: list[Activity] = field(default_factory=list)
    unclosed_count: int = 0
    enduring: list[Activity] = field(default_factory=list)
    enduring_count: int = 0
    support: annual_rules.SupportTotals = annual_rules.SupportTotals()
    contacts: list[Contact] = field(default_factory=list)
    close_blockers: dict[int, list] = field(default_factory=dict)  # activity id -> blockers
    outdated: set[int] = field(default_factory=set)  # enduring materials needing totals
    people: dict[int, str] = field(default_factory=dict)  # user id -> email, for "by whom"


def contacts_of(provider_id: int):
    return select(Contact).where(Contact.provider_id == provider_id)


def steps(
    session: Session,
    provider_id: int,
    year: int,
    today: date,
    *,
    report: AnnualReport | None = None,
    unclosed: int | None = None,
) -> list[annual_rules.Step]:
    """The year's checklist, from counts (the dashboard shows it too); ``report`` and
    ``unclosed``: the year's report and count of activities to close, when the caller read
    them already."""
    pending = not_updated_since_year_end(enduring_open(provider_id, year), year)
    if unclosed is None:
        unclosed = count(session, ended_unclosed(provider_id, year, today))
    return annual_rules.checklist(
        report or get_report(session, provider_id, year),
        unclosed=unclosed,
        enduring_pending=count(session, pending),
        contacts=count(session, contacts_of(provider_id)),
    )


def year_view(
    session: Session, provider_id: int, year: int, *, own_deadline: str | None, today: date
) -> YearView:
    report = get_report(session, provider_id, year)
    unclosed = ended_unclosed(provider_id, year, today)
    enduring = enduring_open(provider_id, year)
    contacts = list(session.exec(contacts_of(provider_id).order_by(Contact.role, Contact.name)))
    unclosed_count = count(session, unclosed)
    view = YearView(
        year,
        annual_rules.deadline(year, own_deadline),
        report,
        steps(session, provider_id, year, today, report=report, unclosed=unclosed_count),
        contacts=contacts,
    )
    view.unclosed_count, view.enduring_count = unclosed_count, count(session, enduring)
    view.unclosed = listed(session, unclosed, with_blocker_rows=True)
    view.enduring = listed(session, enduring)  # the table shows its own columns only
    view.support = support(session, provider_id, year)
    view.close_blockers = {
        a.id: status.blocking(a, today=today).get(Status.CLOSED, []) for a in view.unclosed
    }
    view.outdated = {
        a.id for a in view.enduring if annual_rules.totals_outdated(a.learners_updated_on, year)
    }
    view.people = (
        dict(session.exec(select(User.id, User.email).where(User.provider_id == provider_id)).all())
        if report
        else {}
    )
    return view


def listed(session: Session, query, *, with_blocker_rows: bool = False) -> list[Activity]:
    """The first SHOWN activities; ``with_blocker_rows``: with the child rows their blockers
    are read from (six more queries, for the activities left to close)."""
    if with_blocker_rows:
        query = query.options(
            *(
                selectinload(getattr(Activity, name))
                for name in (
                    "delivery_methods",
                    "joint_providers",
                    "outcomes",
                    "support_sources",
                    "commendation_tags",
                    "moc_registrations",
                )
            )
        )
    return list(session.exec(query.order_by(Activity.end_date, Activity.id).limit(SHOWN)))


def support(session: Session, provider_id: int, year: int) -> annual_rules.SupportTotals:
    """Commercial support of the activities that ended in the year."""
    rows = session.exec(
        select(SupportSource.kind, func.count(), func.sum(SupportSource.amount))
        .join(Activity, Activity.id == SupportSource.activity_id)
        .where(
            Activity.provider_id == provider_id,
            Activity.end_date >= date(year, 1, 1),
            Activity.end_date <= date(year, 12, 31),
        )
        .group_by(SupportSource.kind)
    ).all()
    by_kind = {kind: (number, amount or 0) for kind, number, amount in rows}
    return annual_rules.SupportTotals(
        monetary=by_kind.get("Monetary", (0, 0))[1],
        in_kind_sources=by_kind.get("In-kind", (0, 0))[0],
    )


def get_report(session: Session, provider_id: int, year: int) -> AnnualReport | None:
    query = select(AnnualReport).where(
        AnnualReport.provider_id == provider_id, AnnualReport.year == year
    )
    return session.exec(query).first()


def report_to_change(session: Session, provider_id: int, year: int) -> AnnualReport:
    """The year's report, created on its first change."""
    report = get_report(session, provider_id, year)
    if report is None:
        report = AnnualReport(provider_id=provider_id, year=year)
        session.add(report)
    return report


def accept_agreement(report: AnnualReport, *, user_id: int) -> None:
    if report.agreement_accepted_at is not None:
        raise Refused("The agreement for this year was accepted already.")
    report.agreement_accepted_at, report.agreement_accepted_by_id = datetime.now(UTC), user_id


def parse_summary(form_values: dict[str, str]) -> tuple[dict[str, int | None], dict[str, str]]:
    """The four amounts from what was typed: (values, errors by field). Blank is allowed in
    a draft (checked again on submit)."""
    values, errors = {}, {}
    for name in annual_rules.SUMMARY_AMOUNTS:
        text = (form_values.get(name) or "").strip()
        values[name], error = validation.parse_amount(text, minimum=0) if text else (None, None)
        if error:
            errors[name] = error
    return values, errors


def save_summary(
    report: AnnualReport, values: dict, *, submit: bool, user_id: int
) -> dict[str, str]:
    """Store the amounts, and submit them when asked; returns the errors that stop a submit."""
    if report.summary_submitted_at is not None:
        raise Refused("The Program Summary was submitted already; an administrator can reopen it.")
    if submit:
        missing = {
            name: f"Enter the {label.lower()} (0 if none)."
            for name, label in annual_rules.SUMMARY_AMOUNTS.items()
            if values[name] is None
        }
        if missing:
            return missing
    for name, value in values.items():
        setattr(report, name, value)
    report.version += 1
    if submit:
        report.summary_submitted_at, report.summary_submitted_by_id = datetime.now(UTC), user_id
    return {}


def reopen_summary(report: AnnualReport) -> None:
    if report.summary_submitted_at is None:
        raise Refused("The Program Summary is not submitted.")
    report.summary_submitted_at = report.summary_submitted_by_id = None


def confirm_contacts(session: Session, report: AnnualReport, *, user_id: int) -> None:
    if not count(session, contacts_of(report.provider_id)):
        raise Refused("Add at least one contact before confirming the review.")
    report.contacts_reviewed_at, report.contacts_reviewed_by_id = datetime.now(UTC), user_id


def close_all(session: Session, provider_id: int, year: int, *, user_id: int, today: date):
    """Close every activity that ended in the year and can close; (closed, refused)."""
    activities = session.exec(ended_unclosed(provider_id, year, today).order_by(Activity.id)).all()
    return operations.close_many(session, activities, user_id=user_id, today=today)
