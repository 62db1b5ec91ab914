"""Learners claim their own credit, end to end in Chromium: staff open claims on a live MOC
course and on a session of a series; a learner with no account opens the link the QR code
decodes to, gives the attendance code, identity, credits, evaluation and permission, and gets a
certificate PDF; the completion is on the activity with its match result; a second claim is
refused with the certificate shown again; a learner who refused permission is not in the
learner XML export."""

import io
import re
from datetime import timedelta

import pytest
import zxingcpp
from lxml import etree
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.factories import TODAY, add_activity, moc_course_fields

pytestmark = pytest.mark.browser
NPI = "1234567893"


def decoded_qr(page: Page, base: str) -> str:
    """The claim URL as a phone's camera reads it from the QR code on the page."""
    source = page.get_by_test_id("qr").first.get_attribute("src").replace(".svg", ".png")
    png = page.request.get(base + source).body()
    return zxingcpp.read_barcode(Image.open(io.BytesIO(png))).text


def claim(learner: Page, url: str, code: str, first: str, *, permission: str, moc=False):
    learner.goto(url)
    expect(learner.get_by_role("heading", name="Claim your credit")).to_be_visible()
    learner.get_by_label("First name").fill(first)
    learner.get_by_label("Last name").fill("Diaz")
    learner.get_by_label("Month and day of birth (MM/DD)").fill("02/30")
    expect(learner.get_by_test_id("birth_month_day-check")).to_contain_text("not a day of the year")
    learner.get_by_label("Month and day of birth (MM/DD)").fill("09/10")
    expect(learner.get_by_test_id("birth_month_day-check")).to_have_count(0)
    learner.get_by_label("Email (optional)").fill(f"{first.lower()}@example.org")
    learner.get_by_label("State of licensure").select_option("IL")
    learner.get_by_label("NPI (10 digits)").fill(NPI)
    if moc:
        learner.get_by_label("Certifying board (for MOC)").select_option("ABIM")
        learner.get_by_label("Board ID").fill("123456")
    learner.get_by_label("Attendance code").fill(code.lower())
    learner.get_by_label("Credits you claim").fill("1.5")
    for group in learner.locator("fieldset.choices.inline").all():
        group.get_by_role("radio").first.check()
    learner.get_by_label(re.compile("^" + permission + ",")).check()
    learner.get_by_role("button", name="Claim my credit").click()


def test_learners_claim_credit_from_the_qr_code(page: Page, browser_user, live_session, browser):
    base, provider = browser_user
    course = add_activity(
        live_session,
        provider.id,
        "Heart Failure Update",
        accme_activity_id="123456789",
        **(moc_course_fields(TODAY - timedelta(days=1))),
    )
    series = add_activity(
        live_session,
        provider.id,
        "Tumor Board",
        format="Regularly Scheduled Series",
        start_date=TODAY - timedelta(days=30),
        end_date=TODAY + timedelta(days=90),
        ama_credits=1.5,
    )
    live_session.commit()

    page.goto(f"{base}/activities/{course.id}")
    page.get_by_role("navigation", name="Activity").get_by_role("link", name="Claims").click()
    page.get_by_role("button", name="Open claims").click()
    expect(page.get_by_text("Claims are open")).to_be_visible()
    course_url = page.get_by_test_id("claim-url").input_value()
    assert decoded_qr(page, base) == course_url
    course_code = page.get_by_test_id("attendance-code").inner_text()

    page.goto(f"{base}/activities/{series.id}/claims")
    page.locator("#session-form").get_by_role("textbox", name="Session date").fill(
        TODAY.isoformat()
    )
    page.get_by_label("Topic (optional)").fill("Lung nodules")
    page.get_by_role("button", name="Add session").click()
    expect(page.get_by_text(f"Session of {TODAY:%m/%d/%Y} added")).to_be_visible()
    session_url = page.get_by_test_id("claim-url").input_value()
    assert decoded_qr(page, base) == session_url
    session_code = page.get_by_test_id("attendance-code").inner_text()

    learner = browser.new_context().new_page()  # a phone: no account, no staff cookie
    claim(learner, decoded_qr(page, base), session_code, "Ben", permission="Yes")
    expect(learner.get_by_role("heading", name="Your credit is claimed")).to_be_visible()

    claim(learner, course_url, course_code, "Ana", permission="Yes", moc=True)
    expect(learner.get_by_role("heading", name="Your credit is claimed")).to_be_visible()
    expect(learner.get_by_role("heading", name="Your credit is claimed")).to_be_focused()
    href = learner.get_by_test_id("certificate-link").get_attribute("href")
    pdf = learner.request.get(base + href)
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text().split())
    assert "Ana Diaz" in text and "Heart Failure Update" in text
    assert "1.5 AMA PRA Category 1 Credits™" in text and "Lakeside CME" in text
    assert re.search(r"Verification code: [A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", text)

    claim(learner, course_url, course_code, "Ana", permission="Yes", moc=True)
    expect(learner.get_by_test_id("already-claimed")).to_contain_text(
        "You already claimed credit for this activity"
    )
    expect(learner.get_by_test_id("certificate-link")).to_be_visible()

    claim(learner, course_url, course_code, "Cara", permission="No")
    expect(learner.get_by_text("will not be reported")).to_be_visible()
    learner.context.close()

    page.goto(f"{base}/activities/{course.id}/claims")
    rows = page.locator("#claims tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#claims")).to_contain_text("Ana Diaz")
    expect(page.locator("#claims")).to_contain_text("No: not reported")
    page.get_by_role("navigation", name="Activity").get_by_role(
        "link", name="Individual Learners"
    ).click()
    table = page.locator("table", has_text="Diaz")
    expect(table).to_contain_text("ABIM")
    expect(table).to_contain_text("Probable match")  # Ben Diaz, same MM/DD and NPI
    page.goto(f"{base}/activities/{series.id}/learners")
    expect(page.locator("table", has_text="Diaz")).to_contain_text(f"{TODAY:%m/%d/%Y}")

    export = page.request.get(f"{base}/exports/learners.xml")
    names = etree.fromstring(export.body()).xpath("//*[local-name()='GivenName']/text()")
    assert "Ana" in names and "Cara" not in names
