"""Reads every page makes, always scoped to one provider: no query here can see another's rows."""

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Integer, Select, and_, case, column, func, or_
from sqlmodel import Session, select, text

from pars.activities import status as activity_status
from pars.core import clock
from pars.models import Activity, Provider
from pars.vocab import STATUS_ORDER, Status

PAGE_SIZES = (10, 25, 50, 100)
RANK = {status: STATUS_ORDER.index(status) for status in Status}


def ended(today: date) -> ColumnElement[bool]:
    return and_(Activity.end_date.is_not(None), Activity.end_date < today)


def not_ended(today: date) -> ColumnElement[bool]:
    """NOT ended(today), written as two ranges of end_date (no end date, or today on) that an
    index on it can seek, where a NOT of the pair reads every row."""
    return or_(Activity.end_date.is_(None), Activity.end_date >= today)


def ended_unclosed(provider_id: int, today: date, year: int | None = None) -> ColumnElement[bool]:
    """The provider's activities that have ended (before ``today``) and are not closed, of
    one year's end dates if given: the one rule the dashboard and Annual Reporting count by."""
    found = and_(
        Activity.provider_id == provider_id,
        Activity.status_rank < RANK[Status.CLOSED],
        ended(today),
    )
    if year is not None:
        found = and_(
            found, Activity.end_date >= date(year, 1, 1), Activity.end_date <= date(year, 12, 31)
        )
    return found


def has_status(status: Status, today: date) -> ColumnElement[bool]:
    """SQL for "the activity shows ``status`` on ``today``" (status.shown_status in SQL):
    stored Active is Ready to Close once the end date has passed."""
    if status is Status.READY_TO_CLOSE:
        return and_(Activity.status_rank == RANK[Status.ACTIVE], ended(today))
    if status is Status.ACTIVE:
        return and_(Activity.status_rank == RANK[Status.ACTIVE], not_ended(today))
    return Activity.status_rank == RANK[status]


def shown_status(today: date) -> ColumnElement[str]:
    """SQL for the status shown on ``today`` (Activity.status_on in SQL)."""
    ready = has_status(Status.READY_TO_CLOSE, today)
    return case((ready, Status.READY_TO_CLOSE.value), else_=Activity.stage)


# Sort key -> (label, ORDER BY). Each leads with a column of a (provider_id, column) index and
# ends with the id, so paging is stable and fast at any depth.
SORTS = {
    "recent": ("Recently Added", (Activity.created_at.desc(), Activity.id.desc())),
    "start": ("Start date", (Activity.start_date.desc(), Activity.id.desc())),
    "end": ("End date", (Activity.end_date.desc(), Activity.start_date.desc(), Activity.id.desc())),
    "title": ("Title", (Activity.title.asc(), Activity.id.asc())),
    # Workflow order (Active before Ready to Close: see ordering()); within a status the
    # oldest first (the most overdue to finish or close).
    "status": (
        "Status",
        (Activity.status_rank.asc(), Activity.created_at.asc(), Activity.id.asc()),
    ),
}


def ordering(sort: str, *, today: date, status: str = "") -> tuple:
    """The ORDER BY of a sort key on ``today``, for a list filtered to ``status`` ("": any)."""
    order = SORTS[sort][1]
    if sort == "status" and status in (Status.ACTIVE, Status.READY_TO_CLOSE):
        # One stored rank, all ended or none: the workflow order is the age within it, which
        # the (provider, rank, created) index holds in order; the expression below made
        # SQLite sort every row the filter found (100 ms for 23,000 Ready to Close).
        return order[1:]
    if sort == "status":  # within stored Active, the ended ones (Ready to Close) come after
        return (order[0], ended(today).asc(), *order[1:])
    return order


NOT_CLOSED = "not-closed"


@dataclass(frozen=True)
class ActivityFilter:
    """What the list shows: the search text and filters of the list page and its download."""

    q: str = ""
    status: str = ""  # a Status value, NOT_CLOSED, or "" for all
    format: str = ""
    year: int | None = None
    moc: bool | None = None
    ids: tuple[int, ...] = ()


