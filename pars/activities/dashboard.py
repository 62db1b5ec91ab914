"""The dashboard's figures: a few aggregate queries, each answered from an index where it can,
so the page stays fast with 100,000 activities."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, exists, extract, func, or_
from sqlmodel import Session, select

from pars.activities import queries
from pars.annual import operations as annual_data
from pars.annual import rules as annual_rules
from pars.integrity import operations as integrity
from pars.models import Activity, DeliveryMethodRow, SupportSource
from pars.vocab import STATUS_ORDER, ActivityFormat, DeliveryMethod, Status

SHOWN = 5  # activities named under each "needs attention" heading
CLOSED_RANK = STATUS_ORDER.index(Status.CLOSED)  # status_rank is indexed; status is not


@dataclass
class Attention:
    """Activities that need a look, of one kind: how many, and the first few."""

    title: str
    count: int
    first: list[Activity]
    link: dict = field(default_factory=dict)  # activity list filters that show them all


@dataclass
class Dashboard:
    by_status: dict[str, int]
    by_format: dict[str, int]
    status_format: dict[tuple[str, str], int]
    learners_by_month: list[tuple[date, int]]
    support_by_year: list[tuple[int, int]]
    due_year: int
    deadline: date
    steps: list[annual_rules.Step]
    attention: list[Attention]


def counts_by_status_and_format(session: Session, provider_id: int, today: date):
    """Activities by the status they show today and by format. Two queries, each read from
    the (provider, rank, format, end date) index alone: every stored rank by format, then the
    Active not yet ended by format; the rest of Active has ended and shows Ready to Close
    (status.shown_status)."""
    ours = Activity.provider_id == provider_id
    stored = session.exec(
        select(Activity.status_rank, Activity.format, func.count())
        .where(ours)
        .group_by(Activity.status_rank, Activity.format)
    ).all()
    active = STATUS_ORDER.index(Status.ACTIVE)
    running = dict(
        session.exec(
            select(Activity.format, func.count())
            .where(ours, Activity.status_rank == active, queries.not_ended(today))
            .group_by(Activity.format)
        ).all()
    )
    matrix: dict[tuple[str, str], int] = {}

    def count(status: Status, fmt: str | None, n: int) -> None:
        if n:
            key = (status.value, fmt or "No format")
            matrix[key] = matrix.get(key, 0) + n

    for rank, fmt, n in stored:
        if rank == active:
            count(Status.ACTIVE, fmt, running.get(fmt, 0))
            count(Status.READY_TO_CLOSE, fmt, n - running.get(fmt, 0))
        else:
            count(STATUS_ORDER[rank], fmt, n)
    by_status = {s.value: sum(n for (st, _), n in matrix.items() if st == s) for s in STATUS_ORDER}
    formats = [f.value for f in ActivityFormat] + ["No format"]
    by_format = {f: sum(n for (_, fm), n in matrix.items() if fm == f) for f in formats}
    return by_status, {f: n for f, n in by_format.items() if n}, matrix


def months_back(today: date, count: int = 12) -> list[date]:
    """The first days of the last ``count`` months, oldest first, this month last."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def learners_by_month(session: Session, provider_id: int, today: date) -> list[tuple[date, int]]:
    """Physician and other learners of the activities that ended in each of the last 12
    months. Summed by end date, in the order of the (provider, end date) index that holds
    the totals, and put into months here: grouping by the month sorted every row first."""
    months = months_back(today)
    learners = func.coalesce(Activity.physician_learners, 0) + func.coalesce(
        Activity.other_learners, 0
    )
    rows = session.exec(
        select(Activity.end_date, func.sum(learners))
        .where(
            Activity.provider_id == provider_id,
            Activity.end_date >= months[0],
            Activity.end_date <= today,
        )
        .group_by(Activity.end_date)
    ).all()
    totals: dict[tuple[int, int], int] = {}
    for ended_on, n in rows:
        month = (ended_on.year, ended_on.month)
        totals[month] = totals.get(month, 0) + int(n or 0)
    return [(month, totals.get((month.year, month.month), 0)) for month in months]


