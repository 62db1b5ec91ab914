"""Signing in and out in a real browser (headless Debian Chromium driven by Playwright)."""

import pytest
from playwright.sync_api import Page, expect

from pars.accounts import users
from pars.activities import operations
from pars.models import Activity
from pars.vocab import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def two_providers(live_session):
    for email, provider, title in (
        ("a@example.org", "Provider A", "Our Grand Rounds"),
        ("b@example.org", "Provider B", "Their Secret Symposium"),
    ):
        org = users.get_or_create_provider(live_session, name=provider)
        users.create_user(
            live_session, email=email, password=PASSWORD, role=Role.EDITOR, provider=org
        )
        activity = Activity(provider_id=org.id, title=title, format="Live Course")
        operations.save_activity(live_session, activity)
    live_session.commit()


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/activities/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_see_own_activities_and_sign_out(page: Page, live_app, two_providers):
    base = live_app.config["LIVE_URL"]
    sign_in(page, base, "a@example.org", PASSWORD)
    expect(page).to_have_url(base + "/activities/")
    expect(page.get_by_test_id("provider-name")).to_have_text("Provider A")
    expect(page.get_by_test_id("activity-count")).to_have_text("1 Activity")
    expect(page.get_by_role("link", name="Our Grand Rounds")).to_be_visible()
    expect(page.get_by_text("Their Secret Symposium")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto(base + "/activities/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_wrong_password_shows_a_message_under_the_field(page: Page, live_app, two_providers):
    base = live_app.config["LIVE_URL"]
    sign_in(page, base, "a@example.org", "wrong-password")
    error = page.locator("#password-error")
    expect(error).to_contain_text("do not match an account")
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Email")).to_have_value("a@example.org")
