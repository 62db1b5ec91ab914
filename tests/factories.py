"""Helpers that several test modules share: factories of records, uploads, the route walk,
and the one test date. Test modules import these; none imports another test module."""

import os
import re
import threading
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from pars.activities import operations
from pars.models import (
    Activity,
    CommendationTag,
    DeliveryMethodRow,
    JointProvider,
    MocCreditType,
    MocRegistration,
    OutcomeRow,
    SupportSource,
)
from pars.vocab import ActivityFormat, DeliveryMethod, Providership

DATA = Path(__file__).parent / "data"
# The one test date: "today" for every test (the `today` fixture, the TODAY setting of every app
# the tests start, PARS_TODAY for a server in its own process). PARS_TEST_TODAY=YYYY-MM-DD runs
# the suite as of another day; tests/core/test_date_edges.py does so for the month and year edges.
TODAY = date.fromisoformat(os.environ.get("PARS_TEST_TODAY") or "2026-11-23")
NOW = datetime.combine(TODAY, time(12), UTC)  # an instant of the test date, for stored timestamps
PAST = TODAY - timedelta(days=5)
SOON = TODAY + timedelta(days=30)

QUERY_OBJECT = {
    "wizard.form_section": "activity_id",
    "wizard.step_actions": "activity_id",
    "activities.download": "ids",
    "exports.activities_xlsx": "ids",
    "exports.activities_xml": "ids",
    "exports.learners_xml": "ids",
}


PASSWORD = "correct-horse-battery"


def csrf_token_from(html: str) -> str:
    match = re.search(r'"X-CSRFToken": "([^"]+)"', html)
    assert match, "page carries no CSRF token in hx-headers"
    return match.group(1)


POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


def full_activity(make_activity, provider_id: int, **changes):
    fields = (
        dict(
            title="Heart Failure Update 2026",
            start_date=date(2026, 3, 2),
            end_date=date(2026, 3, 3),
            internal_id="HF-2026",
            accme_activity_id="202612345",
            url="https://cme.example.org/hf",
            ama_credits=6.5,
            physician_learners=120,
            other_learners=14,
            providership="Joint",
            commercial_support=True,
            commendation=True,
            in_cme_passport=True,
            registration="Open to all",
            fee="Yes",
            moc=True,
            mips=False,
            rems=False,
            moc_attested=True,
            joint_providers=[JointProvider(name="Lakeshore Heart Society")],
            support_sources=[
                SupportSource(kind="Monetary", source="Acme Pharma", amount=5000),
                SupportSource(kind="In-kind", source="Beta Devices"),
            ],
            outcomes=[OutcomeRow(outcome="Learner Competence", objective=True, subjective=True)],
            commendation_tags=[CommendationTag(tag="Engages Patients/Public")],
            moc_registrations=[
                MocRegistration(
                    board="ABIM",
                    points=6.5,
                    claim_date=date(2026, 3, 3),
                    credit_types=[MocCreditType(credit_type="Medical Knowledge")],
                )
            ],
        )
        | changes
    )
    return make_activity(provider_id, **fields)


def upload(client, data: bytes, name: str = "activities.xml"):
    return client.post(
        "/uploads/", data={"file": (BytesIO(data), name)}, content_type="multipart/form-data"
    )


def preview_of(client, data: bytes, name: str = "activities.xml"):
    response = upload(client, data, name)
    assert response.status_code == 303, response.data[-2000:]
    location = response.headers["Location"]
    return location, client.get(location)


def course(**overrides) -> Activity:
    """A live course in person that has everything Closed needs except the end date passing."""
    fields = dict(
        title="Grand Rounds",
        format="Live Course",
        start_date=TODAY,
        end_date=TODAY,
        delivery_methods=[DeliveryMethodRow(method="In-Person")],
        country="USA",
        city="Chicago",
        state="IL",
        postal_code="60611",
        ama_credits=1.0,
        in_cme_passport=False,
        description="About heart failure.",
        providership="Direct",
        outcomes=[OutcomeRow(outcome="Learner Knowledge", objective=True)],
        commercial_support=False,
        physician_learners=0,
        other_learners=0,
        moc=False,
    )
    return Activity(**(fields | overrides))


