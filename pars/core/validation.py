"""Rules a value must meet to be stored at all (domain.md section 2), in the user's words.

Pure functions returning an error message or None. The activity form uses them now; importers
and the API use the same ones, so a value refused here is refused everywhere.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from pars.vocab import (
    CONTROL_CHARACTERS,
    LINE_BREAKS,
    MULTILINE_FIELDS,
    UNITED_STATES,
    ActivityFormat,
)

DESCRIPTION_MAX = 2500  # characters [draft ACCME schema]
ENDURING_MAX_YEARS = 3
RSS_MAX_MONTHS = 12
MAX_CREDITS = Decimal(1000)
MAX_AMOUNT = 100_000_000
US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def date_range_error(fmt: str | None, start: date | None, end: date | None) -> str | None:
    """The end date must not be before the start; enduring materials last at most 3 years
    and a regularly scheduled series at most 12 months."""
    if start is None or end is None:
        return None
    if end < start:
        return "The end date must be the same as or after the start date."
    if fmt == ActivityFormat.ENDURING and end > add_years(start, ENDURING_MAX_YEARS):
        return "An enduring material can run at most 3 years: end it by " + (
            f"{add_years(start, ENDURING_MAX_YEARS):%m/%d/%Y}."
        )
    if fmt == ActivityFormat.RSS and end > add_months(start, RSS_MAX_MONTHS):
        return "A regularly scheduled series covers at most 12 months: end it by " + (
            f"{add_months(start, RSS_MAX_MONTHS):%m/%d/%Y}, and enter the next year's "
            "sessions as a new activity."
        )
    return None


def parse_credits(text: str) -> tuple[float | None, str | None]:
    """AMA PRA Category 1 Credits™: a number above 0 in quarter steps (0.25, 0.5 ...)."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None, "Enter the credits as a number, such as 1, 1.25 or 2.5."
    if not value.is_finite() or value <= 0 or value > MAX_CREDITS:
        return None, "Enter credits greater than 0 (and at most 1,000)."
    if (value * 4) % 1 != 0:
        return None, "Credits are given in quarter steps: use .00, .25, .50 or .75."
    return float(value), None


def parse_amount(text: str, *, minimum: int = 1) -> tuple[int | None, str | None]:
    """Whole US dollars (commas and a $ allowed): a support amount is above 0 (the default);
    a Program Summary amount may be 0 (``minimum=0``)."""
    least = "greater than 0" if minimum > 0 else "of 0 or more"
    cleaned = text.strip().replace(",", "").removeprefix("$")
    if not cleaned.isdigit():
        if re.fullmatch(r"-?\d+(\.\d*)?", cleaned):
            return None, f"Enter a whole-dollar amount {least}, without cents."
        return None, "Enter the amount in whole dollars, such as 5000."
    value = int(cleaned)
    if value < minimum or value > MAX_AMOUNT:
        return None, f"Enter a whole-dollar amount {least}."
    return value, None


def url_error(text: str) -> str | None:
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in text.strip():
        return "Enter a full web address starting with http:// or https://."
    return None


def postal_code_error(country: str | None, code: str) -> str | None:
    if country == UNITED_STATES and not US_ZIP.match(code.strip()):
        return "Enter a US ZIP code: 5 digits, or 5 digits, a dash and 4 more."
    return None


def description_error(text: str) -> str | None:
    if len(text) > DESCRIPTION_MAX:
        return f"Keep the description to {DESCRIPTION_MAX:,} characters (it has {len(text):,})."
    return None


def control_character_error(text: str, *, multiline: bool = False) -> str | None:
    """A character that cannot be stored or reported (a control character, a lone surrogate),
    or a tab or line break in a one-line field: named, with where it stands."""
    found = CONTROL_CHARACTERS.search(text) or (None if multiline else LINE_BREAKS.search(text))
    if found is None:
        return None
    what = "a line break or tab" if LINE_BREAKS.match(found[0]) else "a control character"
    return (
        f"Remove {what} (U+{ord(found[0]):04X}, character {found.start() + 1}): "
        "it cannot be stored or reported to PARS."
    )


def clean_strings(values) -> bool:
    """Whether ``values`` are all strings without a control character, tab or line break: one
    search of them joined (the rules look at single characters), where a file's row would
    otherwise cost a search of each of its cells."""
    try:
        joined = "".join(values)
    except TypeError:  # something other than text: searched value by value
        return False
    return CONTROL_CHARACTERS.search(joined) is None and LINE_BREAKS.search(joined) is None


def text_problems(values, path: str = "") -> list[tuple[str, str]]:
    """Every string in a nested value (a form's data, a JSON body, a file's record) that
    breaks control_character_error, by its path ("instances-0-city"; rows by position)."""
    if isinstance(values, dict) and clean_strings(values.values()):
        return []
    found, todo = [], [(path, values)]
    while todo:  # a loop, not recursion: a JSON body may nest deeply
        where, value = todo.pop()
        if isinstance(value, str):
            name = where.rpartition("-")[2]
            if error := control_character_error(value, multiline=name in MULTILINE_FIELDS):
                found.append((where, error))
        elif isinstance(value, dict):
            todo += [(f"{where}-{k}" if where else str(k), v) for k, v in value.items()]
        elif isinstance(value, list | tuple):
            todo += [(f"{where}-{i}" if where else str(i), v) for i, v in enumerate(value)]
    return sorted(found)
