"""Learner completions and matching through the API, with the learner form's own rules."""

from typing import Literal

from flask import g, jsonify
from pydantic import StrictBool, StrictFloat, StrictInt, StrictStr
from sqlmodel import select
from werkzeug.datastructures import MultiDict

from pars.activities import status as activity_status
from pars.api import Problem, bp, json_body
from pars.api.activities import own_activity
from pars.api.schema import Item, problems
from pars.core import clock, validation
from pars.core.db import get_session
from pars.core.errors import Refused
from pars.learners import completions, directory
from pars.learners import rules as learner_rules
from pars.learners.forms import LearnerForm, ParsResultForm
from pars.models import LearnerCompletion
from pars.vocab import DeaRegistration, RemsPracticeArea, RemsProfession, TimeInPractice

Text = StrictStr | None


def values_of(enum) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


class LearnerIdentity(Item):
    """POST /learners/match: who to look for in the learner directory."""

    first_name: Text = None
    last_name: Text = None
    birth_month_day: Text = None
    state: Text = None
    npi: Text = None
    board: Text = None
    board_id: Text = None


class LearnerBody(LearnerIdentity):
    """POST .../learners: one completion, checked then by the learner form's own rules."""

    license_number: Text = None
    completion_date: Text = None
    cme_credits: StrictInt | StrictFloat | None = None
    board_credits: dict[StrictStr, StrictInt | StrictFloat] | None = None
    report_permission: StrictBool | None = None  # the learner's permission to report it
    # A REMS activity's participant details (the learner form's; profession required there).
    rems_profession: Literal[values_of(RemsProfession)] | None = None
    rems_practice_state: Text = None
    rems_dea_registration: Literal[values_of(DeaRegistration)] | None = None
    rems_practice_area: Literal[values_of(RemsPracticeArea)] | None = None
    rems_surgical: StrictBool | None = None
    rems_time_in_practice: Literal[values_of(TimeInPractice)] | None = None


class ParsAnswerBody(Item):
    """PATCH .../learners/<id>: what PARS answered about the reported completion."""

    pars_result: Literal["Accepted", "Rejected"] | None = None
    pars_reason: Text = None


FLAGS = ("report_permission", "rems_surgical")  # yes/no selects on the form
TEXT = [
    n
    for n, f in LearnerBody.model_fields.items()
    if n not in FLAGS and n not in ("cme_credits", "board_credits")
]
IDENTITY = tuple(LearnerIdentity.model_fields)


def completion_json(row: LearnerCompletion) -> dict:
    return {
        "id": row.id,
        **{name: getattr(row, name) for name in TEXT},
        "completion_date": row.completion_date.isoformat(),
        "cme_credits": row.cme_credits,
        "board_credits": {c.credit_type: c.points for c in row.board_credits},
        "match_result": row.match_result,
        **{name: getattr(row, name) for name in FLAGS},
        "pars_result": row.pars_result,
        "pars_reason": row.pars_reason,
    }


def json_object(model: type[Item]) -> dict:
    """The body, once it is ``model``'s shape (a 400 naming each field that is not)."""
    data = json_body()
    if not isinstance(data, dict):
        raise Problem(400, "The body must be a JSON object.")
    if errors := validation.text_problems(data):
        raise Problem(422, "Some text cannot be stored.", errors)
    if found := problems(model, data):
        errors = [(path, message) for path, message, _ in found]
        raise Problem(400, "Some fields are unknown or of the wrong type.", errors)
    return data


def posted(data: dict) -> MultiDict:
    """The body as the learner form would receive it from a browser."""
    form = MultiDict((name, data[name]) for name in TEXT if data.get(name) is not None)
    for name in FLAGS:
        if data.get(name) is not None:
            form.add(name, "yes" if data[name] else "no")
    if data.get("cme_credits") is not None:
        form.add("cme_credits", str(data["cme_credits"]))
    for n, (credit_type, points) in enumerate((data.get("board_credits") or {}).items()):
        form.add(f"board_points-{n}-credit_type", str(credit_type))
        form.add(f"board_points-{n}-points", str(points))
    return form


