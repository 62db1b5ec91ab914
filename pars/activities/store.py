"""Storing many imported activities at once, and reading stored ones back as plain values.

New activities from a file are inserted with a few multi-row statements per chunk (the
activities, then each kind of child row), not one ORM object at a time: building SQLModel
objects costs more than checking the record. Their status comes from the same rules
(pars.activities.status) read off a plain stand-in, and their creation is written to the audit
history (pars.core.audit) as the flush listener would have written it.
"""

from datetime import UTC, datetime
from types import SimpleNamespace
from uuid import uuid4

from sqlalchemy import inspect
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from pars.activities import operations
from pars.activities import status as activity_status
from pars.activities.steps import PLACE
from pars.core import audit, bulk
from pars.models import Activity, MocCreditType, MocPracticeArea, MocRegistration
from pars.vocab import STATUS_ORDER


def merged(steps: list[dict], counts: dict) -> dict:
    """One activity's stored values: the four steps' and the learner totals."""
    values = dict(counts)
    for step in steps:
        values.update(step)
    return values


def stand_in(values: dict, *, closed_at: datetime | None = None) -> SimpleNamespace:
    """An object the status rules can read, with the attributes of a stored activity."""
    row = SimpleNamespace
    return row(
        **{k: v for k, v in values.items() if not isinstance(v, list)},
        closed_at=closed_at,
        id=None,
        delivery_methods=[row(method=m) for m in values["delivery_methods"]],
        joint_providers=[row(name=n) for n in values["joint_providers"]],
        outcomes=values["outcomes"],
        repeat_instances=values["repeat_instances"],
        support_sources=[row(**s) for s in values["support_sources"]],
        commendation_tags=values["commendation_tags"],
        moc_registrations=[row(**b) for b in values["moc_registrations"]],
    )


def values_of(activity: Activity) -> dict:
    """A stored activity as the plain values an importer hands in."""
    columns = {a.key: getattr(activity, a.key) for a in inspect(Activity).column_attrs}
    by_position = lambda rows: sorted(rows, key=lambda r: r.position)  # noqa: E731
    return columns | {
        "delivery_methods": [r.method for r in activity.delivery_methods],
        "repeat_instances": [
            {n: getattr(r, n) for n in PLACE} for r in by_position(activity.repeat_instances)
        ],
        "joint_providers": [r.name for r in by_position(activity.joint_providers)],
        "outcomes": [(r.outcome, r.objective, r.subjective) for r in activity.outcomes],
        "support_sources": [
            {"kind": r.kind, "source": r.source, "amount": r.amount}
            for r in by_position(activity.support_sources)
        ],
        "commendation_tags": [r.tag for r in activity.commendation_tags],
        "moc_registrations": [
            {
                "board": r.board,
                "points": r.points,
                "claim_date": r.claim_date,
                "credit_types": [c.credit_type for c in r.credit_types],
                "practice_areas": [p.practice_area for p in r.practice_areas],
            }
            for r in activity.moc_registrations
        ],
    }


# Every child collection, read with one query each for a whole batch of activities.
CHILD_ROWS = (
    *(
        selectinload(getattr(Activity, name))
        for name in (
            "delivery_methods",
            "repeat_instances",
            "joint_providers",
            "outcomes",
            "support_sources",
            "commendation_tags",
        )
    ),
    selectinload(Activity.moc_registrations).selectinload(MocRegistration.credit_types),
    selectinload(Activity.moc_registrations).selectinload(MocRegistration.practice_areas),
)


def stored_values(session: Session, ids: set[int]) -> dict[int, dict]:
    """values_of() for many activities at once, by id."""
    if not ids:
        return {}
    found = session.exec(select(Activity).where(Activity.id.in_(ids)).options(*CHILD_ROWS))
    return {activity.id: values_of(activity) for activity in found}


