"""The provider's activities: the summary list, the activity page, close, reopen and delete."""

from dataclasses import replace
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from pars.activities import downloads, operations, queries
from pars.activities import status as activity_status
from pars.activities.forms import ActivityFilterForm, LegacyDetailsForm, SelectionForm
from pars.core import clock, htmx
from pars.core.db import get_session
from pars.core.errors import Refused
from pars.integrity import operations as integrity
from pars.integrity import rules as integrity_rules
from pars.vocab import LEGACY_FLAGS

bp = Blueprint("activities", __name__, url_prefix="/activities")


@bp.app_template_test("changeable")
def changeable(activity) -> bool:
    """``activity is changeable`` in any template: the one rule (status.change_refusal)."""
    return activity_status.change_refusal(activity) is None


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def back_to_list() -> str:
    """The list page the user came from (keeping its filters), or the plain list."""
    referrer = urlsplit(request.referrer or "")
    list_path = url_for("activities.index")
    if referrer.path == list_path and referrer.netloc == request.host:
        return f"{list_path}?{referrer.query}" if referrer.query else list_path
    return list_path


def get_activity_or_404(activity_id: int):
    """The signed-in provider's activity, or 404 (also for another provider's)."""
    activity = queries.get_activity(
        get_session(), provider_id=current_user.provider_id, activity_id=activity_id
    )
    if activity is None:
        abort(404)
    return activity


def read_filters() -> ActivityFilterForm:
    """The list's query string, validated; a bad value is a 400 naming the parameter."""
    years = queries.activity_years(get_session(), current_user.provider_id)
    form = ActivityFilterForm(formdata=request.args).with_years(years)
    if not form.validate():
        problems = [
            f"{form[name].label.text} ({name}): {' '.join(errors)}"
            for name, errors in form.errors.items()
        ]
        abort(400, "This list address has a value it cannot use. " + " ".join(problems))
    return form


