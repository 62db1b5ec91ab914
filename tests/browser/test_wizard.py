"""Adding activities through the five steps in a real browser."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.factories import TODAY

pytestmark = pytest.mark.browser


@pytest.fixture
def base(browser_user) -> str:
    return browser_user[0]


def fill_occurrence(page: Page, number: int, start: date, city: str, zip_code: str) -> None:
    index = number - 1
    page.locator(f"#instances-{index}-start_date").fill(start.isoformat())
    page.locator(f"#instances-{index}-end_date").fill(start.isoformat())
    page.locator(f"#instances-{index}-country").select_option("USA")
    expect(page.locator(f"select#instances-{index}-state")).to_be_visible()  # US state list
    page.locator(f"#instances-{index}-city").fill(city)
    page.locator(f"select#instances-{index}-state").select_option("IL")
    page.locator(f"#instances-{index}-postal_code").fill(zip_code)


def save_and_continue(page: Page, step_heading: str) -> None:
    page.get_by_role("button", name="Save Draft and Continue").click()
    expect(page.get_by_role("heading", name=step_heading)).to_be_visible()


def test_live_course_with_two_occurrences_becomes_two_activities(page: Page, base):
    first, second = TODAY - timedelta(days=20), TODAY + timedelta(days=30)
    page.get_by_role("link", name="Add Activity").click()
    page.get_by_label("What's the name of the activity?").fill("Heart Failure Roadshow")
    page.get_by_role("radio", name="Live Course").check()
    page.get_by_label("In-Person").check()
    expect(page.get_by_label("Online")).to_have_count(0)  # not a way a live course happens
    page.locator("#repeats-field").get_by_label("Yes").check()
    expect(page.get_by_role("heading", name="Occurrence 2")).to_be_visible()
    fill_occurrence(page, 1, first, "Chicago", "60611")
    fill_occurrence(page, 2, second, "Springfield", "62701")
    save_and_continue(page, "Step 2: Information for Learners")

    page.get_by_label("AMA PRA Category 1 Credits™").fill("6.5")
    page.locator("#in_cme_passport-field").get_by_label("No").check()
    expect(page.get_by_text("Who can register for this activity?")).to_have_count(0)
    page.get_by_label("Provide a description of the activity for learners.").fill(
        "Guideline-directed therapy for heart failure."
    )
    for program in ("moc", "mips", "rems"):
        page.locator(f"#{program}-field").get_by_label("No").check()
    save_and_continue(page, "Step 3: Accreditation Details")

    page.get_by_label("What is the internal ID for this activity?").fill("HF-ROAD")
    page.locator("#providership-field").get_by_label("Joint").check()
    page.locator("#joint_providers-0").fill("State Academy of Family Physicians")
    page.get_by_role("button", name="+ Add Joint Provider").click()
    page.locator("#joint_providers-1").fill("Metro Nurses Association")
    page.get_by_label("Learner Competence", exact=True).check()
    page.get_by_label("Learner Competence: Objective").check()
    page.locator("#commercial_support-field").get_by_label("Yes").check()
    page.get_by_role("checkbox", name="Monetary", exact=True).check()
    page.locator("#monetary-0-source").fill("Pfizer Inc.")
    page.locator("#monetary-0-amount").fill("12,500")
    page.get_by_role("checkbox", name="In-kind", exact=True).check()
    page.get_by_role("button", name="+ Add Another Support Source").first.click()
    page.locator("#monetary-1-source").fill("Medtronic plc")
    page.locator("#monetary-1-amount").fill("4000")
    page.locator("#in_kind-0-source").fill("GE HealthCare")
    page.locator("#commendation-field").get_by_label("Yes").check()
    for chip in ("Engages Teams", "Advances Data Use", "Improves Performance"):
        page.locator(".chip", has_text=chip).click()
    expect(page.locator(".chip:has(input:checked)")).to_have_count(3)
    save_and_continue(page, "Step 4: Collaborations")

    expect(page.locator("#nothing-to-add")).to_be_visible()
    page.get_by_role("button", name="Save Draft and Continue").click()
    expect(page.get_by_text("2 activities created")).to_be_visible()
    expect(page.get_by_role("heading", name="Step 5: Complete")).to_be_visible()

    page.get_by_role("link", name="View All Activities").click()
    page.get_by_label("Search").fill("roadshow")
    expect(page.get_by_test_id("activity-count")).to_have_text("2 Activities")
    rows = page.locator("tbody tr")
    badge = page.locator(".badge")
    ended = rows.filter(has=badge.filter(has_text="Ready to Close"))
    expect(ended).to_have_count(1)
    expect(ended).to_contain_text("Heart Failure Roadshow")
    expect(rows.filter(has=badge.filter(has_text="Active"))).to_have_count(1)
    expect(rows.filter(has_text="Internal ID HF-ROAD-2")).to_have_count(1)


def test_enduring_material_over_three_years_is_refused_under_the_end_date(page: Page, base):
    page.goto(base + "/activities/new")
    page.get_by_label("What's the name of the activity?").fill("Online Module")
    page.get_by_role("radio", name="Enduring Material").check()
    page.get_by_label("Online").check()
    page.get_by_label("Start date").fill("2026-01-01")
    page.get_by_label("End date").fill("2030-01-01")
    page.get_by_role("button", name="Save Draft and Continue").click()
    error = page.locator("#end_date-error")
    expect(error).to_contain_text("An enduring material can run at most 3 years")
    expect(page.get_by_label("End date")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("End date")).to_be_focused()
    expect(page.get_by_text("Some answers need attention")).to_be_visible()
