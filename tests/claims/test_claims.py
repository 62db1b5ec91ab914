"""Learners claim their own credit through the Flask test client: staff open claims, a learner
claims with the attendance code, identity, credits, evaluation and permission; every refusal
names its field and stores nothing; one claim per learner per link; certificates, approval,
series sessions, emailed links and verification."""

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import func, select

from pars.claims import operations
from pars.core.templating import remembered
from pars.models import (
    ActivitySession,
    Claim,
    ClaimAnswer,
    ClaimLink,
    EvaluationQuestion,
    LearnerCompletion,
    MocRegistration,
    Provider,
)
from pars.vocab import ClaimState
from tests.factories import TODAY

VALID_NPI = "1234567893"  # the check digit is right
CSRF_TOKEN = re.compile(r"[\w-]{20,}\.[\w-]{6}\.[\w-]{20,}")  # Flask-WTF's signed token


def open_claims(client, session, activity) -> ClaimLink:
    response = client.post(f"/activities/{activity.id}/claims/open")
    assert response.status_code == 303, response.data
    session.commit()
    return session.exec(select(ClaimLink).where(ClaimLink.activity_id == activity.id)).one()


def answers_for(session, activity) -> dict:
    questions = operations.questions_for(session, activity)
    session.commit()
    given = {}
    for q in questions:
        given[f"q{q.id}"] = {"Free text": "More ultrasound", "Yes/no": "yes"}.get(q.kind, "4")
    return given


def claim_data(session, activity, link, **changes) -> dict:
    data = {
        "first_name": "Ana",
        "last_name": "Diaz",
        "birth_month_day": "09/10",
        "email": "ana@example.org",
        "state": "IL",
        "license_number": "036-123456",
        "npi": VALID_NPI,
        "attendance_code": link.attendance_code or "",
        "credits": "1",
        "permission": "yes",
        **answers_for(session, activity),
    }
    return data | changes


def stored(session, model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    session.commit()
    return session.exec(query).one()


@pytest.fixture
def live_course(editor, make_activity):
    return make_activity(
        editor.provider_id,
        title="Heart Failure Update",
        ama_credits=1.5,
        start_date=TODAY,
        end_date=TODAY,
    )


def test_a_claim_makes_the_completion_and_a_certificate(client, session, editor, live_course):
    link = open_claims(client, session, live_course)
    assert link.attendance_code and len(link.slug) == 8
    assert (link.opens_on, link.closes_on) == (TODAY, TODAY + timedelta(days=30))
    client.post("/logout")
    page = client.get(f"/c/{link.slug}")
    assert page.status_code == 200
    assert b"Heart Failure Update" in page.data and b"AMA PRA Category 1 Credit" in page.data
    response = client.post(f"/c/{link.slug}", data=claim_data(session, live_course, link))
    assert response.status_code == 303, response.data.decode()[:3000]
    done = client.get(response.location)
    assert b"Your credit is claimed" in done.data
    pdf_url = re.search(rb'href="([^"]+/certificate/[^"]+)"', done.data).group(1).decode()
    certificate = client.get(pdf_url)
    assert certificate.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(certificate.data)).pages[0].extract_text()
    claim = session.exec(select(Claim)).one()
    for said in (
        "Ana Diaz",
        "Heart Failure Update",
        "1 AMA PRA Category 1 Credit\u2122",
        "Lakeside CME",
        claim.certificate_code,
    ):
        assert said in text, said
    completion = session.get(LearnerCompletion, claim.completion_id)
    assert (completion.first_name, completion.cme_credits, completion.report_permission) == (
        "Ana",
        1.0,
        True,
    )
    assert completion.completion_date == TODAY and completion.match_result == "No match"
    assert stored(session, ClaimAnswer, claim_id=claim.id) == len(answers_for(session, live_course))


def test_a_second_claim_is_refused_and_shows_the_certificate_again(
    client, session, editor, live_course
):
    link = open_claims(client, session, live_course)
    client.post("/logout")
    client.post(f"/c/{link.slug}", data=claim_data(session, live_course, link))
    again = client.post(
        f"/c/{link.slug}",
        data=claim_data(session, live_course, link, first_name=" ana ", last_name="DIAZ"),
    )
    assert again.status_code == 409
    assert b"You already claimed credit for this activity" in again.data
    assert b"/certificate/" in again.data
    # Without the same licence or NPI, the certificate is not shown: name and MM/DD are easy
    # to know.
    stranger = client.post(
        f"/c/{link.slug}",
        data=claim_data(session, live_course, link, npi="", license_number="999"),
    )
    assert stranger.status_code == 409 and b"/certificate/" not in stranger.data
    assert stored(session, Claim) == 1 and stored(session, LearnerCompletion) == 1


