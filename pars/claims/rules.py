"""The rules of a learner's own claim of credit, as pure functions over plain values (no Flask,
no database): the claim window, the attendance code, the credits a learner may claim, who a
claim belongs to, the questions of an activity's evaluation and their summary."""

import secrets
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pars.vocab import (
    AMA_STATEMENT,
    ANSWER_LABELS,
    ATTENDANCE_CODE_LENGTH,
    CLAIM_DAYS_AFTER_END,
    CODE_ALPHABET,
    LIKERT_POINTS,
    ActivityFormat,
    QuestionKind,
)

# Formats whose learners are in a room (or on a call) together: they confirm attendance with
# the code shown there. For the others an attendance code is optional.
LIVE_FORMATS = {ActivityFormat.LIVE_COURSE, ActivityFormat.RSS}
SLUG_LENGTH = 8
CERTIFICATE_CODE_GROUPS = 3  # XXXX-XXXX-XXXX: 60 bits, read over the phone without mistakes


def is_live(activity_format: str | None) -> bool:
    return activity_format in LIVE_FORMATS


def random_text(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_slug() -> str:
    """The short part of a claim link's URL (/c/<slug>), lower case to type from a slide."""
    return random_text(SLUG_LENGTH).lower()


def new_attendance_code() -> str:
    return random_text(ATTENDANCE_CODE_LENGTH)


def new_certificate_code() -> str:
    return "-".join(random_text(4) for _ in range(CERTIFICATE_CODE_GROUPS))


def normal_code(text: str) -> str:
    """A code as typed, compared without case, spaces or dashes (O and 0 read alike)."""
    cleaned = "".join(text.split()).replace("-", "").upper()
    return cleaned.replace("0", "O").replace("1", "I")


def attendance_code_error(text: str) -> str | None:
    """An attendance code staff set: 4 to 12 letters and digits."""
    code = "".join(text.split()).upper()
    if not (4 <= len(code) <= 12 and code.isalnum() and code.isascii()):
        return "An attendance code has 4 to 12 letters and digits."
    return None


def default_window(activity_format: str | None, start: date, end: date) -> tuple[date, date]:
    """From the start date to 30 days after the end (an enduring material: until its end)."""
    if activity_format == ActivityFormat.ENDURING:
        return start, end
    return start, end + timedelta(days=CLAIM_DAYS_AFTER_END)


def window_refusal(opens_on: date, closes_on: date, stopped: bool, *, today: date) -> str | None:
    """Why claims are not taken today, in the learner's words (None: they are)."""
    if stopped or today > closes_on:
        return "Claims for this activity are closed. Contact the provider if you attended."
    if today < opens_on:
        return f"Claims for this activity open on {opens_on:%m/%d/%Y}."
    return None


def reopened_window(opens_on: date, closes_on: date, *, today: date) -> tuple[date, date]:
    """A window opened again runs from today at the latest to 30 days from today at least."""
    return min(opens_on, today), max(closes_on, today + timedelta(days=CLAIM_DAYS_AFTER_END))


def window_error(opens_on: date | None, closes_on: date | None) -> str | None:
    if opens_on and closes_on and closes_on < opens_on:
        return "The window closes before it opens: the closing date must be on or after it."
    return None


def credits_error(maximum: float | None, credits: float | None) -> str | None:
    """More than nothing, no more than the activity offers (the credits field itself takes
    only quarter steps, as every credit field does)."""
    if maximum is None:
        return "This activity has no credit to claim."
    if credits is None:
        return "Enter the credits you claim."
    if credits > maximum:
        return f"This activity offers at most {maximum:g} credits: claim no more than that."
    return None


def identity_key(first_name: str, last_name: str, birth_month_day: str) -> str:
    """Who a claim belongs to: one claim per learner per link, whatever the case or spacing."""
    words = (" ".join(part.split()).lower() for part in (first_name, last_name))
    return "|".join((*words, birth_month_day.strip()))


def identifier_of(license_number: str | None, npi: str | None) -> str:
    """What the learner must give again to see a certificate of a repeated claim."""
    return "".join((npi or license_number or "").split()).upper()


def completion_day(
    activity_format: str | None,
    start: date | None,
    end: date | None,
    session_date: date | None,
    *,
    today: date,
) -> date:
    """The day a claim's completion is dated: the session of a series; a live activity's end,
    or today while it runs; today for the others (within the activity's dates)."""
    if session_date is not None:
        return session_date
    day = today
    if end is not None and day > end:
        day = end
    if start is not None and day < start:
        day = start
    return day


@dataclass(frozen=True)
class Question:
    id: int
    text: str
    kind: str
    outcome: str | None = None
    moc_only: bool = False

    @property
    def required(self) -> bool:
        return self.kind != QuestionKind.TEXT


def questionnaire(bank: list[Any], outcomes: set[str], *, moc: bool) -> list[Question]:
    """The activity's evaluation from the provider's bank: the questions for every activity,
    those of the outcomes the activity measures, and the MOC feedback question for MOC."""
    chosen = []
    for row in bank:
        if row.retired:
            continue
        if row.outcome and row.outcome not in outcomes:
            continue
        if row.moc_only and not moc:
            continue
        chosen.append(Question(row.id, row.text, row.kind, row.outcome, row.moc_only))
    return chosen


def answer_error(question: Question, value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return "Answer this question." if question.required else None
    if question.kind == QuestionKind.LIKERT and value not in {str(p) for p, _ in LIKERT_POINTS}:
        return "Choose one of the five answers."
    if question.kind == QuestionKind.YES_NO and value not in ("yes", "no"):
        return "Answer yes or no."
    if len(value) > 2000:
        return "Keep the answer under 2,000 characters."
    return None


@dataclass
class QuestionSummary:
    question: str
    kind: str
    answers: int = 0
    mean: float | None = None
    counts: Counter = field(default_factory=Counter)
    texts: list[str] = field(default_factory=list)


def summarize(answers: list[tuple[str, str, str | None]]) -> list[QuestionSummary]:
    """(question, kind, value) of every answer -> one summary a question, in the order first
    asked: counts and the mean of the 1-5 answers, yes/no counts, free text listed."""
    found: dict[tuple[str, str], QuestionSummary] = {}
    points: dict[tuple[str, str], list[int]] = {}
    for question, kind, value in answers:
        summary = found.setdefault((question, kind), QuestionSummary(question, kind))
        if not value:
            continue
        summary.answers += 1
        if kind == QuestionKind.TEXT:
            summary.texts.append(value)
        else:
            summary.counts[value] += 1
            if kind == QuestionKind.LIKERT and value.isdigit():
                points.setdefault((question, kind), []).append(int(value))
    for key, values in points.items():
        found[key].mean = round(statistics.fmean(values), 2)
    return list(found.values())


# How the AMA's designation statement names each format.
DESIGNATED_AS = {
    ActivityFormat.LIVE_COURSE: "live activity",
    ActivityFormat.RSS: "live activity",
    ActivityFormat.ENDURING: "enduring material",
    ActivityFormat.JOURNAL: "journal-based CME activity",
}


def designation(provider: str, activity_format: str | None, credits: float | None) -> str:
    """The AMA PRA credit designation statement of the activity."""
    return AMA_STATEMENT.format(
        provider=provider,
        format=DESIGNATED_AS.get(activity_format, "activity"),
        credits=f"{credits or 0:g}",
    )


def dates_text(start: date | None, end: date | None, session_date: date | None = None) -> str:
    if session_date is not None:
        return f"Session of {session_date:%m/%d/%Y}"
    if start is None or end is None:
        return ""
    if start == end:
        return f"{start:%m/%d/%Y}"
    return f"{start:%m/%d/%Y} - {end:%m/%d/%Y}"


SUMMARY_HEADER = ["Question", "Answered as", "Answers", "Mean (1-5)", "Counts", "Free text"]


def summary_table(summaries: list[QuestionSummary]) -> list[list]:
    """The evaluation summary as rows of a sheet: one a question (counts by answer), then one
    a free-text answer."""
    rows = [SUMMARY_HEADER]
    for s in summaries:
        counts = "; ".join(
            f"{ANSWER_LABELS.get(value, value)}: {n}" for value, n in sorted(s.counts.items())
        )
        rows.append([s.question, s.kind, s.answers, s.mean, counts, None])
        rows += [[s.question, s.kind, None, None, None, text] for text in s.texts]
    return rows
