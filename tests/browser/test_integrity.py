"""Integrity and independence end to end in Chromium: staff add two faculty and a planner, the
faculty disclose from the links a real SMTP server received, staff judge relevance and record
a peer-review mitigation, readiness turns complete, and learners are told, on the activity
page, in the catalog and in the PDF."""

import io
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.factories import TODAY, add_activity

pytestmark = pytest.mark.browser


def body_link(message) -> str:
    return re.search(r"http://\S+/disclose/\S+", message.get_payload(decode=True).decode()).group(0)


def test_disclosures_from_email_links_to_the_learner_disclosure(
    page: Page, browser_user, live_session, live_smtp, context
):
    base, provider = browser_user
    activity = add_activity(
        live_session,
        provider.id,
        "Opioid Prescribing Update",
        start_date=TODAY + timedelta(days=20),
        end_date=TODAY + timedelta(days=20),
        in_cme_passport=True,
        registration="Open to all",
        fee="Yes",
        url="https://cme.example.org/opioids",
    )
    live_session.commit()
    page.goto(f"{base}/activities/{activity.id}")
    page.get_by_role("navigation", name="Activity").get_by_role("link", name="Integrity").click()
    for name, email, role in (
        ("Dr Ana Diaz", "ana@example.org", "Faculty/Speaker"),
        ("Dr Ben Ode", "ben@example.org", "Faculty/Speaker"),
        ("Cara Lee", "cara@example.org", "Planner"),
    ):
        form = page.locator("#person-form")
        form.locator("#name").fill(name)
        form.get_by_label("Email").fill(email)
        form.get_by_label(role).check()
        form.get_by_role("button", name="Add and make their disclosure link").click()
        expect(page.get_by_text(f"was emailed to {name} ({email})")).to_be_visible()
    expect(page.locator("#readiness")).to_contain_text("Disclosure from 3 people")
    links = {m["To"]: body_link(m) for m in live_smtp}
    assert set(links) == {"ana@example.org", "ben@example.org", "cara@example.org"}

    person = context.new_page()  # the faculty member, with no account
    person.goto(links["ana@example.org"])
    expect(person.get_by_role("heading", name="Financial relationship disclosure")).to_be_visible()
    person.locator("#relationships-0-company").fill("Acme Pharma")
    person.locator("#relationships-0-nature").select_option("Consulting fee")
    person.locator("#relationships-0-last_date").fill((TODAY - timedelta(days=60)).isoformat())
    person.get_by_label("I attest that this disclosure is complete and correct.").check()
    person.get_by_role("button", name="Give my disclosure").click()
    expect(person.get_by_role("heading", name="Thank you, Dr Ana Diaz")).to_be_visible()
    for email in ("ben@example.org", "cara@example.org"):
        person.goto(links[email])
        person.get_by_label(re.compile("I have had no financial relationships")).check()
        person.get_by_label("I attest that this disclosure is complete and correct.").check()
        person.get_by_role("button", name="Give my disclosure").click()
        expect(person.get_by_role("heading", name=re.compile("Thank you"))).to_be_visible()
    person.goto(links["ana@example.org"])
    expect(person.get_by_role("alert")).to_contain_text("already given")
    person.close()

    page.reload()
    expect(page.locator("#readiness")).to_contain_text("Relevance decision for 1 relationship")
    page.get_by_label("Relevant", exact=True).check()
    page.get_by_role("button", name="Save relevance of Acme Pharma").click()
    expect(page.locator("#readiness")).to_contain_text("Mitigation for 1 relationship")
    page.get_by_label("Mitigation", exact=True).select_option("Peer review of content")
    page.get_by_role("button", name="Record mitigation of Acme Pharma").click()
    expect(page.locator("#readiness")).to_contain_text("Complete")
    told = page.locator("#learner-disclosure")
    expect(told).to_contain_text("Dr Ana Diaz (Faculty/Speaker): Acme Pharma (Consulting fee)")
    expect(told).to_contain_text("Dr Ben Ode (Faculty/Speaker): No relevant financial")
    expect(told).to_contain_text("Cara Lee (Planner): No relevant financial")
    expect(told.get_by_test_id("mitigation-statement")).to_be_visible()

    page.get_by_role("link", name="Details").click()
    expect(page.locator("#view-disclosure")).to_contain_text("Acme Pharma (Consulting fee)")
    page.goto(f"{base}/catalog?provider={provider.id}")
    entry = page.locator("article", has_text="Opioid Prescribing Update")
    entry.get_by_text("Disclosure of financial relationships").click()
    expect(entry).to_contain_text("Dr Ana Diaz (Faculty/Speaker): Acme Pharma (Consulting fee)")
    expect(entry).to_contain_text(
        "All relevant financial relationships listed have been mitigated."
    )

    pdf = page.request.get(f"{base}/activities/{activity.id}/integrity/disclosure.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    text = " ".join(text.split())
    assert "Dr Ana Diaz, Faculty/Speaker: Acme Pharma (Consulting fee)" in text
    assert "Dr Ben Ode, Faculty/Speaker: No relevant financial relationships" in text
    assert "Cara Lee, Planner: No relevant financial relationships" in text
    assert "All relevant financial relationships listed have been mitigated." in text
