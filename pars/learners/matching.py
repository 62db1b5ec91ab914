"""Learner matching: is a proposed learner someone already in the provider's directory?

Pure (no database): callers fetch the candidates (people born on the same MM/DD, or with the
same NPI or board ID) and this module decides. PARS rejects learners it cannot match, so the
reasons are spelled out for the user (domain.md section 4).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

# Common English nicknames -> the given name they stand for [data; extend freely].
NICKNAMES = {
    "bob": "robert",
    "rob": "robert",
    "robbie": "robert",
    "bobby": "robert",
    "bill": "william",
    "will": "william",
    "billy": "william",
    "liam": "william",
    "jim": "james",
    "jimmy": "james",
    "jamie": "james",
    "mike": "michael",
    "mick": "michael",
    "dick": "richard",
    "rick": "richard",
    "rich": "richard",
    "tom": "thomas",
    "tommy": "thomas",
    "joe": "joseph",
    "joey": "joseph",
    "dave": "david",
    "dan": "daniel",
    "danny": "daniel",
    "chris": "christopher",
    "steve": "steven",
    "matt": "matthew",
    "tony": "anthony",
    "andy": "andrew",
    "drew": "andrew",
    "ed": "edward",
    "ted": "edward",
    "ben": "benjamin",
    "sam": "samuel",
    "nick": "nicholas",
    "alex": "alexander",
    "greg": "gregory",
    "jeff": "jeffrey",
    "jon": "jonathan",
    "ken": "kenneth",
    "larry": "lawrence",
    "pat": "patricia",
    "patty": "patricia",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "betty": "elizabeth",
    "lizzie": "elizabeth",
    "kate": "katherine",
    "katie": "katherine",
    "kathy": "katherine",
    "cathy": "catherine",
    "sue": "susan",
    "susie": "susan",
    "jen": "jennifer",
    "jenny": "jennifer",
    "meg": "margaret",
    "maggie": "margaret",
    "peggy": "margaret",
    "debbie": "deborah",
    "deb": "deborah",
    "barb": "barbara",
    "becky": "rebecca",
    "vicky": "victoria",
    "mandy": "amanda",
    "abby": "abigail",
    "annie": "anne",
    "nancy": "ann",
    "sandy": "sandra",
    "cindy": "cynthia",
}


# Given name -> every nickname of it (built once: filing 100,000 learners asks 100,000 times).
NICKNAMES_OF: dict[str, set[str]] = {}
for _nick, _name in NICKNAMES.items():
    NICKNAMES_OF.setdefault(_name, set()).add(_nick)


class MatchKind(StrEnum):
    EXACT = "Exact match"
    PROBABLE = "Probable match"
    NONE = "No match"


@dataclass
class Candidate:
    person: Any
    reasons: list[str] = field(default_factory=list)


@dataclass
class MatchResult:
    kind: MatchKind
    candidates: list[Candidate] = field(default_factory=list)


@lru_cache(maxsize=65536)  # an upload repeats first names, last names and their keys
def name_words(name: str) -> tuple[str, ...]:
    """Lower case, no accents or punctuation: "José-Luis O." -> ["jose", "luis", "o"]."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return tuple(re.sub(r"[^a-z ]+", " ", plain).split())


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The words of a name without single-letter middle initials ("Ana M." -> "ana")."""
    words = name_words(name)
    return " ".join(words[:1] + tuple(w for w in words[1:] if len(w) > 1))


def given_name(key: str) -> str:
    first = key.split(" ")[0] if key else ""
    return NICKNAMES.get(first, first)


def first_name_variants(first: str, last: str) -> set[str]:
    """First-name keys a near miss of (first, last) could be filed under: itself, its given
    name and that name's nicknames, and the last name (swapped names)."""
    given = given_name(first)
    return {first, given, last} | NICKNAMES_OF.get(given, set())


def one_edit_apart(a: str, b: str) -> bool:
    """One letter added, dropped, changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        i, j = (diffs + [None, None])[:2]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def same_identifier(proposed: Any, person: Any) -> bool:
    """State of licensure, NPI or board ID in common: what PARS matches on besides names."""
    return bool(
        (proposed.state and proposed.state == person.state)
        or (proposed.npi and proposed.npi == person.npi)
        or (
            proposed.board_id
            and proposed.board == person.board
            and proposed.board_id == person.board_id
        )
    )


def probable_reasons(proposed: Any, person: Any, first: str, last: str) -> list[str]:
    p_first, p_last = person.first_key, person.last_key
    reasons = []
    if proposed.npi and proposed.npi == person.npi and (first, last) != (p_first, p_last):
        reasons.append("same NPI, different name")
    if proposed.birth_month_day != person.birth_month_day:
        return reasons
    if (first, last) == (p_last, p_first):
        reasons.append("first and last name swapped")
    elif last == p_last and first != p_first and given_name(first) == given_name(p_first):
        reasons.append(f"nickname ({proposed.first_name.strip()} / {person.first_name})")
    elif last == p_last and one_edit_apart(first, p_first):
        reasons.append("one-letter difference in the first name")
    elif first == p_first and one_edit_apart(last, p_last):
        reasons.append("one-letter difference in the last name")
    elif (first, last) == (p_first, p_last) and not same_identifier(proposed, person):
        reasons.append("same name and birthday, different state, NPI and board ID")
    elif (first, last) == (p_first, p_last):
        reasons.append("middle initial differs")
    return reasons


def match(proposed: Any, candidates: list[Any]) -> MatchResult:
    """Exact: same name (ignoring case, accents, middle initials), same MM/DD of birth, and a
    shared state, NPI or board ID. Probable: a near miss, with the reason. Otherwise none."""
    first, last = name_key(proposed.first_name), name_key(proposed.last_name)
    exact, probable = [], []
    for person in candidates:  # directory entries: their name keys are stored with them
        same_name = first == person.first_key and last == person.last_key
        exact_name = same_name and name_words(proposed.first_name) == name_words(person.first_name)
        if (
            same_name
            and proposed.birth_month_day == person.birth_month_day
            and same_identifier(proposed, person)
            and exact_name
        ):
            exact.append(Candidate(person, ["same name, birthday and " + shared(proposed, person)]))
            continue
        reasons = probable_reasons(proposed, person, first, last)
        if reasons:
            probable.append(Candidate(person, reasons))
    if exact:
        return MatchResult(MatchKind.EXACT, exact)
    if probable:
        return MatchResult(MatchKind.PROBABLE, probable[:10])
    return MatchResult(MatchKind.NONE)


def shared(proposed: Any, person: Any) -> str:
    if proposed.npi and proposed.npi == person.npi:
        return "NPI"
    if proposed.board_id and proposed.board_id == person.board_id:
        return f"{person.board} ID"
    return "state of licensure"
