"""Reads every page makes, always scoped to one provider: no query here can see another's rows."""

from sqlalchemy import func
from sqlmodel import Session, select

from pars.models import Activity

PAGE_SIZES = (10, 25, 50, 100)


def provider_activities(provider_id: int):
    """A select of the provider's activities, to which callers add filters and order."""
    return select(Activity).where(Activity.provider_id == provider_id)


def get_activity(session: Session, *, provider_id: int, activity_id: int) -> Activity | None:
    """The activity if it belongs to this provider; None for another provider's or no row,
    so callers answer 404 in both cases and never reveal that the other exists."""
    query = provider_activities(provider_id).where(Activity.id == activity_id)
    return session.exec(query).first()


def count_activities(session: Session, *, provider_id: int) -> int:
    query = select(func.count()).select_from(Activity).where(Activity.provider_id == provider_id)
    return session.exec(query).one()


def page_of_activities(
    session: Session, *, provider_id: int, page: int, per_page: int
) -> list[Activity]:
    query = (
        provider_activities(provider_id)
        .order_by(Activity.created_at.desc(), Activity.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(session.exec(query))
