"""Writes to activities. Functions add and flush; the caller (a view or command) commits once.

A write the rules do not allow raises ``Refused`` with a message for the user, before anything
is changed.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import update
from sqlmodel import Session, func, select

from pars import rules
from pars.models import Activity, LearnerCompletion
from pars.vocab import STATUS_ORDER, Status


class Refused(Exception):
    """The rules do not allow this change; ``str(error)`` says why, in the user's words."""


class StaleVersion(Refused):
    """Someone else saved the activity since this user loaded it."""

    def __init__(self, activity: Activity):
        self.activity = activity
        super().__init__(
            "Someone else updated this activity while you were editing. The current numbers "
            "are shown; check them and save again."
        )


def refresh_status(activity: Activity, *, today: date) -> bool:
    """Store the status the rules derive; True when it changed."""
    status = rules.derive_status(activity, today=today)
    changed = activity.status != status.value
    activity.status = status.value
    activity.status_rank = STATUS_ORDER.index(status)
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


def set_learner_counts(
    session: Session, activity: Activity, *, physician: int, other: int, version: int
) -> Activity:
    """Save both learner totals if nobody has saved the activity since ``version`` was read.

    The version test is part of the UPDATE itself, so of two people saving at once exactly
    one succeeds and the other is told, never silently overwritten.
    """
    if activity.closed_at is not None:
        raise Refused("This activity is closed. An administrator can reopen it to change it.")
    result = session.execute(
        update(Activity)
        .where(Activity.id == activity.id, Activity.version == version)
        .values(
            physician_learners=physician, other_learners=other,
            version=Activity.version + 1, updated_at=datetime.now(UTC),
        )  # fmt: skip
        .execution_options(synchronize_session=False)
    )
    session.refresh(activity)
    if result.rowcount != 1:
        raise StaleVersion(activity)
    return activity


def close_activity(session: Session, activity: Activity, *, user_id: int, today: date) -> None:
    """Mark Activity as Closed: only when the rules say it can close; records who and when."""
    refusal = rules.close_refusal(activity, today=today)
    if refusal:
        raise Refused(refusal)
    activity.closed_at = datetime.now(UTC)
    activity.closed_by_id = user_id
    save_activity(session, activity, today=today)


def close_many(
    session: Session, activities: Iterable[Activity], *, user_id: int, today: date
) -> tuple[list[Activity], list[tuple[Activity, str]]]:
    """Close every activity that can close; the rest come back with the reason."""
    closed, refused = [], []
    for activity in activities:
        try:
            close_activity(session, activity, user_id=user_id, today=today)
            closed.append(activity)
        except Refused as error:
            refused.append((activity, str(error)))
    return closed, refused


def reopen_activity(session: Session, activity: Activity, *, today: date) -> None:
    """Reopen a closed activity (administrators only; the view checks the role)."""
    if activity.closed_at is None:
        raise Refused("This activity is not closed.")
    activity.closed_at = None
    activity.closed_by_id = None
    save_activity(session, activity, today=today)


def learner_completion_count(session: Session, activity_id: int) -> int:
    query = select(func.count()).where(LearnerCompletion.activity_id == activity_id)
    return session.exec(query).one()


def delete_activity(session: Session, activity: Activity) -> None:
    """Delete an activity and its child rows, unless the rules keep it."""
    refusal = rules.delete_refusal(
        activity, learner_completions=learner_completion_count(session, activity.id)
    )
    if refusal:
        raise Refused(refusal)
    session.delete(activity)
    session.flush()


def refresh_all_statuses(session: Session, *, today: date, batch: int = 1000) -> int:
    """Recompute every open activity's stored status (daily: Active becomes Ready to Close
    the day after its end date). Returns how many changed."""
    query = select(Activity).where(Activity.status != Status.CLOSED.value).order_by(Activity.id)
    changed = 0
    for activity in session.exec(query.execution_options(yield_per=batch)):
        changed += refresh_status(activity, today=today)
    session.flush()
    return changed
