"""Legacy tab-delimited activity files, "Template D" (2015 on) and "Template C" (2014), as
domain.md section 5 lays them out: no header row, one activity a line, blank fields kept, 47
fields and then 8 per commercial supporter. Fields PARS removed in 2021 (hours, competencies,
sub-categories, designed-to-change flags, in-kind types) are read and dropped.

Each line becomes the same plain values as a MEMS record (pars.formats.mems_read), so the same
checker applies the entry form's rules to both.
"""

import codecs
import re
from collections.abc import Iterator
from datetime import date, datetime

from pars.formats.package import FormatError
from pars.vocab import COUNTRIES, LEGACY_FORMAT_CODES, ActivityFormat, DeliveryMethod

FIELDS, SUPPORTER = 47, 8
TEMPLATE_C_EXTRA = (15, 8), (31, 3)  # (after field, how many): 2014 files carry these more
COUNTRY_BY_NAME = {name.lower(): code for code, name in COUNTRIES.items()}
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
    """Its first field says which template it is (a line never starts otherwise)."""
    return decode(data[:64]).lstrip().startswith(("Template C\t", "Template D\t"))


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
    Python would take are refused), and not more of them than a real figure has."""
    return int(text) if re.fullmatch(f"[0-9]{{1,{digits}}}", text) else None


def reporting_year(text: str) -> int | None:
    year = whole_number(text.strip(), digits=4)
    return year if year is not None and 1900 <= year <= 2100 else None


def yes_no(text: str) -> bool | None:
    return {"yes": True, "no": False, "y": True, "n": False}.get(text.strip().lower())


def as_template_d(fields: list[str]) -> list[str]:
    """A Template C line with its 2014-only fields taken out."""
    for after, count in TEMPLATE_C_EXTRA:
        del fields[after : after + count]
    return fields


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
        errors.append(("11 Activity Type", f"{field(11)} is not a legacy activity type code."))
    day = us_date(field(6))
    if field(6) and day is None:
        errors.append(("6 Activity Date", "Write the date as MM/DD/YYYY."))
    if field(4) and reporting_year(field(4)) is None:
        errors.append(("4 Reporting Year", "Write the year as YYYY, from 1900 to 2100."))
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
            errors.append((f"{number} {name.replace('_', ' ')}", "Enter a whole number."))
    return {
        "accme_activity_id": field(2) or None,
        "internal_id": field(3) or None,
        "title": field(5) or None,
        "format": fmt.value if fmt else None,
        "delivery_methods": [delivery.value] if delivery else [],
        "start_date": start,
        "end_date": end,
        "city": field(7) or None if located else None,
        "state": field(8) or None if located else None,
        "country": COUNTRY_BY_NAME.get(country.lower(), country.upper() or None),
        "postal_code": None,
        "providership": field(10).title() or None,
        "commercial_support": yes_no(field(15)),
        "joint_providers": [n.strip() for n in field(29).split(";") if n.strip()],
        "ama_credits": field(30) or None,
        "description": field(31) or None,
        "support_sources": supporters(fields, errors),
        **counts,
        "outcomes": [],
        "commendation_tags": [],
        "moc_registrations": [],
        "record_action": None,
        "close": False,
    }, errors


NOTICE = (
    "Legacy files have one Activity Date: it became the start date, and the end date is "
    "the same day for a live course and December 31 of the reporting year otherwise. "
    "Outcomes measured are not in these files: add them before an activity can be Active."
)


def read(data: bytes) -> Iterator[tuple[int, dict]]:
    """(line number, {"values": ..., "notices": [...]} or {"errors": [...]}) for each line."""
    found = 0
    for number, line in enumerate(decode(data).splitlines(), start=1):
        if not line.strip():
            continue
        found += 1
        fields = line.split("\t")
        template = fields[0].strip()
        if template == "Template C":
            fields = as_template_d(fields) if len(fields) >= FIELDS + 11 else fields
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
        yield (
            number,
            ({"errors": errors} if errors else {"values": found_values, "notices": [NOTICE]}),
        )
    if not found:
        raise FormatError("The file has no activity lines.")
