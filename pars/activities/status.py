"""The status engine: which status an activity has and what blocks the statuses it has not reached.

Pure Python (no Flask, no database session): it reads an activity's attributes and child rows
and is told today's date. Source: domain.md section 3 (ACCME's published status rules). Each
requirement is one row of data below, with the message shown to the user, so a rule marked
[inferred] in the brief is changed here and nowhere else.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pars.vocab import (
    DELIVERY_BY_FORMAT,
    LEGACY_FLAGS,
    NEW_PARS_LIVE,
    STATUS_ORDER,
    UNITED_STATES,
    ActivityFormat,
    DeliveryMethod,
    Providership,
    Status,
    SupportKind,
)

Check = Callable[[Any], bool]


@dataclass(frozen=True)
class Requirement:
    """One thing an activity must have: ``applies`` says when it is asked, ``met`` if it is."""

    field: str
    step: int
    message: str
    met: Check
    applies: Check = lambda a: True  # noqa: E731
    key: str = ""  # unique name when two requirements concern one field

    @property
    def name(self) -> str:
        return self.key or self.field


@dataclass(frozen=True)
class Blocker:
    """A field that stands between an activity and a status, in the user's words."""

    field: str
    step: int
    message: str


def _present(value: Any) -> bool:
    return value is not None and value != ""


def _has(attribute: str) -> Check:
    return lambda activity: _present(getattr(activity, attribute))


def status_moves_with_total(old: int | None, new: int | None) -> bool:
    """Whether a learner total going from ``old`` to ``new`` can move the status: the
    requirements read the totals only as entered or not (tests/activities/test_status.py
    holds every requirement to that)."""
    return _present(old) != _present(new)


def has_delivery_question(activity: Any) -> bool:
    return _format(activity) in DELIVERY_BY_FORMAT


def is_in_person(activity: Any) -> bool:
    methods = {row.method for row in activity.delivery_methods}
    return has_delivery_question(activity) and DeliveryMethod.IN_PERSON in methods


def needs_listing_details(activity: Any) -> bool:
    """CME Passport, MOC and REMS listings need registration, fee and URL (domain.md 2.2)."""
    return bool(activity.in_cme_passport or activity.moc or activity.rems)


def _format(activity: Any) -> ActivityFormat | None:
    try:
        return ActivityFormat(activity.format)
    except ValueError:
        return None


def _dates_in_order(activity: Any) -> bool:
    return activity.end_date >= activity.start_date


def _has_dates(activity: Any) -> bool:
    return activity.start_date is not None and activity.end_date is not None


def _support_complete(activity: Any) -> bool:
    if activity.commercial_support is not True:
        return activity.commercial_support is False
    sources = activity.support_sources
    monetary_ok = all(
        row.amount and row.amount > 0 for row in sources if row.kind == SupportKind.MONETARY
    )
    return bool(sources) and monetary_ok and all(_present(row.source) for row in sources)


def _moc_complete(activity: Any) -> bool:
    rows = activity.moc_registrations
    return (
        bool(rows)
        and bool(activity.moc_attested)
        and all(row.points and row.credit_types and row.claim_date for row in rows)
    )


DRAFT_REQUIREMENTS = (
    Requirement("title", 1, "Enter the activity title", _has("title")),
    Requirement("format", 1, "Choose the activity format", lambda a: _format(a) is not None),
    Requirement("start_date", 1, "Enter the start date", _has("start_date")),
    Requirement("end_date", 1, "Enter the end date", _has("end_date")),
)

