"""The API's activity JSON: snake_case names, ISO dates, the vocabulary's display strings, the
computed status and what blocks each status not yet reached; and reading a request body back
into the plain values the import checker takes (pars.uploads.kinds.activity_records)."""

from datetime import date
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
)

from pars.activities import status as activity_status
from pars.activities.steps import LOCATION_FIELDS
from pars.models import Activity

# Writable fields -> the JSON type each must have (checked before any rule runs).
WRITABLE: dict[str, tuple[type, ...]] = {
    "title": (str,),
    "format": (str,),
    "start_date": (str,),
    "end_date": (str,),
    "delivery_methods": (list,),
    "country": (str,),
    "city": (str,),
    "state": (str,),
    "postal_code": (str,),
    "repeat_instances": (list,),
    "ama_credits": (int, float),
    "in_cme_passport": (bool,),
    "registration": (str,),
    "fee": (str,),
    "url": (str,),
    "description": (str,),
    "moc": (bool,),
    "mips": (bool,),
    "rems": (bool,),
    "rems_type": (str,),
    "moc_attested": (bool,),
    "mips_attested": (bool,),
    "moc_registrations": (list,),
    "internal_id": (str,),
    "accme_activity_id": (str,),
    "providership": (str,),
    "joint_providers": (list,),
    "outcomes": (list,),
    "commercial_support": (bool,),
    "support_sources": (list,),
    "commendation": (bool,),
    "commendation_tags": (list,),
    "physician_learners": (int,),
    "other_learners": (int,),
}
READ_ONLY = ("id", "status", "blocking", "version")


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


# What the elements of each list field are: checked on every request, and written into the
# OpenAPI document, so a client knows each array's shape.
ITEMS: dict[str, TypeAdapter] = {
    "delivery_methods": TypeAdapter(list[StrictStr]),
    "repeat_instances": TypeAdapter(list[OccurrenceItem]),
    "moc_registrations": TypeAdapter(list[MocRegistrationItem]),
    "joint_providers": TypeAdapter(list[StrictStr]),
    "outcomes": TypeAdapter(list[OutcomeItem]),
    "support_sources": TypeAdapter(list[SupportSourceItem]),
    "commendation_tags": TypeAdapter(list[StrictStr]),
}


def item_errors(name: str, value: list) -> list[tuple[str, str]]:
    """Each element of a list field that is not of its shape, by path ("outcomes[0].outcome")."""
    try:
        ITEMS[name].validate_python(value)
    except ValidationError as error:
        return [
            (
                name + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e["loc"]),
                e["msg"],
            )
            for e in error.errors(include_url=False)
        ]
    return []


PLAIN = [name for name, kinds in WRITABLE.items() if list not in kinds]


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
    errors = []
    for name, value in body.items():
        if name in READ_ONLY:
            continue
        if name not in WRITABLE:
            errors.append((name, "Unknown field."))
        elif value is not None and (
            not isinstance(value, WRITABLE[name])
            or isinstance(value, bool)
            and bool not in WRITABLE[name]
        ):
            kinds = " or ".join(k.__name__ for k in WRITABLE[name])
            errors.append((name, f"Must be {kinds.replace('str', 'a string')} or null."))
        elif name in ITEMS and value is not None:
            errors += item_errors(name, value)
    return errors


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