class KnownIds:
    """Which of the provider's stored activities an ACCME Activity ID, its own ID or a record
    key belongs to, read once per file rather than once per record (each is unique within a
    provider)."""

    def __init__(self, session: Session, provider_id: int):
        def held(column) -> dict:
            query = select(column, Activity.id).where(
                Activity.provider_id == provider_id, column.is_not(None)
            )
            return dict(session.exec(query).all())

        self.accme = held(Activity.accme_activity_id)
        self.internal = held(Activity.internal_id)
        self.record_key = held(Activity.record_key)


def insert_new(
    session: Session, provider_id: int, records: list[dict], *, user_id: int | None
) -> list[int]:
    """Insert new activities (each: ``values`` as merged() gives, ``close``) with their child
    rows and history; their ids, in order."""
    now = datetime.now(UTC)
    rows = [
        activity_row(provider_id, r["values"], now, user_id if r["close"] else None)
        for r in records
    ]
    ids = bulk.insert_rows(session, Activity.__table__, rows)
    for activity_id, record in zip(ids, records, strict=True):
        record["id"] = activity_id
    insert_children(session, records)
    audit.write(
        session,
        [
            entry
            for activity_id, row in zip(ids, rows, strict=True)
            for entry in history_rows(provider_id, activity_id, row)
        ],
    )
    return ids


def activity_row(provider_id: int, values: dict, now: datetime, closed_by: int | None) -> dict:
    closed_at = now if closed_by is not None else None
    draft = stand_in(values, closed_at=closed_at)
    stage = activity_status.stored_stage(draft)
    scalars = {k: v for k, v in values.items() if not isinstance(v, list) and k != "stage"}
    scalars["record_key"] = scalars.get("record_key") or str(uuid4())
    return scalars | {
        "provider_id": provider_id,
        "status": stage.value,  # a Core insert: the column's name (the attribute is stage)
        "status_rank": STATUS_ORDER.index(stage),
        "next_blockers": activity_status.next_blockers_to_store(draft),
        "created_at": now,
        "updated_at": now,
        "version": 1,
        "closed_at": closed_at,
        "closed_by_id": closed_by,
    }


def history_rows(provider_id: int, activity_id: int, row: dict) -> list[dict]:
    """What the audit listener records when an activity is created (and closed)."""
    about = {
        "entity": "activity",
        "entity_id": activity_id,
        "activity_id": activity_id,
        "provider_id": provider_id,
        "old_value": None,
    }
    found = [about | {"action": "created", "field": "title", "new_value": audit.text(row["title"])}]
    if row["closed_at"] is not None:
        found.append(
            about
            | {"action": "changed", "field": "closed_at", "new_value": audit.text(row["closed_at"])}
        )
    return found


def insert_children(session: Session, records: list[dict]) -> None:
    children: dict[str, list[dict]] = {name: [] for name in operations.CHILD_MODELS}
    boards, board_children = [], []
    for record in records:
        values, owner = record["values"], {"activity_id": record["id"]}
        for name, rows in children.items():
            rows += [owner | row for row in operations.child_fields(name, values[name])]
        for board in values["moc_registrations"]:
            boards.append(owner | {k: board[k] for k in ("board", "points", "claim_date")})
            board_children.append((board["credit_types"], board["practice_areas"]))
    for name, rows in children.items():
        if rows:
            session.connection().execute(operations.CHILD_MODELS[name].__table__.insert(), rows)
    insert_board_rows(session, boards, board_children)


def insert_board_rows(session: Session, boards: list[dict], board_children: list) -> None:
    ids = bulk.insert_rows(session, MocRegistration.__table__, boards)
    credit_types, practice_areas = [], []
    for board_id, (types, areas) in zip(ids, board_children, strict=True):
        credit_types += [{"moc_registration_id": board_id, "credit_type": t} for t in types]
        practice_areas += [{"moc_registration_id": board_id, "practice_area": a} for a in areas]
    for model, rows in ((MocCreditType, credit_types), (MocPracticeArea, practice_areas)):
        if rows:
            session.connection().execute(model.__table__.insert(), rows)
