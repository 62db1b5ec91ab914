"""Slowing down password guessing: at most 5 failed sign-ins a minute per account and per
address (the client's IP). Failures are rows in the database rather than counters in one
process, so the limit holds across every worker of the server and across restarts
(Flask-Limiter would need Redis or memcached for that).
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, or_
from sqlmodel import Session, select

from pars.models import LoginFailure

LIMIT = 5
WINDOW = timedelta(minutes=1)
KEPT = timedelta(hours=1)  # older failures are removed as new ones arrive
MESSAGE = (
    "Too many failed sign-ins for this account or from this address. Wait a minute, then try again."
)


def blocked(session: Session, *, email: str, address: str, now: datetime | None = None) -> bool:
    since = (now or datetime.now(UTC)) - WINDOW
    recent = select(LoginFailure.email, LoginFailure.address).where(
        LoginFailure.at > since, or_(LoginFailure.email == email, LoginFailure.address == address)
    )
    rows = session.exec(recent).all()
    return (
        sum(1 for e, _ in rows if e == email) >= LIMIT
        or sum(1 for _, a in rows if a == address) >= LIMIT
    )


def note_failure(
    session: Session, *, email: str, address: str, now: datetime | None = None
) -> None:
    now = now or datetime.now(UTC)
    session.add(LoginFailure(email=email[:254], address=address[:64], at=now))
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - KEPT))


def forget(session: Session, *, email: str) -> None:
    """A successful sign-in clears the account's failures (not the address's)."""
    session.execute(delete(LoginFailure).where(LoginFailure.email == email))


def recent_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(LoginFailure)).one()
