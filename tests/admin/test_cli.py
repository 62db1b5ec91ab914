"""Command-line administration: init-db, create-user and demo."""

from sqlmodel import func, select

from pars.core.db import get_session
from pars.models import Activity, Provider, User
from pars.vocab import Status
from tests.factories import TODAY


def test_init_db_is_idempotent(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "latest migration" in result.output


def test_create_user_makes_the_provider_and_hashes_the_password(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "Admin@Example.org",
            "--provider",
            "Northside CME",
            "--role",
            "admin",
            "--password",
            "a-long-password",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = get_session().exec(select(User)).one()
        assert user.email == "admin@example.org" and user.role == "admin"
        assert user.password_hash.startswith("scrypt:")
        assert "a-long-password" not in user.password_hash


def test_create_user_refuses_a_duplicate_email(app):
    args = ["create-user", "a@example.org", "--provider", "P", "--password", "pw-123456789"]
    runner = app.test_cli_runner()
    assert runner.invoke(args=args).exit_code == 0
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and "already exists" in result.output


def test_create_user_prompts_for_the_password_and_applies_the_rules(app):
    runner = app.test_cli_runner()
    short = runner.invoke(
        args=["create-user", "p@example.org", "--provider", "P"], input="pw-abcdefgh\npw-abcdefgh\n"
    )
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    result = runner.invoke(
        args=["create-user", "p@example.org", "--provider", "P"],
        input="pw-abcdefgh-12\npw-abcdefgh-12\n",
    )
    assert result.exit_code == 0, result.output


def test_set_password_for_a_locked_out_admin(app):
    runner = app.test_cli_runner()
    runner.invoke(
        args=["create-user", "p@example.org", "--provider", "P", "--password", "first-password-1"]
    )
    same = runner.invoke(args=["set-password", "p@example.org", "--password", "p@example.org"])
    assert same.exit_code != 0 and "email address" in same.output
    done = runner.invoke(args=["set-password", "p@example.org", "--password", "second-password"])
    assert done.exit_code == 0 and "sessions have ended" in done.output
    assert (
        runner.invoke(args=["set-password", "x@example.org", "--password", "x" * 12]).exit_code != 0
    )


def test_demo_loads_two_providers_all_statuses_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert "demo@example.org / demo-password" in first.output
    assert "already loaded" in runner.invoke(args=["demo"]).output
    with app.app_context():
        session = get_session()
        assert session.exec(select(func.count()).select_from(Provider)).one() == 2
        demo_provider = session.exec(select(Provider).order_by(Provider.id)).first()
        rows = session.exec(select(Activity).where(Activity.provider_id == demo_provider.id)).all()
    assert len(rows) == 60
    assert {r.status_on(TODAY) for r in rows} == {s.value for s in Status}
    assert {r.format for r in rows} >= {
        "Live Course",
        "Regularly Scheduled Series",
        "Enduring Material",
        "Journal CME/CE",
    }
    assert any(r.providership == "Joint" for r in rows)
    assert any(r.commercial_support for r in rows)
    assert any(r.physician_learners for r in rows)
    # Coherent: a title's year is the year the activity starts (no "2024 update" in 2026).
    assert all(r.title.endswith(str(r.start_date.year)) for r in rows)
