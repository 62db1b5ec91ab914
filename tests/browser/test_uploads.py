"""A large upload in a real browser: the progress bar polls (htmx) while the file is checked in
the background, the preview replaces it when the check ends; storing goes the same way, and the
list of uploads follows the job after the person leaves the page."""

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import func, select

from bench.activity_import import template
from pars.models import Activity

pytestmark = pytest.mark.browser
ROWS = 3000


def test_a_large_upload_shows_progress_then_its_preview_then_is_stored(
    page: Page, browser_user, live_app, live_session, tmp_path
):
    base, _ = browser_user
    live_app.config["UPLOAD_BACKGROUND_BYTES"] = 0
    path = tmp_path / "activities.xlsx"
    path.write_bytes(template(ROWS))
    page.goto(base + "/uploads/")
    page.get_by_label("File (.xlsx template").set_input_files(str(path))
    page.get_by_role("button", name="Check File").click()
    expect(page.get_by_label("Checking activities.xlsx")).to_be_visible()  # the bar, labelled
    expect(page.get_by_text(f"{ROWS} new activities")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Commit").click()
    expect(page.get_by_label("Storing activities.xlsx")).to_be_visible()
    page.goto(base + "/uploads/")  # leave: the list of uploads follows the job to its end
    line = page.locator("li", has_text="activities.xlsx")
    expect(line).to_contain_text(f"stored — {ROWS} new activities", timeout=60_000)
    line.get_by_role("link", name="activities.xlsx").click()
    expect(page.get_by_role("heading", name="What storing this file did")).to_be_visible()
    assert live_session.exec(select(func.count()).select_from(Activity)).one() == ROWS