@pytest.mark.parametrize(
    "field, value, said",
    [
        ("attendance_code", "WRONG1", "This is not the attendance code"),
        ("attendance_code", "", "Enter the attendance code"),
        ("credits", "2", "at most 1.5 credits"),
        ("credits", "1.1", "quarter steps"),
        ("credits", "0", "greater than 0"),
        ("birth_month_day", "02/30", "is not a day of the year"),
        ("birth_month_day", "1990-09-10", "MM/DD"),
        ("npi", "1234567890", "check digit"),
        ("permission", "", "Answer whether we may report"),
        ("state", "", "Choose the state"),
        ("first_name", "", "Enter your first name"),
    ],
)
def test_bad_input_is_named_under_its_field_and_stores_nothing(
    client, session, editor, live_course, field, value, said
):
    link = open_claims(client, session, live_course)
    client.post("/logout")
    response = client.post(
        f"/c/{link.slug}", data=claim_data(session, live_course, link, **{field: value})
    )
    assert response.status_code == 422
    html = response.data.decode()
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error and said in error.group(1), html[html.find("has-error") - 200 :][:800]
    assert stored(session, Claim) == 0 and stored(session, LearnerCompletion) == 0


def test_a_board_is_taken_only_while_the_activity_is_registered_for_moc(
    client, session, editor, live_course
):
    """Board rows left from an MOC registration since turned off offer no board, and a board
    sent anyway is refused: no MOC completion of an activity not registered for MOC."""
    live_course.moc_registrations = [MocRegistration(board="ABIM", points=1.0)]
    session.add(live_course)
    session.commit()
    link = open_claims(client, session, live_course)
    client.post("/logout")
    assert 'value="ABIM"' not in client.get(f"/c/{link.slug}").data.decode()
    given = claim_data(session, live_course, link, board="ABIM", board_id="123456")
    response = client.post(f"/c/{link.slug}", data=given)
    assert response.status_code == 422 and 'id="board-error"' in response.data.decode()
    assert stored(session, Claim) == 0 and stored(session, LearnerCompletion) == 0


def test_a_licence_or_an_npi_is_needed(client, session, editor, live_course):
    link = open_claims(client, session, live_course)
    client.post("/logout")
    data = claim_data(session, live_course, link, npi="", license_number="")
    response = client.post(f"/c/{link.slug}", data=data)
    assert response.status_code == 422 and b"license number or your NPI" in response.data


def test_an_unanswered_evaluation_question_is_refused(client, session, editor, live_course):
    link = open_claims(client, session, live_course)
    client.post("/logout")
    data = claim_data(session, live_course, link)
    required = next(k for k, v in data.items() if k.startswith("q") and v == "4")
    data[required] = ""
    response = client.post(f"/c/{link.slug}", data=data)
    assert response.status_code == 422 and b"Answer this question." in response.data


def test_refused_permission_still_gives_a_certificate_but_is_not_reported(
    client, session, editor, live_course
):
    link = open_claims(client, session, live_course)
    client.post("/logout")
    response = client.post(
        f"/c/{link.slug}", data=claim_data(session, live_course, link, permission="no")
    )
    assert response.status_code == 303
    assert b"will not be reported" in client.get(response.location).data
    completion = session.exec(select(LearnerCompletion)).one()
    assert completion.report_permission is False


def test_a_closed_window_takes_no_claim_until_staff_open_it_again(
    client, session, editor, live_course, login
):
    link = open_claims(client, session, live_course)
    client.post(
        f"/activities/{live_course.id}/claims/links/{link.id}/switch",
        data={"to": "close", "version": link.version},
    )
    session.refresh(link)
    assert link.stopped
    client.post("/logout")
    assert b"Claims for this activity are closed" in client.get(f"/c/{link.slug}").data
    refused = client.post(f"/c/{link.slug}", data=claim_data(session, live_course, link))
    assert refused.status_code == 409 and stored(session, Claim) == 0
    # One learner let in after the close, with a late link that works once.
    login()
    made = client.post(
        f"/activities/{live_course.id}/claims/links/{link.id}/late-pass",
        data={f"late{link.id}-learner": "Ben Ode"},
    )
    late_url = re.search(rb'value="(http[^"]+late=[^"]+)"', made.data).group(1).decode()
    late = late_url.split("late=")[1]
    client.post("/logout")
    assert b"Your details" in client.get(f"/c/{link.slug}?late={late}").data
    data = claim_data(session, live_course, link, first_name="Ben", last_name="Ode", late=late)
    assert client.post(f"/c/{link.slug}", data=data).status_code == 303
    data = claim_data(session, live_course, link, first_name="Cy", last_name="Lu", late=late)
    assert client.post(f"/c/{link.slug}", data=data).status_code == 409
    assert stored(session, Claim) == 1


