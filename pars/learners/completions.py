"""Writes to learner completions. Completions are never edited: deleted and added again."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, update
from sqlmodel import Session, distinct, func, select

from pars.activities import operations
from pars.core.errors import Refused
from pars.learners import directory, rules
from pars.models import Activity, Claim, LearnerBoardCredit, LearnerCompletion
from pars.vocab import ParsResult


def duplicate_of(session: Session, activity: Activity, values: dict) -> LearnerCompletion | None:
    """The completion of the same learner on the same day, if there is one (one a day)."""
    found = session.exec(
        select(LearnerCompletion.id).where(
            LearnerCompletion.activity_id == activity.id,
            LearnerCompletion.learner_key == key_of(values),
            LearnerCompletion.completion_date == values["completion_date"],
        )
    ).first()
    return None if found is None else session.get(LearnerCompletion, found)


def key_of(values: dict) -> str:
    """The stored learner key of a completion's values (the learner form's shape)."""
    return rules.stored_learner_key(
        values["first_name"], values["last_name"], values["birth_month_day"]
    )


def distinct_learners(session: Session, activity_id: int) -> int:
    query = select(func.count(distinct(LearnerCompletion.learner_key))).where(
        LearnerCompletion.activity_id == activity_id
    )
    return session.exec(query).one()


_THIS_LEARNER = LearnerCompletion.learner_key == bindparam("key")
LEARNERS_AND_SAME_DAY = select(
    func.count(distinct(LearnerCompletion.learner_key)),
    func.count().filter(_THIS_LEARNER),
    func.count().filter(
        _THIS_LEARNER,
        LearnerCompletion.completion_date
        == bindparam("day", type_=LearnerCompletion.completion_date.type),
    ),
).where(LearnerCompletion.activity_id == bindparam("activity_id"))
# Built once: building it took longer than running it (each completion added reads it).


def learners_and_same_day(session: Session, activity_id: int, key: str, day: date) -> tuple:
    """For a completion about to be added: the activity's distinct learners, whether this
    learner is among them, and whether they have a completion on ``day``; one read of the
    learner index."""
    params = {"activity_id": activity_id, "key": key, "day": day}
    learners, theirs, that_day = session.exec(LEARNERS_AND_SAME_DAY, params=params).one()
    return learners, theirs > 0, that_day > 0


def add_completion(
    session: Session, activity: Activity, values: dict, *, today: date
) -> tuple[LearnerCompletion, "Raised | None"]:
    """Add one completion and keep the physician total up with the learners; returns the
    completion and how the total was raised (None: it was not)."""
    key = key_of(values)
    learners, known, same_day = learners_and_same_day(
        session, activity.id, key, values["completion_date"]
    )
    if same_day:
        raise Refused("This learner already has a completion of this activity on that day.")
    credits = values.pop("board_credits")
    person, kind = directory.file_learner(
        session,
        activity.provider_id,
        directory.Proposed(
            **{name: values.get(name) for name in directory.Proposed.__dataclass_fields__}
        ),
    )
    completion = LearnerCompletion(
        activity_id=activity.id,
        learner_id=person.id,
        match_result=kind.value,
        learner_key=key,
        **values,
    )
    completion.board_credits = [LearnerBoardCredit(credit_type=t, points=p) for t, p in credits]
    session.add(completion)
    learners += 0 if known else 1  # this completion counted: no second read
    raised = raise_physician_total(session, activity, today=today, learners=learners)
    session.flush()  # the completion and a raised total in one flush
    return completion, raised


def moc_learners_reported(session: Session, provider_id: int) -> dict[int, int]:
    """Activity id -> its individual completions with a certifying board (MOC learners)."""
    query = (
        select(LearnerCompletion.activity_id, func.count())
        .join(Activity)
        .where(Activity.provider_id == provider_id, LearnerCompletion.board.is_not(None))
        .group_by(LearnerCompletion.activity_id)
    )
    return dict(session.exec(query).all())


def record_pars_result(completion: LearnerCompletion, result: str | None, reason: str | None):
    """PARS's answer about a reported completion; a reason is kept only for a rejection."""
    completion.pars_result = result
    completion.pars_reason = reason if result == ParsResult.REJECTED else None


@dataclass(frozen=True)
class Raised:
    """The physician total was raised from ``old`` (None: it was not set) to ``new``."""

    old: int | None
    new: int


def raise_physician_total(
    session: Session, activity: Activity, *, today: date, learners: int | None = None
) -> Raised | None:
    """When the physician total is below the number of distinct individual learners (or not
    set), raise it to that number [inferred rule, domain.md section 4]. Returns what changed,
    or None when the total already counts every learner. ``learners``: that number, when the
    caller counted it already."""
    if learners is None:
        learners = distinct_learners(session, activity.id)
    if activity.physician_learners is not None and activity.physician_learners >= learners:
        return None
    raised = Raised(activity.physician_learners, learners)
    operations.raise_learner_total(session, activity, "physician_learners", learners, today=today)
    return raised


def delete_completion(session: Session, completion: LearnerCompletion) -> None:
    """Delete a completion; a learner's claim that made it keeps its certificate."""
    session.execute(
        update(Claim).where(Claim.completion_id == completion.id).values(completion_id=None)
    )
    session.delete(completion)
    session.flush()


@dataclass
class LearnerSummary:
    """Counts and totals of an activity's completions (the Learner Summary)."""

    completions: int = 0
    learners: int = 0
    cme_credits: float = 0.0
    by_board: Counter = field(default_factory=Counter)
    board_points: Counter = field(default_factory=Counter)  # credit type -> points
    by_match: Counter = field(default_factory=Counter)


def summarize(rows: list[LearnerCompletion]) -> LearnerSummary:
    summary = LearnerSummary(completions=len(rows))
    summary.learners = len({r.learner_key for r in rows})
    for row in rows:
        summary.cme_credits += row.cme_credits or 0
        summary.by_board[row.board or "No board"] += 1
        summary.by_match[row.match_result or "Not checked"] += 1
        for credit in row.board_credits:
            summary.board_points[f"{row.board} {credit.credit_type}"] += credit.points
    return summary
