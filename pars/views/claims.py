"""Learners claim their own credit. Staff: an activity's claim links (window, attendance code,
QR code, late passes), the session dates of a series, the claims with their match result and
approval, certificates, the evaluation summary, and the provider's settings and question bank.
Learners (public, no account, rate-limited): the claim page, their certificate, asking for it or
a transcript by email, and the verification of a certificate code."""

import csv
import io
from datetime import UTC, datetime, timedelta

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from openpyxl import Workbook

from pars.activities import status as activity_status
from pars.claims import operations, pdf, rules
from pars.claims.forms import (
    DecisionForm,
    EmailForm,
    LatePassForm,
    LinkForm,
    QuestionForm,
    SessionForm,
    SettingsForm,
    VerifyForm,
    claim_form,
)
from pars.core import clock, mail
from pars.core.db import get_session
from pars.core.digests import digest
from pars.core.errors import Refused
from pars.core.public_limits import Limit, refuse_when_over
from pars.integrity import operations as integrity
from pars.learners import rules as learner_rules
from pars.models import (
    MAX_ID,
    Activity,
    ActivitySession,
    Claim,
    ClaimLink,
    EvaluationQuestion,
    Provider,
)
from pars.views.activities import XLSX_MIMETYPE, get_activity_or_404
from pars.vocab import CERTIFICATE_LINK_HOURS, ClaimState, Role

bp = Blueprint("claims", __name__)

RECEIPT_HOURS = 2  # the certificate link on the page after a claim
ROOM_WINDOW = timedelta(minutes=5)
LEARNER_WINDOW = timedelta(minutes=10)
IDENTITY_FIELDS = ("first_name", "last_name", "birth_month_day")  # one learner's tries
SLOW_DOWN = "Too many claims from this network just now: wait a minute, then send the form again."


# Staff: the claims of one activity.


def own_link(activity: Activity, link_id: int) -> ClaimLink:
    link = get_session().get(ClaimLink, link_id)
    if link is None or link.activity_id != activity.id:
        abort(404)
    return link


def own_claim(activity: Activity, claim_id: int) -> Claim:
    claim = get_session().get(Claim, claim_id)
    if claim is None or claim.activity_id != activity.id:
        abort(404)
    return claim


def posted_version() -> int:
    """The version a page's button was drawn at (0, which no record has, when it is unusable)."""
    text = request.form.get("version", "")
    return int(text) if text.isdigit() and int(text) <= MAX_ID else 0


def late_form(link: ClaimLink, **options) -> LatePassForm:
    """Each link's late-claim form has fields of its own (ids unique on the page)."""
    return LatePassForm(prefix=f"late{link.id}", **options)


def back(activity: Activity, anchor: str = ""):
    return redirect(url_for("claims.activity", activity_id=activity.id) + anchor, code=303)


def public_url(link: ClaimLink) -> str:
    return url_for("claims.claim", slug=link.slug, _external=True)


def render_activity(activity, *, status=200, session_form=None, link_forms=None, late=None):
    session = get_session()
    links = operations.links(session, activity)
    by_session = {row.id: row for row in operations.sessions(session, activity)}
    forms = {
        link.id: LinkForm(
            formdata=None,
            prefix=f"l{link.id}",
            version=link.version,
            opens_on=link.opens_on,
            closes_on=link.closes_on,
            attendance_code=link.attendance_code or "",
        )
        for link in links
    } | (link_forms or {})
    claims = operations.claims_of(session, activity)
    return render_template(
        "claims/activity.html",
        activity=activity,
        links=links,
        sessions=by_session,
        link_forms=forms,
        public_url=public_url,
        today=clock.today(),
        window_refusal=rules.window_refusal,
        claims=claims,
        evaluated=operations.answered(session, [c.id for c, _ in claims]),
        session_form=session_form or SessionForm(formdata=None),
        late_forms={link.id: late_form(link, formdata=None) for link in links},
        decision_form=DecisionForm(formdata=None),
        late=late,
        claimable=operations.claimable_refusal(activity),
        needs_approval=session.get(Provider, activity.provider_id).claims_need_approval,
        is_live=rules.is_live(activity.format),
    ), status


