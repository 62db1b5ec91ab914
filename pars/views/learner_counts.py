"""The Update Learners dialog: learner totals edited in place from the list or activity page."""

from flask import Blueprint, make_response, render_template

from pars.activities import operations, status
from pars.activities.forms import LearnerCountsForm
from pars.core import clock
from pars.core.db import get_session
from pars.core.errors import Refused
from pars.core.htmx import trigger
from pars.integrity import operations as integrity
from pars.views.activities import get_activity_or_404

bp = Blueprint("learner_counts", __name__, url_prefix="/activities")


def counts_form(activity, **kwargs) -> LearnerCountsForm:
    return LearnerCountsForm(
        physician_learners=activity.physician_learners,
        other_learners=activity.other_learners,
        version=activity.version,
        **kwargs,
    )


@bp.get("/<int:activity_id>/learner-counts")
def edit(activity_id: int):
    """Open the Update Learners dialog for one activity."""
    activity = get_activity_or_404(activity_id)
    form = counts_form(activity, formdata=None)
    return render_template("learner_counts/_dialog.html", activity=activity, form=form)


@bp.post("/<int:activity_id>/learner-counts")
def update(activity_id: int):
    """Save the learner totals; refresh the activity's row, or show what went wrong."""
    activity = get_activity_or_404(activity_id)
    form = LearnerCountsForm()
    if not form.validate_on_submit() or form.version.read() is None:
        return render_form(activity, form), 422
    session = get_session()
    try:
        operations.set_learner_counts(
            session,
            activity,
            physician=form.physician_learners.data,
            other=form.other_learners.data,
            version=form.version.read(),
            today=clock.today(),
        )
    except operations.StaleVersion as conflict:
        session.rollback()
        current = counts_form(conflict.activity, formdata=None)
        return render_form(conflict.activity, current, error=str(conflict)), 409
    except Refused as refusal:
        session.rollback()
        return render_form(activity, form, error=str(refusal)), 409
    session.commit()
    today = clock.today()
    body = render_template(
        "learner_counts/_updated.html",
        activity=activity,
        next_step=status.next_step(activity, today=today),
        # The row swapped in keeps the list's independence badge.
        independence=integrity.readiness_of_rows(
            session, activity.provider_id, [activity], today=today
        ),
        can_edit=True,
    )
    response = make_response(body)
    response.headers["HX-Reswap"] = "none"  # the dialog closes; only the out-of-band row swaps
    return trigger(response, closeModal=True, activityChanged={"id": activity.id})


def render_form(activity, form: LearnerCountsForm, *, error: str | None = None) -> str:
    return render_template("learner_counts/_form.html", activity=activity, form=form, error=error)