ACTIVE_REQUIREMENTS = DRAFT_REQUIREMENTS + (
    Requirement(
        "end_date",
        1,
        "Make the end date the same as or after the start date",
        _dates_in_order,
        applies=_has_dates,
        key="end_date_order",
    ),
    Requirement(
        "delivery_methods",
        1,
        "Choose where the activity takes place",
        lambda a: bool(a.delivery_methods),
        applies=has_delivery_question,
    ),
    Requirement("country", 1, "Enter the country", _has("country"), applies=is_in_person),
    Requirement("city", 1, "Enter the city", _has("city"), applies=is_in_person),
    Requirement(
        "state",
        1,
        "Enter the state",
        _has("state"),
        applies=lambda a: is_in_person(a) and a.country == UNITED_STATES,
    ),
    # No ZIP/postal code: PARS asks for city, state and country only, and legacy files carry none.
    Requirement("ama_credits", 2, "Enter the AMA PRA Category 1 Credits™", _has("ama_credits")),
    Requirement(
        "in_cme_passport",
        2,
        "Answer whether to include the activity in CME Passport",
        _has("in_cme_passport"),
    ),
    Requirement("description", 2, "Add a description for learners", _has("description")),
    Requirement(
        "registration",
        2,
        "Choose who can register",
        _has("registration"),
        applies=needs_listing_details,
    ),
    Requirement(
        "fee", 2, "Answer whether there is a fee", _has("fee"), applies=needs_listing_details
    ),
    Requirement("url", 2, "Enter the activity URL", _has("url"), applies=needs_listing_details),
    Requirement(
        "providership",
        3,
        "Answer whether the activity is directly or jointly provided",
        _has("providership"),
    ),
)

CLOSED_REQUIREMENTS = ACTIVE_REQUIREMENTS + (
    Requirement(
        "joint_providers",
        3,
        "Add the joint provider name(s)",
        lambda a: any(_present(row.name) for row in a.joint_providers),
        applies=lambda a: a.providership == Providership.JOINT,
    ),
    Requirement("outcomes", 3, "Add at least one outcome measure", lambda a: bool(a.outcomes)),
    Requirement(
        "commercial_support",
        3,
        "Answer whether the activity received commercial support, with each source "
        "and monetary amount",
        _support_complete,
    ),
    Requirement(
        "moc_registrations",
        4,
        "Complete the MOC details: board, points, credit types, claim date and attestation",
        _moc_complete,
        applies=lambda a: a.moc is True,
    ),
    Requirement(
        "physician_learners",
        5,
        "Enter the total physician learners (0 is allowed)",
        _has("physician_learners"),
    ),
    Requirement(
        "other_learners",
        5,
        "Enter the total other learners (0 is allowed)",
        _has("other_learners"),
    ),
)


# The legacy model (domain.md section 3, "Historical activities"): an activity from a legacy
# record that ended before the new PARS went live was Open with its name, type, date, location
# (courses and series only) and reporting year, and Closed with every non-optional field of the
# time. It is not asked what only the new PARS asks (CME Passport, a description beyond the
# title, outcomes with their measurement type, listing details).
def is_historical(activity: Any) -> bool:
    return (
        bool(getattr(activity, "legacy_record", False))
        and activity.end_date is not None
        and activity.end_date < NEW_PARS_LIVE
    )


def _legacy_located(activity: Any) -> bool:
    """Courses and series met somewhere: in person, or (a series the file gave no delivery
    for) not said."""
    methods = {row.method for row in activity.delivery_methods}
    return _format(activity) in (ActivityFormat.LIVE_COURSE, ActivityFormat.RSS) and (
        DeliveryMethod.IN_PERSON in methods or not methods
    )


def _flags_answered(activity: Any) -> bool:
    return all(getattr(activity, name, None) is not None for name in LEGACY_FLAGS)


def _shared(*names: str) -> tuple[Requirement, ...]:
    """The new model's requirements of these names, which the legacy model asks alike."""
    return tuple(req for req in CLOSED_REQUIREMENTS if req.name in names)


LEGACY_OPEN_REQUIREMENTS = DRAFT_REQUIREMENTS + (
    *_shared("end_date_order"),
    Requirement("country", 1, "Enter the country", _has("country"), _legacy_located, "l_country"),
    Requirement("city", 1, "Enter the city", _has("city"), _legacy_located, "l_city"),
    Requirement(
        "state",
        1,
        "Enter the state",
        _has("state"),
        lambda a: _legacy_located(a) and a.country == UNITED_STATES,
        "l_state",
    ),
    Requirement(
        "reporting_year", 1, "Enter the reporting year (legacy record)", _has("reporting_year")
    ),
)