def changeable_activity(activity_id: int) -> Activity:
    found = get_activity_or_404(activity_id)
    if refusal := activity_status.change_refusal(found, to="take claims"):
        abort(409, refusal)
    return found


@bp.get("/activities/<int:activity_id>/claims")
def activity(activity_id: int):
    """The activity's claim links, QR codes and codes, and the claims learners made."""
    return render_activity(get_activity_or_404(activity_id))


@bp.post("/activities/<int:activity_id>/claims/open")
def open_claims(activity_id: int):
    """Make the claim links (the default window; a live activity gets an attendance code)."""
    found, session = changeable_activity(activity_id), get_session()
    try:
        made = operations.open_links(session, found)
    except Refused as refusal:
        flash(str(refusal), "error")
        return back(found)
    session.commit()
    if made:
        flash("Claims are open: show the link, QR code and attendance code to learners.", "success")
    else:
        flash("Add the series' session dates first: each gets its own claim link.", "info")
    return back(found)


@bp.post("/activities/<int:activity_id>/claims/sessions")
def add_session(activity_id: int):
    found, session = changeable_activity(activity_id), get_session()
    form = SessionForm()
    if not form.validate():
        return render_activity(found, status=422, session_form=form)
    try:
        row = operations.add_session(
            session, found, form.session_date.data, (form.topic.data or "").strip() or None
        )
    except Refused as refusal:
        form.session_date.errors = [str(refusal)]
        return render_activity(found, status=422, session_form=form)
    session.commit()
    flash(f"Session of {row.session_date:%m/%d/%Y} added, with its own claim link.", "success")
    return back(found, "#sessions")


@bp.post("/activities/<int:activity_id>/claims/sessions/<int:session_id>/remove")
def remove_session(activity_id: int, session_id: int):
    found, session = changeable_activity(activity_id), get_session()
    row = session.get(ActivitySession, session_id)
    if row is None or row.activity_id != found.id:
        abort(404)
    try:
        operations.remove_session(session, found, row)
    except Refused as refusal:
        session.rollback()
        flash(str(refusal), "error")
        return back(found, "#sessions")
    session.commit()
    flash(f"Session of {row.session_date:%m/%d/%Y} removed.", "success")
    return back(found, "#sessions")


@bp.post("/activities/<int:activity_id>/claims/links/<int:link_id>")
def save_link(activity_id: int, link_id: int):
    """Save a link's window and attendance code (checked against the version read)."""
    found = changeable_activity(activity_id)
    link = own_link(found, link_id)
    form = LinkForm(prefix=f"l{link.id}")
    if not form.check(live=rules.is_live(found.format)):
        return render_activity(found, status=422, link_forms={link.id: form})
    session = get_session()
    try:
        operations.change_link(
            session,
            link,
            version=form.version.read() or 0,
            opens_on=form.opens_on.data,
            closes_on=form.closes_on.data,
            attendance_code="".join(form.attendance_code.data.split()).upper() or None,
        )
    except Refused as refusal:
        session.rollback()
        form.version.errors = [str(refusal)]
        flash(str(refusal), "error")
        return render_activity(found, status=409, link_forms={link.id: form})
    session.commit()
    flash("Claim link saved.", "success")
    return back(found, f"#link-{link.id}")


@bp.post("/activities/<int:activity_id>/claims/links/<int:link_id>/switch")
def switch(activity_id: int, link_id: int):
    """Close claims now, or open them again (until at least 30 days from today)."""
    found = changeable_activity(activity_id)
    link, session, today = own_link(found, link_id), get_session(), clock.today()
    version = posted_version()
    try:
        if request.form.get("to") == "close":
            operations.change_link(session, link, version=version, stopped=True)
            said = "Claims closed: the link now tells learners so."
        else:
            opens_on, closes_on = rules.reopened_window(link.opens_on, link.closes_on, today=today)
            operations.change_link(
                session,
                link,
                version=version,
                stopped=False,
                opens_on=opens_on,
                closes_on=closes_on,
            )
            said = f"Claims open until {closes_on:%m/%d/%Y}."
    except Refused as refusal:
        session.rollback()
        flash(str(refusal), "error")
        return back(found, f"#link-{link.id}")
    session.commit()
    flash(said, "success")
    return back(found, f"#link-{link.id}")


