"""Writes and reads of the integrity records: people and their roles in an activity, the
disclosure links, what people disclose, staff's relevance decisions and mitigations. Every
write is recorded in the activity's audit history."""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, delete, update
from sqlmodel import Session, func, select

from pars.activities import status
from pars.core import audit
from pars.core.digests import digest
from pars.core.errors import Refused
from pars.integrity import rules
from pars.models import (
    Activity,
    Company,
    ContentRoleRow,
    Disclosure,
    DisclosureLink,
    DisclosureReminder,
    FinancialRelationship,
    Mitigation,
    Person,
    Provider,
    SupportAgreement,
    SupportSource,
)
from pars.vocab import DISCLOSURE_LINK_DAYS


@dataclass
class Involved:
    """A person in control of the activity's content, with all the page shows of them."""

    person: Person
    roles: list[str]
    disclosure: Disclosure | None = None
    relationships: list[FinancialRelationship] = field(default_factory=list)
    mitigations: dict[int, list[Mitigation]] = field(default_factory=dict)
    link: DisclosureLink | None = None

    excepted: set[str] = field(default_factory=set)

    def as_controller(self) -> rules.Controller:
        return rules.Controller(
            self.person.name,
            self.roles,
            self.disclosure is not None,
            employee_of=self.disclosure.employee_of if self.disclosure else None,
            excepted_roles=self.excepted,
            relationships=[
                rules.Relationship(
                    r.company,
                    r.nature,
                    r.relevant,
                    {m.role for m in self.mitigations.get(r.id, [])},
                )
                for r in self.relationships
            ],
        )


def involved(session: Session, activity: Activity) -> list[Involved]:
    """Everyone in control of the activity's content, by name, with their latest disclosure
    and link. Five queries whatever the number of people (their roles, the activity's
    disclosures, its links, the latest disclosures' relationships and those's mitigations),
    not a round of queries a person."""
    rows = session.exec(ROLES, params={"activity_id": activity.id}).all()
    people: dict[int, Involved] = {}
    for role, person in rows:
        entry = people.setdefault(person.id, Involved(person, []))
        entry.roles.append(role.role)
        if role.exclusion_exception:
            entry.excepted.add(role.role)
    if not people:
        return []
    disclosures = latest_of(session, Disclosure, activity, people)
    links = latest_of(session, DisclosureLink, activity, people)
    for person_id, entry in people.items():
        entry.disclosure, entry.link = disclosures.get(person_id), links.get(person_id)
    by_disclosure = {e.disclosure.id: e for e in people.values() if e.disclosure is not None}
    relationships = session.exec(RELATIONSHIPS, params={"ids": list(by_disclosure)}).all()
    mitigations_of: dict[int, list[Mitigation]] = {}
    for relationship in relationships:
        entry = by_disclosure[relationship.disclosure_id]
        entry.relationships.append(relationship)
        entry.mitigations[relationship.id] = mitigations_of[relationship.id] = []
    if relationships:
        mitigations = session.exec(MITIGATIONS, params={"ids": list(mitigations_of)})
        for mitigation in mitigations:
            mitigations_of[mitigation.relationship_id].append(mitigation)
    return list(people.values())


# Built once (building one took longer than running it): the claim page, the catalog, the
# integrity page and readiness all read who is involved.
ROLES = (
    select(ContentRoleRow, Person)
    .join(Person, Person.id == ContentRoleRow.person_id)
    .where(ContentRoleRow.activity_id == bindparam("activity_id"))
    .order_by(Person.name, ContentRoleRow.id)
)
RELATIONSHIPS = (
    select(FinancialRelationship)
    .where(FinancialRelationship.disclosure_id.in_(bindparam("ids", expanding=True)))
    .order_by(FinancialRelationship.id)
)
MITIGATIONS = (
    select(Mitigation)
    .where(Mitigation.relationship_id.in_(bindparam("ids", expanding=True)))
    .order_by(Mitigation.id)
)


@lru_cache(maxsize=4)
def latest_query(model):
    return (
        select(model)
        .where(
            model.activity_id == bindparam("activity_id"),
            model.person_id.in_(bindparam("people", expanding=True)),
        )
        .order_by(model.id.desc())
    )


