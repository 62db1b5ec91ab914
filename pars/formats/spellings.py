"""The enumerated values and booleans of PARS files: written in ACCME's draft spelling, read
in every spelling a real file may carry (this system's display values, the draft's, older
files' and the straight apostrophe for the curly one), so each reader maps values the same way.

Plain Python: the readers report a ``Refusal`` against their own column or element name.
"""

import unicodedata
from enum import StrEnum

from pars.vocab import (
    COUNTRIES,
    DRAFT_SPELLINGS,
    ActivityFormat,
    DeaRegistration,
    DeliveryMethod,
    Fee,
    MeasurementType,
    MocBoard,
    Outcome,
    Providership,
    Registration,
    RemsPracticeArea,
    RemsProfession,
    RemsType,
    TimeInPractice,
)

# Other spellings seen in files, beyond each value itself and its draft spelling.
ALIASES: dict[StrEnum, tuple[str, ...]] = {
    Outcome.COMMUNITY_HEALTH: ("Community/Population Health", "Population Health"),
    Registration.OPEN: ("Open",),
    Fee.FREE: ("No", "Free"),
    DeliveryMethod.IN_PERSON: ("In Person",),
    DeliveryMethod.LIVE_STREAMED: ("Live Streamed", "Livestreamed"),
}
CHOICES: dict[str, type[StrEnum]] = {
    "format": ActivityFormat,
    "delivery_methods": DeliveryMethod,
    "fee": Fee,
    "registration": Registration,
    "outcome": Outcome,
    "measurement": MeasurementType,
    "board": MocBoard,
    "rems_type": RemsType,
    "providership": Providership,
    "rems_profession": RemsProfession,
    "rems_dea_registration": DeaRegistration,
    "rems_practice_area": RemsPracticeArea,
    "rems_time_in_practice": TimeInPractice,
}
TRUE, FALSE = ("true", "yes", "1", "y"), ("false", "no", "0", "n")


class Refusal(ValueError):
    """A value the reader cannot use; the message says what to write instead."""


def reading(errors: list, notices: list, name: str, read, text: str | None, *args):
    """What ``read`` (choice, country, boolean) makes of ``text``: a Refusal becomes an error
    and a notice a notice, both named ``name``, the file's column or element. Every reader
    goes through here, so each says the same thing the same way."""
    try:
        found = read(*args, text)
    except Refusal as refusal:
        errors.append((name, str(refusal)))
        return None
    if isinstance(found, tuple):
        found, notice = found
        if notice:
            notices.append(f"{name}: {notice}")
    return found


def key(text: str) -> str:
    """The form values are compared in: case, curly quotes, dashes and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.replace("\u2013", "-").replace("\u2014", "-").split()).casefold()


def _readings(enum: type[StrEnum]) -> dict[str, StrEnum]:
    found = {}
    for member in enum:
        for spelling in (member.value, DRAFT_SPELLINGS.get(member, member.value)):
            found[key(spelling)] = member
        for spelling in ALIASES.get(member, ()):
            found.setdefault(key(spelling), member)
    return found


READINGS = {field: _readings(enum) for field, enum in CHOICES.items()}


def written(value: str | None) -> str | None:
    """The spelling a file carries: the draft's where it differs from ours."""
    if value is None:
        return None
    for enum in CHOICES.values():
        try:
            return DRAFT_SPELLINGS.get(enum(value), value)
        except ValueError:
            continue
    return value


def choice(field: str, text: str | None) -> tuple[str | None, str | None]:
    """(the stored value, a notice when the file spelled it another way) for ``text``;
    blank reads as no answer. Raises Refusal naming the values allowed."""
    if text is None or not text.strip():
        return None, None
    member = READINGS[field].get(key(text))
    if member is None:
        allowed = ", ".join(f'"{DRAFT_SPELLINGS.get(m, m.value)}"' for m in CHOICES[field])
        raise Refusal(f'"{text.strip()}" is not one of {allowed}.')
    shown = text.strip()  # ours or the draft's in another case (the XSD's "joint") is no news
    spelled = key(shown) in (key(member.value), key(DRAFT_SPELLINGS.get(member, member.value)))
    return member.value, None if spelled else f'"{shown}" was read as "{member.value}".'


def boolean(text: str | None) -> bool | None:
    """true/false, yes/no, 1/0 in any case; blank is no answer. Raises Refusal otherwise."""
    if text is None or not text.strip():
        return None
    found = text.strip().casefold()
    if found in TRUE:
        return True
    if found in FALSE:
        return False
    raise Refusal(f'"{text.strip()}" is not a yes or no: write true or false (or Yes or No).')


def country(text: str | None) -> tuple[str | None, str | None]:
    """A country as ISO 3166 alpha-3, from its alpha-3 or alpha-2 code or its English name
    (pycountry's, and the common short names); a notice says what a name was read as."""
    if text is None or not text.strip():
        return None, None
    shown = text.strip()
    if shown.upper() in COUNTRIES:
        return shown.upper(), None
    found = COUNTRY_NAMES.get(key(shown))
    if found is None:
        raise Refusal(
            f'"{shown}" is not a country this system knows: write its three-letter ISO code '
            "(USA, CAN, GBR), its two-letter code (US) or its English name (United States)."
        )
    return found, f'"{shown}" was read as {found} ({COUNTRIES[found]}).'


def _country_names() -> dict[str, str]:
    import pycountry  # the list the vocabulary's COUNTRIES comes from

    names: dict[str, str] = {}
    for entry in pycountry.countries:
        for spelling in (
            entry.alpha_2,
            entry.name,
            getattr(entry, "common_name", None),
            getattr(entry, "official_name", None),
        ):
            if spelling:
                names.setdefault(key(spelling), entry.alpha_3)
    for spelling in ("United States of America", "US", "U.S.", "U.S.A.", "America"):
        names[key(spelling)] = "USA"
    for spelling in ("UK", "Great Britain", "England", "Scotland", "Wales"):
        names[key(spelling)] = "GBR"
    return names


COUNTRY_NAMES = _country_names()
