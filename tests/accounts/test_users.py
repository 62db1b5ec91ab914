"""User management: invite, roles, reset, disable, the last admin; one's own password."""

import re

import pytest
from sqlmodel import select

from pars.models import AuditEntry, User
from pars.vocab import Role
from tests.factories import PASSWORD


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    return user


def user_named(session, email: str) -> User:
    session.expire_all()
    return session.exec(select(User).where(User.email == email)).one()


def test_an_invited_user_signs_in_with_the_temporary_password(client, admin, session, app):
    page = client.post("/users/", data={"email": "New.Person@Example.org", "role": "viewer"})
    assert page.status_code == 201
    password = re.search(rb'data-testid="temporary-password">([^<]+)<', page.data).group(1)
    assert user_named(session, "new.person@example.org").role == "viewer"
    other = app.test_client()
    signed_in = other.post(
        "/login", data={"email": "new.person@example.org", "password": password.decode()}
    )
    assert signed_in.status_code == 303
    again = client.post("/users/", data={"email": "new.person@example.org", "role": "editor"})
    assert again.status_code == 422 and b"one of your users already" in again.data


def test_inviting_another_providers_user_does_not_say_whose_account_it_is(client, admin, make_user):
    make_user("taken@example.org", provider="Other CME")
    page = client.post("/users/", data={"email": "taken@example.org", "role": "editor"})
    assert page.status_code == 422 and b"This address cannot be invited" in page.data
    assert b"exists" not in page.data and b"Other CME" not in page.data


def test_roles_and_access_change_and_are_audited(client, admin, make_user, session):
    editor = make_user("ed@example.org", role=Role.EDITOR)
    client.post(f"/users/{editor.id}/role", data={f"user-{editor.id}-role": "viewer"})
    assert user_named(session, "ed@example.org").role == "viewer"
    client.post(f"/users/{editor.id}/disable")
    assert user_named(session, "ed@example.org").is_active is False
    client.post(f"/users/{editor.id}/enable")
    assert user_named(session, "ed@example.org").is_active is True
    fields = {
        (e.field, e.old_value, e.new_value)
        for e in session.exec(
            select(AuditEntry).where(AuditEntry.entity == "user", AuditEntry.entity_id == editor.id)
        )
    }
    assert ("role", "editor", "viewer") in fields and ("is_active", "Yes", "No") in fields


def test_the_last_admin_cannot_be_demoted_or_disabled(client, admin, make_user, session):
    demote = client.post(f"/users/{admin.id}/role", data={f"user-{admin.id}-role": "editor"})
    assert demote.status_code == 409 and b"last active administrator" in demote.data
    assert client.post(f"/users/{admin.id}/disable").status_code == 409
    assert user_named(session, "admin@example.org").role == "admin"
    make_user("second@example.org", role=Role.ADMIN)
    assert (
        client.post(f"/users/{admin.id}/role", data={f"user-{admin.id}-role": "editor"}).status_code
        == 303
    )


def test_a_reset_password_ends_the_users_sessions(client, admin, make_user, app, session):
    make_user("ed@example.org", role=Role.EDITOR)
    theirs = app.test_client()
    theirs.post("/login", data={"email": "ed@example.org", "password": PASSWORD})
    assert theirs.get("/activities/").status_code == 200
    ed = user_named(session, "ed@example.org")
    page = client.post(f"/users/{ed.id}/reset-password")
    assert page.status_code == 200 and b"temporary-password" in page.data
    assert theirs.get("/activities/").status_code == 302
    secrets = session.exec(select(AuditEntry.new_value).where(AuditEntry.field == "password"))
    assert set(secrets) == {"(changed)"}  # the history never holds a password or its hash


def test_editors_cannot_manage_users(client, make_user, login):
    make_user("ed@example.org", role=Role.EDITOR)
    login("ed@example.org")
    assert client.get("/users/").status_code == 403
    assert (
        client.post("/users/", data={"email": "x@example.org", "role": "admin"}).status_code == 403
    )


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_anyone_changes_their_own_password_with_the_rules(client, make_user, login, role):
    make_user("me@example.org", role=role)
    login("me@example.org")
    wrong = client.post(
        "/account/password", data={"current": "nope", "new": "x" * 12, "confirm": "x" * 12}
    )
    assert wrong.status_code == 422 and b"not your current password" in wrong.data
    short = client.post(
        "/account/password", data={"current": PASSWORD, "new": "short", "confirm": "short"}
    )
    assert short.status_code == 422 and b"at least 12" in short.data
    differ = client.post(
        "/account/password", data={"current": PASSWORD, "new": "x" * 12, "confirm": "y" * 12}
    )
    assert differ.status_code == 422 and b"differ" in differ.data
    done = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": "new-pass-word!", "confirm": "new-pass-word!"},
    )
    assert done.status_code == 303
    assert login("me@example.org", "new-pass-word!").status_code == 303