def support_by_year(session: Session, provider_id: int, today: date) -> list[tuple[int, int]]:
    """Monetary commercial support received by the activities ending in each of 5 years."""
    years = list(range(today.year - 4, today.year + 1))
    ended = extract("year", Activity.end_date)
    rows = session.exec(
        select(ended, func.sum(SupportSource.amount))
        .join(Activity, Activity.id == SupportSource.activity_id)
        .where(
            Activity.provider_id == provider_id,
            SupportSource.kind == "Monetary",
            Activity.end_date >= date(years[0], 1, 1),
            Activity.end_date <= today,
        )
        .group_by(ended)
    ).all()
    totals = {int(year): int(amount or 0) for year, amount in rows}
    return [(year, totals.get(year, 0)) for year in years]


def attention(session: Session, provider_id: int, today: date) -> list[Attention]:
    ours = Activity.provider_id == provider_id
    open_ = Activity.status_rank < CLOSED_RANK
    no_learners = (
        func.coalesce(Activity.physician_learners, 0) + func.coalesce(Activity.other_learners, 0)
        == 0
    )
    in_person = exists().where(
        DeliveryMethodRow.activity_id == Activity.id,
        DeliveryMethodRow.method == DeliveryMethod.IN_PERSON.value,
    )
    kinds = [
        (
            "Ended but not closed",
            queries.ended_unclosed(provider_id, today),
            {"status": "not-closed"},
        ),
        (
            "Active, started, with no learners recorded",
            and_(
                ours,
                queries.has_status(Status.ACTIVE, today),
                Activity.start_date <= today,
                no_learners,
            ),
            {"status": Status.ACTIVE.value},
        ),
        (
            "In-person live courses missing a location",
            and_(
                ours,
                open_,
                Activity.format == ActivityFormat.LIVE_COURSE.value,
                in_person,
                or_(Activity.country.is_(None), Activity.city.is_(None)),
            ),
            {"format": ActivityFormat.LIVE_COURSE.value},
        ),
    ]
    found = []
    for title, condition, link in kinds:
        count = session.exec(select(func.count()).select_from(Activity).where(condition)).one()
        found.append(Attention(title, count, first_of(session, condition, today), link))
    not_ready = integrity.not_ready_soon(session, provider_id, today=today)
    if not_ready:
        found.append(
            Attention(
                "Starting within 30 days with independence incomplete",
                len(not_ready),
                not_ready[:SHOWN],
            )
        )
    return found


def first_of(session: Session, condition, today: date) -> list[Activity]:
    """The first SHOWN activities meeting ``condition``: those without an end date, then by
    end date. Ended and not ended are read apart, each a range of the end-date index: for
    activities not ended, one query in end-date order walked the index from its oldest end
    date on (most of 100,000 rows) to find the first few."""
    undated = session.exec(
        select(Activity)
        .where(condition, Activity.end_date.is_(None))
        .order_by(Activity.id)
        .limit(SHOWN)
    ).all()
    if len(undated) == SHOWN:
        return list(undated)
    dated: list[Activity] = []
    for part in (Activity.end_date < today, Activity.end_date >= today):
        dated += session.exec(
            select(Activity)
            .where(condition, part)
            .order_by(Activity.end_date, Activity.id)
            .limit(SHOWN - len(undated) - len(dated))
        ).all()
        if len(undated) + len(dated) == SHOWN:
            break
    return [*undated, *dated]


def build(
    session: Session, provider_id: int, *, today: date, own_deadline: str | None
) -> Dashboard:
    by_status, by_format, matrix = counts_by_status_and_format(session, provider_id, today)
    year = annual_rules.due_year(today, own_deadline)
    return Dashboard(
        by_status=by_status,
        by_format=by_format,
        status_format=matrix,
        learners_by_month=learners_by_month(session, provider_id, today),
        support_by_year=support_by_year(session, provider_id, today),
        due_year=year,
        deadline=annual_rules.deadline(year, own_deadline),
        steps=annual_data.steps(session, provider_id, year, today),
        attention=attention(session, provider_id, today),
    )
