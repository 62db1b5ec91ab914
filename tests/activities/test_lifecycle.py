"""Update Learners, close and reopen, delete, bulk close, and the status following the calendar."""

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from pars.accounts import tokens
from pars.activities import dashboard
from pars.integrity import operations as integrity
from pars.models import (
    Activity,
    ContentRoleRow,
    Disclosure,
    DisclosureLink,
    JointProvider,
    LearnerCompletion,
    Person,
    User,
)
from pars.vocab import Role
from tests.factories import NOW, TODAY, saved_activity

HX = {"HX-Request": "true"}
PAST = TODAY - timedelta(days=3)


@pytest.fixture
def admin(make_user, login):
    user = make_user(role=Role.ADMIN)
    login()
    return user


def ended(make_activity, admin, **overrides):
    """An activity that has ended and can close once it has learner totals."""
    fields = dict(start_date=PAST, end_date=PAST, commercial_support=False)
    return make_activity(admin.provider_id, **(fields | overrides))


def post_counts(client, activity, physician, other, version=None):
    data = {
        "physician_learners": physician,
        "other_learners": other,
        "version": activity.version if version is None else version,
    }
    return client.post(f"/activities/{activity.id}/learner-counts", data=data, headers=HX)


def test_dialog_shows_the_activity_and_its_totals(client, admin, make_activity):
    activity = make_activity(admin.provider_id, title="Grand Rounds", physician_learners=7)
    body = client.get(f"/activities/{activity.id}/learner-counts", headers=HX).data
    assert b"<dialog" in body and b"Grand Rounds" in body
    assert b"Total physician learners to date" in body and b'value="7"' in body


def test_saving_counts_swaps_the_row_and_closes_the_dialog(client, admin, make_activity, session):
    activity = ended(make_activity, admin)
    response = post_counts(client, activity, 40, 0)
    assert response.status_code == 200
    assert json.loads(response.headers["HX-Trigger"])["closeModal"] is True
    assert response.headers["HX-Reswap"] == "none"
    assert f'id="activity-{activity.id}" hx-swap-oob="true"'.encode() in response.data
    assert b"Can be closed" in response.data
    session.refresh(activity)
    assert (activity.physician_learners, activity.other_learners) == (40, 0)
    assert activity.version == 2


@pytest.mark.parametrize(
    ("physician", "other"),
    [(-1, 0), ("1.5", 0), (10_000_001, 0), ("many", 0), ("", 0), (0, "")],
)
def test_bad_counts_are_refused_inside_the_dialog(
    client, admin, make_activity, session, physician, other
):
    activity = make_activity(admin.provider_id, physician_learners=5, other_learners=5)
    response = post_counts(client, activity, physician, other)
    assert response.status_code == 422
    assert b"Enter a whole number from 0 to 10,000,000." in response.data
    assert b'aria-invalid="true"' in response.data
    session.refresh(activity)
    assert (activity.physician_learners, activity.other_learners, activity.version) == (5, 5, 1)


def test_a_stale_version_gets_a_conflict_with_the_current_numbers(
    client, admin, make_activity, session
):
    activity = make_activity(admin.provider_id)
    assert post_counts(client, activity, 10, 1, version=1).status_code == 200
    late = post_counts(client, activity, 99, 9, version=1)  # loaded before the first save
    assert late.status_code == 409
    assert b"Someone else updated this activity" in late.data
    assert b'value="10"' in late.data and b'value="2"' in late.data  # current counts, version
    session.refresh(activity)
    assert (activity.physician_learners, activity.version) == (10, 2)


def test_closed_activity_counts_cannot_change(client, admin, make_activity, session):
    activity = ended(make_activity, admin, physician_learners=1, other_learners=1, closed_at=NOW)
    response = post_counts(client, activity, 5, 5)
    assert response.status_code == 409 and b"is closed" in response.data


def test_close_records_who_and_when(client, admin, make_activity, session):
    activity = ended(make_activity, admin, physician_learners=3, other_learners=0)
    response = client.post(f"/activities/{activity.id}/close")
    assert response.status_code == 303
    session.refresh(activity)
    assert activity.stage == "Closed" and activity.closed_by_id == admin.id
    assert activity.closed_at is not None