@bp.post("/activities/<int:activity_id>/claims/links/<int:link_id>/code")
def new_code(activity_id: int, link_id: int):
    found = changeable_activity(activity_id)
    link, session = own_link(found, link_id), get_session()
    try:
        operations.change_link(
            session,
            link,
            version=posted_version(),
            attendance_code=rules.new_attendance_code(),
        )
    except Refused as refusal:
        session.rollback()
        flash(str(refusal), "error")
        return back(found, f"#link-{link.id}")
    session.commit()
    flash(f"New attendance code: {link.attendance_code}. The old one no longer works.", "success")
    return back(found, f"#link-{link.id}")


@bp.post("/activities/<int:activity_id>/claims/links/<int:link_id>/late-pass")
def late_pass(activity_id: int, link_id: int):
    """A one-time link for one learner who missed the window (shown once)."""
    found = changeable_activity(activity_id)
    link, session = own_link(found, link_id), get_session()
    form = late_form(link)
    if not form.validate():
        flash(" ".join(form.learner.errors), "error")
        return back(found, f"#link-{link.id}")
    token = operations.make_late_pass(
        session, link, form.learner.data.strip(), now=datetime.now(UTC)
    )
    session.commit()
    url = url_for("claims.claim", slug=link.slug, late=token, _external=True)
    return render_activity(found, late=(link.id, form.learner.data.strip(), url))


@bp.get("/activities/<int:activity_id>/claims/links/<int:link_id>/qr.<kind>")
def qr(activity_id: int, link_id: int, kind: str):
    """The link's QR code: SVG for the page and print, PNG for a slide."""
    found = get_activity_or_404(activity_id)
    link = own_link(found, link_id)
    if kind not in ("svg", "png"):
        abort(404)
    code = segno.make(public_url(link), error="m")
    out = io.BytesIO()
    if kind == "svg":
        code.save(out, kind="svg", scale=8, border=4, title="QR code of the claim link")
        mimetype = "image/svg+xml"
    else:
        code.save(out, kind="png", scale=10, border=4)
        mimetype = "image/png"
    return Response(out.getvalue(), mimetype=mimetype)


@bp.get("/activities/<int:activity_id>/claims/links/<int:link_id>/print")
def print_link(activity_id: int, link_id: int):
    """One page to print or project: the QR code, the short link and the attendance code."""
    found = get_activity_or_404(activity_id)
    link = own_link(found, link_id)
    row = get_session().get(ActivitySession, link.session_id) if link.session_id else None
    return render_template(
        "claims/print.html", activity=found, link=link, session_row=row, url=public_url(link)
    )


@bp.post("/activities/<int:activity_id>/claims/<int:claim_id>/decide")
def decide(activity_id: int, claim_id: int):
    """Approve a waiting claim (its completion is added, the certificate issued) or reject it."""
    found = changeable_activity(activity_id)
    claim, session = own_claim(found, claim_id), get_session()
    form = DecisionForm()
    if (
        not form.validate()
        or form.decision.data not in ("approve", "reject")
        or not form.version.read()
    ):
        abort(400, "Choose approve or reject.")
    try:
        operations.decide(
            session,
            claim,
            found,
            approve=form.decision.data == "approve",
            version=form.version.read(),
            user_id=current_user.id,
            now=datetime.now(UTC),
            today=clock.today(),
        )
    except Refused as refusal:
        session.rollback()
        flash(str(refusal), "error")
        return back(found, "#claims")
    session.commit()
    done = "approved: the certificate is issued" if claim.state == ClaimState.ISSUED else "rejected"
    flash(f"The claim of {claim.first_name} {claim.last_name} is {done}.", "success")
    return back(found, "#claims")