@bp.get("/activities/<int:activity_id>/learners")
def list_learners(activity_id: int):
    activity = own_activity(activity_id)
    rows = (
        get_session()
        .exec(
            select(LearnerCompletion)
            .where(LearnerCompletion.activity_id == activity.id)
            .order_by(LearnerCompletion.id)
        )
        .all()
    )
    return jsonify(items=[completion_json(r) for r in rows])


@bp.post("/activities/<int:activity_id>/learners")
def add_learner(activity_id: int):
    """Add one completion; the physician total is raised when it falls short."""
    activity, data = own_activity(activity_id), json_object(LearnerBody)
    if refusal := activity_status.change_refusal(activity, to="change its learners"):
        raise Problem(409, refusal)
    form = LearnerForm(formdata=posted(data), meta={"csrf": False}).for_activity(activity)
    if not form.check(activity, today=clock.today()):
        errors = [(f.name, str(m)) for f in form for m in flat(f.errors)]
        raise Problem(422, "The learner breaks the learner form's rules.", errors)
    try:
        row, _ = completions.add_completion(
            get_session(), activity, form.values(), today=clock.today()
        )
    except Refused as refusal:
        raise Problem(409, str(refusal), [("completion_date", str(refusal))]) from None
    get_session().commit()
    response = jsonify(
        completion_json(row) | {"activity_physician_learners": activity.physician_learners}
    )
    response.status_code = 201
    return response


def flat(errors) -> list:
    if isinstance(errors, dict):
        return [m for v in errors.values() for m in flat(v)]
    if isinstance(errors, list):
        return [m for v in errors for m in flat(v)]
    return [errors]


@bp.patch("/activities/<int:activity_id>/learners/<int:completion_id>")
def record_pars_answer(activity_id: int, completion_id: int):
    """Record PARS's answer about a reported completion (a rejection needs its reason)."""
    activity, session = own_activity(activity_id), get_session()
    row = own_completion(activity, completion_id)
    data = json_object(ParsAnswerBody)
    given = MultiDict((k, v) for k, v in data.items() if v is not None)
    form = ParsResultForm(formdata=given, meta={"csrf": False})
    if not form.validate():  # the page's own rules: a rejection needs its reason
        errors = [(f.name, str(m)) for f in form for m in flat(f.errors)]
        raise Problem(422, "The answer breaks the form's rules.", errors)
    reason = (form.pars_reason.data or "").strip() or None
    completions.record_pars_result(row, form.pars_result.data or None, reason)
    session.commit()
    return jsonify(completion_json(row))


def own_completion(activity, completion_id: int) -> LearnerCompletion:
    row = get_session().get(LearnerCompletion, completion_id)
    if row is None or row.activity_id != activity.id:
        raise Problem(404, f"No completion {completion_id} in activity {activity.id}.")
    return row


@bp.delete("/activities/<int:activity_id>/learners/<int:completion_id>")
def delete_learner(activity_id: int, completion_id: int):
    activity, session = own_activity(activity_id), get_session()
    row = own_completion(activity, completion_id)
    if refusal := activity_status.change_refusal(activity, to="change its learners"):
        raise Problem(409, refusal)
    completions.delete_completion(session, row)
    session.commit()
    return "", 204


@bp.post("/learners/match")
def match_learner():
    """Exact, probable (with the reasons) or no match in the provider's learner directory."""
    data = json_object(LearnerIdentity)
    missing = [(n, "Required.") for n in IDENTITY[:3] if not (data.get(n) or "").strip()]
    if not missing and (error := learner_rules.birth_month_day_error(data["birth_month_day"])):
        missing.append(("birth_month_day", error))
    if missing:
        raise Problem(422, "Name and MM/DD of birth are needed to match.", missing)
    proposed = directory.Proposed(**{n: (data.get(n) or "").strip() or None for n in IDENTITY})
    result = directory.match(get_session(), g.api_user.provider_id, proposed)
    return jsonify(
        result=result.kind.value,
        candidates=[
            {
                "learner_id": c.person.id,
                "first_name": c.person.first_name,
                "last_name": c.person.last_name,
                "birth_month_day": c.person.birth_month_day,
                "state": c.person.state,
                "reasons": c.reasons,
            }
            for c in result.candidates
        ],
    )
