"""Writes to activities. Functions add and flush; the caller (a view or command) commits once."""

from datetime import UTC, date, datetime

from sqlmodel import Session

from pars import rules
from pars.models import Activity


def refresh_status(activity: Activity, *, today: date) -> bool:
    """Store the status the rules derive; True when it changed."""
    status = rules.derive_status(activity, today=today).value
    changed = activity.status != status
    activity.status = status
    return changed


def save_activity(session: Session, activity: Activity, *, today: date) -> Activity:
    """Add or update an activity: recompute its status, stamp it and bump its version."""
    refresh_status(activity, today=today)
    activity.updated_at = datetime.now(UTC)
    if activity.id is not None:
        activity.version += 1
    session.add(activity)
    session.flush()
    return activity
