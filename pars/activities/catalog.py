"""The public catalog (domain.md section 7): the activities a provider lists in CME Passport
that are Active, Ready to Close or Closed and not yet over.

Pages and JSON receive public_record() dictionaries, never Activity objects, so internal IDs,
learner figures and support amounts cannot reach them by a template's mistake.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy.orm import selectinload
from sqlmodel import select

from pars.models import Activity, MocRegistration, Provider
from pars.vocab import STATUS_ORDER, Status

PER_PAGE = 50
# Stored stages past Draft (an ended Active is Ready to Close, but ended ones are not listed).
LISTED_RANKS = [STATUS_ORDER.index(s) for s in (Status.ACTIVE, Status.CLOSED)]


@dataclass(frozen=True)
class CatalogFilter:
    q: str = ""
    format: str = ""
    starts_from: date | None = None
    starts_until: date | None = None
    state: str = ""
    min_credits: float | None = None


def like_pattern(text: str) -> str:
    """``text`` as a LIKE pattern matching it anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def listed(provider_id: int, flt: CatalogFilter, *, today: date):
    query = select(Activity).where(
        Activity.provider_id == provider_id,
        Activity.in_cme_passport.is_(True),
        Activity.status_rank.in_(LISTED_RANKS),
        Activity.end_date >= today,
    )
    if flt.q:
        query = query.where(
            func.lower(Activity.title).like(like_pattern(flt.q.lower()), escape="\\")
        )
    if flt.format:
        query = query.where(Activity.format == flt.format)
    if flt.starts_from:
        query = query.where(Activity.start_date >= flt.starts_from)
    if flt.starts_until:
        query = query.where(Activity.start_date <= flt.starts_until)
    if flt.state:
        query = query.where(Activity.state == flt.state)
    if flt.min_credits is not None:
        query = query.where(Activity.ama_credits >= flt.min_credits)
    return query


def page(
    session, provider_id: int, flt: CatalogFilter, *, today: date, number: int
) -> tuple[int, list[Activity]]:
    query = listed(provider_id, flt, today=today)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.options(*LISTING_ROWS)
        .order_by(Activity.start_date, Activity.title, Activity.id)
        .offset((number - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return total, list(rows)


# What a listing shows beyond the activity's own columns, read for a page at once.
LISTING_ROWS = (
    selectinload(Activity.delivery_methods),
    selectinload(Activity.moc_registrations).selectinload(MocRegistration.credit_types),
)


def public_record(activity: Activity, provider: Provider) -> dict:
    """What CME Passport shows of an activity, and nothing else: the description the entry
    form says is shown to learners, where and how it takes place, the credits, and the MOC
    points each board gives."""
    location = ", ".join(p for p in (activity.city, activity.state, activity.country) if p)
    return {
        "title": activity.title,
        "description": activity.description,
        "provider": provider.name,
        "delivery_methods": [row.method for row in activity.delivery_methods],
        "moc": [
            {
                "board": row.board,
                "points": row.points,
                "credit_types": [c.credit_type for c in row.credit_types],
            }
            for row in activity.moc_registrations
        ]
        if activity.moc
        else [],
        "start_date": activity.start_date.isoformat() if activity.start_date else None,
        "end_date": activity.end_date.isoformat() if activity.end_date else None,
        "format": activity.format,
        "location": location or None,
        "ama_credits": activity.ama_credits,
        "fee": activity.fee,
        "registration": activity.registration,
        "url": activity.url,
    }
