"""CSRF protection on, as in production: forms carry a token and htmx sends it as a header."""

import pytest

from tests.factories import PASSWORD, csrf_token_from


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_login_without_token_is_refused(csrf_app, client, make_user):
    make_user()
    response = client.post("/login", data={"email": "staff@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert b"Reload the page" in response.data


def test_token_from_hx_headers_authorizes_a_post(csrf_app, client, make_user):
    make_user()
    token = csrf_token_from(client.get("/login").data.decode())
    data = {"email": "staff@example.org", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 303
    token = csrf_token_from(client.get("/activities/").data.decode())
    assert client.post("/logout").status_code == 400
    headers = {"X-CSRFToken": token, "HX-Request": "true"}
    assert client.post("/logout", headers=headers).status_code == 303
