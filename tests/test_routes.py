"""Every route of the app, walked from app.url_map: login, provider isolation, roles, CSRF.

A route added without an entry in SAMPLE_ARGS fails test_every_route_is_covered, so no page
reaches users without passing these checks.
"""

from types import SimpleNamespace

import pytest
from sqlmodel import select

from pars.accounts import tokens
from pars.accounts.auth import VIEWER_MAY_POST
from pars.models import ApiToken, Contact, Learner, Upload
from pars.vocab import Role
from tests.conftest import PASSWORD

PUBLIC = {"auth.login", "static", "catalog.index", "catalog.as_json", "api.openapi"}
# URL arguments for each endpoint; "ACTIVITY" stands for the activity under test.
SAMPLE_ARGS = {
    "auth.login": {},
    "auth.logout": {},
    "home.index": {},
    "activities.index": {},
    "activities.view": {"activity_id": "ACTIVITY"},
    "activities.close": {"activity_id": "ACTIVITY"},
    "activities.reopen": {"activity_id": "ACTIVITY"},
    "activities.confirm_delete": {"activity_id": "ACTIVITY"},
    "activities.delete": {"activity_id": "ACTIVITY"},
    "activities.bulk_close": {},
    "activities.download": {},
    "learner_counts.edit": {"activity_id": "ACTIVITY"},
    "learner_counts.update": {"activity_id": "ACTIVITY"},
    "wizard.new": {},
    "wizard.edit": {"activity_id": "ACTIVITY", "step": 1},
    "wizard.form_section": {"step": 3, "name": "joint"},
    "wizard.copy": {"activity_id": "ACTIVITY"},
    "learners.activity": {"activity_id": "ACTIVITY"},
    "learners.add": {"activity_id": "ACTIVITY"},
    "learners.board_fields": {"activity_id": "ACTIVITY"},
    "learners.delete": {"activity_id": "ACTIVITY", "completion_id": 1},
    "learners.match": {"activity_id": "ACTIVITY"},
    "learner_directory.index": {},
    "learner_directory.person": {"learner_id": "LEARNER"},
    "learner_directory.check": {},
    "uploads.index": {},
    "uploads.create": {},
    "uploads.preview": {"upload_id": "UPLOAD"},
    "uploads.progress": {"upload_id": "UPLOAD"},
    "uploads.commit": {"upload_id": "UPLOAD"},
    "uploads.cancel": {"upload_id": "UPLOAD"},
    "uploads.learner_template": {},
    "uploads.counts_template": {},
    "uploads.activities_template": {},
    "uploads.activities_moc_template": {},
    "annual.index": {},
    "annual.accept_agreement": {"year": 2020},
    "annual.close_all": {"year": 2020},
    "annual.save_summary": {"year": 2020},
    "annual.reopen_summary": {"year": 2020},
    "annual.contacts_reviewed": {"year": 2020},
    "annual.add_contact": {},
    "annual.update_contact": {"contact_id": "CONTACT"},
    "annual.delete_contact": {"contact_id": "CONTACT"},
    "annual.set_deadline": {},
    "catalog.index": {},
    "catalog.as_json": {},
    "history.activity": {"activity_id": "ACTIVITY"},
    "history.log": {},
    "users.index": {},
    "users.invite": {},
    "users.set_role": {"user_id": "USER"},
    "users.disable": {"user_id": "USER"},
    "users.enable": {"user_id": "USER"},
    "users.reset_password": {"user_id": "USER"},
    "users.change_password": {},
    "exports.activities_xlsx": {},
    "exports.activities_xml": {},
    "exports.learners_xml": {},
    "tokens.index": {},
    "tokens.create": {},
    "tokens.revoke": {"token_id": "TOKEN"},
    "api.openapi": {},
    "api.list_activities": {},
    "api.create_activity": {},
    "api.get_activity": {"activity_id": "ACTIVITY"},
    "api.update_activity": {"activity_id": "ACTIVITY"},
    "api.delete_activity": {"activity_id": "ACTIVITY"},
    "api.set_learner_counts": {"activity_id": "ACTIVITY"},
    "api.close_activity": {"activity_id": "ACTIVITY"},
    "api.list_learners": {"activity_id": "ACTIVITY"},
    "api.add_learner": {"activity_id": "ACTIVITY"},
    "api.delete_learner": {"activity_id": "ACTIVITY", "completion_id": 1},
    "api.match_learner": {},
    "api.import_file": {},
}
# Routes that take another provider's object in the query string rather than the path.
QUERY_OBJECT = {
    "wizard.form_section": "activity_id",
    "activities.download": "ids",
    "exports.activities_xlsx": "ids",
    "exports.activities_xml": "ids",
    "exports.learners_xml": "ids",
}


