"""Annual Reporting: the five year-end steps on one page, each done or not from the data."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pars.accounts.auth import owned_or_404
from pars.annual import operations as annual_data
from pars.annual import rules as annual_rules
from pars.annual.forms import ConfirmForm, ContactForm, DeadlineForm, ProgramSummaryForm
from pars.core import clock
from pars.core.db import get_session
from pars.core.errors import Refused
from pars.models import Contact, Provider

bp = Blueprint("annual", __name__, url_prefix="/annual")


def own_deadline() -> str | None:
    return get_session().get(Provider, current_user.provider_id).annual_deadline


def chosen_year() -> int:
    """The year in ?year=, or the one whose deadline comes next."""
    today = clock.today()
    if "year" not in request.args:
        return annual_rules.due_year(today, own_deadline())
    year = request.args.get("year", type=int)
    if year is None or annual_rules.year_error(year, today):
        abort(400, annual_rules.year_error(0, today))
    return year


def render_year(year: int, *, status: int = 200, error: str | None = None, **forms):
    today, session = clock.today(), get_session()
    view = annual_data.year_view(
        session, current_user.provider_id, year, own_deadline=own_deadline(), today=today
    )
    report = view.report
    forms.setdefault("summary_form", ProgramSummaryForm(formdata=None, obj=report))
    forms.setdefault("contact_form", ContactForm(formdata=None, prefix="new"))
    forms.setdefault("deadline_form", DeadlineForm(formdata=None, own_deadline=own_deadline()))
    edit_forms = {
        c.id: ContactForm(formdata=None, obj=c, prefix=f"contact-{c.id}") for c in view.contacts
    }
    edit_forms.update(forms.pop("edit_forms", {}))
    years = range(today.year, annual_rules.FIRST_YEAR - 1, -1)
    return render_template(
        "annual/index.html",
        view=view,
        today=today,
        years=years,
        error=error,
        confirm=ConfirmForm(),
        edit_forms=edit_forms,
        complete=annual_rules.complete(view.steps),
        days_left=(view.deadline - today).days,
        agreement=annual_rules.AGREEMENT,
        **forms,
    ), status


@bp.get("/")
def index():
    """The checklist of one reporting year (default: the one due next)."""
    return render_year(chosen_year())


def back_to(year: int, step: int):
    return redirect(url_for("annual.index", year=year, _anchor=f"step-{step}"), code=303)


def open_year_or_400(year: int) -> None:
    if error := annual_rules.closed_year_error(year, clock.today()):
        abort(400, error)


def change_report(year: int, step: int, change, done: str):
    """Apply ``change`` to the year's report in one commit, or show why it was refused."""
    open_year_or_400(year)
    if not ConfirmForm().validate_on_submit():
        abort(400, "The form could not be read.")
    session = get_session()
    try:
        change(annual_data.report_to_change(session, current_user.provider_id, year))
    except Refused as refusal:
        session.rollback()
        return render_year(year, status=409, error=str(refusal))
    session.commit()
    flash(done, "success")
    return back_to(year, step)


@bp.post("/<int:year>/agreement")
def accept_agreement(year: int):
    """Step 1: accept the annual agreement (records who and when)."""
    return change_report(
        year,
        1,
        lambda report: annual_data.accept_agreement(report, user_id=current_user.id),
        f"The {year} annual agreement is accepted.",
    )


@bp.post("/<int:year>/close-all")
def close_all(year: int):
    """Step 2: close every activity of the year that can close; say why the rest cannot."""
    open_year_or_400(year)
    session = get_session()
    closed, refused = annual_data.close_all(
        session, current_user.provider_id, year, user_id=current_user.id, today=clock.today()
    )
    session.commit()
    flash(f"Closed {len(closed):,} of {len(closed) + len(refused):,} activities.", "success")
    for activity, reason in refused[:20]:
        flash(f"“{activity.title or 'Untitled'}” was not closed. {reason}", "error")
    if len(refused) > 20:
        flash(f"And {len(refused) - 20:,} more could not close: see the list below.", "error")
    return back_to(year, 2)


@bp.post("/<int:year>/summary")
def save_summary(year: int):
    """Step 4: save the Program Summary as a draft, or submit it."""
    open_year_or_400(year)
    values, errors = annual_data.parse_summary(request.form)
    session, submit = get_session(), request.form.get("action") == "submit"
    report = annual_data.report_to_change(session, current_user.provider_id, year)
    try:
        errors = errors or annual_data.save_summary(
            report, values, submit=submit, user_id=current_user.id
        )
    except Refused as refusal:
        session.rollback()
        return render_year(year, status=409, error=str(refusal))
    if errors:
        session.rollback()
        form = ProgramSummaryForm()
        for name, message in errors.items():
            getattr(form, name).errors = [message]
        return render_year(year, status=422, summary_form=form)
    session.commit()
    flash("The Program Summary is submitted." if submit else "Draft saved.", "success")
    return back_to(year, 4)


@bp.post("/<int:year>/summary/reopen")
def reopen_summary(year: int):
    """Reopen a submitted Program Summary (administrators only)."""
    if not current_user.is_admin:
        abort(403, "Only an administrator can reopen a submitted Program Summary.")
    return change_report(
        year, 4, annual_data.reopen_summary, "The Program Summary is reopened for changes."
    )


@bp.post("/<int:year>/contacts-reviewed")
def contacts_reviewed(year: int):
    """Step 5: confirm that the organization's contacts were reviewed for the year."""
    session = get_session()
    return change_report(
        year,
        5,
        lambda r: annual_data.confirm_contacts(session, r, user_id=current_user.id),
        "The contacts review is confirmed.",
    )


@bp.post("/contacts")
def add_contact():
    """Add a contact of the organization."""
    year, form = chosen_year(), ContactForm(prefix="new")
    if not form.validate_on_submit():
        return render_year(year, status=422, contact_form=form)
    contact = Contact(provider_id=current_user.provider_id)
    form.populate_obj(contact)
    get_session().add(contact)
    get_session().commit()
    flash(f"{contact.name} is added to the contacts.", "success")
    return back_to(year, 5)


@bp.post("/contacts/<int:contact_id>")
def update_contact(contact_id: int):
    """Change a contact's role, name, title, email or phone."""
    contact, year = owned_or_404(Contact, contact_id), chosen_year()
    form = ContactForm(prefix=f"contact-{contact.id}")
    if not form.validate_on_submit():
        return render_year(year, status=422, edit_forms={contact.id: form})
    form.populate_obj(contact)
    get_session().commit()
    flash(f"{contact.name}'s details are saved.", "success")
    return back_to(year, 5)


@bp.post("/contacts/<int:contact_id>/delete")
def delete_contact(contact_id: int):
    """Remove a contact of the organization."""
    contact, year = owned_or_404(Contact, contact_id), chosen_year()
    if not ConfirmForm().validate_on_submit():
        abort(400, "The form could not be read.")
    get_session().delete(contact)
    get_session().commit()
    flash(f"{contact.name} is removed from the contacts.", "success")
    return back_to(year, 5)


@bp.post("/deadline")
def set_deadline():
    """Set the provider's own annual deadline, for state accreditors (administrators only)."""
    if not current_user.is_admin:
        abort(403, "Only an administrator can change the annual deadline.")
    year, form = chosen_year(), DeadlineForm()
    if not form.validate_on_submit():
        return render_year(year, status=422, deadline_form=form)
    get_session().get(Provider, current_user.provider_id).annual_deadline = (
        form.own_deadline.data or ""
    ).strip() or None
    get_session().commit()
    flash("The annual deadline is saved.", "success")
    return back_to(year, 1)
