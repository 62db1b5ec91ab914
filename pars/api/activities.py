"""Activities through the API: list, get, create, update, delete, learner counts, close.
Writes go through the entry form's rules (pars.uploads.kinds.activity_records) and
pars.activities.operations."""

from flask import g, jsonify, request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from pars.activities import operations, queries
from pars.activities import status as activity_status
from pars.api import Problem, bp, json_body
from pars.api.schema import LearnerCountsBody, activity_json, problems, type_errors, values_of
from pars.core import clock, validation
from pars.core.db import get_session
from pars.core.errors import Refused
from pars.models import Activity, MocRegistration
from pars.uploads.kinds import activity_records
from pars.vocab import Status

PER_PAGE, MAX_PER_PAGE = 25, 100
CHILDREN = (
    "delivery_methods",
    "repeat_instances",
    "joint_providers",
    "outcomes",
    "support_sources",
    "commendation_tags",
)
LOADS = [selectinload(getattr(Activity, name)) for name in CHILDREN] + [
    selectinload(Activity.moc_registrations).selectinload(MocRegistration.credit_types),
    selectinload(Activity.moc_registrations).selectinload(MocRegistration.practice_areas),
]


def number_arg(name: str, default: int, highest: int) -> int:
    text = request.args.get(name, str(default))
    if not text.isdigit() or not 1 <= int(text) <= highest:
        raise Problem(400, "Bad query parameter.", [(name, f"A whole number from 1 to {highest}.")])
    return int(text)


def list_filter() -> queries.ActivityFilter:
    year, status = request.args.get("year", ""), request.args.get("status", "")
    if year and not (year.isdigit() and 1990 <= int(year) <= 2100):
        raise Problem(400, "Bad query parameter.", [("year", "A year from 1990 to 2100.")])
    if status and status not in {s.value for s in Status} | {queries.NOT_CLOSED}:
        raise Problem(400, "Bad query parameter.", [("status", "One of the statuses.")])
    return queries.ActivityFilter(
        q=request.args.get("q", "").strip()[:200],
        status=status,
        format=request.args.get("format", ""),
        year=int(year) if year else None,
    )


