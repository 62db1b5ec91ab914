"""Sign-in hardening: rate limits, password rules, sessions that end, cookies over HTTPS."""

from datetime import timedelta

import pytest

from pars.accounts import login_limits, users
from pars.models import User
from tests.factories import PASSWORD


def test_five_failures_a_minute_per_account_then_429_even_with_the_right_password(
    client, make_user
):
    make_user()
    for _ in range(5):
        wrong = client.post("/login", data={"email": "staff@example.org", "password": "nope"})
        assert wrong.status_code == 401
    blocked = client.post("/login", data={"email": "staff@example.org", "password": PASSWORD})
    assert blocked.status_code == 429 and b"Too many failed sign-ins" in blocked.data
    assert client.get("/activities/").status_code == 302  # not signed in


def test_the_limit_also_holds_per_address_across_accounts(client, make_user):
    make_user()
    for n in range(5):
        client.post("/login", data={"email": f"guess{n}@example.org", "password": "nope"})
    blocked = client.post("/login", data={"email": "staff@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    other = client.post(
        "/login",
        data={"email": "staff@example.org", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert other.status_code == 303  # from another address: the account has no failures


def test_failures_older_than_a_minute_no_longer_count(session, now):
    long_ago = now - timedelta(minutes=2)
    for _ in range(5):
        login_limits.note_failure(session, email="a@x.org", address="1.2.3.4", now=long_ago)
    session.commit()
    assert not login_limits.blocked(session, email="a@x.org", address="1.2.3.4")
    assert login_limits.blocked(
        session, email="a@x.org", address="1.2.3.4", now=long_ago + timedelta(seconds=30)
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass", "at least 12"),
        ("staff@example.org", "email address"),
        ("STAFF@EXAMPLE.ORG", "email address"),
        ("staffstaff12", None),
    ],
)
def test_password_rules(password, message):
    error = users.password_error(password, "staff@example.org")
    assert (error is None) if message is None else (message in error)
    assert users.password_error("staff", "staff@example.org")


def test_a_password_reset_ends_the_users_other_sessions(client, make_user, login, session):
    user = make_user()
    login()
    assert client.get("/activities/").status_code == 200
    stored = session.get(User, user.id)
    users.set_password(stored, "a-brand-new-password")
    session.commit()
    assert client.get("/activities/").status_code == 302


def test_a_disabled_user_is_signed_out_at_the_next_request(client, make_user, login, session):
    user = make_user()
    login()
    stored = session.get(User, user.id)
    stored.is_active = False
    session.commit()
    assert client.get("/activities/").status_code == 302


def test_sessions_end_after_the_absolute_limit(app, client, make_user, login):
    make_user()
    login()
    assert client.get("/activities/").status_code == 200
    with client.session_transaction() as cookie_session:
        cookie_session["signed_in_at"] -= app.config["SESSION_MAX_SECONDS"] + 1
    expired = client.get("/activities/")
    assert expired.status_code == 302 and expired.headers["Location"].startswith("/login")


def test_the_session_cookie_is_secure_over_https(client, make_user):
    make_user()
    plain = client.post("/login", data={"email": "staff@example.org", "password": PASSWORD})
    assert "Secure" not in plain.headers["Set-Cookie"]
    secure = client.post(
        "/login",
        data={"email": "staff@example.org", "password": PASSWORD},
        base_url="https://localhost",
    )
    assert "Secure" in secure.headers["Set-Cookie"]
    assert "max-age" in secure.headers["Strict-Transport-Security"]


def test_signing_out_ends_the_session_for_a_copy_of_its_cookie(app, client, make_user, login):
    make_user()
    login()
    saved = client.get_cookie("session").value  # what an attacker copied before sign-out
    assert client.post("/logout").status_code == 303
    thief = app.test_client()
    thief.set_cookie("session", saved)
    page = thief.get("/activities/")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    change = thief.post("/activities/new", data={"title": "Forged", "format": "Live Course"})
    assert change.status_code == 302


def test_signing_out_in_one_browser_leaves_the_others_signed_in(app, client, make_user, login):
    make_user()
    login()
    other = app.test_client()
    other.post("/login", data={"email": "staff@example.org", "password": PASSWORD})
    client.post("/logout")
    assert other.get("/activities/").status_code == 200
    assert client.get("/activities/").status_code == 302
