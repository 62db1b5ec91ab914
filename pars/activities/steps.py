"""The rules of the five-step activity form that join one answer to another, and what each step
stores, on plain values (domain.md section 2).

Pure: a step's answers come in as the form holds them (``form.data``: field name -> value,
rows as lists of dicts, yes/no as "yes"/"no"). The entry form, the importers and the API all
call these functions, so a record is judged the same way whichever door it comes through.
Problems come back as (path, message): the path is the form's field name, "group-2-field"
for a field of a row, or the group's name for the rows as a whole.
"""

from typing import Any

from pars.activities.sections import Answers, Sections
from pars.core import validation
from pars.vocab import (
    DELIVERY_BY_FORMAT,
    MOC_BOARD_SINCE,
    MOC_CREDIT_TYPES,
    UNITED_STATES,
    US_STATES,
    SupportKind,
)

NOT_ASKED = "This question does not apply to the answers above: clear it or change them."
LOCATION_FIELDS = ("country", "city", "state", "postal_code")
PLACE = ("start_date", "end_date", *LOCATION_FIELDS)  # one occurrence: its dates and where
PROGRAMS = ("moc", "mips", "rems")
Problems = list[tuple[str, str]]


def yes_no(answer: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(answer)


def as_yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def answered(value: Any) -> bool:
    """True when a question (or any field of its rows) holds an answer."""
    if isinstance(value, dict):
        return any(answered(v) for v in value.values())
    if isinstance(value, list):
        return any(answered(v) for v in value)
    return value not in (None, "", False)


def refused(asked: bool, data: dict, *names: str, prefix: str = "") -> Problems:
    """Answers to questions the other answers do not open."""
    if asked:
        return []
    return [(prefix + name, NOT_ASKED) for name in names if answered(data.get(name))]


def problem(path: str, message: str | None) -> Problems:
    return [(path, message)] if message else []


def answers_with(base: Answers, data: dict) -> Answers:
    """The stored answers with one step's answers laid over them."""
    changed: dict[str, Any] = {}
    for name in Answers.__dataclass_fields__:
        if name not in data:
            continue
        value = data[name]
        if name in ("delivery_methods", "support_kinds"):
            changed[name] = frozenset(value or ())
        elif name in ("format", "providership", "start_date"):
            changed[name] = value or None
        else:
            changed[name] = yes_no(value)
    return Answers(**{**base.__dict__, **changed})


# Step 1, Basics


def basics_problems(data: dict, sections: Sections) -> Problems:
    fmt = data.get("format") or None
    offered = {m.value for m in DELIVERY_BY_FORMAT.get(fmt, ())} if fmt else set()
    wrong = sorted(set(data.get("delivery_methods") or ()) - offered)
    found = []
    if wrong and sections.delivery:
        found.append(("delivery_methods", f"A {fmt} does not take place {', '.join(wrong)}."))
    found += refused(sections.delivery, data, "delivery_methods")
    found += refused(sections.repeat_question, data, "repeats")
    found += refused(sections.location, data, *LOCATION_FIELDS)
    found += refused(sections.instances, data, "instances")
    found += refused(sections.dates, data, "start_date", "end_date")
    if sections.dates:
        found += problem(
            "end_date",
            validation.date_range_error(fmt, data.get("start_date"), data.get("end_date")),
        )
    if sections.location:
        found += location_problems(data)
    if sections.instances:
        found += instance_problems(data.get("instances") or [], fmt, sections.instance_location)
    return found


def location_problems(place: dict, prefix: str = "") -> Problems:
    """ZIP must fit the country; in the United States the state is a US state."""
    found = []
    if place.get("postal_code"):
        found += problem(
            prefix + "postal_code",
            validation.postal_code_error(place.get("country"), place["postal_code"]),
        )
    country, state = place.get("country"), (place.get("state") or "").strip()
    if country == UNITED_STATES and state not in ("", *US_STATES):
        found.append((prefix + "state", "Choose a US state from the list."))
    elif country and country != UNITED_STATES and is_us_state(state):
        found.append(
            (
                prefix + "state",
                f"{state} is a US state but the country is not the United States: choose "
                "United States as the country, or enter the state or province of the country.",
            )
        )
    return found


def is_us_state(text: str) -> bool:
    """A US state by its 2-letter code ("IL") or name ("Illinois")."""
    return text.upper() in US_STATES or text.casefold() in {
        n.casefold() for n in US_STATES.values()
    }


def instance_problems(rows: list[dict], fmt: str | None, in_person: bool) -> Problems:
    found = (
        [] if len(rows) >= 2 else [("instances", "Add a row for each occurrence: at least two.")]
    )
    for index, row in enumerate(rows):
        prefix = f"instances-{index}-"
        found += problem(
            prefix + "end_date",
            validation.date_range_error(fmt, row.get("start_date"), row.get("end_date")),
        )
        found += (
            location_problems(row, prefix)
            if in_person
            else refused(False, row, *LOCATION_FIELDS, prefix=prefix)
        )
    return found


def basics_values(data: dict, sections: Sections) -> dict:
    """What step 1 stores: the first occurrence is the activity's own dates and place, the
    others wait as repeat instances until the activity is completed."""
    occurrences = (
        [occurrence(row, sections.instance_location) for row in data.get("instances") or []]
        if sections.instances
        else []
    )
    own = occurrences[0] if occurrences else occurrence(data, sections.location)
    return {
        "title": (data.get("title") or "").strip(),
        "format": data.get("format") or None,
        "delivery_methods": list(data.get("delivery_methods") or ()) if sections.delivery else [],
        "repeats": yes_no(data.get("repeats")) if sections.repeat_question else None,
        **own,
        "repeat_instances": occurrences[1:],
    }


def occurrence(row: dict, with_location: bool) -> dict:
    place = {
        name: (row.get(name) or "").strip() or None if with_location else None
        for name in LOCATION_FIELDS
    }
    return {"start_date": row.get("start_date"), "end_date": row.get("end_date"), **place}


# Step 2, Information for Learners


def learner_information_problems(data: dict, sections: Sections) -> Problems:
    found = refused(sections.listing, data, "registration", "fee", "url")
    if data.get("description"):
        found += problem("description", validation.description_error(data["description"]))
    if data.get("url") and sections.listing:
        found += problem("url", validation.url_error(data["url"]))
    return found


def learner_information_values(data: dict, sections: Sections) -> dict:
    listing = sections.listing
    return {
        "ama_credits": data.get("ama_credits"),
        "in_cme_passport": yes_no(data.get("in_cme_passport")),
        "description": (data.get("description") or "").strip() or None,
        "registration": (data.get("registration") or None) if listing else None,
        "fee": (data.get("fee") or None) if listing else None,
        "url": (data.get("url") or "").strip() or None if listing else None,
        **{name: yes_no(data.get(name)) for name in PROGRAMS},
    }


# Step 3, Accreditation Details


def accreditation_problems(data: dict, sections: Sections) -> Problems:
    found = refused(sections.joint_providers, data, "joint_providers")
    found += refused(sections.support_kinds, data, "support_kinds")
    found += refused(sections.monetary, data, "monetary")
    found += refused(sections.in_kind, data, "in_kind")
    found += refused(sections.commendation_tags, data, "commendation_tags")
    found += measure_problems(
        data.get("outcomes") or (), data.get("measures") or (), sections.measurement_types
    )
    accme = (data.get("accme_activity_id") or "").strip()
    if accme and not (accme.isascii() and accme.isdigit() and len(accme) == 9):
        found.append(("accme_activity_id", "An ACCME Activity ID is exactly 9 digits."))
    for index, row in enumerate(data.get("monetary") or [] if sections.monetary else []):
        if row.get("amount") and not row.get("source"):
            found.append((f"monetary-{index}-source", "Name the source of this amount."))
    return found


def measure_problems(outcomes, measures, required: bool = True) -> Problems:
    """Each outcome chosen is measured objectively and/or subjectively (unless ``required``
    is False: a historical activity), and only chosen outcomes have measurement types."""
    chosen, measured = set(outcomes), {m.split("|")[0] for m in measures}
    return [
        ("measures", f"{o} has a measurement type but is not selected.")
        for o in sorted(measured - chosen)
    ] + [
        ("measures", f"Choose Objective and/or Subjective for {o}.")
        for o in sorted(chosen - measured)
        if required
    ]


def accreditation_values(data: dict, sections: Sections) -> dict:
    measures = set(data.get("measures") or ())
    sources = []
    for kind, name, is_open in (
        (SupportKind.MONETARY, "monetary", sections.monetary),
        (SupportKind.IN_KIND, "in_kind", sections.in_kind),
    ):
        rows = data.get(name) or [] if is_open else []
        sources += [
            {"kind": kind.value, "source": row["source"].strip(), "amount": row.get("amount")}
            for row in rows
            if (row.get("source") or "").strip()
        ]
    names = data.get("joint_providers") or [] if sections.joint_providers else []
    return {
        "internal_id": (data.get("internal_id") or "").strip() or None,
        "accme_activity_id": (data.get("accme_activity_id") or "").strip() or None,
        "providership": data.get("providership") or None,
        "joint_providers": [n.strip() for n in names if (n or "").strip()],
        "outcomes": [
            (o, f"{o}|Objective" in measures, f"{o}|Subjective" in measures)
            for o in data.get("outcomes") or ()
        ],
        "commercial_support": yes_no(data.get("commercial_support")),
        "support_sources": sources,
        "commendation": yes_no(data.get("commendation")),
        "commendation_tags": list(data.get("commendation_tags") or ())
        if sections.commendation_tags
        else [],
    }


# Step 4, Collaborations


def collaborations_problems(data: dict, sections: Sections) -> Problems:
    found = refused(sections.moc_details, data, "moc_registrations", "moc_attested")
    found += refused(sections.mips_details, data, "mips_attested")
    found += refused(sections.rems_details, data, "rems_type")
    rows = data.get("moc_registrations") or []
    boards = [row.get("board") for row in rows if row.get("board")]
    if len(boards) != len(set(boards)):
        found.append(("moc_registrations", "List each board once."))
    for index, row in enumerate(rows):
        if row.get("board") in MOC_BOARD_SINCE and row["board"] not in sections.moc_boards:
            since = MOC_BOARD_SINCE[row["board"]]
            message = f"{row['board']} takes MOC activities starting on or after {since:%m/%d/%Y}."
            found.append((f"moc_registrations-{index}-board", message))
        offered = set(MOC_CREDIT_TYPES.get(row.get("board"), ()))
        found += [
            (
                f"moc_registrations-{index}-credit_types",
                f"{row.get('board') or 'This board'} does not award {credit_type}.",
            )
            for credit_type in row.get("credit_types") or ()
            if credit_type not in offered
        ]
    return found


def collaborations_values(data: dict, sections: Sections) -> dict:
    boards = (
        [
            {
                "board": row["board"],
                "points": row.get("points"),
                "claim_date": row.get("claim_date"),
                "credit_types": list(row.get("credit_types") or ()),
                "practice_areas": list(row.get("practice_areas") or ()),
            }
            for row in data.get("moc_registrations") or []
            if row.get("board")
        ]
        if sections.moc_details
        else []
    )
    return {
        "moc_registrations": boards,
        "moc_attested": bool(data.get("moc_attested")) if sections.moc_details else None,
        "mips_attested": bool(data.get("mips_attested")) if sections.mips_details else None,
        "rems_type": (data.get("rems_type") or None) if sections.rems_details else None,
    }


# (problems, values) of each step, in order.
STEPS = (
    (basics_problems, basics_values),
    (learner_information_problems, learner_information_values),
    (accreditation_problems, accreditation_values),
    (collaborations_problems, collaborations_values),
)
