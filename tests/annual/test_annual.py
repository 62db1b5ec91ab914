"""The Annual Reporting page: each step through the Flask client against the real database."""

import re
from datetime import date

import pytest
from sqlmodel import select

from pars.annual import rules
from pars.models import Activity, AnnualReport, Contact, SupportSource
from pars.vocab import ActivityFormat, Role
from tests.factories import TODAY

YEAR = TODAY.year - 1  # a year that is over: every step can be done
PAGE = f"/annual/?year={YEAR}"


def last_year(**fields) -> dict:
    return dict(start_date=date(YEAR, 5, 1), end_date=date(YEAR, 5, 2)) | fields


def reload(session, obj):
    session.expire_all()
    return session.get(type(obj), obj.id)


def report(session) -> AnnualReport | None:
    session.expire_all()
    return session.exec(select(AnnualReport).where(AnnualReport.year == YEAR)).first()


def test_the_page_shows_the_five_steps_and_the_deadline(client, editor):
    html = client.get(PAGE).data.decode()
    for title in (
        "1. Accept the annual agreement",
        "2. Close the activities",
        "3. Update enduring materials",
        "4. Submit the Program Summary",
        "5. Review the organization",
    ):
        assert title in html
    assert f"Due {rules.deadline(YEAR):%m/%d/%Y}" in html
    assert html.count("Not done") == 5 - 2  # no activities to close, no enduring materials


def test_the_default_year_is_the_one_due_next(client, editor):
    html = client.get("/annual/").data.decode()
    assert f"Annual Reporting {rules.due_year(TODAY)}" in html


@pytest.mark.parametrize("year", ["3000", "1999", "abc", "<script>"])
def test_a_year_out_of_range_is_refused(client, editor, year):
    response = client.get(f"/annual/?year={year}")
    assert response.status_code == 400 and b"Choose a reporting year" in response.data
    assert b"<script>" not in response.data


def test_accepting_the_agreement_records_who_and_when_once(client, editor, session):
    response = client.post(f"/annual/{YEAR}/agreement", follow_redirects=True)
    assert b"annual agreement is accepted" in response.data
    assert b"by staff@example.org" in response.data
    assert report(session).agreement_accepted_by_id == editor.id
    again = client.post(f"/annual/{YEAR}/agreement")
    assert again.status_code == 409 and b"accepted already" in again.data


@pytest.mark.parametrize("year", [TODAY.year, TODAY.year + 1, 9999])
def test_accepting_for_a_year_not_over_is_refused(client, editor, session, year):
    response = client.post(f"/annual/{year}/agreement")
    assert response.status_code == 400
    assert re.search(rb"opens on January 1|Choose a reporting year", response.data)
    assert session.exec(select(AnnualReport)).all() == []


def test_close_all_closes_what_can_close_and_says_why_not(client, editor, make_activity, session):
    ready = make_activity(
        editor.provider_id,
        title="Ready One",
        **last_year(physician_learners=12, other_learners=3, commercial_support=False),
    )
    blocked = make_activity(editor.provider_id, title="Blocked One", **last_year())
    html = client.get(PAGE).data.decode()
    assert "Ready One" in html and "Blocked One" in html and "Can be closed" in html
    assert "2 ended in the year and are not closed" in html
    done = client.post(f"/annual/{YEAR}/close-all", follow_redirects=True).data.decode()
    assert "Closed 1 of 2 activities." in done and "“Blocked One” was not closed." in done
    assert reload(session, ready).closed_at is not None
    assert reload(session, blocked).closed_at is None


def test_enduring_materials_across_dec_31_need_totals_updated(
    client, editor, make_activity, session
):
    enduring = make_activity(
        editor.provider_id,
        title="Online Module",
        format=ActivityFormat.ENDURING.value,
        start_date=date(YEAR, 3, 1),
        end_date=date(YEAR + 2, 3, 1),
        country=None,
        city=None,
        state=None,
        postal_code=None,
        delivery_methods=[],
    )
    html = client.get(PAGE).data.decode()
    assert "Online Module" in html and "Needs update" in html
    assert "1 still needs learner totals" in html
    assert f"No totals saved yet: enter them as of December 31, {YEAR}." in html
    form = client.get(f"/activities/{enduring.id}/learner-counts").data.decode()
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    client.post(
        f"/activities/{enduring.id}/learner-counts",
        data={"physician_learners": 40, "other_learners": 2, "version": version},
    )
    html = client.get(PAGE).data.decode()
    assert "Needs update" not in html and "Learner totals are up to date." in html
    assert f"Up to date for {YEAR}" in html


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "0 or more"),
        ("12.50", "without cents"),
        ("lots", "whole dollars"),
        ("9" * 40, "0 or more"),
    ],
)
def test_program_summary_amounts_are_whole_dollars(client, editor, session, amount, message):
    response = client.post(
        f"/annual/{YEAR}/summary",
        data={"advertising_income": amount, "registration_fees": "100", "action": "draft"},
    )
    assert response.status_code == 422
    assert re.search(rf'id="advertising_income-error">[^<]*{message}', response.data.decode())
    assert report(session) is None