@bp.post("/activities/<int:activity_id>/claims/<int:claim_id>/reissue")
def reissue(activity_id: int, claim_id: int):
    found = get_activity_or_404(activity_id)
    claim, session = own_claim(found, claim_id), get_session()
    try:
        code = operations.reissue(session, claim, now=datetime.now(UTC))
    except Refused as refusal:
        flash(str(refusal), "error")
        return back(found, "#claims")
    session.commit()
    flash(
        f"Certificate of {claim.first_name} {claim.last_name} reissued with code {code}; "
        "the old code now reads as replaced.",
        "success",
    )
    return back(found, "#claims")


def certificate_response(certificates: list[pdf.Certificate], name: str) -> Response:
    if len(certificates) == 1:
        body = pdf.certificate_pdf(certificates[0])
    else:
        body = pdf.transcript_pdf(certificates[0].learner, certificates[0].provider, certificates)
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


def verify_url() -> str:
    return url_for("claims.verify", _external=True)


@bp.get("/activities/<int:activity_id>/claims/<int:claim_id>/certificate.pdf")
def staff_certificate(activity_id: int, claim_id: int):
    found = get_activity_or_404(activity_id)
    claim, session = own_claim(found, claim_id), get_session()
    if claim.state != ClaimState.ISSUED:
        abort(409, "This claim has no certificate: it waits for approval or was rejected.")
    certificate = operations.certificate_of(session, claim, verify_url())
    return certificate_response([certificate], f"certificate-{claim.id}")


@bp.get("/activities/<int:activity_id>/evaluation")
def evaluation(activity_id: int):
    """The activity's evaluation: counts and means a question, free text listed."""
    found = get_activity_or_404(activity_id)
    summaries = operations.evaluation_summary(get_session(), found)
    return render_template("claims/evaluation.html", activity=found, summaries=summaries)


@bp.get("/activities/<int:activity_id>/evaluation.<kind>")
def evaluation_file(activity_id: int, kind: str):
    found = get_activity_or_404(activity_id)
    rows = rules.summary_table(operations.evaluation_summary(get_session(), found))
    name = f"evaluation-{found.id}-{clock.today():%Y-%m-%d}.{kind}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if kind == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return Response(out.getvalue(), mimetype="text/csv", headers=disposition)
    if kind == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Evaluation")
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return Response(out.getvalue(), mimetype=XLSX_MIMETYPE, headers=disposition)
    abort(404)


# Staff: the provider's settings and question bank.


def admin_only() -> None:
    if current_user.role != Role.ADMIN:
        abort(403, "Only an administrator can change the claim settings and questions.")


def render_settings(form=None, question_form=None, status=200):
    session = get_session()
    provider = session.get(Provider, current_user.provider_id)
    bank = operations.question_bank(session, provider.id)
    session.commit()  # the default bank, the first time
    return render_template(
        "claims/settings.html",
        form=form
        or SettingsForm(formdata=None, claims_need_approval=provider.claims_need_approval),
        question_form=question_form or QuestionForm(formdata=None),
        bank=bank,
    ), status


@bp.get("/claims/settings")
def settings():
    return render_settings()


@bp.post("/claims/settings")
def save_settings():
    admin_only()
    form = SettingsForm()
    if not form.validate():
        return render_settings(form=form, status=422)
    session = get_session()
    provider = session.get(Provider, current_user.provider_id)
    provider.claims_need_approval = bool(form.claims_need_approval.data)
    session.add(provider)
    session.commit()
    flash("Claim settings saved.", "success")
    return redirect(url_for("claims.settings"), code=303)


@bp.post("/claims/settings/questions")
def add_question():
    admin_only()
    form = QuestionForm()
    if not form.validate():
        return render_settings(question_form=form, status=422)
    session = get_session()
    operations.add_question(
        session,
        current_user.provider_id,
        form.text.data.strip(),
        form.kind.data,
        form.outcome.data or None,
        bool(form.moc_only.data),
    )
    session.commit()
    flash("Question added: it is asked from the next claim on.", "success")
    return redirect(url_for("claims.settings") + "#bank", code=303)


