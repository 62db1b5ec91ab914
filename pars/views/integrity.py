"""Integrity and independence of an activity: the people in control of its content, their
disclosures (given through a link, without an account), relevance and mitigation, and the
disclosure to learners. The disclosure page itself is public and rate-limited."""

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pars.activities import status as activity_status
from pars.core import clock, mail
from pars.core.db import get_session
from pars.core.errors import Refused
from pars.integrity import operations, pdf, reminders, rules
from pars.integrity.forms import (
    AgreementForm,
    CompanyForm,
    DisclosureForm,
    ExceptionForm,
    MitigationForm,
    PersonForm,
    RelevanceForm,
    SettingsForm,
)
from pars.models import Activity, Company, Person, Provider, SupportAgreement
from pars.views.activities import get_activity_or_404
from pars.vocab import DISCLOSURE_LINK_DAYS

bp = Blueprint("integrity", __name__)


def render_page(
    activity,
    *,
    person_form=None,
    agreement_form=None,
    link: tuple[str, str] | None = None,
    status=200,
):
    session = get_session()
    people = operations.involved(session, activity)
    controllers = [p.as_controller() for p in people]
    entries, statement = rules.learner_disclosure(controllers)
    return render_template(
        "integrity/activity.html",
        activity=activity,
        people=people,
        readiness=operations.readiness(session, activity, today=clock.today()),
        blockers=rules.blockers(controllers),
        supporters=operations.supporters(activity),
        agreements=operations.agreements(session, activity),
        agreement_form=agreement_form or AgreementForm(formdata=None),
        exception_form=ExceptionForm(formdata=None),
        entries=entries,
        statement=statement,
        plain=rules.plain_text(entries, statement),
        person_form=person_form or PersonForm(formdata=None),
        relevance_form=RelevanceForm(formdata=None),
        mitigation_form=MitigationForm(formdata=None),
        new_link=link,
        NONE_RELEVANT=rules.NONE_RELEVANT,
    ), status


def back(activity):
    return redirect(url_for("integrity.activity", activity_id=activity.id), code=303)


def changeable_or_409(activity) -> None:
    if refusal := activity_status.change_refusal(activity):
        abort(409, refusal)


def changeable_activity(activity_id: int):
    """The provider's activity, if it can still change (409 when closed)."""
    found = get_activity_or_404(activity_id)
    changeable_or_409(found)
    return found


def own_person(activity, person_id: int) -> Person:
    person = get_session().get(Person, person_id)
    if person is None or person.provider_id != activity.provider_id:
        abort(404)
    return person


def own_relationship(activity, relationship_id: int):
    return operations.relationship_of(get_session(), activity, relationship_id) or abort(404)


@bp.get("/activities/<int:activity_id>/integrity")
def activity(activity_id: int):
    """Who controls the content, what they disclosed, and what learners will be told."""
    return render_page(get_activity_or_404(activity_id))


@bp.get("/activities/<int:activity_id>/integrity/disclosure.txt")
def disclosure_text(activity_id: int):
    """The disclosure to learners as plain text, to paste into a handout or a slide."""
    found = get_activity_or_404(activity_id)
    people = [p.as_controller() for p in operations.involved(get_session(), found)]
    body = rules.plain_text(*rules.learner_disclosure(people))
    return Response(body, mimetype="text/plain")


@bp.get("/activities/<int:activity_id>/integrity/disclosure.pdf")
def disclosure_pdf(activity_id: int):
    """The disclosure to learners on one page, for the slide or the handout."""
    found = get_activity_or_404(activity_id)
    people = [p.as_controller() for p in operations.involved(get_session(), found)]
    body = pdf.disclosure_pdf(found.title or "", when(found), *rules.learner_disclosure(people))
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="disclosure-{found.id}.pdf"'},
    )


@bp.post("/activities/<int:activity_id>/integrity/people")
def add_person(activity_id: int):
    """Add someone in control of content, and make their disclosure link."""
    found = changeable_activity(activity_id)
    form = PersonForm()
    if not form.validate_on_submit():
        return render_page(found, person_form=form, status=422)
    session = get_session()
    person, token = operations.add_with_link(session, found, form.person(), now=datetime.now(UTC))
    session.commit()
    return link_page(found, person, token)


def link_page(activity, person, token: str):
    """Email the link when SMTP is set up; otherwise (or if sending fails) show it to copy."""
    url = url_for("integrity.disclose", token=token, _external=True)
    if mail.configured():
        try:
            mail.send(person.email, *disclosure_request(activity, person, url))
        except mail.MailError as error:
            flash(f"{error} Copy the link below and send it yourself.", "error")
            return render_page(activity, link=(person.name, url))
        flash(f"The disclosure request was emailed to {person.name} ({person.email}).", "success")
        return render_page(activity)
    flash(f"Send {person.name} their disclosure link (no email server is set up).", "success")
    return render_page(activity, link=(person.name, url))


def when(activity) -> str:
    if activity.start_date and activity.end_date:
        return f"{activity.start_date:%m/%d/%Y} to {activity.end_date:%m/%d/%Y}"
    return "dates to be set"