def routes(app):
    """(endpoint, method, url builder) for every rule and method the app serves."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method


def url_for_test(
    app,
    endpoint: str,
    activity_id: int,
    learner_id: int = 1,
    upload_id: int = 1,
    contact_id: int = 1,
    user_id: int = 1,
    token_id: int = 1,
) -> str:
    objects = {
        "ACTIVITY": activity_id,
        "LEARNER": learner_id,
        "UPLOAD": upload_id,
        "CONTACT": contact_id,
        "USER": user_id,
        "TOKEN": token_id,
    }
    args = {k: objects.get(v, v) for k, v in SAMPLE_ARGS[endpoint].items()}
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **args)
    if endpoint in QUERY_OBJECT:
        url += f"?{QUERY_OBJECT[endpoint]}={activity_id}"
    return url


@pytest.fixture
def theirs(make_user, make_activity, session):
    """An activity and a learner of another provider."""
    other = make_user("b@example.org", provider="Provider B", role=Role.ADMIN)
    activity = make_activity(other.provider_id, title="Their Secret Symposium")
    learner = Learner(
        provider_id=other.provider_id,
        first_name="Secret",
        last_name="Person",
        first_key="secret",
        last_key="person",
        birth_month_day="01/01",
    )
    upload = Upload(
        provider_id=other.provider_id,
        user_id=other.id,
        kind="learners",
        filename="theirs.xlsx",
        data=b"",
    )
    contact = Contact(
        provider_id=other.provider_id, role="CEO", name="Secret Person", email="ceo@b.example.org"
    )
    session.add_all([learner, upload, contact])
    tokens.create(session, other, "Their token")
    session.commit()
    token = session.exec(select(ApiToken)).one()
    return SimpleNamespace(
        id=activity.id,
        learner_id=learner.id,
        upload_id=upload.id,
        contact_id=contact.id,
        user_id=other.id,
        token_id=token.id,
    )


def bearer(session, user) -> dict:
    """The header of a fresh API token of ``user`` (the API takes no cookies)."""
    token = tokens.create(session, user, "Route walk")
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def ids_of(theirs) -> tuple:
    return (
        theirs.id,
        theirs.learner_id,
        theirs.upload_id,
        theirs.contact_id,
        theirs.user_id,
        theirs.token_id,
    )


def test_every_route_is_covered(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert endpoints == set(SAMPLE_ARGS), "add new routes to SAMPLE_ARGS (and check them here)"


def test_anonymous_requests_go_to_login(app, client, theirs):
    for endpoint, method in routes(app):
        url = url_for_test(app, endpoint, *ids_of(theirs))
        response = client.open(url, method=method)
        if endpoint in PUBLIC:  # the catalog's JSON answers 400 until a provider is named
            assert response.status_code in (200, 400, 401), (endpoint, method)
        elif endpoint.startswith("api."):  # the API answers in JSON, and names the scheme
            assert response.status_code == 401 and response.is_json, (endpoint, method)
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        else:
            assert response.status_code == 302, (endpoint, method, response.status_code)
            assert response.headers["Location"].startswith("/login"), (endpoint, method)


def test_another_providers_objects_answer_404(app, client, make_user, login, theirs, session):
    ours = make_user("a@example.org", provider="Provider A", role=Role.ADMIN)
    login("a@example.org")
    api = bearer(session, ours)
    for endpoint, method in routes(app):
        object_args = {
            "activity_id",
            "learner_id",
            "upload_id",
            "contact_id",
            "user_id",
            "token_id",
        } & set(SAMPLE_ARGS[endpoint])
        if not object_args and endpoint not in QUERY_OBJECT:
            continue
        url = url_for_test(app, endpoint, *ids_of(theirs))
        response = client.open(
            url,
            method=method,
            json={} if method != "GET" else None,
            headers=api if endpoint.startswith("api.") else {},
        )
        if endpoint in (
            "activities.download",
            "exports.activities_xlsx",
            "exports.activities_xml",
            "exports.learners_xml",
        ):
            continue  # a file of none of their rows: test_activity_download/test_exports
        assert b"Their Secret Symposium" not in response.data, (endpoint, method)
        assert b"Secret Person" not in response.data, (endpoint, method)
        assert response.status_code == 404, (endpoint, method, response.status_code)


def test_viewers_cannot_change_anything(app, client, make_user, login, make_activity, session):
    viewer = make_user("v@example.org", provider="Provider A", role=Role.VIEWER)
    ours = make_activity(viewer.provider_id)
    login("v@example.org")
    api = bearer(session, viewer)
    for endpoint, method in routes(app):
        if method == "GET" or endpoint in ("auth.login", *VIEWER_MAY_POST):
            continue  # signing in and out, one's own password and tokens are open to viewers
        headers = api if endpoint.startswith("api.") else {}
        response = client.open(url_for_test(app, endpoint, ours.id), method=method, headers=headers)
        assert response.status_code == 403, (endpoint, method, response.status_code)


def test_every_change_needs_a_csrf_token(app, client, make_user, login, make_activity):
    editor = make_user("e@example.org", provider="Provider A", role=Role.ADMIN)
    ours = make_activity(editor.provider_id)
    login("e@example.org", PASSWORD)
    app.config["WTF_CSRF_ENABLED"] = True
    for endpoint, method in routes(app):
        if method == "GET":
            continue
        url = url_for_test(app, endpoint, ours.id)
        for headers in ({}, {"HX-Request": "true"}, {"HX-Request": "true", "X-CSRFToken": "x"}):
            response = client.open(url, method=method, headers=headers)
            # The API takes no cookies, only bearer tokens a cross-site request cannot carry:
            # with the signed-in session alone it refuses (401), as a forged request would be.
            expected = 401 if endpoint.startswith("api.") else 400
            assert response.status_code == expected, (endpoint, method, headers)
