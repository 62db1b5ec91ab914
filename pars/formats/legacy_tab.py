"""Legacy tab-delimited activity files, "Template D" (2015 on) and "Template C" (2014), as
domain.md section 5 lays them out: no header row, one activity a line, blank fields kept, 47
fields and then 8 per commercial supporter. Every record is a legacy record: its reporting year,
hours of instruction and designed-to-change / changes-evaluated flags are kept, as the legacy
model of a historical activity needs them (pars.activities.status), and each is migrated the
way ACCME migrated the data into the new PARS (legacy_migration below), each step said in the
preview. Fields PARS removed in 2021 (competencies, sub-categories, in-kind types) are read and
dropped, with a notice.

Each line becomes the same plain values as a MEMS record (pars.formats.mems_read), so the same
checker applies the entry form's rules to both.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime

from pars.core.validation import control_character_error
from pars.formats import naming, spellings
from pars.formats.package import FormatError
from pars.vocab import (
    LEGACY_FORMAT_CODES,
    ActivityFormat,
    DeliveryMethod,
)

FIELDS, SUPPORTER = 47, 8
TEMPLATE_C_EXTRA = (15, 8), (31, 3)  # (after field, how many): 2014 files carry these more
LOCATED = {"C", "RSS"}  # legacy types whose lines carry city, state and country
ONE_DAY = {ActivityFormat.LIVE_COURSE}  # other formats run to the end of the reporting year


# Excel's "Unicode Text" export is UTF-16 with a byte order mark; UTF-32 BOMs come first, as
# the little-endian one begins with UTF-16's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def looks_like_tab_file(data: bytes) -> bool:
    """Its first field says which template it is (a line never starts otherwise), or names
    that field in the template's heading row."""
    return decode(data[:64]).lstrip().startswith(("Template C\t", "Template D\t", "Template\t"))


def is_heading(fields: list[str]) -> bool:
    """The template's heading row: column names where the values go ("Template", "ACCME
    Activity ID", ...), which some exporters write first."""
    return fields[0].strip().lower() == "template" or (
        len(fields) > 2 and "activity id" in fields[1].lower()
    )


