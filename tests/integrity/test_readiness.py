"""Independence readiness beside the PARS status: the provider turns it on from a day, it
can keep an activity from closing, supporters' agreements are part of it, owners and employees
need an exception, the registry records ACCME's self-assessment, and reminders go out by email
the set days before the start."""

import io
from datetime import date, timedelta

from sqlmodel import select

from pars.integrity import reminders
from pars.models import Activity, Company, DisclosureReminder, Provider, SupportSource
from tests.factories import TODAY
from tests.integrity.test_integrity import add, disclose

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def turn_on(client, since: date, *, blocks: bool = False, days: str = "14, 7"):
    data = {
        "integrity_since": since.isoformat(),
        "reminder_days": days,
        "disclosure_valid_months": "12",
    }
    if blocks:
        data["integrity_blocks_closing"] = "y"
    response = client.post("/integrity/settings", data=data)
    assert response.status_code == 303, response.data[-1500:]


def test_settings_exempt_earlier_and_historical_activities(
    admin_client, admin, make_activity, session
):
    client = admin_client
    early = make_activity(
        admin.provider_id,
        title="Early",
        start_date=TODAY - timedelta(days=40),
        end_date=TODAY - timedelta(days=40),
    )
    historical = make_activity(
        admin.provider_id,
        title="Old",
        start_date=date(2015, 3, 1),
        end_date=date(2015, 3, 1),
        legacy_record=True,
    )
    later = make_activity(
        admin.provider_id,
        title="Later",
        start_date=TODAY + timedelta(days=20),
        end_date=TODAY + timedelta(days=20),
    )
    assert b"not turned on" in client.get(f"/activities/{later.id}/integrity").data
    turn_on(client, TODAY - timedelta(days=10))
    assert b"Exempt: it starts before" in client.get(f"/activities/{early.id}/integrity").data
    assert (
        b"historical activity is exempt"
        in client.get(f"/activities/{historical.id}/integrity").data
    )
    page = client.get(f"/activities/{later.id}/integrity").data.decode()
    assert (
        "Add the people in control of content" in page
        and 'data-testid="readiness-exempt"' not in page
    )
    listing = client.get("/activities/?per_page=100").data.decode()
    assert "Independence: 1 missing" in listing  # only the one the checks apply to
    # Update Learners swaps the row in again: it keeps the badge.
    counts = {"physician_learners": "3", "other_learners": "0", "version": later.version}
    swapped = client.post(
        f"/activities/{later.id}/learner-counts", data=counts, headers={"HX-Request": "true"}
    )
    assert swapped.status_code == 200
    assert "Independence: 1 missing" in swapped.data.decode()
    board = client.get("/").data.decode()
    assert "Starting within 30 days with independence incomplete: 1" in board
    bad = client.post(
        "/integrity/settings", data={"reminder_days": "soon", "disclosure_valid_months": "0"}
    )
    assert bad.status_code == 422 and b"reminder_days-error" in bad.data


def test_readiness_can_keep_an_activity_from_closing(admin_client, admin, make_activity, session):
    client = admin_client
    ended = make_activity(
        admin.provider_id,
        start_date=TODAY - timedelta(days=3),
        end_date=TODAY - timedelta(days=3),
        physician_learners=10,
        other_learners=0,
        commercial_support=False,
    )
    turn_on(client, TODAY - timedelta(days=30), blocks=True)
    refused = client.post(f"/activities/{ended.id}/close")
    assert refused.status_code == 409 and b"Independence is not complete" in refused.data
    url = add(client, ended, "Dr Ana Diaz", "ana@example.org", "Author")
    # the activity has ended: its link still works, and a late disclosure is taken
    _, given = disclose(client.application, url, has_none="y")
    assert given.status_code == 200
    assert client.post(f"/activities/{ended.id}/close").status_code == 303
    session.commit()  # a new read transaction sees the request's commit
    closed_at = session.exec(select(Activity.closed_at).where(Activity.id == ended.id)).one()
    assert closed_at is not None


