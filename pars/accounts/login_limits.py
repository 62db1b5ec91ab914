"""Slowing down password guessing: at most 5 failed sign-ins a minute per account and per
address (the client's IP). Attempts are rows in the database rather than counters in one
process, so the limit holds across every worker of the server and across restarts
(Flask-Limiter would need Redis or memcached for that).

Counting is atomic: an attempt is written (and committed) before its password is checked, then
the attempts in the window are counted with it included. Of any number of simultaneous
guesses, only those among the first five written see a count within the limit, so no more than
five passwords are checked a minute. A refused attempt removes its row; a failed one stays as
the failure; a successful one clears the account's.

So that guessing at an account cannot lock its owner out, the account's limit does not apply
from an address the account has signed in from before (pars.accounts.sign_ins.known_address);
that address's own limit still does.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, select

from pars.models import LoginFailure

LIMIT = 5
WINDOW = timedelta(minutes=1)
KEPT = timedelta(hours=1)  # older failures are removed as new attempts arrive
ACCOUNT_PAUSED = (
    "Too many failed sign-ins for this account: 5 in the last minute. Its sign-in is paused "
    "for a minute, except from a computer it has signed in from before. Wait a minute, then "
    "try again; if these attempts were not yours, tell your administrator."
)
ADDRESS_PAUSED = (
    "Too many failed sign-ins from this address: 5 in the last minute. Wait a minute, then try "
    "again."
)


def begin(session: Session, *, email: str, address: str, now: datetime | None = None) -> int:
    """Write this attempt before its password is checked; the caller commits at once."""
    now = now or datetime.now(UTC)
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - KEPT))
    attempt = LoginFailure(email=email[:254], address=address[:64], at=now)
    session.add(attempt)
    session.flush()
    return attempt.id


def refusal(
    session: Session,
    *,
    email: str,
    address: str,
    known_address: bool,
    now: datetime | None = None,
) -> str | None:
    """Why this attempt may not check a password (the message for the page), or None. Counts
    the committed attempts of the window, this one included."""
    since = (now or datetime.now(UTC)) - WINDOW
    recent = select(func.count()).select_from(LoginFailure).where(LoginFailure.at > since)
    by_address = session.exec(recent.where(LoginFailure.address == address[:64])).one()
    if by_address > LIMIT:
        return ADDRESS_PAUSED
    by_account = session.exec(recent.where(LoginFailure.email == email[:254])).one()
    if by_account > LIMIT and not known_address:
        return ACCOUNT_PAUSED
    return None


def withdraw(session: Session, attempt_id: int) -> None:
    """A refused attempt leaves no row: only attempts whose password was checked count."""
    session.execute(delete(LoginFailure).where(LoginFailure.id == attempt_id))


def forget(session: Session, *, email: str) -> None:
    """A successful sign-in clears the account's failures (not the address's)."""
    session.execute(delete(LoginFailure).where(LoginFailure.email == email[:254]))
