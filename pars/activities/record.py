"""One activity record checked whole, without a form, for the importers and the API.

A record comes in as plain values in the stored vocabulary (the keys of
``operations.apply_values``; numbers may still be text). It is laid out as the step forms hold
their answers, each value is held to the limits and choices the form's fields enforce, and then
pars.activities.steps judges the answers and says what each step stores: the same rules the entry
form applies, at a small fraction of a form's cost, which is what lets a file of 10,000
activities be checked in about the time it takes to read it.
"""

from datetime import date
from typing import Any

from pars.activities.sections import Answers, applicable_sections
from pars.activities.steps import PLACE, STEPS, Problems, answers_with, as_yes_no
from pars.core import validation
from pars.vocab import (
    COMMENDATION_TAGS,
    COUNTRIES,
    MOC_CREDIT_TYPES,
    NEW_PARS_LIVE,
    PRACTICE_AREAS,
    TEXT_LIMITS,
    ActivityFormat,
    DeliveryMethod,
    Fee,
    MeasurementType,
    MocBoard,
    Outcome,
    Providership,
    Registration,
    RemsType,
    SupportKind,
)

MAX_ROWS = 50  # instances, joint providers, support sources or boards in one activity
MEASURES = tuple(f"{o.value}|{m.value}" for o in Outcome for m in MeasurementType)
ALL_CREDIT_TYPES = tuple(sorted({t for types in MOC_CREDIT_TYPES.values() for t in types}))
YES_NO = ("yes", "no")
# The values each constrained field takes, from pars.vocab (blank is always allowed).
CHOICES: dict[str, tuple[str, ...]] = {
    "format": tuple(ActivityFormat),
    "delivery_methods": tuple(DeliveryMethod),
    "country": tuple(COUNTRIES),
    "repeats": YES_NO,
    "in_cme_passport": YES_NO,
    "registration": tuple(Registration),
    "fee": tuple(Fee),
    "moc": YES_NO,
    "mips": YES_NO,
    "rems": YES_NO,
    "providership": tuple(Providership),
    "outcomes": tuple(Outcome),
    "measures": MEASURES,
    "commercial_support": YES_NO,
    "support_kinds": tuple(SupportKind),
    "commendation": YES_NO,
    "commendation_tags": COMMENDATION_TAGS,
    "board": tuple(MocBoard),
    "credit_types": ALL_CREDIT_TYPES,
    "practice_areas": PRACTICE_AREAS,
    "rems_type": tuple(RemsType),
}
CHOICE_SETS = {name: frozenset(values) for name, values in CHOICES.items()}
ROW_GROUPS = ("instances", "joint_providers", "monetary", "in_kind", "moc_registrations")


def too_long(name: str) -> str:
    return f"Keep it to {TEXT_LIMITS[name]:,} characters."


def check(values: dict) -> tuple[list[dict], Problems]:
    """What each of the four steps stores for ``values``, and every problem (path, message)."""
    steps, found = step_data(values)
    for data in steps:
        found += validation.text_problems(data)
    found += field_problems(steps)
    answers = Answers(historical=historical(values))
    for data in steps:
        answers = answers_with(answers, data)
    sections = applicable_sections(answers)
    stored = []
    for data, (problems, stored_values) in zip(steps, STEPS, strict=True):
        found += problems(data, sections)
        stored.append(stored_values(data, sections))
    return stored, found


def historical(values: dict) -> bool:
    """A legacy record that ended before the new PARS (pars.activities.status.is_historical)."""
    end = values.get("end_date")
    return bool(values.get("legacy_record")) and isinstance(end, date) and end < NEW_PARS_LIVE


def step_data(values: dict) -> tuple[list[dict], Problems]:
    """The four steps' answers as the forms hold them, and the numbers and dates that could
    not be read."""
    found: Problems = []
    own = {name: values.get(name) for name in PLACE}
    repeats = values.get("repeats")
    basics = {
        "title": values.get("title") or "",
        "format": values.get("format") or "",
        "delivery_methods": list(values.get("delivery_methods") or ()),
        "repeats": as_yes_no(repeats),
        **({name: None for name in PLACE} if repeats else own),
        "instances": [own, *values.get("repeat_instances", [])] if repeats else [],
    }
    learner = {name: values.get(name) for name in ("description", "registration", "fee", "url")}
    learner |= {
        "ama_credits": credits(values.get("ama_credits"), "ama_credits", found),
        **{
            name: as_yes_no(values.get(name)) for name in ("in_cme_passport", "moc", "mips", "rems")
        },
    }
    collaborations = {
        "moc_registrations": [
            board(row, f"moc_registrations-{n}-", found)
            for n, row in enumerate(values.get("moc_registrations") or [])
        ],
        "moc_attested": bool(values.get("moc_attested")),
        "mips_attested": bool(values.get("mips_attested")),
        "rems_type": values.get("rems_type"),
    }
    return [basics, learner, accreditation(values, found), collaborations], found