LEGACY_CLOSED_REQUIREMENTS = LEGACY_OPEN_REQUIREMENTS + (
    *_shared("providership", "joint_providers"),
    Requirement(
        "hours_of_instruction",
        3,
        "Enter the hours of instruction (legacy record)",
        _has("hours_of_instruction"),
    ),
    Requirement(
        "designed_competence",
        3,
        "Answer the designed-to-change and changes-evaluated questions (legacy record)",
        _flags_answered,
        key="legacy_flags",
    ),
    *_shared("commercial_support", "moc_registrations", "physician_learners", "other_learners"),
)


def requirements_for(activity: Any, stage: Status) -> tuple[Requirement, ...]:
    """What the activity needs to be Active (or Open, for a historical one) and Closed."""
    historical = is_historical(activity)
    if stage is Status.CLOSED:
        return LEGACY_CLOSED_REQUIREMENTS if historical else CLOSED_REQUIREMENTS
    return LEGACY_OPEN_REQUIREMENTS if historical else ACTIVE_REQUIREMENTS


def unmet(activity: Any, requirements: tuple[Requirement, ...]) -> list[Blocker]:
    """The requirements that apply to the activity and are not met, in form order; each
    message once."""
    blockers: dict[str, Blocker] = {}
    for req in requirements:
        if req.applies(activity) and not req.met(activity):
            blockers.setdefault(req.message, Blocker(req.field, req.step, req.message))
    return list(blockers.values())


def _ended(activity: Any, today: date) -> bool:
    return activity.end_date is not None and activity.end_date < today


def stored_stage(activity: Any, *, active_blockers: list[Blocker] | None = None) -> Status:
    """The part of the status that does not depend on the date, which is what is stored:
    Draft until steps 1-3 are complete, Closed once closed (``closed_at`` set), Active
    between. Stored Active is shown as Ready to Close once the end date has passed
    (shown_status), so no job has to move it on and no page read has to write.
    ``active_blockers``: what blocks Active, when the caller worked it out already."""
    if activity.closed_at is not None:
        return Status.CLOSED
    if active_blockers is None:
        active_blockers = unmet(activity, requirements_for(activity, Status.ACTIVE))
    return Status.DRAFT if active_blockers else Status.ACTIVE


def shown_status(stage: str | Status, end_date: date | None, *, today: date) -> Status:
    """The status a stored stage has on ``today``: Active turns Ready to Close the day after
    its end date."""
    stage = Status(stage)
    if stage is Status.ACTIVE and end_date is not None and end_date < today:
        return Status.READY_TO_CLOSE
    return stage


def derive_status(activity: Any, *, today: date) -> Status:
    """Draft until steps 1-3 are complete; then Active, or Ready to Close once the end date
    has passed. Closed only by the explicit act of closing (``closed_at`` set)."""
    return shown_status(stored_stage(activity), activity.end_date, today=today)


def blocking(activity: Any, *, today: date) -> dict[Status, list[Blocker]]:
    """For each status after the current one, what keeps the activity from it.

    Active is left out once the end date has passed: the activity can no longer be Active.
    An empty list under Closed means the activity can be closed now.
    """
    active = unmet(activity, requirements_for(activity, Status.ACTIVE))  # read once for both
    stage = stored_stage(activity, active_blockers=active)
    current = shown_status(stage, activity.end_date, today=today)
    ended = _ended(activity, today)
    waiting = []
    if activity.end_date is not None and not ended:
        message = f"Wait until the end date ({activity.end_date:%m/%d/%Y}) has passed"
        waiting.append(Blocker("end_date", 1, message))
    result: dict[Status, list[Blocker]] = {}
    for status in STATUS_ORDER[STATUS_ORDER.index(current) + 1 :]:
        if status is Status.ACTIVE:
            if not ended:
                result[status] = active
        elif status is Status.READY_TO_CLOSE:
            result[status] = active + waiting
        else:
            result[status] = unmet(activity, requirements_for(activity, Status.CLOSED)) + waiting
    return result