@bp.post("/claims/settings/questions/<int:question_id>")
def retire_question(question_id: int):
    """Stop asking a question (answers already given keep its text), or ask it again."""
    admin_only()
    session = get_session()
    row = session.get(EvaluationQuestion, question_id)
    if row is None or row.provider_id != current_user.provider_id:
        abort(404)
    operations.retire_question(session, row, retired=request.form.get("to") != "ask")
    session.commit()
    flash(f"{'No longer asked' if row.retired else 'Asked again'}: {row.text}", "success")
    return redirect(url_for("claims.settings") + "#bank", code=303)


# Learners: the public pages.


def page_limit(link: ClaimLink) -> Limit:
    limit = current_app.config["CLAIM_PAGES_PER_ADDRESS"]
    return Limit(f"claim-page:{link.id}", limit, ROOM_WINDOW, SLOW_DOWN)


def limit_pages(link: ClaimLink) -> None:
    refuse_when_over(page_limit(link))


def learner_limit(bucket: str, text: str, message: str) -> Limit:
    """CLAIM_TRIES_PER_LEARNER in 10 minutes for one learner (``text`` names them), from any
    address: a code or a certificate cannot be guessed by trying."""
    tries = current_app.config["CLAIM_TRIES_PER_LEARNER"]
    key = digest(text.strip().lower())[:32]
    return Limit(f"{bucket}:{key}", tries, LEARNER_WINDOW, message, address="")


def limit_claims(link: ClaimLink, first: str, last: str, birth: str) -> None:
    """A room behind one address may send CLAIMS_PER_ADDRESS claims in 5 minutes; one learner
    (name and MM/DD) CLAIM_TRIES_PER_LEARNER in 10 minutes; a claim is one of the link's
    pages too. All three counted in one transaction."""
    room = current_app.config["CLAIMS_PER_ADDRESS"]
    refuse_when_over(
        Limit(f"claim:{link.id}", room, ROOM_WINDOW, SLOW_DOWN),
        learner_limit(
            f"learner:{link.id}",
            rules.identity_key(first or "", last or "", birth or ""),
            "Too many tries for this learner: wait ten minutes, then try again.",
        ),
        page_limit(link),
    )


def link_or_404(slug: str) -> tuple[ClaimLink, Activity, ActivitySession | None]:
    """The link, its activity and session. The provider comes in the same query; the request
    holds all four, so that reading them again (session.get) finds them in the session."""
    found = operations.link_by_slug(get_session(), slug)
    if found is None:
        abort(404, "There is no such claim link: check the address on the slide or handout.")
    g.claim_link = found
    return found[:3]


def receipts() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="claim-receipt")


def receipt_claim(slug: str, receipt: str) -> tuple[ClaimLink, Activity, Claim]:
    """The link, activity and claim a receipt names, in one query, the page counted against
    the link's limit. A receipt past its hours or not ours: 410; a claim not made through
    this link: 404."""
    try:
        claim_id = receipts().loads(receipt, max_age=RECEIPT_HOURS * 3600)
    except BadSignature:
        claim_id = None
    found = None
    if isinstance(claim_id, int):
        found = operations.claim_by_receipt(get_session(), slug, claim_id)
    if found is None:
        link, _, _ = link_or_404(slug)
        limit_pages(link)
        if claim_id is None:
            abort(410, "This certificate link has expired. Ask for your certificate by email.")
        abort(404)
    claim, link, activity, row, provider = found
    g.claim_link = (link, activity, row, provider)
    limit_pages(link)
    return link, activity, claim


def render_claim(link, activity, row, form, *, status=200, already=None, closed=None):
    session = get_session()
    entries, statement = integrity.learner_disclosure(session, activity)
    provider = session.get(Provider, activity.provider_id)
    return render_template(
        "claims/claim.html",
        link=link,
        activity=activity,
        session_row=row,
        provider=provider,
        form=form,
        entries=entries,
        statement=statement,
        designation=rules.designation(provider.name, activity.format, activity.ama_credits),
        dates=rules.dates_text(activity.start_date, activity.end_date),
        already=already,
        closed=closed,
        email_form=EmailForm(formdata=None),
        NONE_RELEVANT=integrity.rules.NONE_RELEVANT,
    ), status