def test_staff_change_the_window_and_the_code_with_the_version_read(
    client, session, editor, live_course
):
    link = open_claims(client, session, live_course)
    prefix = f"l{link.id}-"
    form = {
        prefix + "version": link.version,
        prefix + "opens_on": TODAY.isoformat(),
        prefix + "closes_on": (TODAY + timedelta(days=3)).isoformat(),
        prefix + "attendance_code": "heart 26",
    }
    url = f"/activities/{live_course.id}/claims/links/{link.id}"
    assert client.post(url, data=form).status_code == 303
    session.refresh(link)
    assert link.attendance_code == "HEART26" and link.closes_on == TODAY + timedelta(days=3)
    stale = client.post(url, data=form)  # the version it was read at moved on
    assert stale.status_code == 409 and b"Someone changed this claim link" in stale.data
    backwards = form | {prefix + "version": link.version, prefix + "closes_on": "2026-01-01"}
    refused = client.post(url, data=backwards)
    assert refused.status_code == 422 and b"closes before it opens" in refused.data
    blank = form | {prefix + "version": link.version, prefix + "attendance_code": ""}
    assert b"needs an attendance code" in client.post(url, data=blank).data


def test_a_series_has_a_claim_link_per_session_dated_that_session(
    client, session, editor, make_activity
):
    series = make_activity(
        editor.provider_id,
        title="Tumor Board",
        format="Regularly Scheduled Series",
        start_date=TODAY - timedelta(days=60),
        end_date=TODAY + timedelta(days=60),
        ama_credits=1.0,
    )
    for days in (-14, 0):
        day = TODAY + timedelta(days=days)
        response = client.post(
            f"/activities/{series.id}/claims/sessions", data={"session_date": day.isoformat()}
        )
        assert response.status_code == 303
    twice = client.post(
        f"/activities/{series.id}/claims/sessions", data={"session_date": TODAY.isoformat()}
    )
    assert twice.status_code == 422 and b"already has a session" in twice.data
    session.commit()
    links = {
        session.get(ActivitySession, link.session_id).session_date: link
        for link in session.exec(select(ClaimLink).where(ClaimLink.activity_id == series.id))
    }
    assert len(links) == 2
    client.post("/logout")
    for link in links.values():
        response = client.post(f"/c/{link.slug}", data=claim_data(session, series, link))
        assert response.status_code == 303, response.data.decode()[:2000]
    dates = sorted(c.completion_date for c in session.exec(select(LearnerCompletion)))
    assert dates == sorted(links)


def test_with_approval_the_certificate_waits_for_staff(
    client, session, make_user, login, live_course
):
    provider = session.get(Provider, live_course.provider_id)
    provider.claims_need_approval = True
    session.add(provider)
    session.commit()
    link = open_claims(client, session, live_course)
    client.post("/logout")
    response = client.post(f"/c/{link.slug}", data=claim_data(session, live_course, link))
    assert b"approves each claim" in client.get(response.location).data
    claim = session.exec(select(Claim)).one()
    assert claim.state == ClaimState.PENDING and claim.completion_id is None
    assert stored(session, LearnerCompletion) == 0
    login()
    decided = client.post(
        f"/activities/{live_course.id}/claims/{claim.id}/decide",
        data={"decision": "approve", "version": claim.version},
    )
    assert decided.status_code == 303
    session.refresh(claim)
    assert claim.state == ClaimState.ISSUED and claim.completion_id is not None
    again = client.post(
        f"/activities/{live_course.id}/claims/{claim.id}/decide",
        data={"decision": "reject", "version": claim.version},
    )
    assert b"decided already" in client.get(again.location).data
    staff = client.get(f"/activities/{live_course.id}/claims/{claim.id}/certificate.pdf")
    assert staff.mimetype == "application/pdf"


def test_verification_says_genuine_replaced_or_unknown(client, session, editor, live_course):
    link = open_claims(client, session, live_course)
    client.post("/logout")
    client.post(f"/c/{link.slug}", data=claim_data(session, live_course, link))
    claim = session.exec(select(Claim)).one()
    code = claim.certificate_code
    genuine = client.get(f"/certificates/verify?code={code.lower().replace('-', ' ')}")
    assert b"This certificate is genuine: Ana Diaz" in genuine.data
    assert b"No certificate has this code" in client.get("/certificates/verify?code=ZZZZ").data
    client.post("/login", data={"email": "staff@example.org", "password": "correct horse battery"})
    from tests.factories import PASSWORD

    client.post("/login", data={"email": "staff@example.org", "password": PASSWORD})
    client.post(f"/activities/{live_course.id}/claims/{claim.id}/reissue")
    session.refresh(claim)
    assert claim.certificate_code != code
    assert b"This code was replaced" in client.get(f"/certificates/verify?code={code}").data