def latest_of(session: Session, model, activity: Activity, people: dict) -> dict:
    """Person id -> their latest row of ``model`` (a disclosure, a link) for the activity,
    from one query."""
    params = {"activity_id": activity.id, "people": list(people)}
    latest: dict[int, object] = {}
    for row in session.exec(latest_query(model), params=params):
        latest.setdefault(row.person_id, row)
    return latest


def learner_disclosure(session: Session, activity: Activity):
    """(entries, statement) of what learners are told (pars.integrity.rules)."""
    return rules.learner_disclosure([p.as_controller() for p in involved(session, activity)])


def public_disclosure(session: Session, activity: Activity) -> dict | None:
    """The disclosure to learners as the public catalog shows it (None: no one added yet)."""
    entries, statement = learner_disclosure(session, activity)
    if not entries:
        return None
    return {
        "people": [
            {
                "name": e.name,
                "roles": list(e.roles),
                "relevant_relationships": [
                    {"company": company, "nature": nature} for company, nature in e.relationships
                ],
            }
            for e in entries
        ],
        "statement": statement,
    }


def add_person(
    session: Session,
    activity: Activity,
    *,
    name: str,
    email: str,
    biography: str | None,
    roles: list[str],
) -> Person:
    """Add someone in control of content with their roles; the provider's person of that email
    is reused (their name and biography updated)."""
    email = email.strip().lower()
    person = session.exec(
        select(Person).where(Person.provider_id == activity.provider_id, Person.email == email)
    ).first()
    if person is None:
        person = Person(provider_id=activity.provider_id, email=email, name=name.strip())
    person.name, person.biography = name.strip(), (biography or "").strip() or None
    session.add(person)
    session.flush()
    held = set(
        session.exec(
            select(ContentRoleRow.role).where(
                ContentRoleRow.activity_id == activity.id, ContentRoleRow.person_id == person.id
            )
        )
    )
    for role in roles:
        if role not in held:
            session.add(ContentRoleRow(activity_id=activity.id, person_id=person.id, role=role))
    audit.record(
        session,
        activity,
        "changed",
        "people in control of content",
        None,
        f"{person.name}: {', '.join(roles)}",
    )
    session.flush()
    return person


def add_with_link(session: Session, activity: Activity, person: dict, *, now: datetime):
    """Add someone in control of content (``person`` as PersonForm.person gives it) and make
    their disclosure link: (the person, the raw token)."""
    added = add_person(session, activity, **person)
    return added, issue_link(session, activity, added, now=now)


def issue_link(session: Session, activity: Activity, person: Person, *, now: datetime) -> str:
    """A new disclosure link for the person (the raw token, shown or sent once); the older
    links of this person and activity stop working."""
    revoke_links(session, activity, person, now=now)
    token = secrets.token_urlsafe(32)
    session.add(
        DisclosureLink(
            activity_id=activity.id,
            person_id=person.id,
            token_hash=digest(token),
            expires_at=now + timedelta(days=DISCLOSURE_LINK_DAYS),
        )
    )
    session.flush()
    return token


def revoke_links(session: Session, activity: Activity, person: Person, *, now: datetime) -> None:
    session.execute(
        update(DisclosureLink)
        .where(
            DisclosureLink.activity_id == activity.id,
            DisclosureLink.person_id == person.id,
            DisclosureLink.revoked_at.is_(None),
            DisclosureLink.used_at.is_(None),
        )
        .values(revoked_at=now)
    )


GONE = {
    "unknown": "This disclosure link is not known. Ask the CME office for a new one.",
    "expired": "This disclosure link has expired. Ask the CME office for a new one.",
    "used": "This disclosure was already given through this link. Thank you.",
    "revoked": "This disclosure link was withdrawn or replaced by a newer one. Use the latest "
    "link you were sent, or ask the CME office.",
}


