"""The tutorial's workflow, point by point, in Chromium: what "Entering Activities in PARS"
shows, and the places a provider stumbled (issue #17; each test names its item)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from pars.accounts import users as accounts
from pars.models import MocCreditType, MocRegistration, Provider
from pars.vocab import Role
from tests.factories import PASSWORD, TODAY, add_activity

pytestmark = pytest.mark.browser
PAST = TODAY - timedelta(days=5)


@pytest.fixture
def base(browser_user) -> str:
    return browser_user[0]


def new_activity(page: Page, base: str) -> None:
    page.goto(f"{base}/activities/new")
    expect(page.get_by_role("heading", name="Step 1: Basics")).to_be_visible()


def test_1_every_format_is_offered_with_its_description(page: Page, base):
    new_activity(page, base)
    formats = page.get_by_role("group", name=re.compile("What is the activity format?"))
    expect(formats.get_by_role("radio")).to_have_count(11)
    live = formats.get_by_role("radio", name="Live Course")
    expect(live).to_have_accessible_description(
        "An activity where the learner participates in real-time at a specific date/time."
    )
    expect(formats).to_contain_text("from a peer-reviewed professional journal")
    live.check()
    expect(page.get_by_label("In-Person")).to_be_visible()  # the format's questions open


def test_2_3_the_button_says_when_the_step_is_complete_and_required_questions_are_marked(
    page: Page, base
):
    new_activity(page, base)
    expect(page.locator(".required-legend")).to_contain_text("needed before the activity")
    title_label = page.locator("label[for=title]")
    expect(title_label.locator(".required-mark")).to_have_text("*")
    button = page.get_by_role("button", name="Save Draft and Continue")
    expect(button).to_have_class(re.compile("quiet"))
    expect(page.get_by_test_id("step-open")).to_contain_text("questions still open")
    page.get_by_label("What's the name of the activity?").fill("Journal Club")
    page.get_by_role("radio", name="Journal CME/CE").check()
    page.get_by_label("Start date").fill(TODAY.isoformat())
    page.get_by_label("End date").fill(TODAY.isoformat())
    page.get_by_label("End date").blur()
    expect(page.get_by_test_id("step-open")).to_have_text("This step has everything it needs.")
    expect(page.get_by_role("button", name="Save Draft and Continue")).to_have_class(
        re.compile("primary")
    )


def test_4_editing_a_draft_shows_each_missing_answer_in_red(page: Page, base, live_session):
    activity = add_activity(
        live_session,
        page_provider(live_session),
        "Unfinished Course",
        description=None,
        ama_credits=None,
    )
    live_session.commit()
    page.goto(f"{base}/activities/{activity.id}/steps/2")
    credits = page.get_by_label(re.compile("AMA PRA Category 1 Credits"))
    expect(credits).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#ama_credits-error")).to_have_text(
        "Enter the AMA PRA Category 1 Credits™."
    )
    expect(page.locator(".stepbar li", has_text="Information for Learners")).to_contain_text(
        "questions still open"
    )


def page_provider(live_session) -> int:
    return live_session.exec(select(Provider).where(Provider.name == "Lakeside CME")).one().id


def test_5_the_close_switch_is_beside_the_steps(page: Page, base, live_session):
    activity = add_activity(live_session, page_provider(live_session), "Ready Course")
    live_session.commit()
    page.goto(f"{base}/activities/{activity.id}/steps/1")
    switch = page.locator(".wizard-side").get_by_role("switch", name="Mark Activity as Closed")
    expect(switch).to_be_disabled()
    expect(page.locator(".wizard-side #close-why")).to_contain_text("total physician learners")


def test_6_the_learner_dialog_as_the_tutorial_shows_it(page: Page, base, live_session):
    activity = add_activity(live_session, page_provider(live_session), "Sepsis Bootcamp")
    live_session.commit()
    page.goto(f"{base}/activities/")
    opener = page.locator(f"#activity-{activity.id}").get_by_role("button", name="Update Learners")
    opener.click()
    dialog = page.get_by_role("dialog", name="Total Learners")
    expect(dialog).to_contain_text(f"Activity ID {activity.id} |")
    expect(dialog).to_contain_text("Update numbers of learners who completed this activity.")
    expect(dialog.get_by_label("Total physician learners to date")).to_be_focused()
    expect(dialog.get_by_role("link", name="Add Individual Learners")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(opener).to_be_focused()
    opener.click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(opener).to_be_focused()
    opener.click()
    expect(dialog).to_be_visible()
    dialog.get_by_label("Total physician learners to date").fill("12")
    dialog.get_by_label("Total other learners to date").fill("3")
    dialog.get_by_role("button", name="Update Learners").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(
        page.locator(f"#activity-{activity.id}").get_by_role("button", name="Update Learners")
    ).to_be_focused()  # the same button of the row that was swapped in


def test_7_each_step_answers_its_common_questions(page: Page, base):
    new_activity(page, base)
    help_card = page.get_by_role("complementary")
    expect(help_card.get_by_role("heading", name="Which format should I choose?")).to_be_visible()
    page.get_by_label("What's the name of the activity?").fill("FAQ Course")
    page.get_by_role("radio", name="Journal CME/CE").check()
    page.get_by_label("Start date").fill(TODAY.isoformat())
    page.get_by_label("End date").fill(TODAY.isoformat())
    page.get_by_role("button", name="Save Draft and Continue").click()
    expect(
        help_card.get_by_role("heading", name="How do I calculate this credit amount?")
    ).to_be_visible()
    expect(help_card).to_contain_text("one AMA PRA Category 1 Credit™ per hour")


def test_8_the_list_as_pars_shows_it(page: Page, base, live_session):
    provider_id = page_provider(live_session)
    for number in range(12):
        add_activity(live_session, provider_id, f"Course {number:02d}", internal_id=f"IN-{number}")
    joint = add_activity(
        live_session,
        provider_id,
        "Joint Course",
        providership="Joint",
        commercial_support=True,
        physician_learners=20,
        other_learners=4,
    )
    live_session.commit()
    page.goto(f"{base}/activities/")
    expect(page.get_by_test_id("activity-count")).to_have_text("13 Activities")
    expect(page.get_by_label("Show")).to_have_value("10")
    expect(page.locator("tbody tr")).to_have_count(10)
    page.get_by_label("Search").fill("Joint Course")
    row = page.locator(f"#activity-{joint.id}")
    for fact in (
        f"Activity ID {joint.id}",
        "Lakeside CME",
        "Jointly Provided",
        "Commercial Support Received",
        "Learners: 24",
    ):
        expect(row).to_contain_text(fact)


def test_10_typing_a_country_selects_it_and_a_us_state_needs_the_us(page: Page, base):
    new_activity(page, base)
    page.get_by_label("What's the name of the activity?").fill("Country Course")
    page.get_by_role("radio", name="Live Course").check()
    page.get_by_label("In-Person").check()
    country = page.get_by_label("Country")
    expect(country).to_have_value("USA")  # a new in-person activity starts in the US
    country.focus()
    page.keyboard.type("Canada", delay=40)
    expect(country).to_have_value("CAN")
    expect(country).to_be_focused()
    page.wait_for_timeout(1200)  # the settled change has been sent and swapped
    expect(page.get_by_label("Country")).to_have_value("CAN")
    expect(page.get_by_label("Country")).to_be_focused()
    page.get_by_label("City").fill("Toronto")
    page.get_by_label("State/province").fill("IL")
    page.get_by_label("Start date").fill(TODAY.isoformat())
    page.get_by_label("End date").fill(TODAY.isoformat())
    page.get_by_role("button", name="Save Draft and Continue").click()
    expect(page.locator("#state-error")).to_contain_text("IL is a US state")


def test_11_focus_goes_to_the_new_row(page: Page, base, live_session):
    activity = add_activity(live_session, page_provider(live_session), "Rows Course")
    live_session.commit()
    page.goto(f"{base}/activities/{activity.id}/steps/3")
    page.locator("#providership-field").get_by_label("Joint").check()
    expect(page.locator("#joint_providers-0")).to_be_visible()
    page.get_by_role("button", name="+ Add Joint Provider").click()
    expect(page.locator("#joint_providers-1")).to_be_focused()


def test_12_a_viewer_sees_read_only_pages(page: Page, live_app, live_session):
    provider = accounts.get_or_create_provider(live_session, name="Lakeside CME")
    provider_id = provider.id
    accounts.create_user(
        live_session, email="v@example.org", password=PASSWORD, role=Role.VIEWER, provider=provider
    )
    activity = add_activity(live_session, provider_id, "Viewed Course")
    live_session.commit()
    base = live_app.config["LIVE_URL"]
    page.goto(base + "/login")
    page.get_by_label("Email").fill("v@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/activities/")
    expect(page.get_by_role("link", name="Add Activity")).to_have_count(0)
    row = page.locator(f"#activity-{activity.id}")
    expect(row.get_by_role("button", name="Update Learners")).to_have_count(0)
    page.goto(f"{base}/activities/{activity.id}/steps/1")
    expect(page).to_have_url(f"{base}/activities/{activity.id}")
    expect(page.get_by_text("Your role (viewer) can look but not change data")).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    page.goto(f"{base}/uploads/")
    expect(page.get_by_role("button", name="Check File")).to_have_count(0)


def test_14_an_enduring_material_says_what_its_year_end_totals_need(page: Page, base, live_session):
    year = TODAY.year - 1
    enduring = add_activity(
        live_session,
        page_provider(live_session),
        "Online Module",
        format="Enduring Material",
        start_date=TODAY.replace(year=year, month=3, day=1),
        end_date=TODAY.replace(year=year + 2, month=3, day=1),
        physician_learners=10,
        other_learners=1,
        learners_updated_on=TODAY.replace(year=year, month=6, day=1),
    )
    live_session.commit()
    page.goto(f"{base}/annual/?year={year}")
    said = page.get_by_test_id(f"needs-update-{enduring.id}")
    expect(said).to_contain_text(f"enter them as of December 31, {year}")


def test_16_the_catalog_shows_what_cme_passport_shows(page: Page, base, live_session):
    listed = add_activity(
        live_session,
        page_provider(live_session),
        "Listed MOC Course",
        start_date=TODAY + timedelta(days=10),
        end_date=TODAY + timedelta(days=10),
        in_cme_passport=True,
        registration="Open to all",
        fee="Yes",
        url="https://cme.example.org/listed",
        moc=True,
        moc_attested=True,
        moc_registrations=[
            MocRegistration(
                board="ABIM",
                points=2.0,
                claim_date=TODAY + timedelta(days=40),
                credit_types=[MocCreditType(credit_type="Medical Knowledge")],
            )
        ],
    )
    live_session.commit()
    page.goto(f"{base}/catalog?provider={listed.provider_id}")
    entry = page.locator("article", has_text="Listed MOC Course")
    expect(entry).to_contain_text("Updates in heart failure care.")  # the description
    expect(entry).to_contain_text("Chicago, IL, USA")
    expect(entry).to_contain_text("MOC: ABIM")
    expect(entry).to_contain_text("2.0 points (Medical Knowledge)")


@pytest.mark.parametrize("width", [1280, 800, 640])  # 640 CSS px: 1280 at 200 % zoom
def test_18_no_remove_button_overlaps_a_label(page: Page, base, live_session, width):
    activity = add_activity(
        live_session,
        page_provider(live_session),
        "Board Course",
        moc=True,
        registration="Open to all",
        fee="Yes",
        url="https://cme.example.org",
        moc_registrations=[
            MocRegistration(board="ABIM", points=1.0, claim_date=TODAY),
            MocRegistration(board="ABP", points=1.0, claim_date=TODAY),
        ],
    )
    live_session.commit()
    page.set_viewport_size({"width": width, "height": 900})
    for step in (1, 3, 4):
        page.goto(f"{base}/activities/{activity.id}/steps/{step}")
        overlaps = page.evaluate(
            """() => {
              const boxes = (selector) => [...document.querySelectorAll(selector)]
                .map((e) => e.getBoundingClientRect()).filter((r) => r.width && r.height);
              const hit = (a, b) => a.left < b.right && b.left < a.right
                && a.top < b.bottom && b.top < a.bottom;
              const buttons = boxes(".remove-row");
              const labels = boxes("label, legend, input, select");
              return buttons.filter((b) => labels.some((l) => hit(b, l))).length;
            }"""
        )
        assert overlaps == 0, (width, step)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, (width, step, scroll)  # nothing runs off the page


def test_11_after_a_save_focus_is_on_the_message(page: Page, base, live_session):
    activity = add_activity(live_session, page_provider(live_session), "Learners Course")
    live_session.commit()
    page.goto(f"{base}/activities/{activity.id}/learners")
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Diaz")
    page.get_by_label("Month and day of birth (MM/DD)").fill("02/29")
    page.get_by_label("Completion date").fill(PAST.isoformat())
    page.get_by_role("button", name="Add Learner").click()
    expect(page.locator(".flash-success")).to_have_text("Added Ana Diaz.")
    expect(page.locator(".flash-success")).to_be_focused()