def decode(data: bytes) -> str:
    """The file's text: UTF-16 or UTF-32 by their byte order mark, else UTF-8 (with or
    without its mark), else Windows-1252, what older exporters wrote."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def us_date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date() if text.strip() else None
    except ValueError:
        return None


def whole_number(text: str, digits: int = 12) -> int | None:
    """A count or amount as the file writes it: ASCII digits only ("²" and other digits
    Python would take are refused), not more of them than a real figure has, and an integral
    decimal as a third-party exporter writes whole dollars ("324705.0"); a real fraction is
    refused."""
    found = re.fullmatch(f"([0-9]{{1,{digits}}})(?:\\.0+)?", text)
    return int(found.group(1)) if found else None


def reporting_year(text: str) -> int | None:
    year = whole_number(text.strip(), digits=4)
    return year if year is not None and 1900 <= year <= 2100 else None


def yes_no(text: str) -> bool | None:
    return {"yes": True, "no": False, "y": True, "n": False}.get(text.strip().lower())


HOURS = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,2})?")


def hours(text: str) -> float | None:
    """Hours of instruction: a number of hours, up to two decimals (1.5, 0.25, 12)."""
    return float(text) if HOURS.fullmatch(text) else None


# Fields 16-21, in the order third-party exporters write them: designed to change, then changes
# evaluated, for competence, performance and patient outcomes in turn.
FLAG_ORDER = (
    "designed_competence",
    "evaluated_competence",
    "designed_performance",
    "evaluated_performance",
    "designed_patient_outcomes",
    "evaluated_patient_outcomes",
)

# The fields this system stores, by number and name as domain.md section 5 lists them.
FIELD_NAMES = {
    2: "2 ACCME Activity ID",
    3: "3 Provider Activity ID",
    4: "4 Reporting Year",
    5: "5 Activity Title",
    6: "6 Activity Date",
    7: "7 City",
    8: "8 State",
    9: "9 Country",
    10: "10 Providership",
    11: "11 Activity Type",
    12: "12 Hours of Instruction",
    13: "13 # of Physicians",
    14: "14 # of Other Learners",
    15: "15 Commercial Support Received?",
    16: "16 Designed to change Competence?",
    17: "17 Changes in Competence evaluated?",
    18: "18 Designed to change Performance?",
    19: "19 Changes in Performance evaluated?",
    20: "20 Designed to change Patient Outcomes?",
    21: "21 Changes in Patient Outcomes evaluated?",
    29: "29 Joint Provider(s)",
    30: "30 Number of AMA PRA Category 1 Credits Designated",
    31: "31 Description of Content",
}
field_of = naming.namer(
    {
        "accme_activity_id": FIELD_NAMES[2],
        "internal_id": FIELD_NAMES[3],
        "title": FIELD_NAMES[5],
        "start_date": FIELD_NAMES[6],
        "end_date": FIELD_NAMES[6],
        "city": FIELD_NAMES[7],
        "state": FIELD_NAMES[8],
        "country": FIELD_NAMES[9],
        "providership": FIELD_NAMES[10],
        "format": FIELD_NAMES[11],
        "delivery_methods": FIELD_NAMES[11],
        "commercial_support": FIELD_NAMES[15],
        "reporting_year": FIELD_NAMES[4],
        "hours_of_instruction": FIELD_NAMES[12],
        "outcomes": "16-21 Changes evaluated",
        **{name: FIELD_NAMES[16 + n] for n, name in enumerate(FLAG_ORDER)},
        "joint_providers": FIELD_NAMES[29],
        "ama_credits": FIELD_NAMES[30],
        "description": FIELD_NAMES[31],
        "monetary": "supporter block",
        "support_kinds": "supporter block",
    },
    {
        "joint_providers": {"": "29 Joint Provider(s)"},
        "monetary": {"source": "supporter source", "amount": "supporter amount"},
        "in_kind": {"source": "supporter source"},
    },
    numbered=False,
)


def as_template_d(fields: list[str]) -> tuple[list[str], bool]:
    """A Template C line with its 2014-only fields taken out, and whether any held a value."""
    held = False
    for after, count in TEMPLATE_C_EXTRA:
        held = held or any(f.strip() for f in fields[after : after + count])
        del fields[after : after + count]
    return fields, held


TEMPLATE_C_NOTICE = (
    "Template C's 2014-only fields (16-23 the activity's support totals and in-kind types, "
    "40-42 advertising and exhibit income, other income and expenses) were read and not "
    "stored: PARS removed them, and each supporter's own fields carry the support."
)


def supporters(fields: list[str], errors: list) -> list[dict]:
    """Each supporter block: a monetary row when it gave money, an in-kind row when it gave
    anything in kind (the in-kind types themselves left PARS in 2021)."""
    rows = []
    for block, start in enumerate(range(FIELDS, len(fields), SUPPORTER), start=1):
        source, amount, *in_kind = (text.strip() for text in fields[start : start + SUPPORTER])
        money = amount.replace(",", "").removeprefix("$")
        dollars = whole_number(money)
        if money and dollars is None:
            errors.append(
                (f"supporter {block} amount", f"{amount[:20]} is not a whole-dollar amount.")
            )
        elif dollars:
            rows.append({"kind": "Monetary", "source": source, "amount": dollars})
        if any(yes_no(flag) for flag in in_kind[:5]) or in_kind[5]:
            rows.append({"kind": "In-kind", "source": source, "amount": None})
    return rows


def dates(day: date | None, year: str, fmt: ActivityFormat | None) -> tuple:
    """One Activity Date: the start; the end is that day for a live course, and the end of
    the reporting year for series and multi-day formats [inferred]."""
    if day is None:
        return None, None
    if fmt in ONE_DAY or reporting_year(year) is None:
        return day, day
    return day, max(day, date(reporting_year(year), 12, 31))


def values(fields: list[str]) -> tuple[dict, list[tuple[str, str]]]:
    """The activity's values from one Template D line, and what cannot be read."""
    field = lambda n: fields[n - 1].strip()  # noqa: E731 (numbered as the layout numbers them)
    errors, code = [], field(11).upper()
    fmt, delivery = LEGACY_FORMAT_CODES.get(code, (None, None))
    if code and fmt is None:
        errors.append((FIELD_NAMES[11], f"{field(11)} is not a legacy activity type code."))
    day = us_date(field(6))
    if field(6) and day is None:
        errors.append((FIELD_NAMES[6], "Write the date as MM/DD/YYYY."))
    if field(4) and reporting_year(field(4)) is None:
        errors.append((FIELD_NAMES[4], "Write the year as YYYY, from 1900 to 2100."))
    start, end = dates(day, field(4), fmt)
    located = code in LOCATED
    country = field(9) if located else ""
    if located and delivery is None and (field(7) or country):
        delivery = DeliveryMethod.IN_PERSON  # a series with a place meets there [inferred]
    counts = {}
    for number, name in ((13, "physician_learners"), (14, "other_learners")):
        text = field(number).replace(",", "")
        counts[name] = whole_number(text)
        if text and counts[name] is None:
            errors.append((FIELD_NAMES[number], "Enter a whole number."))
    if not field(2) and not field(3):
        errors.append(
            (
                FIELD_NAMES[3],
                "PARS requires the Provider Activity ID: without it (or the ACCME Activity ID) "
                "a later upload could not find this activity and would add it again.",
            )
        )
    commercial_support = spellings.reading(
        errors, [], FIELD_NAMES[15], spellings.boolean, field(15)
    )
    return legacy_values(field, errors) | {
        "accme_activity_id": field(2) or None,
        "internal_id": field(3) or None,
        "title": field(5) or None,
        "format": fmt.value if fmt else None,
        "delivery_methods": [delivery.value] if delivery else [],
        "start_date": start,
        "end_date": end,
        "city": field(7) or None if located else None,
        "state": field(8) or None if located else None,
        "country": located_country(country, errors),
        "postal_code": None,
        "providership": field(10).title() or None,
        "commercial_support": commercial_support,
        "joint_providers": [n.strip() for n in field(29).split(";") if n.strip()],
        "ama_credits": field(30) or None,
        "description": field(31) or None,
        "support_sources": supporters(fields, errors),
        **counts,
        "outcomes": [],  # from the flags, as ACCME mapped them (pars.activities.historical)
        "commendation_tags": [],
        "moc_registrations": [],
        "record_action": None,
        "close": None,  # the layout has no close flag
    }, errors