def test_program_summary_draft_submit_read_only_and_reopen(
    client, editor, make_user, login, make_activity, session
):
    make_activity(
        editor.provider_id,
        **last_year(
            commercial_support=True,
            support_sources=[
                SupportSource(kind="Monetary", source="Acme Pharma", amount=5000),
                SupportSource(kind="In-kind", source="Acme Devices"),
            ],
        ),
    )
    assert b"$5,000</strong> monetary" in client.get(PAGE).data
    draft = client.post(
        f"/annual/{YEAR}/summary", data={"advertising_income": "1,200", "action": "draft"}
    )
    assert draft.status_code == 303 and report(session).advertising_income == 1200
    missing = client.post(
        f"/annual/{YEAR}/summary", data={"advertising_income": "1200", "action": "submit"}
    )
    assert missing.status_code == 422 and b"Enter the registration fees (0 if none)" in missing.data
    amounts = {
        "advertising_income": "1200",
        "registration_fees": "0",
        "government_grants": "0",
        "private_donations": "250",
        "action": "submit",
    }
    assert client.post(f"/annual/{YEAR}/summary", data=amounts).status_code == 303
    assert report(session).summary_submitted_at is not None
    twice = client.post(f"/annual/{YEAR}/summary", data=amounts | {"private_donations": "9"})
    assert twice.status_code == 409 and report(session).private_donations == 250
    assert client.post(f"/annual/{YEAR}/summary/reopen").status_code == 403
    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    assert client.post(f"/annual/{YEAR}/summary/reopen").status_code == 303
    assert report(session).summary_submitted_at is None


def test_contacts_add_edit_remove_and_review(client, editor, session):
    bad = client.post(
        f"/annual/contacts?year={YEAR}",
        data={"new-role": "CEO", "new-name": "Dana", "new-email": "not-an-email"},
    )
    assert bad.status_code == 422 and b"name@example.org" in bad.data
    assert session.exec(select(Contact)).all() == []
    refused = client.post(f"/annual/{YEAR}/contacts-reviewed")
    assert refused.status_code == 409 and b"Add at least one contact" in refused.data
    client.post(
        f"/annual/contacts?year={YEAR}",
        data={
            "new-role": "CEO",
            "new-name": "Dana <b>Chief</b>",
            "new-email": "dana@example.org",
            "new-phone": "312-555-0100",
        },
    )
    contact = session.exec(select(Contact)).one()
    html = client.get(PAGE).data.decode()
    assert "Dana &lt;b&gt;Chief&lt;/b&gt;" in html and "<b>Chief</b>" not in html
    prefix = f"contact-{contact.id}-"
    client.post(
        f"/annual/contacts/{contact.id}?year={YEAR}",
        data={
            prefix + "role": "Primary contact",
            prefix + "name": "Dana Chief",
            prefix + "email": "dana@example.org",
        },
    )
    assert reload(session, contact).role == "Primary contact"
    assert client.post(f"/annual/{YEAR}/contacts-reviewed").status_code == 303
    assert report(session).contacts_reviewed_by_id == editor.id
    client.post(f"/annual/contacts/{contact.id}/delete?year={YEAR}")
    assert session.exec(select(Contact)).all() == []


def test_the_page_says_when_the_year_is_complete(client, editor, session):
    client.post(f"/annual/{YEAR}/agreement")
    client.post(
        f"/annual/{YEAR}/summary",
        data={
            "advertising_income": "0",
            "registration_fees": "0",
            "government_grants": "0",
            "private_donations": "0",
            "action": "submit",
        },
    )
    client.post(
        f"/annual/contacts?year={YEAR}",
        data={"new-role": "CEO", "new-name": "Dana", "new-email": "dana@example.org"},
    )
    assert b"reporting is complete" not in client.get(PAGE).data
    client.post(f"/annual/{YEAR}/contacts-reviewed")
    assert f"The {YEAR} annual reporting is complete.".encode() in client.get(PAGE).data


def test_only_admins_set_an_own_deadline(client, editor, make_user, login, session):
    assert (
        client.post(f"/annual/deadline?year={YEAR}", data={"own_deadline": "03/15"}).status_code
        == 403
    )
    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    bad = client.post(f"/annual/deadline?year={YEAR}", data={"own_deadline": "31/03"})
    assert bad.status_code == 422 and b"MM/DD" in bad.data
    client.post(f"/annual/deadline?year={YEAR}", data={"own_deadline": "03/15"})
    assert f"Due 03/15/{YEAR + 1}".encode() in client.get(PAGE).data


def test_another_providers_activities_do_not_count(client, editor, make_user, make_activity):
    other = make_user("b@example.org", provider="Other")
    make_activity(other.provider_id, title="Their Course", **last_year())
    html = client.get(PAGE).data.decode()
    assert "Their Course" not in html and "Every activity that ended in the year is closed." in html


def test_support_is_counted_for_activities_of_the_year_only(client, editor, make_activity):
    make_activity(
        editor.provider_id,
        commercial_support=True,
        **last_year(start_date=date(YEAR - 1, 5, 1), end_date=date(YEAR - 1, 5, 2)),
        support_sources=[SupportSource(kind="Monetary", source="Old Co", amount=999)],
    )
    assert b"$0</strong> monetary" in client.get(PAGE).data
    assert Activity  # the model is the one the page reads