def closed_reason(link, activity, late_pass) -> str | None:
    if activity.closed_at is not None:
        return "Claims for this activity are closed. Contact the provider if you attended."
    if late_pass is not None:
        return None
    return rules.window_refusal(link.opens_on, link.closes_on, link.stopped, today=clock.today())


@bp.route("/c/<slug>", methods=["GET", "POST"])
def claim(slug: str):
    """The learner's claim: identity, attendance, credits, evaluation and permission."""
    link, activity, row = link_or_404(slug)
    if request.method == "GET":
        limit_pages(link)
    else:
        given = request.form
        limit_claims(link, *(given.get(name, "") for name in IDENTITY_FIELDS))
    session, now, today = get_session(), datetime.now(UTC), clock.today()
    token = request.values.get("late", "")
    late = operations.open_late_pass(session, link, token, now=now) if token else None
    questions = operations.questions_for(session, activity)
    session.commit()  # the default question bank, the first time
    form = claim_form(
        activity,
        link,
        questions,
        session_date=row.session_date if row else None,
        late_pass=late,
    )
    if late is not None:
        form.late.data = token
    closed = closed_reason(link, activity, late)
    if closed:
        return render_claim(
            link, activity, row, form, closed=closed, status=200 if request.method == "GET" else 409
        )
    if request.method == "GET":
        return render_claim(link, activity, row, form)
    if not form.check(today=today):
        return render_claim(link, activity, row, form, status=422)
    provider = session.get(Provider, activity.provider_id)
    try:
        made = operations.submit(
            session,
            link,
            activity,
            form.submitted(today=today),
            needs_approval=provider.claims_need_approval,
            now=now,
            today=today,
            late_pass=late,
        )
    except operations.AlreadyClaimed as already:
        session.rollback()
        return repeated_claim(link, activity, row, form, already.claim)
    except Refused as refusal:
        session.rollback()
        form.first_name.errors = [str(refusal)]
        return render_claim(link, activity, row, form, status=409)
    session.commit()
    return redirect(url_for("claims.done", slug=link.slug, receipt=receipts().dumps(made.id)), 303)


def repeated_claim(link, activity, row, form, claim: Claim):
    """A second claim: said plainly; the certificate is shown again only to someone who gives
    the licence number or NPI of the first claim too (a name and MM/DD are easy to know)."""
    given = rules.identifier_of(form.license_number.data, form.npi.data)
    receipt = receipts().dumps(claim.id) if given and given == claim.identifier else None
    return render_claim(link, activity, row, form, status=409, already=(claim, receipt))


@bp.get("/c/<slug>/done/<receipt>")
def done(slug: str, receipt: str):
    link, activity, claim = receipt_claim(slug, receipt)
    return render_template(
        "claims/done.html",
        link=link,
        activity=activity,
        claim=claim,
        receipt=receipt,
    )


@bp.get("/c/<slug>/certificate/<receipt>")
def certificate(slug: str, receipt: str):
    _, _, claim = receipt_claim(slug, receipt)
    if claim.state != ClaimState.ISSUED:
        abort(409, "Your certificate is issued once the provider approves your claim.")
    found = operations.certificate_of(get_session(), claim, verify_url())
    return certificate_response([found], f"certificate-{claim.certificate_code}")


@bp.get("/c/<slug>/check")
def check(slug: str):
    """What the learner typed that looks wrong, as they type (htmx): a month/day that cannot
    be, an NPI whose check digit fails. Nothing is looked up: never another learner's data."""
    link, _, _ = link_or_404(slug)
    limit_pages(link)
    field = request.args.get("field", "")
    value = (request.args.get(field) or "").strip()
    problem = None
    if value and field == "birth_month_day":
        problem = learner_rules.birth_month_day_error(value)
    elif value and field == "npi":
        problem = learner_rules.npi_error(value)
    elif field not in ("birth_month_day", "npi"):
        abort(404)
    return render_template("claims/_check.html", field=field, problem=problem)


