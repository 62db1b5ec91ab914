"""Fixtures: an app on a fresh migrated database per test, users, activities and a live server."""

import re
import shutil
import threading
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlmodel import Session
from werkzeug.serving import make_server

from pars import accounts, create_app, operations
from pars.db import make_engine, upgrade
from pars.models import Activity, DeliveryMethodRow, OutcomeRow
from pars.vocab import ActivityFormat, DeliveryMethod, Providership, Role

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory) -> str:
    """A database file brought to the latest migration once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # closes the last connection, which folds the WAL into the file
    return str(path)


def make_test_app(db_path: str, **config):
    return create_app(
        {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
         "DATABASE_URL": f"sqlite:///{db_path}", **config}
    )  # fmt: skip


@pytest.fixture
def app(migrated_db, tmp_path):
    db_path = tmp_path / "test.db"
    shutil.copy(migrated_db, db_path)
    app = make_test_app(str(db_path))
    yield app
    app.extensions["pars_engine"].dispose()


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
def make_activity(session) -> Callable:
    """A saved activity of the given provider; by default complete enough to be Active."""

    def make(provider_id: int, **overrides) -> Activity:
        start = date.today() + timedelta(days=10)
        fields = dict(
            provider_id=provider_id, title="Grand Rounds: Heart Failure",
            format=ActivityFormat.LIVE_COURSE.value, start_date=start, end_date=start,
            country="USA", city="Chicago", state="IL", postal_code="60611", ama_credits=1.0,
            in_cme_passport=False, description="Updates in heart failure care.",
            providership=Providership.DIRECT.value,
            delivery_methods=[DeliveryMethodRow(method=DeliveryMethod.IN_PERSON)],
            outcomes=[OutcomeRow(outcome="Learner Competence", objective=True)],
        )  # fmt: skip
        activity = Activity(**(fields | overrides))
        operations.save_activity(session, activity, today=date.today())
        session.commit()
        return activity

    return make


def csrf_token_from(html: str) -> str:
    match = re.search(r'"X-CSRFToken": "([^"]+)"', html)
    assert match, "page carries no CSRF token in hx-headers"
    return match.group(1)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a browser build Playwright would download."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": CHROMIUM_ARGS}  # fmt: skip


@pytest.fixture
def live_app(migrated_db, tmp_path):
    """The real app, CSRF on, on a free local port with its own fresh database."""
    db_path = tmp_path / "live.db"
    shutil.copy(migrated_db, db_path)
    app = make_test_app(str(db_path), WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    thread.join()
    app.extensions["pars_engine"].dispose()


@pytest.fixture
def live_session(live_app):
    with open_session(live_app) as db_session:
        yield db_session
