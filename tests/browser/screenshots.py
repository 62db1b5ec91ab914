"""The README's screenshots (make screenshots): the demo data in Chromium, at 1280 px wide.
Not a test of its own; run explicitly, it writes docs/*.png."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from pars.activities import operations
from pars.admin import demo
from pars.models import Activity
from tests.factories import TODAY

pytestmark = pytest.mark.browser
DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_write_the_readme_screenshots(page: Page, browser_user, live_session):
    base, provider = browser_user
    import random

    rng = random.Random(2026)
    for number in range(24):
        live_session.add(demo.demo_activity(rng, provider.id, number, today=TODAY))
    live_session.commit()
    for activity in live_session.exec(select(Activity)):
        operations.refresh_status(activity)
    live_session.commit()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/activities/")
    expect(page.get_by_test_id("activity-count")).to_be_visible()
    page.screenshot(path=DOCS / "activity-list.png", full_page=True)
    row = page.locator("tbody tr").filter(has=page.get_by_role("button", name="Update Learners"))
    row.first.get_by_role("button", name="Update Learners").click()
    expect(page.get_by_role("dialog", name="Total Learners")).to_be_visible()
    page.screenshot(path=DOCS / "learners-dialog.png")
    page.keyboard.press("Escape")
    page.goto(f"{base}/activities/new")
    page.get_by_label("What's the name of the activity?").fill("Heart Failure Update")
    page.get_by_role("radio", name="Live Course").check()
    page.get_by_label("In-Person").check()
    expect(page.get_by_label("Country")).to_have_value("USA")
    page.screenshot(path=DOCS / "step-1-basics.png", full_page=True)
    page.goto(f"{base}/activities/")
    first = page.locator("tbody tr a").first.get_attribute("href")
    page.goto(f"{base}{first}/steps/3")
    expect(page.get_by_role("heading", name="Step 3: Accreditation Details")).to_be_visible()
    page.screenshot(path=DOCS / "step-3-accreditation.png", full_page=True)
