"""Writes to activities. Functions add and flush; the caller (a view or command) commits once.

A write the rules do not allow raises ``Refused`` with a message for the user, before anything
is changed.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import bindparam, delete, event, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, func, select

from pars.activities import status as activity_status
from pars.activities.steps import PLACE
from pars.core import audit
from pars.core.errors import Refused
from pars.integrity import operations as integrity
from pars.models import (
    Activity,
    ActivitySession,
    Claim,
    ClaimLink,
    CommendationTag,
    DeliveryMethodRow,
    JointProvider,
    LatePass,
    LearnerCompletion,
    MocCreditType,
    MocPracticeArea,
    MocRegistration,
    OutcomeRow,
    RepeatInstance,
    SupportSource,
)
from pars.vocab import STATUS_ORDER, Status


class StaleVersion(Refused):
    """Someone else saved the activity since this user loaded it."""

    def __init__(self, activity: Activity, message: str | None = None):
        self.activity = activity
        super().__init__(
            message
            or "Someone else updated this activity while you were editing. The current numbers "
            "are shown; check them and save again."
        )


CLAIMS = "claimed_activities"  # session.info: ids whose version this transaction claimed
STALE_RECORD = (
    "Someone else saved this activity after you opened it, so your changes were not saved. "
    "Open it again to see what changed, then make your changes once more."
)


def refresh_status(activity: Activity) -> bool:
    """Store the stage the rules derive and what blocks the next one; True when either changed."""
    stage = activity_status.stored_stage(activity)
    blockers = activity_status.next_blockers_to_store(activity)
    changed = (activity.stage, activity.next_blockers) != (stage.value, blockers)
    activity.stage = stage.value
    activity.status_rank = STATUS_ORDER.index(stage)
    activity.next_blockers = blockers
    return changed


def save_activity(
    session: Session, activity: Activity, *, read_version: int | None = None
) -> Activity:
    """Add or update an activity: recompute its status, stamp it and bump its version.

    An update first claims the version it was read at (``read_version``, the one a form or
    an API client holds; by default the one loaded), so of two saves at once exactly one
    writes and the other raises StaleVersion before any of its changes, child rows included,
    reaches the database."""
    claim_version(session, activity, read_version)
    refresh_status(activity)
    activity.updated_at = datetime.now(UTC)
    session.add(activity)
    session.flush()
    return activity


def claim_version(session: Session, activity: Activity, read: int | None = None) -> None:
    """``UPDATE activity SET version = read + 1 WHERE id = :id AND version = :read``, once per
    transaction and before anything else of the write is flushed: call it before changing
    the activity. The UPDATE takes the row (PostgreSQL) or the database (SQLite) for this
    transaction, so a concurrent write waits, then finds the version moved on and matches
    nothing. ``read`` is the version the user or client read; by default the one loaded."""
    claims = session.info.setdefault(CLAIMS, set())
    if activity.id is None or activity.id in claims:
        return
    read = activity.version if read is None else read
    with session.no_autoflush:
        claimed = session.execute(
            update(Activity)
            .where(Activity.id == activity.id, Activity.version == read)
            .values(version=read + 1)
            .execution_options(synchronize_session=False)
        )
    if claimed.rowcount != 1:
        session.expire(activity)  # drop this save's changes: they must never be flushed
        raise StaleVersion(activity, STALE_RECORD)
    set_committed_value(activity, "version", read + 1)
    claims.add(activity.id)


def take_next_version(session: Session, activity: Activity) -> None:
    """Take the activity for this transaction and claim its next version, whatever version
    it is at now, reading the row as the UPDATE leaves it: for a write that waits its turn
    instead of failing when someone saved first (a learner's claim, which adds a completion
    and raises the total). The later claim_version of the same transaction then has nothing
    to do."""
    claims = session.info.setdefault(CLAIMS, set())
    if activity.id in claims:
        return
    with session.no_autoflush:  # the row comes back in the UPDATE (RETURNING): no re-read
        session.execute(NEXT_VERSION, {"activity_id": activity.id}).one()
    claims.add(activity.id)


NEXT_VERSION = (
    update(Activity)
    .where(Activity.id == bindparam("activity_id"))
    .values(version=Activity.version + 1)
    .returning(Activity)
    .execution_options(synchronize_session=False, populate_existing=True)
)  # built once: every claim that adds a completion sends it


@event.listens_for(Session, "after_transaction_end")
def _forget_claims(session: Session, transaction) -> None:
    """A claim holds for its transaction only; the next one claims again."""
    if transaction.parent is None:
        session.info.pop(CLAIMS, None)


def set_legacy_details(session: Session, activity: Activity, values: dict, *, version: int):
    """Save a legacy record's reporting year, hours and flags if nobody has saved the activity
    since ``version`` was read; the status follows (the legacy model needs them to close)."""
    if refusal := activity_status.change_refusal(activity):
        raise Refused(refusal)
    claim_version(session, activity, version)
    for name, value in values.items():
        setattr(activity, name, value)
    save_activity(session, activity)


def set_learner_counts(
    session: Session, activity: Activity, *, physician: int, other: int, version: int, today: date
) -> Activity:
    """Save both learner totals if nobody has saved the activity since ``version`` was read.

    The version test is part of the UPDATE itself, so of two people saving at once exactly
    one succeeds and the other is told, never silently overwritten.
    """
    if refusal := activity_status.change_refusal(activity):
        raise Refused(refusal)
    before = {
        "physician_learners": activity.physician_learners,
        "other_learners": activity.other_learners,
    }
    result = session.execute(
        update(Activity)
        .where(Activity.id == activity.id, Activity.version == version)
        .values(
            physician_learners=physician,
            other_learners=other,
            learners_updated_on=today,
            version=Activity.version + 1,
            updated_at=datetime.now(UTC),
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(activity)
    if result.rowcount != 1:
        raise StaleVersion(activity)
    for field, old in before.items():  # a Core UPDATE: the audit listener does not see it
        if old != getattr(activity, field):
            audit.record(session, activity, "changed", field, old, getattr(activity, field))
    refresh_status(activity)  # the totals may have unblocked closing
    session.flush()
    return activity


def raise_learner_total(
    session: Session, activity: Activity, field: str, total: int, *, today: date
) -> None:
    """Set one learner total (a learner added its completion): the version claimed first, the
    day stamped. The status is worked out again only when the total becomes entered: the
    rules read a total only as entered or not (status.status_moves_with_total), and working
    it out reads the activity's child rows, most of a claim's time spent on the activity."""
    claim_version(session, activity)
    moves = activity_status.status_moves_with_total(getattr(activity, field), total)
    setattr(activity, field, total)
    activity.learners_updated_on = today
    if moves:
        refresh_status(activity)
    activity.updated_at = datetime.now(UTC)
    session.add(activity)
    session.flush()


def close_activity(session: Session, activity: Activity, *, user_id: int, today: date) -> None:
    """Mark Activity as Closed: only when the rules say it can close; records who and when."""
    claim_version(session, activity)
    refusal = activity_status.close_refusal(activity, today=today) or integrity.close_refusal(
        session, activity, today=today
    )
    if refusal:
        raise Refused(refusal)
    activity.closed_at = datetime.now(UTC)
    activity.closed_by_id = user_id
    save_activity(session, activity)


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
    claim_version(session, activity)
    activity.closed_at = None
    activity.closed_by_id = None
    save_activity(session, activity)


def learner_completion_count(session: Session, activity_id: int) -> int:
    query = select(func.count()).where(LearnerCompletion.activity_id == activity_id)
    return session.exec(query).one()


def delete_refusal(session: Session, activity: Activity) -> str | None:
    """Why the activity may not be deleted, or None: the status rules (closed, learners
    reported), then what learners claimed and what people disclosed for it, which are kept."""
    return (
        activity_status.delete_refusal(
            activity, learner_completions=learner_completion_count(session, activity.id)
        )
        or claims_refusal(session, activity)
        or integrity.delete_refusal(session, activity)
    )


def delete_activity(session: Session, activity: Activity) -> None:
    """Delete an activity and its child rows, unless the rules keep it."""
    if refusal := delete_refusal(session, activity):
        raise Refused(refusal)
    drop_claim_links(session, activity)
    integrity.drop_unused_rows(session, activity)
    session.delete(activity)
    session.flush()


def claims_refusal(session: Session, activity: Activity) -> str | None:
    """An activity learners claimed stays: certificates were issued from it."""
    claimed = session.exec(
        select(func.count()).select_from(Claim).where(Claim.activity_id == activity.id)
    ).one()
    if claimed:
        return f"{claimed} learner(s) claimed credit for this activity: it cannot be deleted."
    return None


def drop_claim_links(session: Session, activity: Activity) -> None:
    """An activity no learner claimed takes its claim links and session dates with it."""
    links = select(ClaimLink.id).where(ClaimLink.activity_id == activity.id)
    session.execute(delete(LatePass).where(LatePass.link_id.in_(links)))
    session.execute(delete(ClaimLink).where(ClaimLink.activity_id == activity.id))
    session.execute(delete(ActivitySession).where(ActivitySession.activity_id == activity.id))


def refresh_all_statuses(session: Session, *, batch: int = 1000) -> int:
    """Recompute every open activity's stored stage and blockers from its record (a repair
    after a change of the rules; the calendar needs no job). Returns how many changed."""
    query = select(Activity).where(Activity.stage != Status.CLOSED.value).order_by(Activity.id)
    changed = 0
    for activity in session.exec(query.execution_options(yield_per=batch)):
        changed += refresh_status(activity)
    session.flush()
    return changed


# The child collections of an activity whose rows are flat (MOC boards have rows of their own).
CHILD_MODELS = {
    "delivery_methods": DeliveryMethodRow,
    "repeat_instances": RepeatInstance,
    "joint_providers": JointProvider,
    "outcomes": OutcomeRow,
    "support_sources": SupportSource,
    "commendation_tags": CommendationTag,
}


def child_fields(name: str, items: list) -> list[dict]:
    """The columns of each child row, from the plain values a step stores (one collection)."""
    if name == "delivery_methods":
        return [{"method": m} for m in items]
    if name == "repeat_instances":
        return [{"position": n, **item} for n, item in enumerate(items, start=1)]
    if name == "joint_providers":
        return [{"position": n, "name": item} for n, item in enumerate(items)]
    if name == "outcomes":
        return [{"outcome": o, "objective": obj, "subjective": subj} for o, obj, subj in items]
    if name == "support_sources":
        return [{"position": n, **item} for n, item in enumerate(items)]
    if name == "commendation_tags":
        return [{"tag": t} for t in items]
    raise KeyError(name)


def _child_rows(name: str, items: list) -> list:
    """Model rows for one child collection, from the plain values a step form gives."""
    if name == "moc_registrations":
        return [
            MocRegistration(
                board=item["board"],
                points=item["points"],
                claim_date=item["claim_date"],
                credit_types=[MocCreditType(credit_type=t) for t in item["credit_types"]],
                practice_areas=[MocPracticeArea(practice_area=a) for a in item["practice_areas"]],
            )
            for item in items
        ]
    return [CHILD_MODELS[name](**fields) for fields in child_fields(name, items)]


def apply_values(activity: Activity, values: dict) -> None:
    """Set the fields one step of the form stores; child collections are replaced whole."""
    for name, value in values.items():
        if isinstance(value, list):
            setattr(activity, name, _child_rows(name, value))
        else:
            setattr(activity, name, value)


def held_by_another(
    session: Session, activity: Activity, field: str, value: str | None
) -> int | None:
    """The id of another activity of the same provider holding this internal ID or ACCME
    Activity ID (each unique within a provider), if any. Other providers' activities are never
    looked at, so no answer tells anything about them."""
    if not value:
        return None
    query = select(Activity.id).where(
        Activity.provider_id == activity.provider_id,
        getattr(Activity, field) == value,
        Activity.id != (activity.id or 0),
    )
    return session.exec(query).first()


COPIED_FIELDS = (
    "title",
    "format",
    "start_date",
    "end_date",
    "repeats",
    "country",
    "city",
    "state",
    "postal_code",
    "ama_credits",
    "in_cme_passport",
    "description",
    "registration",
    "fee",
    "url",
    "moc",
    "mips",
    "rems",
    "providership",
    "commercial_support",
    "commendation",
    "moc_attested",
    "mips_attested",
    "rems_type",
)


def copy_of(activity: Activity, **overrides) -> Activity:
    """A new activity with the same answers and child rows: no IDs, no learners, not closed."""
    copy = Activity(
        provider_id=activity.provider_id,
        **{name: getattr(activity, name) for name in COPIED_FIELDS},
    )
    copy.delivery_methods = [DeliveryMethodRow(method=r.method) for r in activity.delivery_methods]
    copy.joint_providers = [
        JointProvider(position=r.position, name=r.name) for r in activity.joint_providers
    ]
    copy.outcomes = [
        OutcomeRow(outcome=r.outcome, objective=r.objective, subjective=r.subjective)
        for r in activity.outcomes
    ]
    copy.support_sources = [
        SupportSource(position=r.position, kind=r.kind, source=r.source, amount=r.amount)
        for r in activity.support_sources
    ]
    copy.commendation_tags = [CommendationTag(tag=r.tag) for r in activity.commendation_tags]
    copy.moc_registrations = _child_rows(
        "moc_registrations",
        [
            {
                "board": r.board,
                "points": r.points,
                "claim_date": r.claim_date,
                "credit_types": [c.credit_type for c in r.credit_types],
                "practice_areas": [p.practice_area for p in r.practice_areas],
            }
            for r in activity.moc_registrations
        ],
    )
    for name, value in overrides.items():
        setattr(copy, name, value)
    return copy


def split_repeats(session: Session, activity: Activity, *, today: date) -> list[Activity]:
    """Make one activity per waiting repeat instance, each with its own dates and place and
    every other answer shared; the instances are then done, and each activity is a single
    occurrence (repeats: no), as its own record and its files say. Returns the new activities."""
    created = []
    for number, instance in enumerate(
        sorted(activity.repeat_instances, key=lambda r: r.position), start=2
    ):
        place = {name: getattr(instance, name) for name in PLACE}
        internal_id = f"{activity.internal_id}-{number}" if activity.internal_id else None
        if held_by_another(session, activity, "internal_id", internal_id):
            internal_id = None
        copy = copy_of(activity, internal_id=internal_id, repeats=False, **place)
        created.append(save_activity(session, copy))
    activity.repeat_instances = []
    activity.repeats = False
    save_activity(session, activity)
    return created