def test_close_is_refused_with_what_blocks_it(client, admin, make_activity, session):
    activity = ended(make_activity, admin, providership="Joint")
    response = client.post(f"/activities/{activity.id}/close")
    assert response.status_code == 409
    assert b"Add the joint provider name(s)" in response.data
    assert b"Enter the total physician learners" in response.data
    session.refresh(activity)
    assert activity.closed_at is None and activity.status_on(TODAY) == "Ready to Close"


def test_view_page_switch_is_disabled_until_the_activity_can_close(client, admin, make_activity):
    blocked = ended(make_activity, admin)
    page = client.get(f"/activities/{blocked.id}").data.decode()
    assert 'role="switch"' in page and "disabled" in page.split('role="switch"')[1][:300]
    ready = ended(make_activity, admin, physician_learners=1, other_learners=1)
    page = client.get(f"/activities/{ready.id}").data.decode()
    assert "disabled" not in page.split('role="switch"')[1][:300]


def test_only_admins_reopen(client, make_user, login, make_activity, session):
    editor = make_user(role=Role.EDITOR)
    activity = make_activity(
        editor.provider_id,
        start_date=PAST,
        end_date=PAST,
        commercial_support=False,
        physician_learners=1,
        other_learners=1,
        closed_at=NOW,
    )
    login()
    assert client.post(f"/activities/{activity.id}/reopen").status_code == 403
    make_user("boss@example.org", provider="Lakeside CME", role=Role.ADMIN)
    client.post("/logout")
    login("boss@example.org")
    assert client.post(f"/activities/{activity.id}/reopen").status_code == 303
    session.refresh(activity)
    assert activity.closed_at is None and activity.status_on(TODAY) == "Ready to Close"


def test_delete_asks_then_removes_the_activity_and_its_children(
    client, admin, make_activity, session
):
    activity = make_activity(
        admin.provider_id,
        providership="Joint",
        joint_providers=[JointProvider(name="Metro Nurses")],
    )
    assert b"This cannot be undone" in client.get(f"/activities/{activity.id}/delete").data
    activity_id = activity.id
    assert client.post(f"/activities/{activity_id}/delete").status_code == 303
    session.expire_all()
    assert session.get(Activity, activity_id) is None
    assert session.exec(select(JointProvider)).all() == []


def test_closed_activity_cannot_be_deleted(client, admin, make_activity, session):
    activity = ended(make_activity, admin, physician_learners=1, other_learners=1, closed_at=NOW)
    assert b"cannot be deleted" in client.get(f"/activities/{activity.id}/delete").data
    response = client.post(f"/activities/{activity.id}/delete")
    assert response.status_code == 409 and b"A closed activity cannot be deleted" in response.data
    assert session.get(Activity, activity.id) is not None


def test_activity_with_individual_learners_cannot_be_deleted(client, admin, make_activity, session):
    activity = make_activity(admin.provider_id)
    session.add(
        LearnerCompletion(
            activity_id=activity.id,
            first_name="Ana",
            last_name="Diaz",
            birth_month_day="02/29",
            completion_date=TODAY,
        )
    )
    session.commit()
    response = client.post(f"/activities/{activity.id}/delete")
    assert response.status_code == 409 and b"1 individual learner completion" in response.data


