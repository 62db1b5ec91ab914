"""Crash safety: the server killed (SIGKILL) in the middle of a large import commit leaves the
database exactly as it was before; after a restart the same import runs to the end."""

import http.client
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import text
from sqlmodel import Session, SQLModel, func, select

from pars.formats.learner_xlsx import GUIDANCE, HEADER
from pars.models import LearnerCompletion, Upload
from tests.factories import PASSWORD, TODAY

ROWS = 20_000
ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def learner_file(accme_id: str, start: date) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Learners")
    sheet.append([GUIDANCE])
    sheet.append(list(HEADER))
    for n in range(ROWS):
        last = "".join(chr(97 + (n // 26**i) % 26) for i in range(4)).title()
        sheet.append(
            [
                "Add",
                accme_id,
                f"{start + timedelta(days=n % 3):%m/%d/%Y}",
                "Dana",
                last,
                f"{n % 12 + 1:02d}/{n % 28 + 1:02d}",
                "IL",
                f"L{n}",
                1,
                None,
                None,
                None,
                None,
                None,
                None,
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class Server:
    """The app under waitress in a process of its own and its background worker in another,
    as `make run` starts them."""

    def __init__(self, database_url: str, instance: Path, background_from: int):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = os.environ | {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "c" * 40,
            "PARS_INSTANCE_PATH": str(instance),
            "PARS_TODAY": TODAY.isoformat(),
            "UPLOAD_BACKGROUND_BYTES": str(background_from),
        }
        self.processes = [
            subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for command in (
                [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{self.port}", "app:app"],
                [sys.executable, "-m", "flask", "--app", "app", "worker"],
            )
        ]
        self.base = f"http://127.0.0.1:{self.port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )
        for _ in range(100):
            try:
                self.get("/login")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, form: dict) -> int:
        data = urllib.parse.urlencode(form).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=120) as response:
                return response.status
        except urllib.error.HTTPError as answer:
            return answer.code

    def sign_in(self) -> None:
        token = csrf(self.get("/login"))
        assert (
            self.post(
                "/login", {"csrf_token": token, "email": "staff@example.org", "password": PASSWORD}
            )
            == 303
        )

    def kill(self) -> None:
        """SIGKILL to the server and its worker: no cleanup runs in either."""
        for process in self.processes:
            process.send_signal(signal.SIGKILL)
            process.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 303 is an answer to check, not to follow


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def post_until_killed(server: Server, path: str, form: dict) -> None:
    try:
        server.post(path, form)
    except (OSError, http.client.HTTPException):
        pass  # the server died under the request, as intended


def every_count(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            t.name: session.exec(select(func.count()).select_from(t)).one()
            for t in SQLModel.metadata.sorted_tables
        }


def status_of(engine, upload_id: int) -> str:
    with Session(engine) as session:
        return session.get(Upload, upload_id).status


def wait_until_stored(engine, upload_id: int) -> None:
    for _ in range(600):
        if status_of(engine, upload_id) == "stored":
            return
        time.sleep(0.2)
    raise AssertionError("the background store did not end")


# In the request (a small file), and in a background job (a large one).
@pytest.mark.parametrize("background", [False, True], ids=["in-request", "background"])
def test_a_killed_import_leaves_the_database_as_it_was_and_can_run_again(
    app, database_url, make_user, make_activity, session, tmp_path, background
):
    user = make_user()
    start = TODAY - timedelta(days=30)
    make_activity(
        user.provider_id,
        start_date=start,
        end_date=TODAY,
        format="Enduring Material",
        accme_activity_id="202400009",
        ama_credits=2.0,
        country=None,
        city=None,
        state=None,
        postal_code=None,
    )
    upload = Upload(
        provider_id=user.provider_id,
        user_id=user.id,
        kind="learners",
        filename="big.xlsx",
        data=learner_file("202400009", start),
    )
    session.add(upload)
    session.commit()
    session.close()
    engine = app.extensions["pars_engine"]
    background_from = 0 if background else 10**9

    server = Server(database_url, tmp_path, background_from)
    try:
        server.sign_in()
        before = every_count(engine)  # signed in: its sign-in row is no part of the import
        started = time.perf_counter()
        token = csrf(server.get(f"/uploads/{upload.id}"))  # the preview: the check alone
        checking = time.perf_counter() - started
        if background:  # answered at once; the rows are being stored when the kill comes
            assert server.post(f"/uploads/{upload.id}/commit", {"csrf_token": token}) == 303
            time.sleep(checking / 2)
            assert status_of(engine, upload.id) == "storing", "stored before the kill: more rows"
        else:
            committing = threading.Thread(
                target=post_until_killed,
                daemon=True,
                args=(server, f"/uploads/{upload.id}/commit", {"csrf_token": token}),
            )
            committing.start()
            time.sleep(checking + 0.4)  # past the check, in the middle of storing the rows
            assert committing.is_alive(), "the commit ended before the kill: use more rows"
    finally:
        server.kill()
    engine.dispose()
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert every_count(engine) == before

    server = Server(database_url, tmp_path, background_from)  # restarted: the import runs again
    try:
        server.sign_in()
        page = server.get(f"/uploads/{upload.id}")  # a store cut short goes back to pending
        assert "The server stopped while storing this file; nothing was stored." in page
        assert server.post(f"/uploads/{upload.id}/commit", {"csrf_token": csrf(page)}) == 303
        if background:
            wait_until_stored(engine, upload.id)
    finally:
        server.kill()
    with Session(engine) as check:
        assert check.exec(select(func.count()).select_from(LearnerCompletion)).one() == ROWS
