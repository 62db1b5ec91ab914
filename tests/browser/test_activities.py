"""The activity list and lifecycle in a real browser: dialog, row swap, search, close switch."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from pars.learners import directory
from pars.models import (
    LearnerCompletion,
    MocCreditType,
    MocRegistration,
)
from tests.factories import TODAY, add_activity

pytestmark = pytest.mark.browser
PAST = TODAY - timedelta(days=5)


@pytest.fixture
def signed_in(page: Page, browser_user, live_session):
    base, provider = browser_user
    activities = {
        title: add_activity(live_session, provider.id, title)
        for title in ("Heart Failure Summit", "Sepsis Bootcamp", "Stroke Grand Rounds")
    }
    live_session.commit()
    page.goto(base + "/activities/")
    return base, activities


def test_update_learners_dialog_swaps_the_row_in_place(page: Page, signed_in):
    _, activities = signed_in
    row = page.locator(f"#activity-{activities['Sepsis Bootcamp'].id}")
    page.evaluate("window.notReloaded = true")
    row.get_by_role("button", name="Update Learners").click()
    dialog = page.get_by_role("dialog", name="Total Learners")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Sepsis Bootcamp")
    dialog.get_by_label("Total physician learners to date").fill("-3")
    dialog.get_by_label("Total other learners to date").fill("2")
    dialog.get_by_role("button", name="Update Learners").click()
    expect(dialog.locator(".error").first).to_contain_text("Enter a whole number")
    dialog.get_by_label("Total physician learners to date").fill("42")
    dialog.get_by_role("button", name="Update Learners").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(row.get_by_test_id("physician-learners")).to_have_text("42")
    expect(row).to_contain_text("Can be closed")
    assert page.evaluate("window.notReloaded") is True  # no page load happened


def test_escape_closes_the_dialog(page: Page, signed_in):
    _, activities = signed_in
    page.locator(f"#activity-{activities['Heart Failure Summit'].id}").get_by_role(
        "button", name="Update Learners"
    ).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_search_narrows_the_list_as_the_user_types(page: Page, signed_in):
    base, _ = signed_in
    expect(page.get_by_test_id("activity-count")).to_have_text("3 Activities")
    page.get_by_label("Search").press_sequentially("seps", delay=30)
    expect(page.get_by_test_id("activity-count")).to_have_text("1 Activity")
    expect(page.get_by_role("link", name="Sepsis Bootcamp")).to_be_visible()
    query = "q=seps&status=&format=&year=&moc=&sort=recent&per_page=10"
    expect(page).to_have_url(f"{base}/activities/?{query}")
    page.go_back()
    expect(page.get_by_test_id("activity-count")).to_have_text("3 Activities")


def test_close_an_activity_from_the_switch(page: Page, signed_in, live_session):
    base, activities = signed_in
    activity = activities["Stroke Grand Rounds"]
    page.goto(f"{base}/activities/{activity.id}")
    switch = page.get_by_role("switch", name="Mark Activity as Closed")
    expect(switch).to_be_disabled()
    expect(page.locator("#close-why")).to_contain_text("Enter the total physician learners")
    page.get_by_role("button", name="Update Learners").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Total physician learners to date").fill("12")
    dialog.get_by_label("Total other learners to date").fill("0")
    dialog.get_by_role("button", name="Update Learners").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(switch).to_be_enabled()  # the page section refreshed itself after the save
    switch.click()
    expect(page.get_by_text("“Stroke Grand Rounds” is closed.")).to_be_visible()
    expect(page.locator(".badge").first).to_have_text("Closed")


def test_dialog_links_to_the_activitys_individual_learners(page: Page, signed_in):
    _, activities = signed_in
    activity = activities["Heart Failure Summit"]
    page.locator(f"#activity-{activity.id}").get_by_role("button", name="Update Learners").click()
    page.get_by_role("dialog").get_by_role("link", name="Add Individual Learners").click()
    expect(page.get_by_role("heading", name="Individual Learners")).to_be_visible()
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Diaz")
    page.get_by_label("Month and day of birth (MM/DD)").fill("02/29")
    page.get_by_label("State of licensure").select_option("IL")
    page.get_by_label("Completion date").fill(PAST.isoformat())
    page.get_by_role("button", name="Add Learner").click()
    expect(page.get_by_role("cell", name="Ana Diaz", exact=True)).to_be_visible()
    expect(page.get_by_text("Total physician learners raised to 1")).to_be_visible()


def test_probable_match_appears_while_typing_a_learner_with_a_board(
    page: Page, signed_in, live_session
):
    base, activities = signed_in
    activity = activities["Sepsis Bootcamp"]
    activity.moc, activity.registration, activity.fee = True, "Open to all", "Yes"
    activity.url, activity.moc_attested = "https://cme.example.org", True
    activity.moc_registrations = [
        MocRegistration(
            board="ABIM",
            points=1.0,
            claim_date=TODAY,
            credit_types=[MocCreditType(credit_type="Medical Knowledge")],
        )
    ]
    live_session.add(
        LearnerCompletion(
            activity_id=activity.id,
            first_name="Robert",
            last_name="Smith",
            birth_month_day="03/14",
            state="IL",
            completion_date=PAST,
            learner_id=directory.file_learner(
                live_session,
                activity.provider_id,
                directory.Proposed("Robert", "Smith", "03/14", state="IL"),
            )[0].id,
        )
    )
    live_session.commit()
    page.goto(f"{base}/activities/{activity.id}/learners")
    page.get_by_label("Certifying board (for MOC)").select_option("ABIM")
    expect(page.get_by_label("Board ID")).to_be_visible()
    page.get_by_label("Medical Knowledge points").fill("1")
    page.get_by_label("First name").press_sequentially("Bob", delay=20)
    page.get_by_label("Last name").press_sequentially("Smith", delay=20)
    page.get_by_label("Month and day of birth (MM/DD)").press_sequentially("03/14", delay=20)
    match = page.locator("#learner-match")
    expect(match).to_contain_text("Probable match")
    expect(match).to_contain_text("nickname (Bob / Robert)")


def test_a_rems_learner_is_asked_for_a_profession_and_focus_goes_there(
    page: Page, signed_in, live_session
):
    base, activities = signed_in
    activity = activities["Stroke Grand Rounds"]
    activity.rems, activity.rems_type = True, "Opioid Analgesic"
    live_session.commit()
    page.goto(f"{base}/activities/{activity.id}/learners")
    expect(page.get_by_role("group", name="REMS participant details")).to_be_visible()
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Diaz")
    page.get_by_label("Month and day of birth (MM/DD)").fill("02/29")
    page.get_by_label("Completion date").fill(PAST.isoformat())
    page.get_by_role("button", name="Add Learner").click()
    profession = page.get_by_label("Profession")
    expect(profession).to_be_focused()
    expect(profession).to_have_accessible_description(re.compile("Choose the learner's"))
    profession.select_option("Pharmacist")
    page.get_by_label("Time in practice").select_option("6-10 years")
    page.get_by_role("button", name="Add Learner").click()
    expect(page.get_by_role("cell", name="Ana Diaz", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Pharmacist", exact=True)).to_be_visible()


def test_a_historical_activity_is_badged_and_closes_once_its_legacy_details_are_given(
    page: Page, browser_user, live_session
):
    from datetime import date

    base, provider = browser_user
    old = add_activity(
        live_session,
        provider.id,
        "Heart Failure Update 2015",
        start_date=date(2015, 3, 14),
        end_date=date(2015, 3, 14),
        legacy_record=True,
        reporting_year=2015,
        physician_learners=120,
        other_learners=14,
        in_cme_passport=None,
        description=None,
    )
    live_session.commit()
    page.goto(f"{base}/activities/")
    row = page.locator(f"#activity-{old.id}")
    expect(row.get_by_text("Historical", exact=True)).to_be_visible()
    page.goto(f"{base}/activities/{old.id}")
    needed = page.locator("#activity-blocking")
    expect(needed).to_contain_text("Enter the hours of instruction (legacy record)")
    expect(needed).not_to_contain_text("CME Passport")
    legacy = page.locator("#legacy-details")
    legacy.get_by_label("Hours of instruction").fill("6.5")
    for label in (
        "Designed to change competence",
        "Changes in competence evaluated",
        "Designed to change performance",
        "Changes in performance evaluated",
        "Designed to change patient outcomes",
        "Changes in patient outcomes evaluated",
    ):
        legacy.get_by_label(label, exact=True).select_option("no")
    legacy.get_by_role("button", name="Save legacy details").click()
    expect(page.get_by_text("Legacy record details saved.")).to_be_visible()
    expect(page.locator("#activity-blocking")).to_contain_text("Nothing blocks this status.")