def can_close(activity: Any, *, today: date) -> bool:
    """An activity closes when it is Ready to Close and nothing blocks Closed."""
    return derive_status(activity, today=today) is Status.READY_TO_CLOSE and not unmet(
        activity, requirements_for(activity, Status.CLOSED)
    )


def next_step(activity: Any, *, today: date) -> tuple[Status, list[Blocker]] | None:
    """The nearest status still ahead of the activity and what blocks it; None when closed."""
    ahead = blocking(activity, today=today)
    return next(iter(ahead.items()), None)


def change_refusal(activity: Any, *, to: str = "change it") -> str | None:
    """Why the activity can no longer be changed, or None. A closed activity is read-only:
    its record, its learners and its totals, until an administrator reopens it (domain.md
    section 3). Every write, page and template asks this one rule."""
    if activity.closed_at is not None:
        return f"This activity is closed and read-only. An administrator can reopen it to {to}."
    return None


def delete_refusal(activity: Any, *, learner_completions: int) -> str | None:
    """Why the activity may not be deleted, or None. Closed activities and activities with
    individual learners reported stay (domain.md section 3); planned activities that never
    took place are deleted, not closed."""
    if activity.closed_at is not None:
        return "A closed activity cannot be deleted. An administrator can reopen it first."
    if learner_completions:
        return (
            f"This activity has {learner_completions} individual learner completion(s) "
            "reported and cannot be deleted. Delete the learners first."
        )
    return None


def close_refusal(activity: Any, *, today: date) -> str | None:
    """Why the activity cannot be closed now, or None when it can."""
    if activity.closed_at is not None:
        return "This activity is already closed."
    if can_close(activity, today=today):
        return None
    needs = [b.message for b in blocking(activity, today=today).get(Status.CLOSED, [])]
    return "This activity cannot be closed yet: " + "; ".join(needs) + "."


# What the list shows under each badge, stored at every save so a page of rows needs no child
# rows: the names of the requirements that block the stage after the stored one (Draft: those of
# Active; Active: those of Closed). The date-only "wait for the end date" is worked out from the
# end date when shown, so nothing stored goes stale as days pass.
REQUIREMENTS_BY_NAME = {req.name: req for req in CLOSED_REQUIREMENTS + LEGACY_CLOSED_REQUIREMENTS}
_AHEAD = {Status.DRAFT: Status.ACTIVE, Status.ACTIVE: Status.CLOSED}


def next_blockers_to_store(activity: Any) -> str:
    stage = stored_stage(activity)
    ahead = requirements_for(activity, _AHEAD[stage]) if stage in _AHEAD else ()
    unmet_names = [req.name for req in ahead if req.applies(activity) and not req.met(activity)]
    return ",".join(dict.fromkeys(unmet_names))


def stored_next_step(activity: Any, *, today: date) -> tuple[Status, list[Blocker]] | None:
    """next_step() read from the stored stage and blockers: the same answer, without the
    child rows (tests/activities/test_rules_stored.py holds the two together)."""
    status = shown_status(activity.stage, activity.end_date, today=today)
    names = [n for n in (activity.next_blockers or "").split(",") if n in REQUIREMENTS_BY_NAME]
    stored = [Blocker(r.field, r.step, r.message) for r in map(REQUIREMENTS_BY_NAME.get, names)]
    ended = _ended(activity, today)
    waiting = []
    if activity.end_date is not None and not ended:
        message = f"Wait until the end date ({activity.end_date:%m/%d/%Y}) has passed"
        waiting.append(Blocker("end_date", 1, message))
    if status is Status.DRAFT:
        return (Status.READY_TO_CLOSE if ended else Status.ACTIVE), stored
    if status is Status.ACTIVE:
        return Status.READY_TO_CLOSE, waiting
    if status is Status.READY_TO_CLOSE:
        return Status.CLOSED, stored
    return None