def provider_activities(provider_id: int) -> Select:
    """A select of the provider's activities, to which callers add filters and order."""
    return select(Activity).where(Activity.provider_id == provider_id)


def get_activity(session: Session, *, provider_id: int, activity_id: int) -> Activity | None:
    """The activity if it belongs to this provider; None for another provider's or no row,
    so callers answer 404 in both cases and never reveal that the other exists."""
    query = provider_activities(provider_id).where(Activity.id == activity_id)
    return session.exec(query).first()


def search_terms(q: str) -> list[str]:
    return re.findall(r"\w+", q.lower())


def search_hits(session: Session, q: str):
    """The ids of every activity, of any provider, the search index finds for ``q`` (SQLite's
    FTS5; None elsewhere, and for a number, which finds the activity with that ID too)."""
    terms = search_terms(q)
    if not terms or q.strip().isdigit() or session.get_bind().dialect.name != "sqlite":
        return None
    return indexed_hits(terms)


def indexed_hits(terms: list[str]):
    """The rowids FTS5 finds: every term begins a word."""
    match = " ".join(f'"{term}"*' for term in terms)
    hits = text("SELECT rowid FROM activity_search WHERE activity_search MATCH :match")
    return hits.bindparams(match=match).columns(column("rowid", Integer))


def _search(query: Select, session: Session, q: str, *, walk: bool = False) -> Select:
    """Every word of ``q`` must begin a word of the title, internal ID or ACCME ID; a number
    also finds the activity with that ID. SQLite uses its FTS5 index; others use ILIKE.
    ``walk``: the hits are a set each row is looked up in, not the rows to read (see
    walks_sort_order)."""
    terms = search_terms(q)
    if not terms:
        return query
    by_id = [Activity.id == int(q.strip())] if q.strip().isdigit() else []
    if session.get_bind().dialect.name == "sqlite":
        # "id + 0" is not the column: SQLite cannot read the rows by it, so it walks the
        # order's index instead and keeps the rows whose id is among the hits.
        searched = Activity.id + 0 if walk else Activity.id
        return query.where(or_(*by_id, searched.in_(indexed_hits(terms))))
    haystack = func.concat_ws(" ", Activity.title, Activity.internal_id, Activity.accme_activity_id)
    every_term = and_(*[haystack.ilike(f"%{term}%") for term in terms])
    return query.where(or_(*by_id, every_term))


def filtered(
    session: Session, provider_id: int, flt: ActivityFilter, *, today: date, walk: bool = False
) -> Select:
    query = _search(provider_activities(provider_id), session, flt.q, walk=walk)
    # Filter on the rank, not the name: the (provider, rank, created) index then serves both
    # this filter and the status and date orders.
    if flt.status == NOT_CLOSED:
        query = query.where(Activity.status_rank < RANK[Status.CLOSED])
    elif flt.status:
        query = query.where(has_status(Status(flt.status), today))
    if flt.format:
        query = query.where(Activity.format == flt.format)
    if flt.year is not None:
        query = query.where(
            Activity.end_date >= date(flt.year, 1, 1), Activity.start_date <= date(flt.year, 12, 31)
        )
    if flt.moc is not None:
        query = query.where(Activity.moc == flt.moc)
    if flt.ids:
        query = query.where(Activity.id.in_(flt.ids))
    return query


def count(session: Session, provider_id: int, flt: ActivityFilter, *, today: date) -> int:
    searched_only = flt == ActivityFilter(q=flt.q)
    if searched_only and only_provider(session, provider_id):
        # Every activity is this provider's, so its count needs no provider test. SQLite
        # counts a whole table from its b-tree's pages (0.02 ms at 100,000 activities, where
        # one provider's count read an index's 100,000 entries: 7 ms), and a search's hits
        # in the search index alone (3 ms for 15,000, where looking up each hit's row took
        # 24 ms). Most installations hold one provider.
        if not search_terms(flt.q):
            return session.exec(select(func.count()).select_from(Activity)).one()
        if (hits := search_hits(session, flt.q)) is not None:
            return session.exec(select(func.count()).select_from(hits.subquery())).one()
    # count(*), not count(id): SQLite then counts index entries without reading the rows.
    query = filtered(session, provider_id, flt, today=today).with_only_columns(func.count())
    return session.exec(query.order_by(None)).one()


