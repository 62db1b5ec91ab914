"""Two saves of one activity at once, from the version both read: exactly one wins, the
other is told (409), and no child row is ever doubled (the version is claimed inside the
UPDATE, before anything else of the save is written)."""

import re

from sqlmodel import func, select

from pars.accounts import tokens
from pars.models import Activity, DeliveryMethodRow, JointProvider, OutcomeRow, User
from pars.vocab import Role
from tests.factories import PASSWORD, race

TRIES = 50


def fresh(session, activity_id: int) -> Activity:
    """The activity as committed now (a new transaction, nothing kept from before)."""
    session.rollback()
    session.expire_all()
    return session.get(Activity, activity_id)


def child_counts(session, activity_id: int) -> tuple[int, int, int]:
    fresh(session, activity_id)
    return tuple(
        session.exec(select(func.count()).where(model.activity_id == activity_id)).one()
        for model in (JointProvider, DeliveryMethodRow, OutcomeRow)
    )


def test_two_api_saves_of_one_version_never_both_win(app, session, make_user, make_activity):
    user = make_user(role=Role.EDITOR)
    token = tokens.create(session, session.get(User, user.id), "race")
    session.commit()
    activity = make_activity(
        user.provider_id, providership="Joint", joint_providers=[JointProvider(name="Lakeshore")]
    )

    def patch(version: int, title: str):
        def call() -> int:
            client = app.test_client()
            body = {"version": version, "title": title, "joint_providers": [f"{title} Society"]}
            headers = {"Authorization": f"Bearer {token}"}
            return client.patch(f"/api/v1/activities/{activity.id}", json=body, headers=headers)

        return lambda: call().status_code

    for attempt in range(TRIES):
        version = fresh(session, activity.id).version
        assert race(patch(version, f"A{attempt}"), patch(version, f"B{attempt}")) == [200, 409]
        assert fresh(session, activity.id).version == version + 1
        assert child_counts(session, activity.id) == (1, 1, 1)


def test_two_wizard_saves_from_two_tabs_never_both_win(app, session, make_user, make_activity):
    user = make_user(role=Role.EDITOR)
    activity = make_activity(user.provider_id)
    tabs = [app.test_client(), app.test_client()]
    for tab in tabs:  # two browsers of the same editor, each signed in
        tab.post("/login", data={"email": user.email, "password": PASSWORD})

    def post(tab, version: int, joint: str):
        data = {
            "version": str(version),
            "internal_id": "",
            "providership": "Joint",
            "joint_providers-0": joint,
            "outcomes": "Learner Competence",
            "measures": "Learner Competence|Objective",
            "commercial_support": "no",
            "commendation": "no",
        }
        url = f"/activities/{activity.id}/steps/3"
        return lambda: tab.post(url, data=data).status_code

    for attempt in range(TRIES):
        version = fresh(session, activity.id).version
        calls = post(tabs[0], version, f"A{attempt}"), post(tabs[1], version, f"B{attempt}")
        assert race(*calls) == [303, 409]
        assert child_counts(session, activity.id) == (1, 1, 1)
    # The tab that lost keeps its answers and says why.
    stale = tabs[0].post(
        f"/activities/{activity.id}/steps/3",
        data={"version": "1", "providership": "Joint", "joint_providers-0": "Kept Society"},
    )
    assert stale.status_code == 409 and b"Someone else saved this activity" in stale.data
    assert b"Kept Society" in stale.data


def test_a_double_submit_of_add_activity_makes_one_activity(app, session, make_user):
    user = make_user(role=Role.EDITOR)
    tabs = [app.test_client(), app.test_client()]
    for tab in tabs:
        tab.post("/login", data={"email": user.email, "password": PASSWORD})
    page = tabs[0].get("/activities/new").data.decode()
    key = re.search(r'name="entry_key" type="hidden" value="([^"]+)"', page).group(1)
    data = {"title": "Grand Rounds", "format": "Journal CME/CE", "entry_key": key}
    data |= {"start_date": "2026-12-01", "end_date": "2026-12-01"}
    answers = []

    def submit(tab):
        def call() -> int:
            response = tab.post("/activities/new", data=data)
            answers.append(response.headers.get("Location"))
            return response.status_code

        return call

    assert race(submit(tabs[0]), submit(tabs[1])) == [303, 303]
    again = tabs[0].post("/activities/new", data=data)  # and once more, later
    assert again.status_code == 303
    session.rollback()
    made = session.exec(select(Activity)).all()
    assert len(made) == 1
    assert set(answers) | {again.headers["Location"]} == {f"/activities/{made[0].id}/steps/2?new=1"}
