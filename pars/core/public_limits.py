"""Limiting how fast the public pages may be asked: the catalog, the disclosure and certificate
pages at most PUBLIC_REQUESTS_PER_MINUTE a minute per address; a claim link's pages by their
own counts (pars.views.claims: per address and link, sized for a room behind one address, and
per learner). Over a limit: 429 with Retry-After. Requests are rows in the database, written and
committed in their own transaction before the page is built, so the limits hold across every
worker and restart, as the sign-in limit does (pars.accounts.login_limits); rows older than the
longest window are removed as new ones arrive."""

from datetime import UTC, datetime, timedelta

from flask import Flask, abort, current_app, request
from sqlalchemy import delete, func, insert
from sqlmodel import Session, select

from pars.core.db import get_engine
from pars.models import PublicRequest

WINDOW = timedelta(minutes=1)
LONGEST_WINDOW = timedelta(minutes=10)  # no count looks further back
CLEANUP_EVERY = timedelta(seconds=30)
_last_cleanup = {"at": datetime.min.replace(tzinfo=UTC)}


def due_for_cleanup(now: datetime) -> bool:
    """Old rows are removed at most every 30 seconds in a process, not on every request: the
    counts look only inside their window, so rows past it cost room, never a wrong answer."""
    if now - _last_cleanup["at"] < CLEANUP_EVERY:
        return False
    _last_cleanup["at"] = now
    return True


def over_limit(
    session: Session,
    address: str,
    limit: int,
    now: datetime,
    *,
    bucket: str = "",
    window: timedelta = WINDOW,
) -> bool:
    """Write this request, then count the window's requests of the bucket from the address."""
    if due_for_cleanup(now):
        session.execute(delete(PublicRequest).where(PublicRequest.at < now - LONGEST_WINDOW))
    # Core statements, not ORM objects: every public request passes here.
    session.execute(
        insert(PublicRequest.__table__).values(bucket=bucket[:80], address=address[:64], at=now)
    )
    recent = (
        select(func.count())
        .select_from(PublicRequest)
        .where(
            PublicRequest.bucket == bucket[:80],
            PublicRequest.address == address[:64],
            PublicRequest.at > now - window,
        )
    )
    return session.exec(recent).one() > limit


def refuse_when_over(
    bucket: str, limit: int, window: timedelta, message: str, *, address: str | None = None
) -> None:
    """Count this request in ``bucket`` (from the request's address unless ``address`` is
    given) and answer 429 with ``message`` once the window holds more than ``limit``."""
    with Session(get_engine()) as session:
        refused = over_limit(
            session,
            request.remote_addr or "unknown" if address is None else address,
            limit,
            datetime.now(UTC),
            bucket=bucket,
            window=window,
        )
        session.commit()
    if refused:
        abort(429, message)


def limit_public_pages(endpoints: set[str]):
    def check():
        if request.endpoint not in endpoints:
            return None
        limit = current_app.config["PUBLIC_REQUESTS_PER_MINUTE"]
        refuse_when_over(
            "",
            limit,
            WINDOW,
            f"Too many requests from this address: at most {limit} a minute. "
            "Wait a minute, then try again.",
        )
        return None

    return check


def init_app(app: Flask, endpoints: set[str]) -> None:
    app.before_request(limit_public_pages(endpoints))