def legacy_values(field, errors: list) -> dict:
    """What a legacy record holds beyond the new model: reporting year, hours of instruction,
    and the designed-to-change / changes-evaluated flags (Yes or No, or refused)."""
    found = {"legacy_record": True, "reporting_year": reporting_year(field(4))}
    found["hours_of_instruction"] = hours(field(12))
    if field(12) and found["hours_of_instruction"] is None:
        errors.append((FIELD_NAMES[12], "Enter the hours as a number, such as 1.5."))
    for number, name in enumerate(FLAG_ORDER, start=16):
        found[name] = yes_no(field(number))
        if field(number) and found[name] is None:
            errors.append((FIELD_NAMES[number], f'"{field(number)[:20]}" is not Yes or No.'))
    return found


def located_country(text: str, errors: list) -> str | None:
    # Legacy files write names: reading one is no news, so its notice is not kept.
    return spellings.reading(errors, [], FIELD_NAMES[9], spellings.country, text)


NOTICE = (
    "Legacy files have one Activity Date: it became the start date, and the end date is "
    "the same day for a live course and December 31 of the reporting year otherwise."
)


# Fields PARS removed in 2021, read and not stored: the sub-categories, the competencies, and
# each supporter's in-kind types (which only say whether it gave anything in kind). Hours of
# instruction and the designed/evaluated flags are kept: the legacy model needs them.
DROPPED = (*range(22, 29), *range(32, 48))
DROPPED_NOTICE = (
    "Fields PARS removed in 2021 (22-28 sub-categories, 32-47 competencies, and each "
    "supporter's in-kind types) were read and not stored."
)


def field_problems(fields: list[str]) -> list[tuple[str, str]]:
    """A character no field may hold, and an in-kind type that is not Yes or No: by field."""
    found = [
        (FIELD_NAMES.get(number, f"field {number}"), error)
        for number, text in enumerate(fields, start=1)
        if text and (error := control_character_error(text, multiline=False))
    ]
    for block, start in enumerate(range(FIELDS, len(fields), SUPPORTER), start=1):
        for offset in range(2, 7):
            text = fields[start + offset].strip()
            if text and yes_no(text) is None:
                found.append(
                    (
                        f"supporter {block} in-kind type {offset - 1}",
                        f'"{text[:20]}" is not Yes or No.',
                    )
                )
    return found


HEADING_NOTICE = "Line 1 is the template's heading row (column names); it was skipped."


def lines(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) for each record, with Excel's quoting undone: a field in
    double quotes may hold tabs, line breaks and doubled quotes, each standing for one (the
    test file tests/data/legacy-quoted.txt shows the form)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"', strict=False)
    start = 1
    for fields in reader:
        yield start, fields
        start = reader.line_num + 1


def read(data: bytes) -> Iterator[tuple[int, dict]]:
    """(line number, {"values": ..., "notices": [...]} or {"errors": [...]}) for each line."""
    found = 0
    notices = [NOTICE]
    for number, fields in lines(decode(data)):
        if not any(f.strip() for f in fields):
            continue
        if found == 0 and number == 1 and is_heading(fields):
            notices = [HEADING_NOTICE, NOTICE]
            continue
        found += 1
        template, extra = fields[0].strip(), []
        if template == "Template C" and len(fields) >= FIELDS + 11:
            fields, held = as_template_d(fields)
            extra = [TEMPLATE_C_NOTICE] if held else []
        elif template != "Template D":
            yield (
                number,
                {
                    "errors": [
                        (
                            "1 Template",
                            "Write Template D (or Template C for 2014 files) in the first field.",
                        )
                    ]
                },
            )
            continue
        if len(fields) < FIELDS or (len(fields) - FIELDS) % SUPPORTER:
            yield (
                number,
                {
                    "errors": [
                        (
                            "(line)",
                            f"{len(fields)} fields: a {template} line has "
                            f"{FIELDS}, then {SUPPORTER} per supporter.",
                        )
                    ]
                },
            )
            continue
        found_values, errors = values(fields)
        errors = field_problems(fields) + errors
        said = notices + extra
        said += [DROPPED_NOTICE] if any(fields[n - 1].strip() for n in DROPPED) else []
        yield (
            number,
            ({"errors": errors} if errors else {"values": found_values, "notices": said}),
        )
    if not found:
        raise FormatError("The file has no activity lines.")
