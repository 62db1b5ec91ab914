"""Fixtures: an app on a fresh migrated database per test, users, activities and a live server."""

import shutil
import threading
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import Session
from werkzeug.serving import make_server

from pars import create_app
from pars.accounts import users as accounts
from pars.core import tasks
from pars.core.db import make_engine, upgrade
from pars.models import Activity
from pars.vocab import Role
from tests.factories import PASSWORD, POSTGRES_URL, TODAY, saved_activity

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# Tests that mostly wait on processes of their own (the date-edge runs, the crash and load
# runs) start first: under `pytest -n 2` their waiting then overlaps the rest of the suite
# rather than trailing after it.
STARTED_FIRST = ("tests/core/test_date_edges.py", "tests/system/test_crash.py")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not item.nodeid.startswith(STARTED_FIRST))


# Set by `make test-postgres` (scripts/with-postgres): run every test on PostgreSQL instead.


class Databases:
    """Fresh databases at the latest migration, one per test: SQLite copies of a migrated
    file, or PostgreSQL databases cloned from a migrated template database."""

    def __init__(self, workdir: Path):
        self.workdir, self.made = workdir, []
        if POSTGRES_URL:
            self.admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
            # One template per test session, so sessions may run side by side (test_date_edges).
            self.template_name = f"pars_template_{uuid.uuid4().hex[:8]}"
            self._create(self.template_name, template=None)
            engine = make_engine(self._url(self.template_name))
            upgrade(engine)
            engine.dispose()
        else:
            self.template = workdir / "template.db"
            engine = make_engine(f"sqlite:///{self.template}")
            upgrade(engine)
            engine.dispose()  # closes the last connection, which folds the WAL into the file

    def _url(self, name: str) -> str:
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    def _create(self, name: str, template: str | None) -> None:
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            suffix = f' TEMPLATE "{template}"' if template else ""
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"{suffix}')

    def fresh(self, where: Path) -> str:
        if not POSTGRES_URL:
            shutil.copy(self.template, where / "test.db")
            return f"sqlite:///{where / 'test.db'}"
        name = f"pars_test_{uuid.uuid4().hex[:12]}"
        self._create(name, template=self.template_name)
        self.made.append(name)
        return self._url(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        if POSTGRES_URL and name in self.made:
            with self.admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.made.remove(name)


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    made = Databases(tmp_path_factory.mktemp("template"))
    yield made
    if POSTGRES_URL:
        with made.admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{made.template_name}"')
        made.admin.dispose()


def make_test_app(url: str, **config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": url,
            "TODAY": TODAY,
            "TASKS_IMMEDIATE": True,  # a queued task runs at once, in the request
            **config,
        }
    )


@pytest.fixture
def database_url(databases, tmp_path):
    url = databases.fresh(tmp_path)
    yield url
    databases.drop(url)


@pytest.fixture
def app(database_url, tmp_path):
    app = make_test_app(database_url, UPLOAD_PROGRESS_DIR=str(tmp_path / "jobs"))
    yield app
    app.extensions["pars_engine"].dispose()


@pytest.fixture
def today():
    """The test date: what every app the tests start takes as today (tests.factories.TODAY)."""
    return TODAY


@pytest.fixture
def now():
    """The real instant, for rules that compare with the app's own clock of instants (login
    limits, session ages); dates never come from here."""
    return datetime.now(UTC)


@pytest.fixture
def client(app):
    return app.test_client()


def open_session(app) -> Session:
    """A session of the test's own: not on ``g``, so no app context stays pushed and every
    client request gets a fresh ``g`` as it would in production."""
    return Session(app.extensions["pars_engine"], expire_on_commit=False)


@pytest.fixture
def session(app):
    with open_session(app) as db_session:
        yield db_session


@pytest.fixture
def make_user(session) -> Callable:
    def make(email="staff@example.org", *, provider="Lakeside CME", role=Role.EDITOR):
        org = accounts.get_or_create_provider(session, name=provider)
        user = accounts.create_user(
            session, email=email, password=PASSWORD, role=role, provider=org
        )
        session.commit()
        return user

    return make


@pytest.fixture
def login(client) -> Callable:
    def sign_in(email="staff@example.org", password=PASSWORD):
        return client.post("/login", data={"email": email, "password": password})

    return sign_in


@pytest.fixture
def editor(make_user, login):
    """An editor of "Lakeside CME", signed in with the test client."""
    user = make_user(role=Role.EDITOR)
    login()
    return user


@pytest.fixture
def admin(make_user, login):
    """An administrator of "Lakeside CME", signed in with the test client."""
    user = make_user(role=Role.ADMIN)
    login()
    return user


@pytest.fixture
def admin_client(client, admin):
    return client


@pytest.fixture
def make_activity(session) -> Callable:
    """A saved activity of the given provider; by default complete enough to be Active."""

    def make(provider_id: int, **overrides) -> Activity:
        activity = saved_activity(session, provider_id, **overrides)
        session.commit()
        return activity

    return make


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a browser build Playwright would download."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def live_app(database_url, tmp_path):
    """The real app, CSRF on, on a free local port with its own fresh database, and a real
    background worker on its own queue (as `make run` starts one)."""
    app = make_test_app(
        database_url,
        WTF_CSRF_ENABLED=True,
        UPLOAD_PROGRESS_DIR=str(tmp_path / "jobs"),
        TASKS_IMMEDIATE=False,
        TASK_QUEUE_URL=f"sqlite:///{tmp_path / 'tasks.db'}",
    )
    worker = tasks.consumer(app, workers=2)
    worker._set_signal_handlers = lambda: None  # pytest keeps its own signal handlers
    worker.start()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    thread.join()
    worker.stop(graceful=True)
    app.extensions["pars_engine"].dispose()


@pytest.fixture
def live_session(live_app):
    with open_session(live_app) as db_session:
        yield db_session


@pytest.fixture
def browser_user(page, live_app, live_session):
    """An admin of "Lakeside CME", signed in through the real login page; gives the base URL
    and the provider (activities can be added through ``live_session`` afterwards)."""
    from playwright.sync_api import expect

    provider = accounts.get_or_create_provider(live_session, name="Lakeside CME")
    accounts.create_user(
        live_session, email="a@example.org", password=PASSWORD, role=Role.ADMIN, provider=provider
    )
    live_session.commit()
    base = live_app.config["LIVE_URL"]
    page.goto(base + "/login")
    page.get_by_label("Email").fill("a@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base + "/")  # the dashboard
    return base, provider


@contextmanager
def capture_mail(app):
    """A real SMTP server on a free local port (aiosmtpd), set as the app's SMTP_URL; gives
    the list the messages it receives are parsed into."""
    import email
    import socket

    from aiosmtpd.controller import Controller

    received: list = []

    class Keep:
        async def handle_DATA(self, server, session, envelope):
            received.append(email.message_from_bytes(envelope.original_content))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    try:
        yield received
    finally:
        controller.stop()
        app.config["SMTP_URL"] = ""


@pytest.fixture
def smtp_server(app):
    with capture_mail(app) as received:
        yield received


@pytest.fixture
def live_smtp(live_app):
    with capture_mail(live_app) as received:
        yield received