def open_link(
    session: Session, token: str, *, now: datetime
) -> tuple[DisclosureLink | None, str | None]:
    """The link a token opens, or why it does not (a key of GONE)."""
    link = session.exec(
        select(DisclosureLink).where(DisclosureLink.token_hash == digest(token))
    ).first()
    if link is None:
        return None, "unknown"
    if link.used_at is not None:
        return None, "used"
    if link.revoked_at is not None:
        return None, "revoked"
    if link.expires_at.replace(tzinfo=link.expires_at.tzinfo or UTC) <= now:
        return None, "expired"
    return link, None


def submit(
    session: Session,
    link: DisclosureLink,
    *,
    has_none: bool,
    relationships: list[dict],
    now: datetime,
    employee_of: str | None = None,
) -> Disclosure:
    """Store what the person disclosed, once: the link is claimed inside the UPDATE, so two
    submissions at once store one disclosure."""
    claimed = session.execute(
        update(DisclosureLink)
        .where(
            DisclosureLink.id == link.id,
            DisclosureLink.used_at.is_(None),
            DisclosureLink.revoked_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise Refused(GONE["used"])
    disclosure = Disclosure(
        activity_id=link.activity_id,
        person_id=link.person_id,
        has_none=has_none,
        attested=True,
        submitted_at=now,
        employee_of=employee_of,
    )
    session.add(disclosure)
    session.flush()
    for row in relationships:
        session.add(FinancialRelationship(disclosure_id=disclosure.id, **row))
    activity = session.get(Activity, link.activity_id)
    person = session.get(Person, link.person_id)
    said = "none" if has_none else f"{len(relationships)} relationship(s)"
    audit.record(session, activity, "changed", f"disclosure of {person.name}", None, said)
    session.flush()
    return disclosure


def decide(
    session: Session,
    activity: Activity,
    relationship: FinancialRelationship,
    *,
    relevant: bool,
    user_id: int,
    now: datetime,
) -> None:
    old = relationship.relevant
    relationship.relevant, relationship.decided_by_id, relationship.decided_at = (
        relevant,
        user_id,
        now,
    )
    session.add(relationship)
    audit.record(
        session, activity, "changed", f"relevance of {relationship.company}", old, relevant
    )
    session.flush()


def mitigate(
    session: Session,
    activity: Activity,
    relationship: FinancialRelationship,
    *,
    role: str,
    kind: str,
    note: str | None,
    user_id: int,
    now: datetime,
) -> Mitigation:
    if not relationship.relevant:
        raise Refused("Only a relationship judged relevant is mitigated.")
    disclosure = session.get(Disclosure, relationship.disclosure_id)
    held = set(
        session.exec(
            select(ContentRoleRow.role).where(
                ContentRoleRow.activity_id == activity.id,
                ContentRoleRow.person_id == disclosure.person_id,
            )
        )
    )
    if role not in held:
        raise Refused(f"The person has no role {role} in this activity.")
    mitigation = Mitigation(
        relationship_id=relationship.id, role=role, kind=kind, note=note, by_id=user_id, at=now
    )
    session.add(mitigation)
    audit.record(
        session,
        activity,
        "changed",
        f"mitigation of {relationship.company}",
        None,
        f"{role}: {kind}",
    )
    session.flush()
    return mitigation


def relationship_of(session: Session, activity: Activity, relationship_id: int):
    """The relationship, if it belongs to a disclosure for this activity."""
    found = session.get(FinancialRelationship, relationship_id)
    if found is None:
        return None
    disclosure = session.get(Disclosure, found.disclosure_id)
    return found if disclosure is not None and disclosure.activity_id == activity.id else None


# Readiness: what the Standards still need of an activity, beside (not inside) its PARS status.


@dataclass
class Readiness:
    applies: bool
    exempt: str | None = None  # why the activity is not checked
    blockers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # allowed, but flagged


def supporters(activity: Activity) -> list[str]:
    """The names of the activity's commercial supporters (monetary or in kind), once each."""
    if not activity.commercial_support:
        return []
    return list(dict.fromkeys(s.source for s in activity.support_sources if s.source))


def agreements(session: Session, activity: Activity) -> dict[str, SupportAgreement]:
    rows = session.exec(select(SupportAgreement).where(SupportAgreement.activity_id == activity.id))
    return {row.source: row for row in rows}


def readiness(session: Session, activity: Activity, *, today) -> Readiness:
    """Whether the activity is ready as the Standards ask: every disclosure in, every relevant
    relationship mitigated for every role, owners and employees excepted, and each supporter's
    agreement signed before the start. Only activities starting on or after the day the
    provider turned this on are checked; historical ones never are."""
    provider = session.get(Provider, activity.provider_id)
    if provider.integrity_since is None:
        return Readiness(False, "Independence checks are not turned on for this provider.")
    if status.is_historical(activity):
        return Readiness(False, "A historical activity is exempt from the independence checks.")
    if activity.start_date is None or activity.start_date < provider.integrity_since:
        return Readiness(
            False,
            f"Exempt: it starts before {provider.integrity_since:%m/%d/%Y}, when the "
            "independence checks were turned on.",
        )
    people = involved(session, activity)
    found = Readiness(True, blockers=rules.blockers([p.as_controller() for p in people]))
    signed = agreements(session, activity)
    found.blockers += rules.agreement_problems(
        [
            rules.Agreement(
                name,
                getattr(signed.get(name), "provider_signed_on", None),
                getattr(signed.get(name), "supporter_signed_on", None),
            )
            for name in supporters(activity)
        ],
        activity.start_date,
    )
    for entry in people:
        for relationship_mitigations in entry.mitigations.values():
            for mitigation in relationship_mitigations:
                if mitigation.at.date() > activity.start_date:
                    found.warnings.append(
                        f"A mitigation for {entry.person.name} was recorded after the activity "
                        "started."
                    )
    if found.blockers and activity.start_date <= today:
        found.warnings.append("The activity has started with the independence checks incomplete.")
    return found


def delete_refusal(session: Session, activity: Activity) -> str | None:
    """An activity with a disclosure or a signed support agreement on file stays: they are
    the record of its independence that the provider must be able to show."""
    disclosures = session.exec(
        select(func.count()).select_from(Disclosure).where(Disclosure.activity_id == activity.id)
    ).one()
    agreements = session.exec(
        select(func.count())
        .select_from(SupportAgreement)
        .where(SupportAgreement.activity_id == activity.id)
    ).one()
    if not (disclosures or agreements):
        return None
    kept = [
        f"{disclosures} disclosure(s) of financial relationships" if disclosures else "",
        f"{agreements} commercial support agreement(s)" if agreements else "",
    ]
    return (
        f"This activity has {' and '.join(k for k in kept if k)} on file, the record of its "
        "independence, and cannot be deleted."
    )


def drop_unused_rows(session: Session, activity: Activity) -> None:
    """What a deleted activity takes along: its people's roles, their disclosure links and
    reminders (the people stay in the provider's directory)."""
    for model in (DisclosureReminder, DisclosureLink, ContentRoleRow):
        session.execute(delete(model).where(model.activity_id == activity.id))


def close_refusal(session: Session, activity: Activity, *, today) -> str | None:
    """Why the provider's setting keeps the activity from closing, or None."""
    provider = session.get(Provider, activity.provider_id)
    if not provider.integrity_blocks_closing:
        return None
    ready = readiness(session, activity, today=today)
    if ready.applies and ready.blockers:
        return "Independence is not complete: " + "; ".join(ready.blockers) + "."
    return None


def save_agreement(
    session: Session, activity: Activity, source: str, values: dict
) -> SupportAgreement:
    """Record a supporter's agreement (the file only when a new one is given)."""
    found = agreements(session, activity).get(source) or SupportAgreement(
        activity_id=activity.id, source=source
    )
    for name, value in values.items():
        if name in ("content", "filename") and value is None:
            continue
        setattr(found, name, value)
    found.updated_at = datetime.now(UTC)
    session.add(found)
    audit.record(
        session,
        activity,
        "changed",
        f"agreement with {source}",
        None,
        f"signed {values.get('provider_signed_on')} / {values.get('supporter_signed_on')}",
    )
    session.flush()
    return found


def record_exception(
    session: Session, activity: Activity, person: Person, role: str, exception: str
) -> None:
    row = session.exec(
        select(ContentRoleRow).where(
            ContentRoleRow.activity_id == activity.id,
            ContentRoleRow.person_id == person.id,
            ContentRoleRow.role == role,
        )
    ).first()
    if row is None:
        raise Refused(f"{person.name} has no role {role} in this activity.")
    row.exclusion_exception = exception
    session.add(row)
    audit.record(
        session, activity, "changed", f"exception for {person.name}", None, f"{role}: {exception}"
    )
    session.flush()


def companies(session: Session, provider_id: int) -> list[Company]:
    """The provider's company registry, first filled with every company already named as a
    commercial supporter or in a disclosure."""
    known = set(session.exec(select(Company.name).where(Company.provider_id == provider_id)))
    supporters_named = session.exec(
        select(SupportSource.source)
        .join(Activity, Activity.id == SupportSource.activity_id)
        .where(Activity.provider_id == provider_id)
    )
    disclosed = session.exec(
        select(FinancialRelationship.company)
        .join(Disclosure, Disclosure.id == FinancialRelationship.disclosure_id)
        .join(Activity, Activity.id == Disclosure.activity_id)
        .where(Activity.provider_id == provider_id)
    )
    for name in {*supporters_named, *disclosed} - known:
        if name and name.strip():
            session.add(Company(provider_id=provider_id, name=name.strip()[:200]))
    session.flush()
    return list(
        session.exec(
            select(Company).where(Company.provider_id == provider_id).order_by(Company.name)
        )
    )


def assess(session: Session, company: Company, answers: dict, *, user_id: int, now: datetime):
    """Record ACCME's self-assessment answers and the determination they give."""
    for name, value in answers.items():
        setattr(company, name, value)
    company.ineligible = rules.ineligible(**answers)
    company.determined_by_id, company.determined_at = user_id, now
    session.add(company)
    session.flush()


def ineligible_names(session: Session, provider_id: int) -> list[str]:
    """The registry's companies not found eligible, for the disclosure form to suggest."""
    query = select(Company.name).where(
        Company.provider_id == provider_id, Company.ineligible.is_not(False)
    )
    return list(session.exec(query.order_by(Company.name)))


def readiness_of_rows(session: Session, provider_id: int, activities, *, today) -> dict:
    """Readiness of the activities a list page shows (only those the checks apply to)."""
    provider = session.get(Provider, provider_id)
    if provider.integrity_since is None:
        return {}
    found = {}
    for activity in activities:
        ready = readiness(session, activity, today=today)
        if ready.applies:
            found[activity.id] = ready
    return found


def not_ready_soon(session: Session, provider_id: int, *, today, days: int = 30) -> list:
    """Activities starting within ``days`` whose independence checks are incomplete."""
    provider = session.get(Provider, provider_id)
    if provider.integrity_since is None:
        return []
    upcoming = session.exec(
        select(Activity)
        .where(
            Activity.provider_id == provider_id,
            Activity.closed_at.is_(None),
            Activity.start_date >= max(today, provider.integrity_since),
            Activity.start_date <= today + timedelta(days=days),
        )
        .order_by(Activity.start_date, Activity.id)
    )
    return [a for a in upcoming if readiness(session, a, today=today).blockers]


def disclosure_on_file(session: Session, person: Person, *, now: datetime):
    """The person's latest disclosure still valid under the provider's setting (for another
    activity, too), with its relationships: the new form starts from it, and the person is
    still asked to confirm it for this activity."""
    provider = session.get(Provider, person.provider_id)
    since = now - timedelta(days=30 * provider.disclosure_valid_months)
    found = session.exec(
        select(Disclosure)
        .where(Disclosure.person_id == person.id, Disclosure.submitted_at >= since)
        .order_by(Disclosure.submitted_at.desc(), Disclosure.id.desc())
    ).first()
    if found is None:
        return None, []
    rows = session.exec(
        select(FinancialRelationship)
        .where(FinancialRelationship.disclosure_id == found.id)
        .order_by(FinancialRelationship.id)
    )
    return found, list(rows)