def disclosure_request(activity, person, url: str) -> tuple[str, str]:
    """The subject and body of the email asking a person for their disclosure."""
    provider = get_session().get(Provider, activity.provider_id)
    subject = f"Your financial relationship disclosure for {activity.title}"
    body = (
        f"Dear {person.name},\n\n"
        f'{provider.name} asks everyone in control of the content of "{activity.title}" '
        f"({when(activity)}) to disclose their "
        "financial relationships with ineligible companies of the past 24 months, or to say "
        "they have none.\n\n"
        f"Give your disclosure here (no account needed; the link works once, for "
        f"{DISCLOSURE_LINK_DAYS} days):\n{url}\n\n"
        f"Thank you,\n{provider.name}\n"
    )
    return subject, body


@bp.post("/activities/<int:activity_id>/integrity/people/<int:person_id>/link")
def new_link(activity_id: int, person_id: int):
    """A new disclosure link for the person (the older ones stop working)."""
    found = changeable_activity(activity_id)
    session, person = get_session(), own_person(found, person_id)
    token = operations.issue_link(session, found, person, now=datetime.now(UTC))
    session.commit()
    return link_page(found, person, token)


@bp.post("/activities/<int:activity_id>/integrity/people/<int:person_id>/revoke")
def revoke_link(activity_id: int, person_id: int):
    """Withdraw the person's disclosure link (a new one can be sent later)."""
    found = changeable_activity(activity_id)
    session, person = get_session(), own_person(found, person_id)
    operations.revoke_links(session, found, person, now=datetime.now(UTC))
    session.commit()
    flash(f"The disclosure link of {person.name} no longer works.", "success")
    return back(found)


@bp.post("/activities/<int:activity_id>/integrity/relationships/<int:relationship_id>/relevance")
def decide(activity_id: int, relationship_id: int):
    found = changeable_activity(activity_id)
    session, relationship = get_session(), own_relationship(found, relationship_id)
    form = RelevanceForm()
    if not form.validate_on_submit():
        flash(" ".join(form.relevant.errors) or "The form could not be read.", "error")
        return render_page(found, status=422)
    operations.decide(
        session,
        found,
        relationship,
        relevant=form.relevant.data == "yes",
        user_id=current_user.id,
        now=datetime.now(UTC),
    )
    session.commit()
    flash(f"Relevance of {relationship.company} saved.", "success")
    return back(found)


@bp.post("/activities/<int:activity_id>/integrity/relationships/<int:relationship_id>/mitigation")
def mitigate(activity_id: int, relationship_id: int):
    found = changeable_activity(activity_id)
    session, relationship = get_session(), own_relationship(found, relationship_id)
    form = MitigationForm()
    if not form.validate_on_submit():
        flash(" ".join(m for f in form for m in f.errors) or "The form could not be read.", "error")
        return render_page(found, status=422)
    try:
        operations.mitigate(
            session,
            found,
            relationship,
            role=form.role.data,
            kind=form.kind.data,
            note=(form.note.data or "").strip() or None,
            user_id=current_user.id,
            now=datetime.now(UTC),
        )
    except Refused as refusal:
        session.rollback()
        flash(str(refusal), "error")
        return render_page(found, status=409)
    session.commit()
    flash(f"Mitigation of {relationship.company} recorded.", "success")
    return back(found)


@bp.post("/activities/<int:activity_id>/integrity/agreements")
def save_agreement(activity_id: int):
    """The written agreement with one of the activity's commercial supporters."""
    found = changeable_activity(activity_id)
    form = AgreementForm()
    if not form.validate_on_submit() or form.source.data not in operations.supporters(found):
        if form.source.data not in operations.supporters(found):
            flash("Choose one of the activity's commercial supporters.", "error")
        return render_page(found, agreement_form=form, status=422)
    try:
        filename, content = form.pdf()
    except ValueError as error:
        form.agreement.errors = [str(error)]
        return render_page(found, agreement_form=form, status=422)
    session = get_session()
    operations.save_agreement(
        session,
        found,
        form.source.data,
        {
            "filename": filename,
            "content": content,
            **{
                name: form[name].data
                for name in (
                    "provider_signed_on",
                    "supporter_signed_on",
                    "joint_provider_signed_on",
                    "amount_received",
                    "amount_spent",
                )
            },
        },
    )
    session.commit()
    flash(f"The agreement with {form.source.data} was saved.", "success")
    return redirect(url_for("integrity.activity", activity_id=found.id) + "#agreements", code=303)


@bp.get("/activities/<int:activity_id>/integrity/agreements/<int:agreement_id>/file")
def agreement_file(activity_id: int, agreement_id: int):
    found = get_activity_or_404(activity_id)
    agreement = get_session().get(SupportAgreement, agreement_id)
    if agreement is None or agreement.activity_id != found.id or not agreement.content:
        abort(404)
    return Response(
        agreement.content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="agreement-{agreement.id}.pdf"'},
    )


