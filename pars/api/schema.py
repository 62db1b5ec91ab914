"""The API's activity JSON: snake_case names, ISO dates, the vocabulary's display strings, the
computed status and what blocks each status not yet reached; and reading a request body back
into the plain values the import checker takes (pars.uploads.kinds.activity_records)."""

from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)

from pars.activities import status as activity_status
from pars.activities.steps import LOCATION_FIELDS
from pars.models import MAX_ID, Activity
from pars.vocab import LEGACY_FIELDS, MAX_LEARNERS


class Item(BaseModel):
    """One element of a list field, its JSON types checked strictly (no "5" for 5)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class OccurrenceItem(Item):
    start_date: StrictStr | None = None
    end_date: StrictStr | None = None
    country: StrictStr | None = None
    city: StrictStr | None = None
    state: StrictStr | None = None
    postal_code: StrictStr | None = None


class MocRegistrationItem(Item):
    board: StrictStr | None = None
    points: StrictInt | StrictFloat | None = None
    claim_date: StrictStr | None = None
    credit_types: list[StrictStr] = []
    practice_areas: list[StrictStr] = []


class OutcomeItem(Item):
    outcome: StrictStr | None = None
    objective: StrictBool | None = None
    subjective: StrictBool | None = None


class SupportSourceItem(Item):
    kind: StrictStr | None = None
    source: StrictStr | None = None
    amount: StrictInt | None = None


Number = StrictInt | StrictFloat


class ActivityBody(Item):
    """The writable fields of an activity, each with the JSON type it must have (null for
    "not answered"): the API's request body, and the OpenAPI document's Activity schema. A
    client may send back what it read: the read-only fields are accepted and left alone."""

    title: StrictStr | None = None
    format: StrictStr | None = None
    start_date: StrictStr | None = None
    end_date: StrictStr | None = None
    delivery_methods: list[StrictStr] | None = None
    country: StrictStr | None = None
    city: StrictStr | None = None
    state: StrictStr | None = None
    postal_code: StrictStr | None = None
    repeat_instances: list[OccurrenceItem] | None = None
    ama_credits: Number | None = None
    in_cme_passport: StrictBool | None = None
    registration: StrictStr | None = None
    fee: StrictStr | None = None
    url: StrictStr | None = None
    description: StrictStr | None = None
    moc: StrictBool | None = None
    mips: StrictBool | None = None
    rems: StrictBool | None = None
    rems_type: StrictStr | None = None
    moc_attested: StrictBool | None = None
    mips_attested: StrictBool | None = None
    moc_registrations: list[MocRegistrationItem] | None = None
    internal_id: StrictStr | None = None
    accme_activity_id: StrictStr | None = None
    providership: StrictStr | None = None
    joint_providers: list[StrictStr] | None = None
    outcomes: list[OutcomeItem] | None = None
    commercial_support: StrictBool | None = None
    support_sources: list[SupportSourceItem] | None = None
    commendation: StrictBool | None = None
    commendation_tags: list[StrictStr] | None = None
    physician_learners: StrictInt | None = None
    other_learners: StrictInt | None = None


class ReadBack(ActivityBody):
    """A body may carry what a read gave besides (the version is the one a PATCH needs)."""

    id: Any = None
    status: Any = None
    blocking: Any = None
    historical: Any = None
    legacy: Any = None
    version: Annotated[StrictInt, Field(ge=1, le=MAX_ID)] | None = None


class LearnerCountsBody(Item):
    """PUT .../learner-counts: both totals at once, on the version read."""

    physician_learners: Annotated[StrictInt, Field(ge=0, le=MAX_LEARNERS)]
    other_learners: Annotated[StrictInt, Field(ge=0, le=MAX_LEARNERS)]
    version: Annotated[StrictInt, Field(ge=1, le=MAX_ID)]


WRITABLE = list(ActivityBody.model_fields)
LISTS = [n for n, f in ActivityBody.model_fields.items() if "list" in str(f.annotation)]
PLAIN = [name for name in WRITABLE if name not in LISTS]
READ_ONLY = ("id", "status", "blocking", "version", "historical", "legacy")


def path_of(location: tuple) -> str:
    """A pydantic location as the path the API's errors give ("outcomes[0].outcome")."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def problems(model: type[BaseModel], body: Any) -> list[tuple[str, str, str]]:
    """Each way ``body`` is not ``model``: (path, message, pydantic's kind of error)."""
    try:
        model.model_validate(body)
    except ValidationError as error:
        found = []
        for e in error.errors(include_url=False):
            message = "Unknown field." if e["type"] == "extra_forbidden" else e["msg"] + "."
            found.append((path_of(e["loc"]), message, e["type"]))
        return found
    return []


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def activity_json(activity: Activity, *, today: date) -> dict[str, Any]:
    data = {"id": activity.id} | {name: getattr(activity, name) for name in PLAIN}
    data |= {"start_date": iso(activity.start_date), "end_date": iso(activity.end_date)}
    return data | {
        "delivery_methods": [d.method for d in activity.delivery_methods],
        "repeat_instances": [
            {
                "start_date": iso(r.start_date),
                "end_date": iso(r.end_date),
                "country": r.country,
                "city": r.city,
                "state": r.state,
                "postal_code": r.postal_code,
            }
            for r in sorted(activity.repeat_instances, key=lambda r: r.position)
        ],
        "moc_registrations": [
            {
                "board": m.board,
                "points": m.points,
                "claim_date": iso(m.claim_date),
                "credit_types": [c.credit_type for c in m.credit_types],
                "practice_areas": [p.practice_area for p in m.practice_areas],
            }
            for m in activity.moc_registrations
        ],
        "joint_providers": [j.name for j in activity.joint_providers],
        "outcomes": [
            {"outcome": o.outcome, "objective": o.objective, "subjective": o.subjective}
            for o in activity.outcomes
        ],
        "support_sources": [
            {"kind": s.kind, "source": s.source, "amount": s.amount}
            for s in activity.support_sources
        ],
        "commendation_tags": [t.tag for t in activity.commendation_tags],
        "status": activity.status_on(today),
        "version": activity.version,
        # Judged by the legacy model, and what its legacy record holds (read only).
        "historical": activity_status.is_historical(activity),
        "legacy": {name: getattr(activity, name) for name in LEGACY_FIELDS}
        if activity.legacy_record
        else None,
        "blocking": {
            status.value: [
                {"field": b.field, "step": b.step, "message": b.message} for b in blockers
            ]
            for status, blockers in activity_status.blocking(activity, today=today).items()
        },
    }


