"""Add and edit activities: the five steps, their conditional sections, and copy."""

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from pars.activities import operations, queries
from pars.activities import status as activity_status
from pars.activities.sections import applicable_sections
from pars.activities.step_forms import (
    STEP_NAMES,
    answers_of,
    prepare_rows,
    progress,
    rows_changed,
)
from pars.activities.step_forms.accreditation import AccreditationForm
from pars.activities.step_forms.basics import BasicsForm
from pars.activities.step_forms.collaborations import CollaborationsForm
from pars.activities.step_forms.learners import LearnerInformationForm
from pars.core import clock
from pars.core.db import get_session
from pars.models import Activity
from pars.views.activities import get_activity_or_404
from pars.vocab import UNITED_STATES, Status

bp = Blueprint("wizard", __name__, url_prefix="/activities")

FORMS = {1: BasicsForm, 2: LearnerInformationForm, 3: AccreditationForm, 4: CollaborationsForm}
SECTIONS = {1: {"occurrence"}, 2: {"listing"}, 3: {"joint", "support", "commendation"}, 4: {"moc"}}


def editable_or_409(activity: Activity) -> None:
    if refusal := activity_status.change_refusal(activity):
        abort(409, refusal)


def render_step(
    activity: Activity,
    step: int,
    form,
    *,
    status: int = 200,
    new: bool = False,
    conflict=None,
    show_gaps: bool = False,
):
    sections = applicable_sections(form.answers(answers_of(activity)))
    prepare_rows(form, sections)
    still_open = progress.mark(form, progress.stand_in(activity, form, sections))
    if show_gaps:  # editing a Draft: what keeps it a Draft, in red beside each field
        progress.show_gaps(form, still_open)
    return render_template(
        "wizard/step.html",
        activity=activity,
        step=step,
        form=form,
        sections=sections,
        step_names=STEP_NAMES,
        new=new,
        conflict=conflict,
        still_open=still_open,
        gaps=progress.steps_with_gaps(activity),
        close_refusal=activity_status.close_refusal(activity, today=clock.today())
        if activity.id
        else None,
    ), status


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Start a new activity at step 1, Basics."""
    activity = Activity(provider_id=current_user.provider_id)
    return step_view(activity, 1, new=True)


@bp.route("/<int:activity_id>/steps/<int:step>", methods=["GET", "POST"])
def edit(activity_id: int, step: int):
    """Show or save one step of an activity."""
    activity = get_activity_or_404(activity_id)
    editable_or_409(activity)
    if step == 5:
        return complete(activity)
    if step not in FORMS:
        abort(404)
    return step_view(activity, step, new=request.args.get("new") == "1")


def step_view(activity: Activity, step: int, *, new: bool):
    form = FORMS[step]()
    if request.method == "GET":
        form.load(activity)
        form.version.data = "" if activity.id is None else str(activity.version)
        form.entry_key.data = secrets.token_urlsafe(16) if activity.id is None else ""
        if activity.id is None:
            default_country(form, applicable_sections(form.answers(answers_of(activity))))
        is_draft = activity.id is not None and activity.stage == Status.DRAFT.value
        return render_step(activity, step, form, new=new, show_gaps=is_draft and not new)
    if rows_changed(form, request.form):  # "+ Add" or remove without JavaScript
        return render_step(activity, step, form, new=new)
    if not form.is_valid(answers_of(activity)) or not unique_internal_id(activity, form):
        return render_step(activity, step, form, status=422, new=new)
    session = get_session()
    sections = applicable_sections(form.answers(answers_of(activity)))
    try:
        operations.claim_version(session, activity, form.version.read())
    except operations.StaleVersion as stale:  # the form is kept, with what happened
        session.rollback()
        return render_step(activity, step, form, status=409, new=new, conflict=str(stale))
    operations.apply_values(activity, form.values(sections))
    if activity.id is None:
        activity.entry_key = form.entry_key.data or None
    try:
        operations.save_activity(session, activity)
    except IntegrityError:  # the same Add Activity page, submitted twice: one activity
        session.rollback()
        first = queries.made_by_entry(session, current_user.provider_id, form.entry_key.data)
        if first is None:
            raise
        return redirect(url_for("wizard.edit", activity_id=first, step=2, new="1"), code=303)
    created = []
    if step == 4 and request.form.get("action") != "back":
        created = operations.split_repeats(session, activity, today=clock.today())
    session.commit()
    if created:
        flash(f"{len(created) + 1} activities created, one for each occurrence.", "success")
    target = step - 1 if request.form.get("action") == "back" else step + 1
    args = {"new": "1"} if new else {}
    return redirect(
        url_for("wizard.edit", activity_id=activity.id, step=max(target, 1), **args), code=303
    )


def unique_internal_id(activity: Activity, form) -> bool:
    """The internal ID and the ACCME Activity ID are each unique within the provider: no two
    of its activities share one (another provider's are never looked at)."""
    unique = True
    for name, noun in (("internal_id", "internal ID"), ("accme_activity_id", "ACCME Activity ID")):
        field = getattr(form, name, None)
        if field is None or not (field.data or "").strip():
            continue
        other = operations.held_by_another(get_session(), activity, name, field.data.strip())
        if other:
            field.errors = [*field.errors, f"Activity {other} already uses this {noun}."]
            unique = False
    return unique


def complete(activity: Activity):
    today = clock.today()
    return render_template(
        "wizard/complete.html",
        activity=activity,
        step=5,
        step_names=STEP_NAMES,
        blocking=activity_status.blocking(activity, today=today),
        new=request.args.get("new") == "1",
    )


@bp.get("/form/<int:step>/actions")
def step_actions(step: int):
    """The step's buttons and how many of its questions are still open, from the answers
    typed so far (the primary style only once the step is complete)."""
    if step not in FORMS:
        abort(404)
    activity = Activity(provider_id=current_user.provider_id)
    if request.args.get("activity_id", "").isdigit():
        activity = get_activity_or_404(int(request.args["activity_id"]))
    form = FORMS[step](formdata=request.args, meta={"csrf": False})
    sections = applicable_sections(form.answers(answers_of(activity)))
    prepare_rows(form, sections)
    still_open = progress.open_questions(progress.stand_in(activity, form, sections), step)
    return render_template(
        "wizard/_step_actions.html", step=step, activity=activity, still_open=still_open
    )


@bp.get("/form/<int:step>/sections/<name>")
def form_section(step: int, name: str):
    """Re-render one conditional section of a step from the answers typed so far."""
    if name not in SECTIONS.get(step, ()):
        abort(404)
    activity = Activity(provider_id=current_user.provider_id)
    if request.args.get("activity_id", "").isdigit():
        activity = get_activity_or_404(int(request.args["activity_id"]))
    form = FORMS[step](formdata=request.args, meta={"csrf": False})
    rows_changed(form, request.args)
    sections = applicable_sections(form.answers(answers_of(activity)))
    prepare_rows(form, sections)
    if step == 1 and "country" not in request.args:  # the location just opened
        default_country(form, sections)
    progress.mark(form, progress.stand_in(activity, form, sections))
    return render_template(
        f"wizard/_section_{name}.html", form=form, sections=sections, activity=activity, step=step
    )


def default_country(form, sections) -> None:
    """A new in-person activity starts in the United States (as the tutorial's screen shows):
    the country list is filled in the first time the location is asked."""
    if sections.location and not form.country.data:
        form.country.data = UNITED_STATES
    for entry in form.instances if sections.instance_location else ():
        if not entry.form.country.data:
            entry.form.country.data = UNITED_STATES


@bp.post("/<int:activity_id>/copy")
def copy(activity_id: int):
    """Start a new draft from an existing activity (new title; no IDs, no learners)."""
    source = get_activity_or_404(activity_id)
    session = get_session()
    draft = operations.copy_of(source, title=f"Copy of {source.title or 'activity'}")
    draft.repeat_instances = []
    operations.save_activity(session, draft)
    session.commit()
    flash("A copy was made. Give it its own title and dates.", "success")
    return redirect(url_for("wizard.edit", activity_id=draft.id, step=1, new="1"), code=303)
