"""Audit history: every change to an activity, its learners, the annual report, contacts and
users is recorded as it is flushed (who, when, field, old value, new value).

Changes made through the ORM are seen by a flush listener, so no operation can forget to
record itself; the few bulk statements that bypass the ORM (learner totals, uploads) call
record() themselves. Rows are inserted with Core in the same transaction: a rolled-back change
leaves no history, and a committed one always has it.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlmodel import Session, func, select

from pars.activities.status import shown_status
from pars.core import clock
from pars.models import (
    Activity,
    AnnualReport,
    AuditEntry,
    Contact,
    LearnerCompletion,
    User,
)

# Bookkeeping the rules derive or the database keeps: recording it would only add noise.
NOT_RECORDED = {
    "id",
    "provider_id",
    "created_at",
    "updated_at",
    "version",
    "status_rank",
    "next_blockers",
    "learners_updated_on",
    "session_version",
    "closed_by_id",
    "agreement_accepted_by_id",
    "summary_submitted_by_id",
    "contacts_reviewed_by_id",
}
SECRET = {"password_hash"}  # recorded as changed, never with its value
ENTITIES = {
    Activity: "activity",
    LearnerCompletion: "learner",
    AnnualReport: "annual report",
    Contact: "contact",
    User: "user",
}
ACTIVITY_ROWS = (
    "delivery_methods",
    "repeat_instances",
    "joint_providers",
    "outcomes",
    "support_sources",
    "commendation_tags",
    "moc_registrations",
)


def text(value: Any) -> str | None:
    """A value as the history shows it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%m/%d/%Y %H:%M UTC")
    if isinstance(value, date):
        return f"{value:%m/%d/%Y}"
    return str(value)


def describe_row(row: Any) -> str:
    """A child row of an activity in a few words (a support source, a board, an outcome)."""
    parts = [
        text(getattr(row, name, None))
        for name in (
            "method",
            "name",
            "outcome",
            "kind",
            "source",
            "amount",
            "tag",
            "board",
            "points",
            "start_date",
            "city",
        )
    ]
    return " ".join(part for part in parts if part)


def entry(
    obj: Any, action: str, field: str | None = None, old: Any = None, new: Any = None
) -> dict:
    activity_id = obj.id if isinstance(obj, Activity) else getattr(obj, "activity_id", None)
    return {
        "entity": ENTITIES[type(obj)],
        "entity_id": obj.id,
        "activity_id": activity_id,
        "action": action,
        "field": field,
        "old_value": text(old),
        "new_value": text(new),
    }


def label(obj: Any) -> tuple[str, str | None]:
    """The field and value that name a created or deleted object in the history."""
    if isinstance(obj, LearnerCompletion):
        return "learner", (
            f"{obj.first_name} {obj.last_name}, {obj.birth_month_day}, "
            f"completed {text(obj.completion_date)}"
        )
    name = {Activity: "title", User: "email", Contact: "name", AnnualReport: "year"}[type(obj)]
    return name, text(getattr(obj, name))


def field_changes(obj: Any) -> Iterable[dict]:
    state = inspect(obj)
    unchanged = state.unmodified  # an activity has some 70 columns; a save changes a few
    for attr in state.mapper.column_attrs:
        if attr.key in NOT_RECORDED or attr.key in unchanged:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if attr.key == "stage":  # as the pages showed it: Ready to Close, not the stored Active
            old, new = shown_stage(state, old, new)
        if old == new:
            continue
        name = attr.columns[0].name  # the column's name: history kept it as Activity.stage moved
        if attr.key in SECRET:
            yield entry(obj, "changed", name.removesuffix("_hash"), None, "(changed)")
        else:
            yield entry(obj, "changed", name, old, new)
    if isinstance(obj, Activity):
        yield from row_changes(obj, state)


def shown_stage(state, old: str | None, new: str | None) -> tuple[str | None, str | None]:
    """A stage change as the statuses shown before and after it, on today's date."""
    today = clock.today()
    end = state.attrs["end_date"].history
    old_end = end.deleted[0] if end.deleted else state.obj().end_date
    shown = lambda stage, end_date: (  # noqa: E731
        shown_status(stage, end_date, today=today).value if stage else None
    )
    return shown(old, old_end), shown(new, state.obj().end_date)


def row_changes(activity: Activity, state) -> Iterable[dict]:
    """Child rows (support sources, boards, ...) as one before/after list per kind."""
    for name in ACTIVITY_ROWS:
        history = state.attrs[name].history
        if not (history.added or history.deleted):
            continue
        before = sorted(describe_row(r) for r in [*history.unchanged, *history.deleted])
        after = sorted(describe_row(r) for r in [*history.unchanged, *history.added])
        if before != after:
            yield entry(
                activity, "changed", name, "; ".join(before) or None, "; ".join(after) or None
            )


def provider_of(session: Session, obj: Any) -> int | None:
    if isinstance(obj, LearnerCompletion):
        activity = session.get(Activity, obj.activity_id)
        return activity.provider_id if activity else None
    return obj.provider_id


def changes(obj: Any, action: str) -> Iterable[dict]:
    if action == "changed":
        yield from field_changes(obj)
    else:
        field, value = label(obj)
        yield entry(obj, action, field, *((None, value) if action == "created" else (value, None)))


def collect(session: Session, objects: Iterable[Any], action: str) -> list[dict]:
    rows = []
    for obj in objects:
        if type(obj) in ENTITIES:
            provider_id = provider_of(session, obj)
            rows += [row | {"provider_id": provider_id} for row in changes(obj, action)]
    return rows


def after_flush(session: Session, _context) -> None:
    rows = (
        collect(session, list(session.new), "created")
        + collect(session, list(session.dirty), "changed")
        + collect(session, list(session.deleted), "deleted")
    )
    write(session, rows)


def write(session: Session, rows: list[dict]) -> None:
    if not rows:
        return
    now, user_id = datetime.now(UTC), session.info.get("user_id")
    session.connection().execute(
        insert(AuditEntry.__table__), [{"at": now, "user_id": user_id, **row} for row in rows]
    )


def record(
    session: Session,
    obj: Any,
    action: str,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
) -> None:
    """Record a change the flush listener cannot see (a bulk statement)."""
    row = entry(obj, action, field, old, new)
    write(session, [row | {"provider_id": provider_of(session, obj)}])


def init() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "after_flush", after_flush):
        event.listen(Session, "after_flush", after_flush)


PER_PAGE = 100


def history(
    session: Session,
    provider_id: int,
    *,
    activity_id: int | None = None,
    entity: str = "",
    page: int = 1,
) -> tuple[int, list[tuple[AuditEntry, str | None]]]:
    """(total, entries with the email of who made each), newest first."""
    query = select(AuditEntry).where(AuditEntry.provider_id == provider_id)
    if activity_id is not None:
        query = query.where(AuditEntry.activity_id == activity_id)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.execute(  # execute, not exec: two columns per row, not scalars
        query.add_columns(User.email)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return total, [(entry_, email) for entry_, email in rows]
