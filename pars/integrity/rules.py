"""The rules of ACCME's Standards for Integrity and Independence that this system checks, as
pure functions over plain values (no Flask, no database): the 24-month window of a disclosure,
what a relationship must say, what still keeps an activity from being ready, and the disclosure
to learners."""

from dataclasses import dataclass, field
from datetime import date

from pars.vocab import DISCLOSURE_MONTHS, RelationshipNature


def window_start(today: date) -> date:
    """The first day of the 24 months a disclosure covers (Feb 29 falls back to Feb 28)."""
    year = today.year - DISCLOSURE_MONTHS // 12
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def relationship_problems(
    company: str, nature: str, last_date: date | None, *, today: date
) -> dict[str, str]:
    """What a disclosed relationship must say, by field: the company, a nature from the list,
    and its most recent date within the 24 months and not in the future."""
    problems = {}
    if not company.strip():
        problems["company"] = "Name the company."
    if nature not in {n.value for n in RelationshipNature}:
        problems["nature"] = "Choose the nature of the relationship from the list."
    if last_date is None:
        problems["last_date"] = "Enter the date of the relationship (MM/DD/YYYY)."
    elif last_date > today:
        problems["last_date"] = "The date cannot be in the future."
    elif last_date < window_start(today):
        problems["last_date"] = (
            f"Only relationships of the last {DISCLOSURE_MONTHS} months are disclosed: "
            f"the date must be on or after {window_start(today):%m/%d/%Y}."
        )
    return problems


@dataclass
class Relationship:
    company: str
    nature: str
    relevant: bool | None
    mitigated_roles: set[str] = field(default_factory=set)


@dataclass
class Controller:
    """One person in control of content, as the rules see them."""

    name: str
    roles: list[str]
    disclosed: bool
    relationships: list[Relationship] = field(default_factory=list)
    employee_of: str | None = None  # an ineligible company they own or work for
    excepted_roles: set[str] = field(default_factory=set)  # roles with an exception recorded


@dataclass(frozen=True)
class Agreement:
    """The written agreement with one commercial supporter, as far as it is known."""

    source: str
    provider_signed_on: date | None = None
    supporter_signed_on: date | None = None


def agreement_problems(agreements: list[Agreement], start: date | None) -> list[str]:
    """Each supporter needs an agreement signed by the provider and the supporter before the
    activity starts."""
    found = []
    for agreement in agreements:
        signed = [agreement.provider_signed_on, agreement.supporter_signed_on]
        if None in signed:
            found.append(f"Agreement with {agreement.source} not signed")
        elif start is not None and max(signed) > start:
            found.append(f"Agreement with {agreement.source} signed after the activity started")
    return found


def blockers(people: list[Controller]) -> list[str]:
    """What keeps the activity from being ready, in the user's words: disclosures not yet
    given, relationships not yet judged, relevant ones not mitigated for every role."""
    found = []
    missing = [p for p in people if not p.disclosed]
    if missing:
        found.append(f"Disclosure from {len(missing)} {plural(len(missing), 'person', 'people')}")
    undecided = sum(1 for p in people for r in p.relationships if r.relevant is None)
    if undecided:
        found.append(f"Relevance decision for {undecided} {plural(undecided, 'relationship')}")
    unmitigated = sum(
        1
        for p in people
        for r in p.relationships
        if r.relevant and not set(p.roles) <= r.mitigated_roles
    )
    if unmitigated:
        found.append(f"Mitigation for {unmitigated} {plural(unmitigated, 'relationship')}")
    excluded = sum(1 for p in people if p.employee_of and not set(p.roles) <= p.excepted_roles)
    if excluded:
        found.append(
            f"Exception for {excluded} owner or employee of an ineligible company (excluded "
            "from controlling content otherwise)"
        )
    if not people:
        found.append("Add the people in control of content")
    return found


def plural(count: int, one: str, many: str | None = None) -> str:
    return one if count == 1 else (many or one + "s")


MITIGATED = "All relevant financial relationships listed have been mitigated."
NONE_RELEVANT = "No relevant financial relationships with ineligible companies."


@dataclass(frozen=True)
class Disclosed:
    name: str
    roles: tuple[str, ...]
    relationships: tuple[tuple[str, str], ...]  # (company, nature) of each relevant one


def learner_disclosure(people: list[Controller]) -> tuple[list[Disclosed], str | None]:
    """What learners are told before the activity: every person in control of content with
    their relevant relationships (or none), and the statement that all were mitigated (None
    while something is still missing)."""
    entries = [
        Disclosed(
            p.name,
            tuple(p.roles),
            tuple((r.company, r.nature) for r in p.relationships if r.relevant),
        )
        for p in people
    ]
    return entries, (MITIGATED if not blockers(people) else None)


def plain_text(entries: list[Disclosed], statement: str | None) -> str:
    """The disclosure to paste into a handout or slide."""
    lines = ["Disclosure of financial relationships", ""]
    for entry in entries:
        said = (
            "; ".join(f"{company} ({nature})" for company, nature in entry.relationships)
            or NONE_RELEVANT
        )
        lines.append(f"{entry.name}, {', '.join(entry.roles)}: {said}")
    if statement:
        lines += ["", statement]
    return "\n".join(lines) + "\n"


def ineligible(makes_products: bool, advocates: bool, family_makes: bool) -> bool:
    """ACCME's self-assessment: a yes to any question makes the company ineligible."""
    return makes_products or advocates or family_makes
