"""Sign-in hardening: rate limits, password rules, sessions that end, cookies over HTTPS."""

from datetime import timedelta

import pytest
from sqlmodel import select

from pars.accounts import login_limits, users
from pars.models import SignIn, User
from tests.factories import PASSWORD, race


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


def test_attempts_older_than_a_minute_no_longer_count(session, now):
    long_ago = now - timedelta(minutes=2)
    for _ in range(5):
        login_limits.begin(session, email="a@x.org", address="1.2.3.4", now=long_ago)
    session.commit()
    args = dict(email="a@x.org", address="1.2.3.4", known_address=False)
    assert login_limits.refusal(session, **args) is None
    login_limits.begin(session, email="a@x.org", address="1.2.3.4", now=long_ago)
    within = long_ago + timedelta(seconds=30)
    assert login_limits.refusal(session, **args, now=within) == login_limits.ADDRESS_PAUSED


def test_thirty_guesses_at_once_check_at_most_five_passwords(app, make_user):
    """Each attempt is written before its password is checked, then counted with itself:
    only the first five written ever reach the password check."""
    make_user()
    guess = {"email": "staff@example.org", "password": "not-the-password"}
    codes = race(*[lambda: app.test_client().post("/login", data=guess).status_code] * 30)
    assert codes.count(401) <= login_limits.LIMIT and codes.count(401) >= 1
    assert set(codes) <= {401, 429}


def test_guesses_at_an_account_do_not_lock_out_its_owner_at_a_known_address(
    app, client, make_user, session
):
    make_user()
    owner = {"email": "staff@example.org", "password": PASSWORD}
    assert client.post("/login", data=owner).status_code == 303  # from 127.0.0.1
    client.post("/logout")
    attacker = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(5):
        wrong = {"email": "staff@example.org", "password": "guess"}
        assert client.post("/login", data=wrong, environ_base=attacker).status_code == 401
    # The attacker's address and any new address are paused for this account, and told why ...
    again = client.post("/login", data=owner, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert again.status_code == 429 and b"Its sign-in is paused" in again.data
    # ... while the owner, from where they signed in before, gets in with the right password.
    assert client.post("/login", data=owner).status_code == 303


def test_sign_ins_older_than_half_a_year_are_removed(client, make_user, session, now):
    user = make_user()
    session.add(SignIn(user_id=user.id, key_hash="0" * 64, started_at=now - timedelta(days=200)))
    session.commit()
    client.post("/login", data={"email": "staff@example.org", "password": PASSWORD})
    session.expire_all()
    kept = session.exec(select(SignIn).where(SignIn.user_id == user.id)).all()
    assert [s.key_hash for s in kept] != ["0" * 64] and "0" * 64 not in {s.key_hash for s in kept}


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


def test_a_visitor_who_never_signed_in_keeps_one_session_cookie(client):
    """A visitor's session (its CSRF token) is written once, not again on every page."""
    first = client.get("/login")
    assert any(c.startswith("session=") for c in first.headers.getlist("Set-Cookie"))
    for _ in range(2):
        assert client.get("/login").headers.getlist("Set-Cookie") == []