def test_agreements_signed_before_the_start(admin_client, admin, make_activity, session):
    client = admin_client
    start = TODAY + timedelta(days=10)
    activity = make_activity(
        admin.provider_id,
        start_date=start,
        end_date=start,
        commercial_support=True,
        support_sources=[SupportSource(kind="Monetary", source="Acme Pharma", amount=5000)],
    )
    turn_on(client, TODAY)
    page = client.get(f"/activities/{activity.id}/integrity").data.decode()
    assert "Agreement with Acme Pharma not signed" in page
    base = {"source": "Acme Pharma", "provider_signed_on": TODAY.isoformat()}
    not_pdf = client.post(
        f"/activities/{activity.id}/integrity/agreements",
        data=base | {"agreement": (io.BytesIO(b"hello"), "agreement.pdf")},
        content_type="multipart/form-data",
    )
    assert not_pdf.status_code == 422 and b"as a PDF file" in not_pdf.data
    stranger = client.post(
        f"/activities/{activity.id}/integrity/agreements", data={"source": "Nobody Inc"}
    )
    assert stranger.status_code == 422 and b"Choose one of the activity" in stranger.data
    late = client.post(
        f"/activities/{activity.id}/integrity/agreements",
        data=base
        | {
            "supporter_signed_on": (start + timedelta(days=1)).isoformat(),
            "amount_received": "5000",
            "amount_spent": "4200",
            "agreement": (io.BytesIO(PDF), "signed.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert late.status_code == 303
    page = client.get(f"/activities/{activity.id}/integrity").data.decode()
    assert "Agreement with Acme Pharma signed after the activity started" in page
    assert "Received $5,000, spent $4,200" in page
    client.post(
        f"/activities/{activity.id}/integrity/agreements",
        data=base | {"supporter_signed_on": TODAY.isoformat()},
    )
    page = client.get(f"/activities/{activity.id}/integrity").data.decode()
    assert "Agreement with Acme Pharma" not in page.split('id="agreements"')[0]
    link = page.split("/integrity/agreements/")[1].split('"')[0]
    stored = client.get(f"/activities/{activity.id}/integrity/agreements/{link}")
    assert stored.data == PDF  # the file kept when a later save gave none


def test_an_employee_of_an_ineligible_company_needs_an_exception(
    app, admin_client, admin, make_activity, session
):
    client = admin_client
    activity = make_activity(
        admin.provider_id, start_date=TODAY + timedelta(days=5), end_date=TODAY + timedelta(days=5)
    )
    turn_on(client, TODAY)
    url = add(client, activity, "Dr Ana Diaz", "ana@example.org", "Faculty/Speaker")
    disclose(app, url, has_none="y", employee_of="Acme Devices")
    page = client.get(f"/activities/{activity.id}/integrity").data.decode()
    assert "Exception for 1 owner or employee of an ineligible company" in page
    person = page.split("/integrity/people/")[1].split("/")[0]
    done = client.post(
        f"/activities/{activity.id}/integrity/people/{person}/exception",
        data={"role": "Faculty/Speaker", "exception": "Limited to the technical use of a product"},
    )
    assert done.status_code == 303
    assert (
        b"Complete: every disclosure is in"
        in client.get(f"/activities/{activity.id}/integrity").data
    )


def test_the_company_registry_records_the_self_assessment(
    admin_client, admin, make_activity, session
):
    client = admin_client
    make_activity(
        admin.provider_id,
        commercial_support=True,
        support_sources=[SupportSource(kind="Monetary", source="Acme Pharma", amount=100)],
    )
    page = client.get("/integrity/companies").data.decode()
    assert "Acme Pharma" in page and "Not assessed" in page
    company = session.exec(select(Company)).one()
    missing = client.post(f"/integrity/companies/{company.id}", data={"makes_products": "yes"})
    assert missing.status_code == 422
    saved = client.post(
        f"/integrity/companies/{company.id}",
        data={"makes_products": "yes", "advocates": "no", "family_makes": "no"},
    )
    assert saved.status_code == 303
    session.expire_all()
    assert session.get(Company, company.id).ineligible is True


def test_reminders_go_out_the_set_days_before_the_start_once(
    app, admin_client, admin, make_activity, session, smtp_server
):
    client = admin_client
    start = TODAY + timedelta(days=7)
    activity = make_activity(
        admin.provider_id, title="Soon Course", start_date=start, end_date=start
    )
    turn_on(client, TODAY)
    smtp_server.clear()
    client.post(
        f"/activities/{activity.id}/integrity/people",
        data={"name": "Dr Ana Diaz", "email": "ana@example.org", "roles": ["Author"]},
    )
    smtp_server.clear()  # the request itself
    with app.test_request_context(base_url="http://cme.example.org"):
        assert reminders.send_due(session, today=TODAY) == 1
        assert reminders.send_due(session, today=TODAY) == 0  # once per day setting
    [message] = smtp_server
    assert message["Subject"] == "Reminder: your disclosure for Soon Course (7 days to go)"
    assert "http://cme.example.org/disclose/" in message.get_payload(decode=True).decode()
    assert len(session.exec(select(DisclosureReminder)).all()) == 1
    assert reminders.reminder_days("14, 7, x, 0, 400") == [14, 7]
    assert session.get(Provider, admin.provider_id).reminder_days == "14, 7"
    assert session.exec(select(Activity)).first()


def test_a_file_cannot_close_what_the_checks_keep_open(admin_client, admin, make_activity, session):
    from tests.factories import preview_of

    client = admin_client
    ended = make_activity(
        admin.provider_id,
        internal_id="IND-1",
        start_date=TODAY - timedelta(days=3),
        end_date=TODAY - timedelta(days=3),
        physician_learners=10,
        other_learners=0,
        commercial_support=False,
    )
    turn_on(client, TODAY - timedelta(days=30), blocks=True)
    exported = client.get(f"/exports/activities.xml?ids={ended.id}").data.decode()
    closing = exported.replace(
        "<accme:closeActivityRecord>false</accme:closeActivityRecord>",
        "<accme:closeActivityRecord>true</accme:closeActivityRecord>",
    )
    assert closing != exported
    html = preview_of(client, closing.encode(), "activities.xml")[1].data.decode()
    assert "Independence is not complete: Add the people in control of content." in html