@bp.get("/activities")
def list_activities():
    """A page of the provider's activities, filtered like the list page."""
    page, per_page = number_arg("page", 1, 10**6), number_arg("per_page", PER_PAGE, MAX_PER_PAGE)
    session, flt = get_session(), list_filter()
    today = clock.today()
    total = queries.count(session, g.api_user.provider_id, flt, today=today)
    found = session.exec(
        queries.filtered(session, g.api_user.provider_id, flt, today=today)
        .options(*LOADS)
        .order_by(Activity.created_at.desc(), Activity.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return jsonify(
        items=[activity_json(a, today=today) for a in found],
        page=page,
        per_page=per_page,
        total=total,
    )


def own_activity(activity_id: int) -> Activity:
    found = queries.get_activity(
        get_session(), provider_id=g.api_user.provider_id, activity_id=activity_id
    )
    if found is None:
        raise Problem(404, f"No activity {activity_id} among yours.")
    return found


@bp.get("/activities/<int:activity_id>")
def get_activity(activity_id: int):
    return jsonify(activity_json(own_activity(activity_id), today=clock.today()))


def body() -> dict:
    data = json_body()
    if data is None:
        raise Problem(400, "The body must be JSON (Content-Type: application/json).")
    if errors := type_errors(data):
        raise Problem(400, "Some fields are unknown or of the wrong type.", errors)
    if errors := validation.text_problems(data):
        raise Problem(422, "Some text cannot be stored.", errors)
    return data


def checked_steps(data: dict) -> tuple[list[dict], dict]:
    """The step values the entry form accepts for ``data``, or a 422 naming each field."""
    values, errors = values_of(data)
    steps, form_errors = activity_records.checked(values, by_name=True)
    errors += form_errors + activity_records.direct_errors(values)
    if errors:
        raise Problem(422, "The activity breaks the entry form's rules.", errors)
    extra = {n: values[n] for n in (*activity_records.COUNTS, "accme_activity_id")}
    return steps, extra


SHAPE_ERRORS = {"missing", "extra_forbidden"}  # a body not of the call's shape: 400, not 422
HELD_IDS = {"accme_activity_id": "ACCME Activity ID", "internal_id": "internal ID"}


def store(activity: Activity, steps: list[dict], extra: dict, *, read_version: int | None = None):
    session = get_session()
    try:
        operations.claim_version(session, activity, read_version)
    except operations.StaleVersion as stale:
        raise stale_problem(stale) from None
    for values in steps:
        operations.apply_values(activity, values)
    for name, value in extra.items():
        setattr(activity, name, value)
    for field, label in HELD_IDS.items():
        holder = operations.held_by_another(session, activity, field, getattr(activity, field))
        if holder is not None:
            raise Problem(
                409,
                f"Your activity {holder} already has this {label}.",
                [(field, f"Activity {holder} already has it.")],
            )
    try:
        operations.save_activity(session, activity)
        session.commit()
    except IntegrityError:  # the same ID given by a request at the same moment
        session.rollback()
        raise Problem(
            409,
            "Another activity was given the same internal ID or ACCME Activity ID at the same "
            "moment; nothing was saved.",
            [(field, "Already in use.") for field in HELD_IDS],
        ) from None


def stale_problem(stale: "operations.StaleVersion") -> Problem:
    """409 for the save that lost a race, with the activity as the winner left it."""
    get_session().rollback()
    current = activity_json(stale.activity, today=clock.today())
    return Problem(409, str(stale), [("version", "Stale.")], current=current)


@bp.post("/activities")
def create_activity():
    """Create an activity from the JSON fields (draft, active ... as the rules decide)."""
    steps, extra = checked_steps(body())
    activity = Activity(provider_id=g.api_user.provider_id)
    store(activity, steps, extra)
    response = jsonify(activity_json(activity, today=clock.today()))
    response.status_code = 201
    response.headers["Location"] = f"{bp.url_prefix}/activities/{activity.id}"
    return response


@bp.patch("/activities/<int:activity_id>")
def update_activity(activity_id: int):
    """Change the fields given; ``version`` must be the one read (else 409)."""
    activity, data = own_activity(activity_id), body()
    if data.get("version") != activity.version:
        raise Problem(
            409,
            f"The activity changed since it was read (version {activity.version}); read it again.",
            [("version", "Stale.")],
        )
    if refusal := activity_status.change_refusal(activity):
        raise Problem(409, refusal)
    current = activity_json(activity, today=clock.today())
    steps, extra = checked_steps(
        {
            k: v
            for k, v in current.items()
            if k in data or k not in ("id", "status", "blocking", "version")
        }
        | data
    )
    store(activity, steps, extra, read_version=data["version"])
    return jsonify(activity_json(activity, today=clock.today()))


@bp.delete("/activities/<int:activity_id>")
def delete_activity(activity_id: int):
    activity, session = own_activity(activity_id), get_session()
    try:
        operations.delete_activity(session, activity)
    except Refused as refusal:
        raise Problem(409, str(refusal)) from None
    session.commit()
    return "", 204


@bp.put("/activities/<int:activity_id>/learner-counts")
def set_learner_counts(activity_id: int):
    """Both totals at once, on the version read (a stale version gives 409)."""
    activity, data = own_activity(activity_id), json_body()
    if not isinstance(data, dict):
        raise Problem(400, "The body must be a JSON object.")
    found = problems(LearnerCountsBody, data)
    shape = [(path, message) for path, message, kind in found if kind in SHAPE_ERRORS]
    if shape:
        raise Problem(400, "Send physician_learners, other_learners and version.", shape)
    if found:
        raise Problem(422, "The totals are not valid.", [(p, m) for p, m, _ in found])
    try:
        operations.set_learner_counts(
            get_session(),
            activity,
            physician=data["physician_learners"],
            other=data["other_learners"],
            version=data["version"],
            today=clock.today(),
        )
    except Refused as refusal:
        raise Problem(409, str(refusal)) from None
    get_session().commit()
    return jsonify(activity_json(activity, today=clock.today()))


@bp.post("/activities/<int:activity_id>/close")
def close_activity(activity_id: int):
    activity = own_activity(activity_id)
    try:
        operations.close_activity(
            get_session(), activity, user_id=g.api_user.id, today=clock.today()
        )
    except Refused as refusal:
        raise Problem(409, str(refusal)) from None
    get_session().commit()
    return jsonify(activity_json(activity, today=clock.today()))
