"""Every route of the app, walked from app.url_map: login, provider isolation, roles, CSRF.

A route added without an entry in SAMPLE_ARGS fails test_every_route_is_covered, so no page
reaches users without passing these checks.
"""

from types import SimpleNamespace

import pytest
from sqlmodel import select

from pars.accounts import tokens
from pars.accounts.auth import PUBLIC_ENDPOINTS, VIEWER_MAY_POST
from pars.models import ApiToken, Contact, Learner, Upload
from pars.vocab import Role
from tests.factories import PASSWORD, QUERY_OBJECT, SAMPLE_ARGS, routes, url_for_test

PUBLIC = PUBLIC_ENDPOINTS | {"api.openapi"}  # the one list the code keeps, and the API's
# URL arguments for each endpoint; "ACTIVITY" stands for the activity under test.
# Routes that take another provider's object in the query string rather than the path.


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
            # (a disclosure or certificate link that is not one answers 410, a claim link 404,
            # an empty request for a transcript 422)
            assert response.status_code in (200, 400, 401, 404, 410, 422), (endpoint, method)
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
        if method == "GET" or endpoint in (*PUBLIC_ENDPOINTS, *VIEWER_MAY_POST):
            # signing in and out, one's own password and tokens are open to viewers; a
            # disclosure or a claim is given through its link, by whoever holds it, account or not
            continue
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