def send_links(provider: Provider, email: str, claims: list[Claim], *, one: bool) -> None:
    """Email a one-time link to the certificate (or to every certificate) of ``email``; the
    page says the same whether or not anything was sent."""
    if not claims:
        return
    session = get_session()
    token = operations.issue_certificate_link(
        session, provider.id, email, claims[0] if one else None, now=datetime.now(UTC)
    )
    session.commit()
    url = url_for("claims.certificate_link", token=token, _external=True)
    what = "your certificate" if one else "all your certificates"
    body = (
        f"You asked {provider.name} for {what}.\n\nOpen this link within "
        f"{CERTIFICATE_LINK_HOURS} hours to download it; it works once:\n{url}\n\n"
        "If you did not ask for this, ignore this email."
    )
    if mail.configured():
        try:
            mail.send(email, f"{provider.name}: {what}", body)
        except mail.MailError:
            current_app.logger.warning("A certificate link could not be emailed.")


SENT = (
    "If a certificate was issued to that address, a link to it is on its way. It works once, "
    f"for {CERTIFICATE_LINK_HOURS} hours."
)


@bp.post("/c/<slug>/email")
def email_certificate(slug: str):
    """Send the certificate of this link again, to the address given with the claim."""
    link, activity, row = link_or_404(slug)
    limit_claims(link, "email", request.form.get("email", "")[:254], "")
    form = EmailForm()
    if not form.validate():
        flash(" ".join(form.email.errors), "error")
        return redirect(url_for("claims.claim", slug=link.slug) + "#again", code=303)
    session = get_session()
    provider = session.get(Provider, activity.provider_id)
    mine = [
        c
        for c in operations.issued_claims_of(session, provider.id, form.email.data)
        if c.link_id == link.id
    ]
    send_links(provider, form.email.data.strip(), mine, one=True)
    flash(SENT, "info")
    return redirect(url_for("claims.claim", slug=link.slug) + "#again", code=303)


@bp.route("/certificates/<int:provider_id>/transcript", methods=["GET", "POST"])
def transcript_request(provider_id: int):
    """A learner asks for all their certificates from this provider, as one PDF by email."""
    session = get_session()
    provider = session.get(Provider, provider_id)
    if provider is None:
        abort(404)
    form = EmailForm()
    if request.method == "POST":
        if not form.validate():
            return render_template("claims/transcript.html", provider=provider, form=form), 422
        refuse_when_over(
            learner_limit(
                "transcript",
                form.email.data,
                "Too many requests for this address: wait ten minutes, then try again.",
            )
        )
        found = operations.issued_claims_of(session, provider.id, form.email.data)
        send_links(provider, form.email.data.strip(), found, one=False)
        flash(SENT, "info")
        return redirect(url_for("claims.transcript_request", provider_id=provider.id), code=303)
    return render_template("claims/transcript.html", provider=provider, form=form)


@bp.route("/certificates/link/<token>", methods=["GET", "POST"])
def certificate_link(token: str):
    """The emailed link: shows what it opens; downloading (a POST, so that a mail scanner's
    look does not spend it) spends it."""
    session, now = get_session(), datetime.now(UTC)
    found = operations.open_certificate_link(session, token, now=now)
    if found is None:
        message = (
            "This link has expired or was used already. Ask for your certificate again: "
            "each link works once, for 24 hours."
        )
        return render_template("claims/gone.html", message=message), 410
    claims = operations.claims_by_link(session, found)
    if request.method == "GET":
        return render_template(
            "claims/link.html", claims=claims, form=EmailForm(formdata=None), token=token
        )
    if not claims or not operations.use_certificate_link(session, found, now=now):
        session.rollback()
        return render_template("claims/gone.html", message="This link was used already."), 410
    certificates = [operations.certificate_of(session, c, verify_url()) for c in claims]
    session.commit()
    return certificate_response(certificates, "certificates" if len(claims) > 1 else "certificate")


@bp.get("/certificates/verify")
def verify():
    """Whether a certificate code is genuine, and whose it is: what the certificate says."""
    form = VerifyForm(request.args)
    result = None
    if request.args.get("code") is not None and form.validate():
        result = operations.verify(get_session(), form.code.data)
    return render_template("claims/verify.html", form=form, result=result)