def test_the_live_check_names_only_what_was_typed(client, session, editor, live_course):
    link = open_claims(client, session, live_course)
    client.post("/logout")
    bad = client.get(f"/c/{link.slug}/check?field=npi&npi=1234567890")
    assert b"check digit" in bad.data
    good = client.get(f"/c/{link.slug}/check?field=birth_month_day&birth_month_day=09/10")
    assert good.data.strip() == b""
    assert client.get(f"/c/{link.slug}/check?field=last_name&last_name=x").status_code == 404


def test_an_unknown_link_is_404_and_shows_nothing(client):
    response = client.get("/c/nosuchlnk")
    assert response.status_code == 404 and b"no such claim link" in response.data


def test_evaluation_summary_counts_means_and_free_text(client, session, editor, live_course):
    link = open_claims(client, session, live_course)
    client.post("/logout")
    for first, point in (("Ana", "5"), ("Ben", "2")):
        data = claim_data(session, live_course, link, first_name=first)
        data = {k: (point if v == "4" else v) for k, v in data.items()}
        assert client.post(f"/c/{link.slug}", data=data).status_code == 303
    from tests.factories import PASSWORD

    client.post("/login", data={"email": "staff@example.org", "password": PASSWORD})
    page = client.get(f"/activities/{live_course.id}/evaluation")
    assert b"3.5" in page.data and b"More ultrasound" in page.data
    csv_file = client.get(f"/activities/{live_course.id}/evaluation.csv")
    assert csv_file.mimetype == "text/csv" and b"3.5" in csv_file.data
    xlsx = client.get(f"/activities/{live_course.id}/evaluation.xlsx")
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Question" and any(r[3] == 3.5 for r in rows[1:])


def test_a_change_of_the_question_bank_is_asked_from_the_next_claim_page_on(
    client, session, admin, make_activity
):
    """Each process keeps the bank it read while the bank's version stands: adding or retiring
    a question moves the version, so the next page reads the bank again."""
    course = make_activity(admin.provider_id, title="Sepsis Bundle", start_date=TODAY)
    link = open_claims(client, session, course)
    first = client.get(f"/c/{link.slug}").data.decode()
    added = client.post(
        "/claims/settings/questions",
        data={"text": "Would you recommend this activity to a colleague?", "kind": "Yes/no"},
    )
    assert added.status_code == 303, added.data
    assert "<legend>Would you recommend" not in first
    assert "<legend>Would you recommend" in client.get(f"/c/{link.slug}").data.decode()
    session.commit()
    question = session.exec(
        select(EvaluationQuestion).where(EvaluationQuestion.text.contains("recommend"))
    ).one()
    assert (
        client.post(f"/claims/settings/questions/{question.id}", data={"to": "retire"}).status_code
        == 303
    )
    assert "<legend>Would you recommend" not in client.get(f"/c/{link.slug}").data.decode()
    version = session.exec(select(Provider.questions_version)).one()
    assert version >= 3  # the default bank, the question added, the question retired


def test_the_blank_form_kept_in_memory_is_the_page_written_afresh_and_follows_the_activity(
    client, session, editor, live_course
):
    """The claim form a GET shows is written out once per what it is made from: the page from
    memory is the page written afresh, and a change of the credits, the boards or the code
    shows on the next page."""
    link = open_claims(client, session, live_course)
    client.post("/logout")
    client.get(f"/c/{link.slug}")  # shows the flash of signing out
    remembered.blocks.clear()

    def page() -> str:  # the CSRF tokens aside: they carry the second they were signed in
        return CSRF_TOKEN.sub("token", client.get(f"/c/{link.slug}").data.decode())

    written = page()
    assert page() == written
    assert "Up to 1.5, in quarter hours" in written and 'name="attendance_code"' in written

    def after(change, *rows) -> str:
        change()
        session.add_all(rows)
        session.commit()
        return page()

    assert "Up to 2.25, in quarter hours" in after(
        lambda: setattr(live_course, "ama_credits", 2.25), live_course
    )
    boards = [MocRegistration(board="ABIM", points=2.0)]
    changed = after(lambda: setattr(live_course, "moc_registrations", boards), live_course)
    assert '<option value="ABIM">ABIM</option>' not in changed  # not an MOC activity yet
    changed = after(lambda: setattr(live_course, "moc", True), live_course)
    assert '<option value="ABIM">ABIM</option>' in changed
    boards = [*boards, MocRegistration(board="ABP", points=2.0)]
    changed = after(lambda: setattr(live_course, "moc_registrations", boards), live_course)
    assert '<option value="ABP">ABP</option>' in changed
    changed = after(lambda: setattr(link, "attendance_code", None), link)
    assert 'name="attendance_code"' not in changed
    filled = client.post(f"/c/{link.slug}", data={"first_name": "Ana", "credits": "9"})
    assert filled.status_code == 422 and 'value="Ana"' in filled.data.decode()
    assert page() == changed
