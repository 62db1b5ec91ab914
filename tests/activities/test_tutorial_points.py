"""The tutorial's smaller promises that are not a page of their own (issue #17, items 9, 13
and 15), through the Flask test client."""

from datetime import timedelta

from sqlmodel import select

from pars.activities import dashboard
from pars.annual import operations as annual_data
from pars.models import Activity
from tests.factories import TODAY


def step3(client, activity, **changes):
    page = client.get(f"/activities/{activity.id}/steps/3").data.decode()
    assert 'name="accme_activity_id"' in page
    data = {
        "version": str(activity.version),
        "internal_id": activity.internal_id or "",
        "providership": "Direct",
        "outcomes": "Learner Competence",
        "measures": "Learner Competence|Objective",
        "commercial_support": "no",
        "commendation": "no",
        "action": "continue",
    }
    return client.post(f"/activities/{activity.id}/steps/3", data=data | changes)


def test_9_the_accme_activity_id_is_entered_on_step_3(client, editor, make_activity, session):
    first = make_activity(editor.provider_id, title="First", accme_activity_id=None)
    second = make_activity(editor.provider_id, title="Second", accme_activity_id=None)
    short = step3(client, first, accme_activity_id="12345")
    assert short.status_code == 422 and b"An ACCME Activity ID is exactly 9 digits." in short.data
    assert step3(client, first, accme_activity_id="202600001").status_code == 303
    session.expire_all()
    assert session.get(Activity, first.id).accme_activity_id == "202600001"
    taken = step3(client, session.get(Activity, second.id), accme_activity_id="202600001")
    assert taken.status_code == 422
    assert f"Activity {first.id} already uses this ACCME Activity ID.".encode() in taken.data


def test_13_the_raised_total_is_said_only_when_it_changed(client, editor, make_activity, session):
    past = TODAY - timedelta(days=3)
    activity = make_activity(
        editor.provider_id, start_date=past, end_date=past, physician_learners=146
    )
    learner = {
        "first_name": "Ana",
        "last_name": "Diaz",
        "birth_month_day": "02/29",
        "completion_date": past.isoformat(),
    }
    page = client.post(
        f"/activities/{activity.id}/learners", data=learner, follow_redirects=True
    ).data.decode()
    assert "raised to" not in page  # 146 already counts the one learner
    unset = make_activity(editor.provider_id, title="Unset", start_date=past, end_date=past)
    page = client.post(
        f"/activities/{unset.id}/learners", data=learner, follow_redirects=True
    ).data.decode()
    assert "Total physician learners raised to 1 (was not set)" in page


def test_15_the_dashboard_and_annual_reporting_count_ended_not_closed_alike(
    editor, make_activity, session
):
    year = TODAY.year
    ended = make_activity(
        editor.provider_id,
        title="Ended",
        start_date=TODAY - timedelta(days=10),
        end_date=TODAY - timedelta(days=10),
    )
    later = TODAY + timedelta(days=3)  # ends later this year: not ended yet
    make_activity(editor.provider_id, title="Later", start_date=later, end_date=later)
    board = dashboard.build(session, editor.provider_id, today=TODAY, own_deadline=None)
    [counted] = [a for a in board.attention if a.title == "Ended but not closed"]
    view = annual_data.year_view(session, editor.provider_id, year, own_deadline=None, today=TODAY)
    assert counted.count == view.unclosed_count == 1
    assert [a.id for a in view.unclosed] == [ended.id]
    assert session.exec(select(Activity)).all()