SAMPLE_ARGS = {
    "auth.login": {},
    "auth.logout": {},
    "home.index": {},
    "activities.index": {},
    "activities.view": {"activity_id": "ACTIVITY"},
    "activities.set_legacy_details": {"activity_id": "ACTIVITY"},
    "integrity.activity": {"activity_id": "ACTIVITY"},
    "integrity.disclosure_text": {"activity_id": "ACTIVITY"},
    "integrity.disclosure_pdf": {"activity_id": "ACTIVITY"},
    "integrity.add_person": {"activity_id": "ACTIVITY"},
    "integrity.new_link": {"activity_id": "ACTIVITY", "person_id": 1},
    "integrity.revoke_link": {"activity_id": "ACTIVITY", "person_id": 1},
    "integrity.decide": {"activity_id": "ACTIVITY", "relationship_id": 1},
    "integrity.mitigate": {"activity_id": "ACTIVITY", "relationship_id": 1},
    "integrity.disclose": {"token": "not-a-real-token"},
    "integrity.save_agreement": {"activity_id": "ACTIVITY"},
    "integrity.agreement_file": {"activity_id": "ACTIVITY", "agreement_id": 1},
    "integrity.record_exception": {"activity_id": "ACTIVITY", "person_id": 1},
    "integrity.settings": {},
    "integrity.companies": {},
    "integrity.assess_company": {"company_id": 1},
    "activities.close": {"activity_id": "ACTIVITY"},
    "activities.reopen": {"activity_id": "ACTIVITY"},
    "activities.confirm_delete": {"activity_id": "ACTIVITY"},
    "activities.delete": {"activity_id": "ACTIVITY"},
    "activities.bulk_close": {},
    "activities.download": {},
    "learner_counts.edit": {"activity_id": "ACTIVITY"},
    "learner_counts.update": {"activity_id": "ACTIVITY"},
    "wizard.new": {},
    "wizard.edit": {"activity_id": "ACTIVITY", "step": 1},
    "wizard.form_section": {"step": 3, "name": "joint"},
    "wizard.step_actions": {"step": 3},
    "wizard.copy": {"activity_id": "ACTIVITY"},
    "learners.activity": {"activity_id": "ACTIVITY"},
    "learners.add": {"activity_id": "ACTIVITY"},
    "learners.board_fields": {"activity_id": "ACTIVITY"},
    "learners.delete": {"activity_id": "ACTIVITY", "completion_id": 1},
    "learners.set_pars_result": {"activity_id": "ACTIVITY", "completion_id": 1},
    "learners.match": {"activity_id": "ACTIVITY"},
    "learner_directory.index": {},
    "learner_directory.person": {"learner_id": "LEARNER"},
    "learner_directory.check": {},
    "uploads.index": {},
    "uploads.create": {},
    "uploads.preview": {"upload_id": "UPLOAD"},
    "uploads.progress": {"upload_id": "UPLOAD"},
    "uploads.commit": {"upload_id": "UPLOAD"},
    "uploads.cancel": {"upload_id": "UPLOAD"},
    "uploads.learner_template": {},
    "uploads.counts_template": {},
    "uploads.activities_template": {},
    "uploads.activities_moc_template": {},
    "annual.index": {},
    "annual.accept_agreement": {"year": 2020},
    "annual.close_all": {"year": 2020},
    "annual.save_summary": {"year": 2020},
    "annual.reopen_summary": {"year": 2020},
    "annual.contacts_reviewed": {"year": 2020},
    "annual.add_contact": {},
    "annual.update_contact": {"contact_id": "CONTACT"},
    "annual.delete_contact": {"contact_id": "CONTACT"},
    "annual.set_deadline": {},
    "catalog.index": {},
    "catalog.as_json": {},
    "history.activity": {"activity_id": "ACTIVITY"},
    "history.log": {},
    "learners.workbook": {"activity_id": "ACTIVITY"},
    "uploads.counts_moc_template": {},
    "users.index": {},
    "users.invite": {},
    "users.set_provider_id": {},
    "users.set_role": {"user_id": "USER"},
    "users.disable": {"user_id": "USER"},
    "users.enable": {"user_id": "USER"},
    "users.reset_password": {"user_id": "USER"},
    "users.change_password": {},
    "exports.activities_xlsx": {},
    "exports.activities_xml": {},
    "exports.learners_xml": {},
    "tokens.index": {},
    "tokens.create": {},
    "tokens.revoke": {"token_id": "TOKEN"},
    "api.openapi": {},
    "api.list_activities": {},
    "api.create_activity": {},
    "api.get_activity": {"activity_id": "ACTIVITY"},
    "api.update_activity": {"activity_id": "ACTIVITY"},
    "api.delete_activity": {"activity_id": "ACTIVITY"},
    "api.set_learner_counts": {"activity_id": "ACTIVITY"},
    "api.close_activity": {"activity_id": "ACTIVITY"},
    "api.list_learners": {"activity_id": "ACTIVITY"},
    "api.add_learner": {"activity_id": "ACTIVITY"},
    "api.delete_learner": {"activity_id": "ACTIVITY", "completion_id": 1},
    "api.record_pars_answer": {"activity_id": "ACTIVITY", "completion_id": 1},
    "api.match_learner": {},
    "api.import_file": {},
    "api.list_people": {},
    "api.activity_people": {"activity_id": "ACTIVITY"},
    "api.add_person": {"activity_id": "ACTIVITY"},
    "api.independence": {"activity_id": "ACTIVITY"},
    "api.decide": {"activity_id": "ACTIVITY", "relationship_id": 1},
    "api.mitigate": {"activity_id": "ACTIVITY", "relationship_id": 1},
    "api.list_claim_links": {"activity_id": "ACTIVITY"},
    "api.open_claim_links": {"activity_id": "ACTIVITY"},
    "api.list_claims": {"activity_id": "ACTIVITY"},
    "api.evaluation_summary": {"activity_id": "ACTIVITY"},
    "claims.activity": {"activity_id": "ACTIVITY"},
    "claims.open_claims": {"activity_id": "ACTIVITY"},
    "claims.add_session": {"activity_id": "ACTIVITY"},
    "claims.remove_session": {"activity_id": "ACTIVITY", "session_id": 1},
    "claims.save_link": {"activity_id": "ACTIVITY", "link_id": 1},
    "claims.switch": {"activity_id": "ACTIVITY", "link_id": 1},
    "claims.new_code": {"activity_id": "ACTIVITY", "link_id": 1},
    "claims.late_pass": {"activity_id": "ACTIVITY", "link_id": 1},
    "claims.qr": {"activity_id": "ACTIVITY", "link_id": 1, "kind": "svg"},
    "claims.print_link": {"activity_id": "ACTIVITY", "link_id": 1},
    "claims.decide": {"activity_id": "ACTIVITY", "claim_id": 1},
    "claims.reissue": {"activity_id": "ACTIVITY", "claim_id": 1},
    "claims.staff_certificate": {"activity_id": "ACTIVITY", "claim_id": 1},
    "claims.evaluation": {"activity_id": "ACTIVITY"},
    "claims.evaluation_file": {"activity_id": "ACTIVITY", "kind": "csv"},
    "claims.settings": {},
    "claims.save_settings": {},
    "claims.add_question": {},
    "claims.retire_question": {"question_id": 1},
    # the learners' public pages: a link that does not exist answers 404
    "claims.claim": {"slug": "notalink"},
    "claims.check": {"slug": "notalink"},
    "claims.done": {"slug": "notalink", "receipt": "x"},
    "claims.certificate": {"slug": "notalink", "receipt": "x"},
    "claims.email_certificate": {"slug": "notalink"},
    "claims.transcript_request": {"provider_id": 1},
    "claims.certificate_link": {"token": "not-a-real-token"},
    "claims.verify": {},
}


