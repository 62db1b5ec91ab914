"""Signing in and out, and the login every page but the sign-in page needs."""

import pytest

from pars.views.auth import LOGIN_FAILED
from pars.vocab import Role
from tests.factories import PASSWORD


def test_login_page_is_public(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b'name="email"' in response.data and b'name="password"' in response.data


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/activities/?page=2")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/activities/?page%3D2")


def test_login_reaches_the_activity_list_and_logout_ends_the_session(client, make_user, login):
    make_user()
    response = login()
    assert response.status_code == 303
    assert client.get("/activities/").status_code == 200
    assert client.post("/logout").status_code == 303
    assert client.get("/activities/").status_code == 302


def test_login_follows_a_local_next_but_not_another_site(client, make_user):
    make_user()
    data = {"email": "staff@example.org", "password": PASSWORD}
    assert client.post("/login?next=/activities/", data=data).headers["Location"] == "/activities/"
    client.post("/logout")
    bad_targets = (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "////evil.example",
    )
    for bad in (*bad_targets, "/%0d%0aSet-Cookie:x=1", "/ok%0a", "/%09/evil.example"):
        response = client.post(f"/login?next={bad}", data=data)
        assert response.headers["Location"] == "/"
        client.post("/logout")


def test_email_is_matched_without_case_or_spaces(client, make_user):
    make_user()
    response = client.post("/login", data={"email": " Staff@Example.ORG ", "password": PASSWORD})
    assert response.status_code == 303


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user):
    make_user()
    wrong = client.post("/login", data={"email": "staff@example.org", "password": "nope"})
    unknown = client.post("/login", data={"email": "who@example.org", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert LOGIN_FAILED.encode() in wrong.data and LOGIN_FAILED.encode() in unknown.data
    assert client.get("/activities/").status_code == 302


def test_disabled_user_cannot_sign_in(client, make_user, session, login):
    user = make_user()
    user.is_active = False
    session.commit()
    assert login().status_code == 401


def test_session_cookie_is_httponly_and_samesite(client, make_user, login):
    make_user()
    cookie = login().headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.fixture
def change_route(app):
    """A state-changing route added for the test: what any POST of the app would face."""
    app.add_url_rule("/test-change", "test_change", lambda: "changed", methods=["POST"])


def test_viewer_cannot_change_data_but_may_sign_out(change_route, make_user, login, client):
    make_user(role=Role.VIEWER)
    login()
    response = client.post("/test-change")
    assert response.status_code == 403
    assert b"viewer" in response.data
    assert client.post("/logout").status_code == 303


def test_editor_may_change_data(change_route, make_user, login, client):
    make_user(role=Role.EDITOR)
    login()
    assert client.post("/test-change").data == b"changed"
