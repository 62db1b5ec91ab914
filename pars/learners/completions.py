"""Writes to learner completions. Completions are never edited: deleted and added again."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import update
from sqlmodel import Session, func, select

from pars.activities import operations
from pars.core.errors import Refused
from pars.learners import directory, rules
from pars.models import Activity, Claim, LearnerBoardCredit, LearnerCompletion
from pars.vocab import ParsResult


def duplicate_of(session: Session, activity: Activity, values: dict) -> LearnerCompletion | None:
    """The completion of the same learner on the same day, if there is one (one a day)."""
    same_day = NAMES.where(
        LearnerCompletion.activity_id == activity.id,
        LearnerCompletion.completion_date == values["completion_date"],
    )
    found = same_day_match(session.exec(same_day), values)
    return None if found is None else session.get(LearnerCompletion, found)


# The names, not whole completions: a day of a live course can hold hundreds.
NAMES = select(
    LearnerCompletion.id,
    LearnerCompletion.first_name,
    LearnerCompletion.last_name,
    LearnerCompletion.birth_month_day,
    LearnerCompletion.completion_date,
)


def same_day_match(names, values: dict) -> int | None:
    """The id of the completion among ``names`` (rows of NAMES) of the learner of ``values``
    on its day."""
    key = rules.completion_key(
        values["first_name"],
        values["last_name"],
        values["birth_month_day"],
        values["completion_date"],
    )
    return next((row.id for row in names if key_of(row) == key), None)


def key_of(completion: LearnerCompletion) -> tuple:
    return rules.completion_key(
        completion.first_name,
        completion.last_name,
        completion.birth_month_day,
        completion.completion_date,
    )


def learners_among(names) -> int:
    """How many distinct learners the completions ``names`` are (rows with their names)."""
    return len({rules.learner_key(r.first_name, r.last_name, r.birth_month_day) for r in names})


def distinct_learners(session: Session, activity_id: int) -> int:
    return learners_among(session.exec(NAMES.where(LearnerCompletion.activity_id == activity_id)))


def add_completion(
    session: Session, activity: Activity, values: dict, *, today: date, raise_total: bool = True
) -> tuple[LearnerCompletion, "Raised | None"]:
    """Add one completion and, unless ``raise_total`` is False (a file raises it once at the
    end, see raise_physician_total), keep the physician total up with the learners; returns
    the completion and how the total was raised (None: it was not)."""
    of_activity = NAMES.where(LearnerCompletion.activity_id == activity.id)
    if not raise_total:  # only the day's are needed
        of_activity = of_activity.where(
            LearnerCompletion.completion_date == values["completion_date"]
        )
    names = session.exec(of_activity).all()
    if same_day_match(names, values) is not None:
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
        activity_id=activity.id, learner_id=person.id, match_result=kind.value, **values
    )
    completion.board_credits = [LearnerBoardCredit(credit_type=t, points=p) for t, p in credits]
    session.add(completion)
    raised = None
    if raise_total:  # the completions read above and this one: no second read of them all
        learners = learners_among([*names, completion])
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
    summary.learners = len(
        {rules.learner_key(r.first_name, r.last_name, r.birth_month_day) for r in rows}
    )
    for row in rows:
        summary.cme_credits += row.cme_credits or 0
        summary.by_board[row.board or "No board"] += 1
        summary.by_match[row.match_result or "Not checked"] += 1
        for credit in row.board_credits:
            summary.board_points[f"{row.board} {credit.credit_type}"] += credit.points
    return summary