def routes(app):
    """(endpoint, method, url builder) for every rule and method the app serves."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method


def url_for_test(
    app,
    endpoint: str,
    activity_id: int,
    learner_id: int = 1,
    upload_id: int = 1,
    contact_id: int = 1,
    user_id: int = 1,
    token_id: int = 1,
) -> str:
    objects = {
        "ACTIVITY": activity_id,
        "LEARNER": learner_id,
        "UPLOAD": upload_id,
        "CONTACT": contact_id,
        "USER": user_id,
        "TOKEN": token_id,
    }
    args = {k: objects.get(v, v) for k, v in SAMPLE_ARGS[endpoint].items()}
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **args)
    if endpoint in QUERY_OBJECT:
        url += f"?{QUERY_OBJECT[endpoint]}={activity_id}"
    return url


def activity_fields(provider_id: int, **overrides) -> dict:
    """A live course in person in Chicago, complete enough to be Active, starting in 10 days."""
    start = TODAY + timedelta(days=10)
    fields = dict(
        provider_id=provider_id,
        title="Grand Rounds: Heart Failure",
        format=ActivityFormat.LIVE_COURSE.value,
        start_date=start,
        end_date=start,
        country="USA",
        city="Chicago",
        state="IL",
        postal_code="60611",
        ama_credits=1.0,
        in_cme_passport=False,
        description="Updates in heart failure care.",
        providership=Providership.DIRECT.value,
        delivery_methods=[DeliveryMethodRow(method=DeliveryMethod.IN_PERSON)],
        outcomes=[OutcomeRow(outcome="Learner Competence", objective=True)],
    )
    return fields | overrides


def saved_activity(session, provider_id: int, **overrides) -> Activity:
    """An activity saved as the entry form saves one; the caller commits."""
    activity = Activity(**activity_fields(provider_id, **overrides))
    operations.save_activity(session, activity)
    return activity


def add_activity(session, provider_id: int, title: str, **overrides) -> Activity:
    """A course that ended five days ago with commercial support answered: a row of the list
    that only learner totals keep from closing."""
    fields = dict(title=title, start_date=PAST, end_date=PAST, commercial_support=False)
    return saved_activity(session, provider_id, **(fields | overrides))


def moc_course_fields(start: date) -> dict:
    """A three-day course from ``start``, 3 credits, registered for ABIM MOC: the activity that
    learner completions (typed in or uploaded) are checked against."""
    return dict(
        start_date=start,
        end_date=start + timedelta(days=2),
        ama_credits=3.0,
        moc=True,
        registration="Open to all",
        fee="Yes",
        url="https://x.org",
        moc_attested=True,
        moc_registrations=[abim_registration()],
    )


def abim_registration(**overrides) -> MocRegistration:
    """An ABIM MOC registration of 2 points of Medical Knowledge, claimed by TODAY."""
    fields = dict(
        board="ABIM",
        points=2.0,
        claim_date=TODAY,
        credit_types=[MocCreditType(credit_type="Medical Knowledge")],
    )
    return MocRegistration(**(fields | overrides))


def activity_template_row(columns, **cells) -> list:
    base = {
        "Provider Activity ID": "T-1",
        "Title": "Template Course",
        "Format": "Live Course",
        "Delivery Methods": "In-Person",
        "Start Date": f"{SOON:%m/%d/%Y}",
        "End Date": f"{SOON:%m/%d/%Y}",
        "Country": "USA",
        "City": "Chicago",
        "State/Province": "IL",
        "ZIP/Postal Code": "60611",
        "AMA PRA Category 1 Credits": "2.5",
        "Description": "About the course.",
        "Include in CME Passport": "No",
        "MIPS": "No",
        "REMS": "No",
        "Providership": "Joint",
        "Joint Provider 1": "Lakeshore Society",
        "Learner Competence Measured": "Both",
        "Commercial Support Received": "Yes",
        "Monetary Source 1": "Acme Pharma",
        "Monetary Amount 1": "5,000",
        "In-kind Source 1": "Beta Devices",
        "Commendation": "No",
    } | cells
    return [base.get(name) for name in columns]


def filled_activity_template(client, url: str, columns, rows) -> bytes:
    workbook = load_workbook(BytesIO(client.get(url).data))
    sheet = workbook["Activities"]
    assert [c.value for c in sheet[2]] == list(columns)
    assert sheet.data_validations.dataValidation  # dropdowns for the constrained columns
    assert "Instructions" in workbook.sheetnames
    for values in rows:
        sheet.append(values)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def race(*calls) -> list[int]:
    """Run the calls at the same moment, each in a thread of its own; their status codes."""
    start, codes, failures = threading.Barrier(len(calls)), [], []

    def run(call):
        start.wait()
        try:
            codes.append(call())
        except Exception as error:  # noqa: BLE001 (shown by the assertion below)
            failures.append(error)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if failures:
        raise failures[0]
    return sorted(codes)
