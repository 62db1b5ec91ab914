"""Limiting how fast the public pages may be asked: the catalog, the disclosure and certificate
pages at most PUBLIC_REQUESTS_PER_MINUTE a minute per address; a claim link's pages by their
own counts (pars.views.claims: per address and link, sized for a room behind one address, and
per learner). Over a limit: 429 with Retry-After. Requests are rows in the database, written and
committed in their own transaction before the page is built, so the limits hold across every
worker and restart, as the sign-in limit does (pars.accounts.login_limits); rows older than the
longest window are removed as new ones arrive."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from flask import Flask, abort, current_app, request
from sqlalchemy import Connection, bindparam, delete, insert, select

from pars.core.db import get_engine
from pars.models import PublicRequest

WINDOW = timedelta(minutes=1)
LONGEST_WINDOW = timedelta(minutes=10)  # no count looks further back
CLEANUP_EVERY = timedelta(seconds=30)
_last_cleanup = {"at": datetime.min.replace(tzinfo=UTC)}
TABLE = PublicRequest.__table__


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` requests of ``bucket`` from ``address`` (None: the request's own;
    "": from anywhere) within ``window``; past it, 429 with ``message``."""

    bucket: str
    limit: int
    window: timedelta
    message: str
    address: str | None = None


def due_for_cleanup(now: datetime) -> bool:
    """Old rows are removed at most every 30 seconds in a process, not on every request: the
    counts look only inside their window, so rows past it cost room, never a wrong answer."""
    if now - _last_cleanup["at"] < CLEANUP_EVERY:
        return False
    _last_cleanup["at"] = now
    return True


def counted(limit: Limit, own: str) -> tuple[str, str]:
    """The bucket and address a request is counted under (as the columns hold them)."""
    return limit.bucket[:80], (own if limit.address is None else limit.address)[:64]


WRITE = insert(TABLE)  # a request's rows, one a limit (a plain INSERT, compiled once)


@lru_cache(maxsize=8)
def beyond_statement(n: int):
    """For ``n`` limits at once, whether each one's window holds more requests than it
    allows: whether the request just past the limit (the newest but ``limit``) is inside the
    window. The index walks at most ``limit`` entries back from the newest, where counting
    the window read every request in it, so a busy room's claims cost more the more it had
    sent. Built once per ``n``."""
    return select(
        *(
            select(TABLE.c.at)
            .where(
                TABLE.c.bucket == bindparam(f"bucket{i}"),
                TABLE.c.address == bindparam(f"address{i}"),
            )
            .order_by(TABLE.c.at.desc())
            .limit(1)
            .offset(bindparam(f"limit{i}"))
            .scalar_subquery()
            > bindparam(f"since{i}", type_=TABLE.c.at.type)
            for i in range(n)
        )
    )


def over_limits(connection: Connection, limits: tuple[Limit, ...], own: str, now: datetime):
    """The limits whose window holds more requests than they allow, this one included: the
    request written once under each limit, then every limit looked at in one statement."""
    rows, values = [], {}
    for i, limit in enumerate(limits):
        bucket, address = counted(limit, own)
        rows.append({"bucket": bucket, "address": address, "at": now})
        values |= {
            f"bucket{i}": bucket,
            f"address{i}": address,
            f"limit{i}": limit.limit,
            f"since{i}": now - limit.window,
        }
    connection.execute(WRITE, rows)
    over = connection.execute(beyond_statement(len(limits)), values).one()
    return [limit for limit, is_over in zip(limits, over, strict=True) if is_over]


def refuse_when_over(*limits: Limit) -> None:
    """Count this request against every limit, in one transaction of its own (plain Core
    statements), and answer 429 for the first it passes."""
    now, own = datetime.now(UTC), request.remote_addr or "unknown"
    with get_engine().begin() as connection:
        if due_for_cleanup(now):
            connection.execute(delete(TABLE).where(TABLE.c.at < now - LONGEST_WINDOW))
        passed = over_limits(connection, limits, own, now)
    if passed:
        abort(429, passed[0].message)


def limit_public_pages(endpoints: set[str]):
    def check():
        if request.endpoint not in endpoints:
            return None
        limit = current_app.config["PUBLIC_REQUESTS_PER_MINUTE"]
        refuse_when_over(
            Limit(
                "",
                limit,
                WINDOW,
                f"Too many requests from this address: at most {limit} a minute. "
                "Wait a minute, then try again.",
            )
        )
        return None

    return check


def init_app(app: Flask, endpoints: set[str]) -> None:
    app.before_request(limit_public_pages(endpoints))