def only_provider(session: Session, provider_id: int) -> bool:
    others = select(Provider.id).where(Provider.id != provider_id).exists()
    return not session.exec(select(others)).one()


def page(
    session: Session,
    provider_id: int,
    flt: ActivityFilter,
    *,
    sort: str,
    number: int,
    size: int,
    today: date,
    hits: int | None = None,
) -> list[Activity]:
    """One page of the list. ``hits``: how many activities the filter finds, when the caller
    counted them (it lets a search choose how to find its page)."""
    order = ordering(sort, today=today, status=flt.status)
    walk = hits is not None and walks_sort_order(session, provider_id, flt, hits, number * size)
    # Find the page's ids on the indexes first, then read just those rows ("deferred join"):
    # the rows skipped by OFFSET are never read from the table.
    ids = filtered(session, provider_id, flt, today=today, walk=walk)
    ids = ids.with_only_columns(Activity.id)
    ids = ids.order_by(*order)
    ids = ids.offset((number - 1) * size).limit(size)
    query = select(Activity).where(Activity.id.in_(ids)).order_by(*order)
    return list(session.exec(query))


def walks_sort_order(
    session: Session, provider_id: int, flt: ActivityFilter, hits: int, reach: int
) -> bool:
    """Whether a search's page, ``reach`` rows into the order, is found sooner by walking the
    order's index and keeping the hits than by reading every hit and sorting them: when the
    hits are dense enough to fill the page early. At 100,000 activities, 15,000 hits: 5 ms
    walking, 25 ms reading; 152 hits: 24 ms walking, 2 ms reading. Walking costs about
    reach x activities / hits index entries, reading about 8 x hits (SQLite, the only
    provider: its activities are counted for nothing)."""
    if not search_terms(flt.q) or session.get_bind().dialect.name != "sqlite":
        return False
    if not only_provider(session, provider_id):
        return False
    activities = session.exec(select(func.count()).select_from(Activity)).one()
    return reach * activities < 8 * hits * hits


def next_step_of_row(activity: Activity, *, today: date):
    """A list row's next status and blockers: from the stored summary, or worked out from
    the child rows for a row saved before the summary existed."""
    if activity.next_blockers is None:
        return activity_status.next_step(activity, today=today)
    return activity_status.stored_next_step(activity, today=today)


def activity_years(session: Session, provider_id: int) -> list[int]:
    """The years the provider's activities start in, newest first, for the year filter."""
    # Two single-aggregate queries: each is one seek on a (provider_id, date) index, where one
    # query with both aggregates would scan every row of the provider.
    mine = Activity.provider_id == provider_id
    first = session.exec(select(func.min(Activity.start_date)).where(mine)).one()
    last = session.exec(select(func.max(Activity.end_date)).where(mine)).one()
    if first is None or last is None:
        return []
    return list(range(max(last.year, clock.today().year), first.year - 1, -1))


def made_by_entry(session: Session, provider_id: int, entry_key: str | None) -> int | None:
    """The provider's activity that an earlier submit of the same Add Activity page created."""
    if not entry_key:
        return None
    query = select(Activity.id).where(
        Activity.provider_id == provider_id, Activity.entry_key == entry_key
    )
    return session.exec(query).first()


def named_in_file(
    session: Session, provider_id: int, *, accme_id: str = "", activity_id: str = ""
) -> Activity | None:
    """Which of the provider's activities a row of a file means: the one with that ACCME
    Activity ID (the key PARS itself goes by), else the one with this system's activity ID.
    Records of activities (templates, MEMS, legacy files) carry no activity ID of ours and match
    on the ACCME Activity ID, then the provider's own ID (pars.activities.store.KnownIds), in the
    same order: the ACCME Activity ID first."""
    query = select(Activity).where(Activity.provider_id == provider_id)
    if accme_id:
        found = session.exec(query.where(Activity.accme_activity_id == accme_id)).first()
        if found is not None:
            return found
    if activity_id.isdigit() and len(activity_id) < 10:
        return session.exec(query.where(Activity.id == int(activity_id))).first()
    return None
