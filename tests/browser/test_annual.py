"""Year end in a real browser: the Annual Reporting steps, one-click close, the catalog."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.factories import TODAY, add_activity

pytestmark = pytest.mark.browser
YEAR = TODAY.year - 1


@pytest.fixture
def year_end(page: Page, browser_user, live_session):
    base, provider = browser_user
    ended = date(YEAR, 6, 1)
    add_activity(
        live_session,
        provider.id,
        "Closable Course",
        start_date=ended,
        end_date=ended,
        physician_learners=10,
        other_learners=0,
    )
    add_activity(live_session, provider.id, "Unfinished Course", start_date=ended, end_date=ended)
    add_activity(
        live_session,
        provider.id,
        "Online Module",
        format="Enduring Material",
        start_date=date(YEAR, 2, 1),
        end_date=date(YEAR + 2, 1, 1),
        country=None,
        city=None,
        state=None,
        postal_code=None,
    )
    live_session.commit()
    page.goto(f"{base}/annual/?year={YEAR}")
    return base


def step(page: Page, number: int):
    return page.locator(f"#step-{number}")


def test_every_step_can_be_done_from_the_page(page: Page, year_end):
    expect(page.get_by_role("heading", name=f"Annual Reporting {YEAR}")).to_be_visible()
    page.get_by_role("button", name=f"Accept the {YEAR} agreement").click()
    expect(step(page, 1)).to_contain_text("Accepted on")

    page.get_by_role("button", name="Close all that can close").click()
    expect(page.get_by_text("Closed 1 of 2 activities.")).to_be_visible()
    expect(page.get_by_text("“Unfinished Course” was not closed.")).to_be_visible()
    expect(step(page, 2)).not_to_contain_text("Closable Course")

    enduring = step(page, 3)
    expect(enduring).to_contain_text("Needs update")
    enduring.get_by_role("button", name="Update Learners").click()
    dialog = page.get_by_role("dialog", name="Total Learners")
    dialog.get_by_label("Total physician learners to date").fill("120")
    dialog.get_by_label("Total other learners to date").fill("8")
    dialog.get_by_role("button", name="Update Learners").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(step(page, 3)).to_contain_text("Learner totals are up to date.")
    expect(step(page, 3)).to_contain_text("120 physicians, 8 other")

    summary = step(page, 4)
    summary.get_by_label("Advertising and exhibit income ($)").fill("-1")
    summary.get_by_role("button", name="Save draft").click()
    expect(step(page, 4).locator(".error")).to_contain_text("0 or more")
    for label, value in (
        ("Advertising and exhibit income ($)", "1,500"),
        ("Registration fees ($)", "0"),
        ("Government monetary grants ($)", "0"),
        ("Private monetary donations ($)", "250"),
    ):
        step(page, 4).get_by_label(label).fill(value)
    step(page, 4).get_by_role("button", name="Submit").click()
    expect(step(page, 4)).to_contain_text("Submitted on")

    contacts = step(page, 5)
    contacts.get_by_text("Add a contact").click()
    contacts.get_by_label("Role").select_option("Primary contact")
    contacts.get_by_label("Name").fill("Dana Reyes")
    contacts.get_by_label("Email").fill("dana@example.org")
    contacts.get_by_role("button", name="Add contact").click()
    confirm = f"Confirm the contacts are reviewed for {YEAR}"
    step(page, 5).get_by_role("button", name=confirm).click()
    expect(step(page, 5)).to_contain_text("Reviewed.")
    # Step 2 is still open (the unfinished course), so the year is not complete yet.
    expect(page.locator(".deadline")).to_contain_text("1 of 5 steps")


def test_the_public_catalog_needs_no_login_and_filters(page: Page, browser_user, live_session):
    base, provider = browser_user
    soon = TODAY + timedelta(days=15)
    for title, credits in (("Passport Course", 1.0), ("Long Passport Course", 4.0)):
        add_activity(
            live_session,
            provider.id,
            title,
            start_date=soon,
            end_date=soon,
            in_cme_passport=True,
            ama_credits=credits,
            registration="Open to all",
            fee="No",
            url="https://example.org/cme",
        )
    live_session.commit()
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{base}/catalog?provider={provider.id}")
    expect(page.get_by_test_id("catalog-count")).to_have_text("2 activities")
    page.get_by_label("At least this many credits").fill("2")
    page.get_by_role("button", name="Find activities").click()
    expect(page.get_by_test_id("catalog-count")).to_have_text("1 activity")
    expect(page.get_by_role("heading", name="Long Passport Course")).to_be_visible()