def type_errors(body: Any) -> list[tuple[str, str]]:
    """Unknown fields and wrong JSON types, each with its path."""
    if not isinstance(body, dict):
        return [("", "The body must be a JSON object of activity fields.")]
    return [(path, message) for path, message, _ in problems(ReadBack, body)]


def values_of(data: dict) -> tuple[dict, list[tuple[str, str]]]:
    """A (type-checked) body as the import checker's plain values, and unreadable dates."""
    values, errors = {name: data.get(name) for name in WRITABLE}, []
    for name in ("start_date", "end_date"):
        values[name], error = parse_day(values[name])
        if error:
            errors.append((name, error))
    values["outcomes"] = [
        (o.get("outcome"), bool(o.get("objective")), bool(o.get("subjective")))
        for o in values["outcomes"] or []
        if isinstance(o, dict)
    ]
    values["support_sources"] = [
        {"kind": s.get("kind"), "source": s.get("source") or "", "amount": s.get("amount")}
        for s in values["support_sources"] or []
        if isinstance(s, dict)
    ]
    values["moc_registrations"] = [
        {
            "board": m.get("board"),
            "points": m.get("points"),
            "claim_date": m.get("claim_date"),
            "credit_types": list(m.get("credit_types") or []),
            "practice_areas": list(m.get("practice_areas") or []),
        }
        for m in values["moc_registrations"] or []
        if isinstance(m, dict)
    ]
    values["repeat_instances"] = occurrences(values["repeat_instances"] or [], errors)
    for name in ("delivery_methods", "joint_providers", "commendation_tags"):
        values[name] = [str(v) for v in values[name] or []]
    # Occurrences after the first make a repeating course (the form's "occurs more than once").
    repeats = True if values["repeat_instances"] else None
    return values | {"repeats": repeats, "record_action": None, "close": False}, errors


def occurrences(given: list, errors: list) -> list[dict]:
    """The repeat instances of a body, their dates read (an unreadable one is named)."""
    found = []
    for index, item in enumerate(i for i in given if isinstance(i, dict)):
        place = {name: item.get(name) for name in LOCATION_FIELDS}
        for name in ("start_date", "end_date"):
            place[name], error = parse_day(item.get(name))
            if error:
                errors.append((f"repeat_instances[{index}].{name}", error))
        found.append(place)
    return found


def parse_day(text: str | None) -> tuple[date | None, str | None]:
    try:
        return (date.fromisoformat(text) if text else None), None
    except ValueError:
        return None, "Write the date as YYYY-MM-DD."
