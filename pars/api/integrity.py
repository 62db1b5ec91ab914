"""Integrity and independence through the API: the provider's people, who controls an
activity's content (adding one answers with their disclosure link), the readiness and the
disclosure to learners, and staff's relevance decisions and mitigations, with the pages' own
forms and operations."""

from datetime import UTC, datetime
from typing import Literal

from flask import g, jsonify, url_for
from pydantic import StrictBool, StrictStr
from sqlmodel import select
from werkzeug.datastructures import MultiDict

from pars.activities import status as activity_status
from pars.api import Problem, bp
from pars.api.activities import own_activity
from pars.api.learners import flat, json_object
from pars.api.schema import Item
from pars.core import clock
from pars.core.db import get_session
from pars.core.errors import Refused
from pars.integrity import operations, rules
from pars.integrity.forms import MitigationForm, PersonForm
from pars.models import Person
from pars.vocab import ContentRole, MitigationKind

Text = StrictStr | None
ROLES = tuple(r.value for r in ContentRole)
KINDS = tuple(k.value for k in MitigationKind)


class PersonBody(Item):
    """POST .../people: someone in control of content, with their roles in the activity."""

    name: StrictStr
    email: StrictStr
    biography: Text = None
    roles: list[Literal[ROLES]]


class RelevanceBody(Item):
    relevant: StrictBool


class MitigationBody(Item):
    role: Literal[ROLES]
    kind: Literal[KINDS]
    note: Text = None


def person_json(person: Person) -> dict:
    return {
        "id": person.id,
        "name": person.name,
        "email": person.email,
        "biography": person.biography,
    }


def involved_json(entry: operations.Involved) -> dict:
    return person_json(entry.person) | {
        "roles": entry.roles,
        "disclosed": entry.disclosure is not None,
        "has_none": entry.disclosure.has_none if entry.disclosure else None,
        "relationships": [
            {
                "id": r.id,
                "company": r.company,
                "nature": r.nature,
                "last_date": r.last_date.isoformat(),
                "ended": r.ended,
                "relevant": r.relevant,
                "mitigations": [
                    {"role": m.role, "kind": m.kind, "note": m.note}
                    for m in entry.mitigations.get(r.id, [])
                ],
            }
            for r in entry.relationships
        ],
    }


def changeable(activity) -> None:
    if refusal := activity_status.change_refusal(activity):
        raise Problem(409, refusal)


@bp.get("/people")
def list_people():
    rows = get_session().exec(
        select(Person).where(Person.provider_id == g.api_user.provider_id).order_by(Person.name)
    )
    return jsonify(items=[person_json(p) for p in rows])


@bp.get("/activities/<int:activity_id>/people")
def activity_people(activity_id: int):
    activity = own_activity(activity_id)
    return jsonify(items=[involved_json(e) for e in operations.involved(get_session(), activity)])


@bp.post("/activities/<int:activity_id>/people")
def add_person(activity_id: int):
    """Add someone in control of content; answers with their disclosure link (shown once)."""
    activity, data = own_activity(activity_id), json_object(PersonBody)
    changeable(activity)
    given = MultiDict(
        [(k, data[k]) for k in ("name", "email", "biography") if data.get(k) is not None]
        + [("roles", role) for role in data["roles"]]
    )
    form = PersonForm(formdata=given, meta={"csrf": False})
    if not form.validate():
        errors = [(f.name, str(m)) for f in form for m in flat(f.errors)]
        raise Problem(422, "The person breaks the form's rules.", errors)
    session = get_session()
    person, token = operations.add_with_link(
        session, activity, form.person(), now=datetime.now(UTC)
    )
    session.commit()
    response = jsonify(
        person_json(person)
        | {"disclosure_link": url_for("integrity.disclose", token=token, _external=True)}
    )
    response.status_code = 201
    return response


@bp.get("/activities/<int:activity_id>/independence")
def independence(activity_id: int):
    """The readiness, what blocks it, and the disclosure to learners (also as text)."""
    activity, session = own_activity(activity_id), get_session()
    ready = operations.readiness(session, activity, today=clock.today())
    entries, statement = operations.learner_disclosure(session, activity)
    return jsonify(
        applies=ready.applies,
        exempt=ready.exempt,
        blocking=ready.blockers
        or rules.blockers([e.as_controller() for e in operations.involved(session, activity)]),
        warnings=ready.warnings,
        disclosure=operations.public_disclosure(session, activity),
        text=rules.plain_text(entries, statement),
    )


def own_relationship(activity, relationship_id: int):
    found = operations.relationship_of(get_session(), activity, relationship_id)
    if found is None:
        raise Problem(404, f"No relationship {relationship_id} in this activity's disclosures.")
    return found


@bp.put("/activities/<int:activity_id>/relationships/<int:relationship_id>/relevance")
def decide(activity_id: int, relationship_id: int):
    activity = own_activity(activity_id)
    changeable(activity)
    relationship = own_relationship(activity, relationship_id)
    data = json_object(RelevanceBody)
    operations.decide(
        get_session(),
        activity,
        relationship,
        relevant=data["relevant"],
        user_id=g.api_user.id,
        now=datetime.now(UTC),
    )
    get_session().commit()
    return jsonify(id=relationship.id, relevant=relationship.relevant)


@bp.post("/activities/<int:activity_id>/relationships/<int:relationship_id>/mitigations")
def mitigate(activity_id: int, relationship_id: int):
    activity = own_activity(activity_id)
    changeable(activity)
    relationship = own_relationship(activity, relationship_id)
    data = json_object(MitigationBody)
    given = MultiDict((k, v) for k, v in data.items() if v is not None)
    form = MitigationForm(formdata=given, meta={"csrf": False})
    if not form.validate():
        errors = [(f.name, str(m)) for f in form for m in flat(f.errors)]
        raise Problem(422, "The mitigation breaks the form's rules.", errors)
    try:
        mitigation = operations.mitigate(
            get_session(),
            activity,
            relationship,
            role=form.role.data,
            kind=form.kind.data,
            note=(form.note.data or "").strip() or None,
            user_id=g.api_user.id,
            now=datetime.now(UTC),
        )
    except Refused as refusal:
        raise Problem(409, str(refusal)) from None
    get_session().commit()
    response = jsonify(id=mitigation.id, role=mitigation.role, kind=mitigation.kind)
    response.status_code = 201
    return response