def test_bulk_close_closes_those_ready_and_explains_the_rest(client, admin, make_activity, session):
    ready = ended(make_activity, admin, title="Ready One", physician_learners=1, other_learners=0)
    blocked = ended(make_activity, admin, title="Blocked One")
    response = client.post(
        "/activities/bulk-close",
        data={"ids": [ready.id, blocked.id]},
        headers={"Referer": "http://localhost/activities/?status=Draft"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/activities/?status=Draft"
    page = client.get("/activities/").data.decode()
    assert "Closed 1 activity." in page and "“Blocked One” was not closed." in page
    session.expire_all()
    assert session.get(Activity, ready.id).stage == "Closed"
    assert session.get(Activity, blocked.id).status_on(TODAY) == "Ready to Close"


def test_bulk_close_ignores_other_providers_ids(client, admin, make_user, make_activity, session):
    other = make_user("b@example.org", provider="Other")
    theirs = make_activity(
        other.provider_id,
        start_date=PAST,
        end_date=PAST,
        commercial_support=False,
        physician_learners=1,
        other_learners=1,
    )
    client.post("/activities/bulk-close", data={"ids": [theirs.id]})
    session.expire_all()
    assert session.get(Activity, theirs.id).closed_at is None


def test_bulk_close_without_selection_is_a_400(client, admin):
    response = client.post("/activities/bulk-close", data={})
    assert response.status_code == 400 and b"Select at least one activity" in response.data


def test_status_follows_the_calendar_with_no_job_and_no_write(app, admin, client, session):
    """An end date moved into the past in the database: the list, its filters and counts,
    the dashboard and the API all say Ready to Close, and reading writes nothing."""
    active = saved_activity(session, admin.provider_id, title="Calendar course")
    token = tokens.create(session, session.get(User, admin.id), "calendar")
    session.commit()
    assert active.stage == "Active"
    stamp = (active.version, active.updated_at)
    session.execute(
        Activity.__table__.update()
        .where(Activity.id == active.id)
        .values(start_date=PAST, end_date=PAST)
    )
    session.commit()

    listed = client.get("/activities/?status=Ready+to+Close").get_data(as_text=True)
    assert "Calendar course" in listed and "badge-ready-to-close" in listed
    assert "Calendar course" not in client.get("/activities/?status=Active").get_data(as_text=True)
    by_status = client.get("/activities/?sort=status").get_data(as_text=True)
    assert "Ready to Close" in by_status
    assert "Ended but not closed" in client.get("/").get_data(as_text=True)
    api = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/activities/{active.id}", headers=api).json["status"] == (
        "Ready to Close"
    )
    found = client.get("/api/v1/activities?status=Ready+to+Close", headers=api).json
    assert [item["id"] for item in found["items"]] == [active.id]
    assert client.get("/api/v1/activities?status=Active", headers=api).json["total"] == 0

    session.expire_all()
    again = session.get(Activity, active.id)
    assert (again.version, again.updated_at) == stamp and again.stage == "Active"


def test_dashboard_counts_an_ended_active_activity_as_ready_to_close(app, admin, session):
    saved_activity(session, admin.provider_id, start_date=PAST, end_date=PAST)
    saved_activity(session, admin.provider_id)
    session.commit()
    by_status, _, _ = dashboard.counts_by_status_and_format(session, admin.provider_id, TODAY)
    assert by_status["Ready to Close"] == 1 and by_status["Active"] == 1


def with_faculty(session, activity: Activity) -> DisclosureLink:
    """Someone in control of the activity's content, with the disclosure link they were sent."""
    person = {"name": "Dr. Ana Diaz", "email": "ana@example.org", "biography": None}
    integrity.add_with_link(session, activity, person | {"roles": ["Faculty"]}, now=NOW)
    return session.exec(select(DisclosureLink)).one()


def test_deleting_an_activity_takes_its_people_and_unused_disclosure_links_along(
    client, admin, make_activity, session
):
    activity = make_activity(admin.provider_id)
    with_faculty(session, activity)
    session.commit()
    activity_id = activity.id
    assert client.post(f"/activities/{activity_id}/delete").status_code == 303
    session.expire_all()
    assert session.get(Activity, activity_id) is None
    assert session.exec(select(ContentRoleRow)).all() == []
    assert session.exec(select(DisclosureLink)).all() == []
    assert session.exec(select(Person)).all() != []  # the provider's directory keeps them


def test_an_activity_with_a_disclosure_on_file_is_kept_with_a_clear_refusal(
    client, admin, make_activity, session
):
    activity = make_activity(admin.provider_id)
    link = with_faculty(session, activity)
    integrity.submit(session, link, has_none=True, relationships=[], now=NOW)
    session.commit()
    before = client.get(f"/activities/{activity.id}/delete")
    assert b"cannot be deleted" in before.data
    response = client.post(f"/activities/{activity.id}/delete")
    assert response.status_code == 409
    assert b"1 disclosure(s) of financial relationships" in response.data
    session.expire_all()
    assert session.get(Activity, activity.id) is not None
    assert len(session.exec(select(Disclosure)).all()) == 1