def list_context(form: ActivityFilterForm) -> dict:
    session, provider_id = get_session(), current_user.provider_id
    flt, per_page = form.activity_filter(), int(form.per_page.data)
    today = clock.today()
    total = queries.count(session, provider_id, flt, today=today)
    last_page = max(1, -(-total // per_page))
    page = form.page.data or 1
    if page > last_page:
        abort(404, f"There is no page {page}: this list has {last_page} page(s).")
    activities = queries.page(
        session,
        provider_id,
        flt,
        sort=form.sort.data,
        number=page,
        size=per_page,
        today=today,
        hits=total,
    )
    next_steps = {a.id: queries.next_step_of_row(a, today=today) for a in activities}
    return dict(
        independence=integrity.readiness_of_rows(session, provider_id, activities, today=today),
        form=form,
        activities=activities,
        total=total,
        page=page,
        last_page=last_page,
        next_steps=next_steps,
        is_filtered=flt != queries.ActivityFilter(),
        can_edit=current_user.can_edit,
    )


@bp.get("/")
def index():
    """List the provider's activities with search, filters, sort and paging."""
    context = list_context(read_filters())
    # As the user types, htmx needs only the table: skip rendering the page around it.
    template = "activities/_table.html" if htmx.wants_fragment(request) else "activities/index.html"
    return htmx.vary_on_htmx(make_response(render_template(template, **context)))


@bp.get("/<int:activity_id>")
def view(activity_id: int):
    """Show one activity read-only, with what blocks its next status."""
    activity = get_activity_or_404(activity_id)
    return render_view(activity)


def render_view(activity, *, error: str | None = None, status: int = 200, legacy_form=None):
    today = clock.today()
    entries, statement = integrity.learner_disclosure(get_session(), activity)
    return render_template(
        "activities/view.html",
        activity=activity,
        blocking=activity_status.blocking(activity, today=today),
        close_refusal=activity_status.close_refusal(activity, today=today),
        legacy_form=legacy_form or LegacyDetailsForm.of(activity, formdata=None),
        legacy_flags=LEGACY_FLAGS,
        entries=entries,
        statement=statement,
        NONE_RELEVANT=integrity_rules.NONE_RELEVANT,
        error=error,
    ), status


@bp.app_template_test("historical")
def historical(activity) -> bool:
    """``activity is historical``: judged by the legacy model (status.is_historical)."""
    return activity_status.is_historical(activity)


@bp.post("/<int:activity_id>/legacy-details")
def set_legacy_details(activity_id: int):
    """Save what a legacy record holds beyond the new model (reporting year, hours, flags)."""
    activity = get_activity_or_404(activity_id)
    if refusal := activity_status.change_refusal(activity):
        return render_view(activity, error=refusal, status=409)
    if not activity.legacy_record:
        abort(404)
    form = LegacyDetailsForm()
    if not form.validate_on_submit() or form.version.read() is None:
        return render_view(activity, status=422, legacy_form=form)
    session = get_session()
    try:
        operations.set_legacy_details(session, activity, form.values(), version=form.version.read())
    except operations.StaleVersion as conflict:
        session.rollback()
        return render_view(conflict.activity, error=str(conflict), status=409)
    session.commit()
    flash("Legacy record details saved.", "success")
    return redirect(
        url_for("activities.view", activity_id=activity.id) + "#legacy-details", code=303
    )


def change_from_view_page(activity, change, done: str):
    """Apply one operation to the activity shown on its page: commit and go back to the page
    with ``done`` flashed, or show the page again with why it was refused (409)."""
    session = get_session()
    try:
        change(session, activity)
    except Refused as refusal:
        session.rollback()
        return render_view(activity, error=str(refusal), status=409)
    session.commit()
    flash(f"“{activity.title}” {done}.", "success")
    return redirect(url_for("activities.view", activity_id=activity.id), code=303)


@bp.post("/<int:activity_id>/close")
def close(activity_id: int):
    """Mark the activity as closed, when the rules say it can close."""
    user_id, today = current_user.id, clock.today()
    return change_from_view_page(
        get_activity_or_404(activity_id),
        lambda session, a: operations.close_activity(session, a, user_id=user_id, today=today),
        "is closed",
    )


@bp.post("/<int:activity_id>/reopen")
def reopen(activity_id: int):
    """Reopen a closed activity (administrators only)."""
    activity = get_activity_or_404(activity_id)
    if not current_user.is_admin:
        abort(403, "Only an administrator can reopen a closed activity.")
    today = clock.today()
    return change_from_view_page(
        activity,
        lambda session, a: operations.reopen_activity(session, a, today=today),
        "is reopened",
    )


@bp.get("/<int:activity_id>/delete")
def confirm_delete(activity_id: int):
    """Ask before deleting, or say why the activity cannot be deleted."""
    activity = get_activity_or_404(activity_id)
    session = get_session()
    refusal = operations.delete_refusal(session, activity)
    return render_template("activities/delete.html", activity=activity, refusal=refusal)


@bp.post("/<int:activity_id>/delete")
def delete(activity_id: int):
    """Delete the activity and its child rows, unless the rules keep it."""
    activity = get_activity_or_404(activity_id)
    session = get_session()
    try:
        operations.delete_activity(session, activity)
    except Refused as refusal:
        session.rollback()
        body = render_template("activities/delete.html", activity=activity, refusal=str(refusal))
        return body, 409
    session.commit()
    flash(f"“{activity.title}” was deleted.", "success")
    return redirect(url_for("activities.index"), code=303)


@bp.post("/bulk-close")
def bulk_close():
    """Close the selected activities that can close; say why the others cannot."""
    form = SelectionForm()
    if not form.validate():
        abort(400, " ".join(form.ids.errors) or "The selection could not be read.")
    session = get_session()
    today = clock.today()
    ids = queries.ActivityFilter(ids=tuple(form.ids.data))
    chosen = queries.filtered(session, current_user.provider_id, ids, today=today)
    closed, refused = operations.close_many(
        session, session.exec(chosen).all(), user_id=current_user.id, today=today
    )
    session.commit()
    if closed:
        flash(f"Closed {len(closed)} activit{'y' if len(closed) == 1 else 'ies'}.", "success")
    for activity, reason in refused:
        flash(f"“{activity.title}” was not closed. {reason}", "error")
    return redirect(back_to_list(), code=303)


def chosen_activities(*, default_status: str = ""):
    """The activities the query string names: ticked ids, or the list page's filters (year,
    status, format, q, moc; ``default_status`` when none is given), in the list's sort."""
    form = read_filters()
    flt = form.activity_filter()
    selection = SelectionForm(formdata=request.args, meta={"csrf": False})
    if request.args.getlist("ids"):
        if not selection.validate():
            abort(400, " ".join(selection.ids.errors) or "The selection could not be read.")
        flt = queries.ActivityFilter(ids=tuple(selection.ids.data))
    elif not flt.status:
        flt = replace(flt, status=default_status)
    today = clock.today()
    return queries.filtered(get_session(), current_user.provider_id, flt, today=today).order_by(
        *queries.ordering(form.sort.data, today=today, status=flt.status)
    )


@bp.get("/download")
def download():
    """Download the activities of the current filter (default: all not closed) as .xlsx."""
    session, chosen = get_session(), chosen_activities(default_status=queries.NOT_CLOSED)
    body = downloads.workbook(session, chosen, today=clock.today())
    name = f"activities-{clock.today():%Y-%m-%d}.xlsx"
    return Response(
        body,
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
