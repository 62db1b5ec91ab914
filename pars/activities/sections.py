"""Which questions of the activity form apply, given the answers so far (domain.md section 2).

Pure: the form's validator, the full page and the htmx section fragments all ask this one
function, so what is shown, what is required and what is refused can never disagree.
"""

from dataclasses import dataclass
from datetime import date

from pars.vocab import (
    DELIVERY_BY_FORMAT,
    MOC_BOARD_SINCE,
    ActivityFormat,
    DeliveryMethod,
    MocBoard,
    Providership,
    SupportKind,
)


@dataclass(frozen=True)
class Answers:
    """The answers that open or close other questions, as plain values."""

    format: str | None = None
    delivery_methods: frozenset[str] = frozenset()
    repeats: bool | None = None
    in_cme_passport: bool | None = None
    moc: bool | None = None
    mips: bool | None = None
    rems: bool | None = None
    providership: str | None = None
    commercial_support: bool | None = None
    support_kinds: frozenset[str] = frozenset()
    commendation: bool | None = None
    start_date: date | None = None  # some boards take activities only from a date on
    # A historical activity (pars.activities.status.is_historical): the legacy model asks no
    # measurement type of its outcomes (legacy records do not say how changes were measured).
    historical: bool = False


@dataclass(frozen=True)
class Sections:
    """One flag per conditional group of questions: True when it is asked."""

    delivery: bool = False  # where the activity takes place (Live Course, RSS, Enduring)
    repeat_question: bool = False  # "Does this activity occur more than once...?"
    location: bool = False  # country, city, state, ZIP (in person, not repeating)
    instances: bool = False  # one row of dates and location per occurrence
    instance_location: bool = False  # each occurrence's place (repeating and in person)
    dates: bool = True  # the activity's own start and end date (not when repeating)
    listing: bool = False  # who can register, fee, URL
    joint_providers: bool = False
    support_kinds: bool = False  # Monetary and/or In-kind
    monetary: bool = False
    in_kind: bool = False
    commendation_tags: bool = False
    moc_details: bool = False
    mips_details: bool = False
    rems_details: bool = False
    moc_boards: tuple[MocBoard, ...] = tuple(MocBoard)  # the boards the start date allows
    measurement_types: bool = True  # each outcome measured Objective and/or Subjective


def applicable_sections(answers: Answers) -> Sections:
    """The conditional questions the answers open (and, by omission, close)."""
    try:
        fmt = ActivityFormat(answers.format) if answers.format else None
    except ValueError:
        fmt = None
    has_delivery = fmt in DELIVERY_BY_FORMAT
    in_person = has_delivery and DeliveryMethod.IN_PERSON in answers.delivery_methods
    # Only a Live Course repeats with the same content; an RSS is one activity per series.
    repeat_question = fmt is ActivityFormat.LIVE_COURSE
    repeating = repeat_question and answers.repeats is True
    support = answers.commercial_support is True
    return Sections(
        moc_boards=boards_for(answers.start_date),
        delivery=has_delivery,
        repeat_question=repeat_question,
        location=in_person and not repeating,
        instances=repeating,
        instance_location=repeating and in_person,
        dates=not repeating,
        listing=bool(answers.in_cme_passport or answers.moc or answers.rems),
        joint_providers=answers.providership == Providership.JOINT,
        support_kinds=support,
        monetary=support and SupportKind.MONETARY in answers.support_kinds,
        in_kind=support and SupportKind.IN_KIND in answers.support_kinds,
        commendation_tags=answers.commendation is True,
        moc_details=answers.moc is True,
        mips_details=answers.mips is True,
        rems_details=answers.rems is True,
        measurement_types=not answers.historical,
    )


def boards_for(start: date | None) -> tuple[MocBoard, ...]:
    """The MOC boards an activity starting on ``start`` can be registered with (all of them
    while the start date is unknown)."""
    return tuple(
        board
        for board in MocBoard
        if start is None or board not in MOC_BOARD_SINCE or start >= MOC_BOARD_SINCE[board]
    )
