"""Integrity and independence of an activity: the people in control of its content, their
disclosures (given through a link, without an account), relevance and mitigation, and the
disclosure to learners. The disclosure page itself is public and rate-limited."""

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from pars.activities import status as activity_status
from pars.core import clock, mail
from pars.core.db import get_session
from pars.core.errors import Refused
from pars.integrity import operations, pdf, rules
from pars.integrity.forms import DisclosureForm, MitigationForm, PersonForm, RelevanceForm
from pars.models import Activity, Person, Provider
from pars.views.activities import get_activity_or_404
from pars.vocab import DISCLOSURE_LINK_DAYS

bp = Blueprint("integrity", __name__)


def render_page(activity, *, person_form=None, link: tuple[str, str] | None = None, status=200):
    people = operations.involved(get_session(), activity)
    controllers = [p.as_controller() for p in people]
    entries, statement = rules.learner_disclosure(controllers)
    return render_template(
        "integrity/activity.html",
        activity=activity,
        people=people,
        blockers=rules.blockers(controllers),
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
    found = get_activity_or_404(activity_id)
    changeable_or_409(found)
    form = PersonForm()
    if not form.validate_on_submit():
        return render_page(found, person_form=form, status=422)
    session = get_session()
    person = operations.add_person(
        session,
        found,
        name=form.name.data,
        email=form.email.data,
        biography=form.biography.data,
        roles=form.roles.data,
    )
    token = operations.issue_link(session, found, person, now=datetime.now(UTC))
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
    found = get_activity_or_404(activity_id)
    changeable_or_409(found)
    session = get_session()
    person = session.get(Person, person_id)
    if person is None or person.provider_id != found.provider_id:
        abort(404)
    token = operations.issue_link(session, found, person, now=datetime.now(UTC))
    session.commit()
    return link_page(found, person, token)


@bp.post("/activities/<int:activity_id>/integrity/relationships/<int:relationship_id>/relevance")
def decide(activity_id: int, relationship_id: int):
    found = get_activity_or_404(activity_id)
    changeable_or_409(found)
    session = get_session()
    relationship = operations.relationship_of(session, found, relationship_id) or abort(404)
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
    found = get_activity_or_404(activity_id)
    changeable_or_409(found)
    session = get_session()
    relationship = operations.relationship_of(session, found, relationship_id) or abort(404)
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
    form = DisclosureForm()
    if form.is_submitted():
        if not form.check(today=clock.today()):
            return render_template(
                "integrity/disclose.html", form=form, activity=found, person=person
            ), 422
        try:
            operations.submit(
                session, link, has_none=bool(form.has_none.data), relationships=form.rows(), now=now
            )
        except Refused as refusal:
            session.rollback()
            return render_template("integrity/gone.html", message=str(refusal)), 410
        session.commit()
        return render_template("integrity/thanks.html", activity=found, person=person)
    return render_template("integrity/disclose.html", form=form, activity=found, person=person)
