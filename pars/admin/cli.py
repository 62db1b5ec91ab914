"""Command-line administration: users, demo data, statuses, backups (`flask --app app ...`)."""

import logging
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from pars.accounts import tokens
from pars.accounts import users as accounts
from pars.activities import operations
from pars.admin import backup, bench_seed, demo
from pars.core import clock, tasks
from pars.core.db import get_session
from pars.vocab import Role


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--provider", "provider_name", required=True, help="Provider name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.EDITOR.value)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(email: str, provider_name: str, role: str, password: str) -> None:
    """Create a user (and the provider when it does not exist yet)."""
    session = get_session()
    if accounts.find_user(session, email):
        raise click.ClickException(f"A user with the email {email} already exists.")
    provider = accounts.get_or_create_provider(session, name=provider_name)
    try:
        accounts.create_user(
            session, email=email, password=password, role=Role(role), provider=provider
        )
        session.commit()
    except accounts.PasswordRejected as rejected:
        session.rollback()
        raise click.ClickException(f"Password not accepted: {rejected}") from None
    except IntegrityError as exc:
        session.rollback()
        raise click.ClickException(f"Could not create the user: {exc.orig}") from None
    click.echo(f"Created {role} {accounts.normalize_email(email)} for {provider.name}.")


@click.command("set-password")
@with_appcontext
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password_command(email: str, password: str) -> None:
    """Set a user's password (for an administrator locked out); ends their sessions."""
    session = get_session()
    user = accounts.find_user(session, email)
    if user is None:
        raise click.ClickException(f"There is no user with the email {email}.")
    try:
        accounts.set_password(user, password)
    except accounts.PasswordRejected as rejected:
        raise click.ClickException(f"Password not accepted: {rejected}") from None
    session.commit()
    click.echo(f"Password set for {user.email}; their other sessions have ended.")


@click.command("demo")
@with_appcontext
@click.option("--logins-only", is_flag=True, help="Only print the demo logins.")
def demo_command(logins_only: bool) -> None:
    """Load the demo providers, users and activities (once) and print the demo logins."""
    logins = demo.DEMO_LOGINS
    if not logins_only:
        session = get_session()
        if not demo.load_demo(session, today=clock.today()):
            click.echo("Demo data is already loaded.")
        session.commit()
    for login in logins:
        click.echo(f"Demo login ({login.provider}, {login.role}): {login.email} / {login.password}")
    click.echo("Public catalog (no login): /catalog")


@click.command("refresh-statuses")
@with_appcontext
def refresh_statuses_command() -> None:
    """Recompute every open activity's stored stage and blockers from its record (after a
    change of the rules; the calendar needs no job: Ready to Close is worked out when read)."""
    session = get_session()
    changed = operations.refresh_all_statuses(session)
    session.commit()
    click.echo(f"Statuses refreshed: {changed} changed.")


@click.command("seed-bench")
@click.option("--activities", default=100_000, show_default=True, type=click.IntRange(1))
@with_appcontext
def seed_bench_command(activities: int) -> None:
    """Add many activities to a benchmark provider, fast (for `make bench`)."""
    session = get_session()
    bench_seed.seed(session, activities=activities, today=clock.today())
    session.commit()
    email, password = bench_seed.BENCH_LOGIN
    click.echo(
        f"Seeded {activities:,} activities for {bench_seed.BENCH_PROVIDER} "
        f"(login {email} / {password})."
    )


@click.command("create-token")
@with_appcontext
@click.argument("email")
@click.option("--name", default="Command line", help="What the token is for.")
def create_token_command(email: str, name: str) -> None:
    """Make an API token acting as the user EMAIL; it is printed once."""
    session = get_session()
    user = accounts.find_user(session, email)
    if user is None or not user.is_active:
        raise click.ClickException(f"There is no active user with the email {email}.")
    token = tokens.create(session, user, name)
    session.commit()
    click.echo(token)


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def backup_command(path: Path, force: bool) -> None:
    """Write a consistent backup of the whole database to PATH (while the app runs)."""
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists already; choose another name or --force.")
    path.unlink(missing_ok=True)
    try:
        backup.backup(current_app.config["DATABASE_URL"], path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {path} ({path.stat().st_size:,} bytes).")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace every row of the database with the backup in PATH (stop the app first)."""
    if not yes:
        click.confirm(f"This replaces ALL data in the database with {path}. Continue?", abort=True)
    current_app.extensions["pars_engine"].dispose()  # no pooled connection keeps old pages
    try:
        backup.restore(current_app.config["DATABASE_URL"], path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored the database from {path}.")


@click.command("worker")
@click.option("--workers", type=int, default=None, help="Tasks at once (UPLOAD_WORKERS).")
@with_appcontext
def worker_command(workers: int | None) -> None:
    """Run the background worker: large uploads and the daily tasks (file retention). Run it
    beside the web server, with the same settings; Ctrl+C or SIGTERM stops it."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    count = workers or app.config["UPLOAD_WORKERS"]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(message)s")
    where = app.config["TASK_QUEUE_URL"] or "tasks.db in the instance folder"
    click.echo(f"Background worker: {count} task(s) at once; queue: {where}")
    tasks.consumer(app, workers=count).run()


def init_app(app: Flask) -> None:
    app.cli.add_command(worker_command)
    app.cli.add_command(create_token_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(set_password_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(refresh_statuses_command)
    app.cli.add_command(seed_bench_command)
