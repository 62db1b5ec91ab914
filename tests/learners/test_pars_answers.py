"""A learner completion records the learner's permission to report it (ACCME requires it) and,
once reported, PARS's answer: through the page, the API and the learner report."""

from sqlmodel import select

from pars.accounts import tokens
from pars.models import LearnerCompletion, User
from tests.uploads.test_learner_reports_import import add_learners, the_activity


def test_permission_and_pars_answer_on_the_page_and_in_the_report(
    client, editor, make_activity, session
):
    activity = the_activity(make_activity, editor.provider_id)
    add_learners(client, activity)
    ana, ben = sorted(session.exec(select(LearnerCompletion)).all(), key=lambda c: c.first_name)
    page = client.get(f"/activities/{activity.id}/learners").data.decode()
    assert "Permission to report to PARS" in page and f'id="pars-result-{ana.id}"' in page
    ben.report_permission = False
    session.commit()
    body = client.get("/exports/learners.xml").data
    assert b"did not give permission" in body and b"Ben" not in body and b"Ana" in body

    url = f"/activities/{activity.id}/learners/{ana.id}/pars-result"
    refused = client.post(url, data={f"c{ana.id}-pars_result": "Rejected"})
    assert refused.status_code == 422 and b"Give the reason PARS gave" in refused.data
    saved = client.post(
        url,
        data={f"c{ana.id}-pars_result": "Rejected", f"c{ana.id}-pars_reason": "NPI not found"},
    )
    assert saved.status_code == 303
    session.expire_all()
    assert (ana.pars_result, ana.pars_reason) == ("Rejected", "NPI not found")


def test_the_api_takes_permission_and_records_the_answer(app, editor, make_activity, session):
    token = tokens.create(session, session.get(User, editor.id), "tests")
    session.commit()
    api_client = app.test_client()
    api_client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    activity = the_activity(make_activity, editor.provider_id)
    created = api_client.post(
        f"/api/v1/activities/{activity.id}/learners",
        json={
            "first_name": "Cara",
            "last_name": "Lee",
            "birth_month_day": "07/04",
            "completion_date": activity.end_date.isoformat(),
            "report_permission": True,
        },
    )
    assert created.status_code == 201, created.json
    assert created.json["report_permission"] is True and created.json["pars_result"] is None
    url = f"/api/v1/activities/{activity.id}/learners/{created.json['id']}"
    assert api_client.patch(url, json={"pars_result": "Rejected"}).status_code == 422
    assert api_client.patch(url, json={"pars_result": "Maybe"}).status_code == 400
    answered = api_client.patch(url, json={"pars_result": "Accepted"})
    assert answered.status_code == 200 and answered.json["pars_result"] == "Accepted"
