"""Limiting how fast one address may ask the public pages (the catalog and its JSON; the
disclosure and claim pages as they come): at most PUBLIC_REQUESTS_PER_MINUTE a minute, then
429 with Retry-After. Requests are rows in the database, written and committed in their own
transaction before the page is built, so the limit holds across every worker and restart, as
the sign-in limit does (pars.accounts.login_limits); rows older than the window are removed as
new ones arrive."""

from datetime import UTC, datetime, timedelta

from flask import Flask, abort, current_app, request
from sqlalchemy import delete, func
from sqlmodel import Session, select

from pars.core.db import get_engine
from pars.models import PublicRequest

WINDOW = timedelta(minutes=1)


def over_limit(session: Session, address: str, limit: int, now: datetime) -> bool:
    """Write this request, then count the window's requests from the address with it."""
    session.execute(delete(PublicRequest).where(PublicRequest.at < now - WINDOW))
    session.add(PublicRequest(address=address[:64], at=now))
    session.flush()
    recent = (
        select(func.count())
        .select_from(PublicRequest)
        .where(PublicRequest.address == address[:64], PublicRequest.at > now - WINDOW)
    )
    return session.exec(recent).one() > limit


def limit_public_pages(endpoints: set[str]):
    def check():
        if request.endpoint not in endpoints:
            return None
        limit = current_app.config["PUBLIC_REQUESTS_PER_MINUTE"]
        with Session(get_engine()) as session:
            refused = over_limit(
                session, request.remote_addr or "unknown", limit, datetime.now(UTC)
            )
            session.commit()
        if refused:
            abort(
                429,
                f"Too many requests from this address: at most {limit} a minute. "
                "Wait a minute, then try again.",
            )
        return None

    return check


def init_app(app: Flask, endpoints: set[str]) -> None:
    app.before_request(limit_public_pages(endpoints))