@bp.post("/activities/<int:activity_id>/integrity/people/<int:person_id>/exception")
def record_exception(activity_id: int, person_id: int):
    """The exception that lets an owner or employee of an ineligible company take a role."""
    found = changeable_activity(activity_id)
    session, person = get_session(), own_person(found, person_id)
    form = ExceptionForm()
    if not form.validate_on_submit():
        flash("Choose the role and the exception.", "error")
        return render_page(found, status=422)
    try:
        operations.record_exception(session, found, person, form.role.data, form.exception.data)
    except Refused as refusal:
        session.rollback()
        flash(str(refusal), "error")
        return render_page(found, status=409)
    session.commit()
    flash(f"The exception for {person.name} was recorded.", "success")
    return back(found)


def admin_only() -> None:
    if not current_user.is_admin:
        abort(403, "Only an administrator can change the integrity settings.")


@bp.route("/integrity/settings", methods=["GET", "POST"])
def settings():
    """When the independence checks apply, whether they block closing, and the reminders."""
    session = get_session()
    provider = session.get(Provider, current_user.provider_id)
    if request.method == "GET":
        form = SettingsForm(formdata=None, obj=provider)
        return render_template("integrity/settings.html", form=form, provider=provider)
    admin_only()
    form = SettingsForm()
    if not form.validate_on_submit():
        return render_template("integrity/settings.html", form=form, provider=provider), 422
    provider.integrity_since = form.integrity_since.data
    provider.integrity_blocks_closing = bool(form.integrity_blocks_closing.data)
    provider.reminder_days = ", ".join(
        str(d) for d in reminders.reminder_days(form.reminder_days.data)
    )
    provider.disclosure_valid_months = form.disclosure_valid_months.data
    session.add(provider)
    session.commit()
    flash("Integrity settings saved.", "success")
    return redirect(url_for("integrity.settings"), code=303)


@bp.get("/integrity/companies")
def companies():
    """The provider's company registry, with each company's eligibility determination."""
    session = get_session()
    found = operations.companies(session, current_user.provider_id)
    session.commit()
    return render_template(
        "integrity/companies.html", companies=found, form=CompanyForm(formdata=None)
    )


@bp.post("/integrity/companies/<int:company_id>")
def assess_company(company_id: int):
    session = get_session()
    company = session.get(Company, company_id)
    if company is None or company.provider_id != current_user.provider_id:
        abort(404)
    form = CompanyForm()
    if not form.validate_on_submit():
        flash(f"Answer every question about {company.name}.", "error")
        found = operations.companies(session, current_user.provider_id)
        return render_template("integrity/companies.html", companies=found, form=form), 422
    answers = {
        name: form[name].data == "yes" for name in ("makes_products", "advocates", "family_makes")
    }
    operations.assess(session, company, answers, user_id=current_user.id, now=datetime.now(UTC))
    session.commit()
    flash(
        f"{company.name} is recorded as {'ineligible' if company.ineligible else 'eligible'}.",
        "success",
    )
    return redirect(url_for("integrity.companies") + f"#company-{company.id}", code=303)


@bp.route("/disclose/<token>", methods=["GET", "POST"])
def disclose(token: str):
    """The public disclosure form a person opens from their link: no account, nothing of the
    activity beyond its title and dates; a used, expired or revoked link answers 410."""
    session, now = get_session(), datetime.now(UTC)
    link, gone = operations.open_link(session, token, now=now)
    if link is None:
        return render_template("integrity/gone.html", message=operations.GONE[gone]), 410
    found = session.get(Activity, link.activity_id)
    person = session.get(Person, link.person_id)
    names = operations.ineligible_names(session, found.provider_id)
    form = DisclosureForm()
    if form.is_submitted():
        if not form.check(today=clock.today()):
            return render_template(
                "integrity/disclose.html", form=form, activity=found, person=person, companies=names
            ), 422
        try:
            operations.submit(
                session,
                link,
                has_none=bool(form.has_none.data),
                relationships=form.rows(),
                now=now,
                employee_of=(form.employee_of.data or "").strip() or None,
            )
        except Refused as refusal:
            session.rollback()
            return render_template("integrity/gone.html", message=str(refusal)), 410
        session.commit()
        return render_template("integrity/thanks.html", activity=found, person=person)
    on_file = prefill(form, session, person, now=now)
    return render_template(
        "integrity/disclose.html",
        form=form,
        activity=found,
        person=person,
        companies=names,
        on_file=on_file,
    )


def prefill(form: DisclosureForm, session, person, *, now) -> object:
    """Start the form from the person's disclosure on file, if one is still valid."""
    found, relationships = operations.disclosure_on_file(session, person, now=now)
    if found is None:
        return None
    form.has_none.data, form.employee_of.data = found.has_none, found.employee_of
    window = rules.window_start(clock.today())
    kept = [r for r in relationships if r.last_date >= window][: len(form.relationships)]
    for entry, row in zip(form.relationships, kept, strict=False):
        entry.form.company.data, entry.form.nature.data = row.company, row.nature
        entry.form.last_date.data = row.last_date
        entry.form.ended.data = "yes" if row.ended else "no"
    return found