def accreditation(values: dict, found: Problems) -> dict:
    sources = values.get("support_sources") or []
    outcomes = values.get("outcomes") or []
    money = [s for s in sources if s.get("kind") == SupportKind.MONETARY]
    return {
        "internal_id": values.get("internal_id"),
        "accme_activity_id": values.get("accme_activity_id"),
        "providership": values.get("providership"),
        "joint_providers": list(values.get("joint_providers") or ()),
        "outcomes": [o for o, _, _ in outcomes],
        "measures": [
            f"{o}|{kind}"
            for o, objective, subjective in outcomes
            for kind, on in (("Objective", objective), ("Subjective", subjective))
            if on
        ],
        "commercial_support": as_yes_no(values.get("commercial_support")),
        "support_kinds": sorted({s.get("kind") for s in sources if s.get("kind")}),
        "monetary": [
            {
                "source": s.get("source") or "",
                "amount": amount(s.get("amount"), f"monetary-{n}-amount", found),
            }
            for n, s in enumerate(money)
        ],
        "in_kind": [
            {"source": s.get("source") or ""}
            for s in sources
            if s.get("kind") == SupportKind.IN_KIND
        ],
        "commendation": as_yes_no(values.get("commendation")),
        "commendation_tags": list(values.get("commendation_tags") or ()),
    }


def board(row: dict, prefix: str, found: Problems) -> dict:
    return {
        "board": row.get("board") or "",
        "points": credits(row.get("points"), prefix + "points", found),
        "claim_date": day(row.get("claim_date"), prefix + "claim_date", found),
        "credit_types": list(row.get("credit_types") or ()),
        "practice_areas": list(row.get("practice_areas") or ()),
    }


def credits(value: Any, path: str, found: Problems) -> float | None:
    return parsed(validation.parse_credits, value, path, found)


def amount(value: Any, path: str, found: Problems) -> int | None:
    return parsed(validation.parse_amount, value, path, found)


def parsed(parse, value: Any, path: str, found: Problems):
    if value is None or value == "":
        return None
    text = f"{value:g}" if isinstance(value, float) else str(value)
    result, error = parse(text)
    if error:
        found.append((path, error))
    return result


def day(value: Any, path: str, found: Problems) -> date | None:
    if value is None or value == "" or isinstance(value, date):
        return value or None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        found.append((path, f"{value} is not a date (YYYY-MM-DD)."))
        return None


def field_problems(steps: list[dict]) -> Problems:
    """What the form's fields refuse before any rule runs: a missing title, text too long,
    a value that is not one of the choices, too many rows."""
    found: Problems = []
    if not (steps[0]["title"] or "").strip():
        found.append(("title", "Enter the activity title."))
    for data in steps:
        found += fields_of(data, "")
        for group in ROW_GROUPS:
            rows = data.get(group)
            if rows is None:
                continue
            if len(rows) > MAX_ROWS:
                found.append((group, f"At most {MAX_ROWS} rows."))
            for n, row in enumerate(rows):
                found += (
                    fields_of(row, f"{group}-{n}-")
                    if isinstance(row, dict)
                    else value_problems(group, row, f"{group}-{n}")
                )
    return found


def fields_of(data: dict, prefix: str) -> Problems:
    found: Problems = []
    for name, value in data.items():
        if name not in ROW_GROUPS:
            found += value_problems(name, value, prefix + name)
    return found


def value_problems(name: str, value: Any, path: str) -> Problems:
    if value in (None, "", []):
        return []
    if name in TEXT_LIMITS and isinstance(value, str) and len(value) > TEXT_LIMITS[name]:
        return [(path, too_long(name))]
    allowed = CHOICE_SETS.get(name)
    if allowed is None:
        return []
    chosen = value if isinstance(value, list) else [value]
    return [
        (path, f"{v} is not a valid choice.")
        for v in chosen
        if not isinstance(v, str) or (v and v not in allowed)
    ]
