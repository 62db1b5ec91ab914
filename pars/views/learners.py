"""Individual learners of an activity: the completions table, the add form, delete."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload
from sqlmodel import select

from pars.activities import status as activity_status
from pars.core import clock
from pars.core.db import get_session
from pars.core.errors import Refused
from pars.formats import learner_xlsx
from pars.learners import completions, directory, rules
from pars.learners.forms import LearnerForm, ParsResultForm
from pars.models import LearnerCompletion
from pars.views.activities import XLSX_MIMETYPE, get_activity_or_404

bp = Blueprint("learners", __name__, url_prefix="/activities")


def render_page(
    activity,
    form: LearnerForm,
    *,
    status: int = 200,
    answer: tuple[int, ParsResultForm] | None = None,
):
    rows = (
        get_session()
        .exec(
            select(LearnerCompletion)
            .where(LearnerCompletion.activity_id == activity.id)
            .order_by(LearnerCompletion.completion_date.desc(), LearnerCompletion.last_name)
        )
        .all()
    )
    result_forms = {
        c.id: ParsResultForm(
            formdata=None,
            prefix=f"c{c.id}",
            pars_result=c.pars_result or "",
            pars_reason=c.pars_reason,
        )
        for c in rows
    }
    if answer:
        result_forms[answer[0]] = answer[1]
    return render_template(
        "learners/activity.html",
        activity=activity,
        form=form,
        completions=rows,
        result_forms=result_forms,
        summary=completions.summarize(rows),
    ), status


@bp.get("/<int:activity_id>/learners")
def activity(activity_id: int):
    """Show the activity's learner completions and the form to add one."""
    found = get_activity_or_404(activity_id)
    return render_page(found, LearnerForm(formdata=None).for_activity(found))


@bp.get("/<int:activity_id>/learners.xlsx")
def workbook(activity_id: int):
    """The activity's completions in PARS's learner template, to edit and upload back."""
    found = get_activity_or_404(activity_id)
    rows = get_session().exec(
        select(LearnerCompletion)
        .where(LearnerCompletion.activity_id == found.id)
        .options(selectinload(LearnerCompletion.board_credits))
        .order_by(LearnerCompletion.id)
    )
    body = learner_xlsx.blank(learner_xlsx.completion_rows(found, rows))
    name = f"learners-{found.id}-{clock.today():%Y-%m-%d}.xlsx"
    return Response(
        body,
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/<int:activity_id>/learners")
def add(activity_id: int):
    """Add one learner completion, raising the physician total when it falls short."""
    found = get_activity_or_404(activity_id)
    if refusal := activity_status.change_refusal(found, to="add learners"):
        abort(409, refusal)
    form = LearnerForm().for_activity(found)
    today = clock.today()
    if not form.check(found, today=today):
        return render_page(found, form, status=422)
    session = get_session()
    try:
        completion, raised = completions.add_completion(session, found, form.values(), today=today)
    except Refused as refusal:
        session.rollback()
        form.completion_date.errors = [*form.completion_date.errors, str(refusal)]
        return render_page(found, form, status=422)
    session.commit()
    flash(f"Added {completion.first_name} {completion.last_name}.", "success")
    if raised is not None:  # said only when the total changed, with its real old value
        was = "not set" if raised.old is None else f"{raised.old}"
        flash(
            f"Total physician learners raised to {raised.new} (was {was}) "
            "to count every individual learner.",
            "info",
        )
    return redirect(url_for("learners.activity", activity_id=found.id), code=303)


@bp.get("/<int:activity_id>/learners/board-fields")
def board_fields(activity_id: int):
    """Re-render the board fields for the board chosen in the add form."""
    found = get_activity_or_404(activity_id)
    form = LearnerForm(formdata=request.args, meta={"csrf": False}).for_activity(found)
    return render_template("learners/_board_fields.html", activity=found, form=form)


@bp.get("/<int:activity_id>/learners/match")
def match(activity_id: int):
    """Say, as the user types, whether the learner is already in the directory."""
    found = get_activity_or_404(activity_id)
    form = LearnerForm(formdata=request.args, meta={"csrf": False})
    proposed = None
    if (
        form.first_name.data
        and form.last_name.data
        and form.birth_month_day.data
        and not rules.birth_month_day_error(form.birth_month_day.data)
    ):
        proposed = directory.Proposed(
            first_name=form.first_name.data,
            last_name=form.last_name.data,
            birth_month_day=form.birth_month_day.data.strip(),
            state=form.state.data or None,
            npi=(form.npi.data or "").strip() or None,
            board=form.board.data or None,
            board_id=(form.board_id.data or "").strip() or None,
        )
    result = directory.match(get_session(), found.provider_id, proposed) if proposed else None
    return render_template("learners/_match.html", result=result)


@bp.post("/<int:activity_id>/learners/<int:completion_id>/pars-result")
def set_pars_result(activity_id: int, completion_id: int):
    """Record what PARS answered about a reported completion (accepted, or rejected and why).
    This is the provider's record of PARS's answer, not an edit of the learner record."""
    found, session = get_activity_or_404(activity_id), get_session()
    completion = session.get(LearnerCompletion, completion_id)
    if completion is None or completion.activity_id != found.id:
        abort(404)
    form = ParsResultForm(prefix=f"c{completion.id}")
    if not form.validate_on_submit():
        return render_page(
            found,
            LearnerForm(formdata=None).for_activity(found),
            status=422,
            answer=(completion.id, form),
        )
    completions.record_pars_result(
        completion, form.pars_result.data or None, (form.pars_reason.data or "").strip() or None
    )
    session.commit()
    flash("PARS answer saved.", "success")
    return redirect(
        url_for("learners.activity", activity_id=found.id) + f"#completion-{completion.id}",
        code=303,
    )


@bp.post("/<int:activity_id>/learners/<int:completion_id>/delete")
def delete(activity_id: int, completion_id: int):
    """Delete one completion (PARS never edits a learner record: delete and add again)."""
    found = get_activity_or_404(activity_id)
    if refusal := activity_status.change_refusal(found, to="change its learners"):
        abort(409, refusal)
    session = get_session()
    completion = session.get(LearnerCompletion, completion_id)
    if completion is None or completion.activity_id != found.id:
        abort(404)
    completions.delete_completion(session, completion)
    session.commit()
    flash(f"Deleted the completion of {completion.first_name} {completion.last_name}.", "success")
    return redirect(url_for("learners.activity", activity_id=found.id), code=303)
