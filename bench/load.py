"""Issue 8 load test: the app under gunicorn on SQLite, 16 clients for 60 seconds.

Workload: gunicorn with 2 sync workers on 127.0.0.1 (loopback only), a fresh SQLite file
(WAL, busy timeout) holding 2,000 activities; 16 client threads signed in as one provider,
each looping over a mixed workload until the time is up: list pages (30%), search (20%),
Update Learners open + save (30%, on 20 shared activities, each save adding one physician
learner with the version it read, retrying on a conflict), two writers racing on the same 20
activities (10%: wizard step 3 and an API PATCH, each replacing the joint provider and the
outcome on the version it read), add an activity (5%), download the Active activities (5%).
Reports requests/s, p50/p95/p99 and errors, then checks that each shared activity holds exactly
its starting total plus the saves that succeeded (no lost update) and at most one joint
provider and one outcome (no doubled child row). Targets from the issues (8, 14): 0 errors,
0 lost updates, 0 doubled child rows, p99 <= 250 ms.
Run: `make load` (or `python -m bench.load [SECONDS]`); it stops by itself.
"""

import http.cookiejar
import json
import os
import random
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
from collections import Counter
from datetime import date, timedelta

from sqlmodel import Session, func, select

from bench.common import OUT, empty_database
from pars.accounts import tokens
from pars.admin.bench_seed import BENCH_LOGIN, seed
from pars.core.db import make_engine
from pars.models import Activity, JointProvider, OutcomeRow, User

CLIENTS, ACTIVITIES, SHARED, WORKERS = 16, 2_000, 20, 2
SAVED_LOCK = threading.Lock()
WORDS = ["cardiology", "sepsis", "tumor", "heart", "quality", "ethics", "stroke", "kidney"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One signed-in browser: cookies, the CSRF token, and every request's time and status."""

    def __init__(self, base: str, log: list):
        self.base, self.log, self.token = base, log, ""
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, path: str, form: dict | None = None, name: str = "") -> tuple[int, str]:
        data = (
            urllib.parse.urlencode(form | {"csrf_token": self.token}, doseq=True).encode()
            if form is not None
            else None
        )
        return self.send(urllib.request.Request(self.base + path, data=data), name)

    def api(self, method: str, path: str, token: str, body=None, name: str = ""):
        """A JSON call with the bearer token (no CSRF: an API client)."""
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        return self.send(request, name)

    def send(self, request: urllib.request.Request, name: str) -> tuple[int, str]:
        """Send, time and log one request; its status (0 for no answer) and text."""
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as answer:
            status, body = answer.code, answer.read()
        except OSError as error:
            status, body = 0, str(error).encode()
        self.log.append((name, status, (time.perf_counter() - started) * 1000))
        text = body.decode(errors="replace")
        if token := re.search(r'"X-CSRFToken": "([^"]+)"', text):
            self.token = token.group(1)
        return status, text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_database():
    path = empty_database("load.db")
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        seed(session, activities=ACTIVITIES, today=date.today())
        session.commit()
        shared = session.exec(
            select(Activity).where(Activity.closed_at.is_(None)).order_by(Activity.id).limit(SHARED)
        ).all()
        start = {a.id: (a.physician_learners or 0, a.other_learners or 0) for a in shared}
        user = session.exec(select(User).where(User.email == BENCH_LOGIN[0])).one()
        token = tokens.create(session, user, "load test")
        session.commit()
    return path, engine, start, token


def start_gunicorn(path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{path}",
        "SECRET_KEY": "l" * 40,
        "PARS_INSTANCE_PATH": str(OUT),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "app:app",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/login", timeout=2).read()
            return server, base
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def update_learners(client: Client, rng: random.Random, shared: list[int], saved: Counter):
    """Open the dialog, save one more physician learner on the version read; on a conflict,
    read again and retry, as a person would after the conflict message."""
    activity_id = rng.choice(shared)
    for _ in range(20):
        status, body = client.request(f"/activities/{activity_id}/learner-counts", name="open")
        version = re.search(r'name="version" type="hidden" value="(\d+)"', body)
        physician = re.search(r'name="physician_learners"[^>]*value="(\d*)"', body)
        other = re.search(r'name="other_learners"[^>]*value="(\d*)"', body)
        if status != 200 or not (version and physician and other):
            return
        status, _ = client.request(
            f"/activities/{activity_id}/learner-counts",
            {
                "physician_learners": int(physician.group(1) or 0) + 1,
                "other_learners": other.group(1) or 0,
                "version": version.group(1),
            },
            name="save",
        )
        if status == 200:
            with SAVED_LOCK:  # += on a Counter is not atomic across threads
                saved[activity_id] += 1
            return
        if status != 409:
            return


def edit_in_wizard(client: Client, rng: random.Random, shared: list[int]) -> None:
    """Step 3 of the wizard saved on the version its page was opened at (409 if it lost)."""
    activity_id = rng.choice(shared)
    status, body = client.request(f"/activities/{activity_id}/steps/3", name="open step")
    version = re.search(r'name="version" type="hidden" value="(\d+)"', body)
    if status != 200 or not version:
        return
    client.request(
        f"/activities/{activity_id}/steps/3",
        {
            "version": version.group(1),
            "internal_id": "",
            "providership": "Joint",
            "joint_providers-0": f"Wizard Society {rng.randint(1, 999)}",
            "outcomes": "Learner Competence",
            "measures": "Learner Competence|Objective",
            "commercial_support": "no",
            "commendation": "no",
        },
        name="wizard save",
    )


def edit_by_api(client: Client, token: str, rng: random.Random, shared: list[int]) -> None:
    """An API client's PATCH on the version it read (409 if another save came first)."""
    activity_id = rng.choice(shared)
    status, body = client.api("GET", f"/api/v1/activities/{activity_id}", token, name="api read")
    version = re.search(r'"version":\s*(\d+)', body)
    if status != 200 or not version:
        return
    change = {
        "version": int(version.group(1)),
        "providership": "Joint",
        "joint_providers": [f"API Society {rng.randint(1, 999)}"],
        "outcomes": [{"outcome": "Learner Knowledge", "objective": True, "subjective": False}],
    }
    client.api("PATCH", f"/api/v1/activities/{activity_id}", token, change, name="api save")


def new_activity(client: Client, rng: random.Random) -> None:
    day = (date.today() + timedelta(days=rng.randint(5, 90))).isoformat()
    client.request(
        "/activities/new",
        {
            "title": f"Load test course {rng.randint(1, 10**9)}",
            "format": "Live Course",
            "delivery_methods": ["In-Person"],
            "repeats": "no",
            "start_date": day,
            "end_date": day,
            "country": "USA",
            "city": "Chicago",
            "state": "IL",
            "postal_code": "60611",
            "action": "continue",
        },
        name="add",
    )


def run_client(
    base: str,
    seed_number: int,
    until: float,
    shared: list[int],
    log: list,
    saved: Counter,
    token: str,
) -> None:
    rng, client = random.Random(seed_number), Client(base, log)
    client.request("/login", name="login page")
    email, password = BENCH_LOGIN
    client.request("/login", {"email": email, "password": password}, name="sign in")
    client.request("/activities/", name="list")
    while time.perf_counter() < until:
        roll = rng.random()
        if roll < 0.30:
            sort = rng.choice(["recent", "start", "end", "title", "status"])
            client.request(f"/activities/?sort={sort}&page={rng.randint(1, 40)}", name="list")
        elif roll < 0.50:
            client.request(f"/activities/?q={rng.choice(WORDS)}", name="search")
        elif roll < 0.80:
            update_learners(client, rng, shared, saved)
        elif roll < 0.85:
            edit_in_wizard(client, rng, shared)
        elif roll < 0.90:
            edit_by_api(client, token, rng, shared)
        elif roll < 0.95:
            new_activity(client, rng)
        else:
            client.request("/activities/download?status=Active", name="download")


def report(log: list, seconds: float) -> int:
    """Print the figures; the number of errors (5xx, failed connections, unexpected codes)."""
    expected = {
        "save": {200, 409},
        "add": {303},
        "sign in": {303},
        "wizard save": {303, 409},
        "api save": {200, 409},
    }
    errors = [(n, s) for n, s, _ in log if s not in expected.get(n, {200})]
    times = sorted(ms for _, _, ms in log)
    pick = lambda q: times[min(len(times) - 1, int(len(times) * q))]  # noqa: E731
    print(f"  {len(log):,} requests in {seconds:.0f} s: {len(log) / seconds:.1f} requests/s")
    print(
        f"  latency p50 {pick(0.50):.1f} ms  p95 {pick(0.95):.1f} ms  p99 {pick(0.99):.1f} ms"
        f"  target p99 <= 250 ms: {'met' if pick(0.99) <= 250 else 'NOT met'}"
    )
    by_name = Counter(n for n, _, _ in log)
    print("  mix: " + ", ".join(f"{name} {count:,}" for name, count in by_name.most_common()))
    conflicts = sum(1 for n, s, _ in log if n == "save" and s == 409)
    print(f"  version conflicts answered 409 and retried: {conflicts:,}")
    outcomes = Counter((n, s) for n, s, _ in log if n in ("wizard save", "api save"))
    print(
        "  racing writers: "
        + ", ".join(
            f"{name} {status}: {count:,}" for (name, status), count in sorted(outcomes.items())
        )
    )
    print(f"  errors: {len(errors)}" + (f" {Counter(errors).most_common(5)}" if errors else ""))
    return len(errors)


def lost_updates(engine, start: dict, saved: Counter) -> int:
    with Session(engine) as session:
        lost = 0
        for activity_id, (physician, _) in start.items():
            stored = session.get(Activity, activity_id).physician_learners or 0
            lost += abs(physician + saved[activity_id] - stored)
    print(f"  learner saves that succeeded: {sum(saved.values()):,}; lost updates: {lost}")
    return lost


def doubled_rows(engine, shared: list[int]) -> int:
    """Child rows beyond the one each save of the racing writers leaves."""
    with Session(engine) as session:
        doubled = 0
        for model in (JointProvider, OutcomeRow):
            counts = session.exec(
                select(func.count())
                .select_from(model)
                .where(model.activity_id.in_(shared))
                .group_by(model.activity_id)
            ).all()
            doubled += sum(max(count - 1, 0) for count in counts)
    print(f"  doubled child rows (joint providers, outcomes): {doubled}")
    return doubled


def run(seconds: float = 60.0) -> int:
    print(__doc__.strip().splitlines()[0])
    OUT.mkdir(exist_ok=True)
    path, engine, start, token = fresh_database()
    server, base = start_gunicorn(path)
    log, saved = [], Counter()
    try:
        until = time.perf_counter() + seconds
        threads = [
            threading.Thread(
                target=run_client, args=(base, n, until, list(start), log, saved, token)
            )
            for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    errors = report(log, seconds)
    lost = lost_updates(engine, start, saved)
    doubled = doubled_rows(engine, list(start))
    verdict = "met" if not (errors or lost or doubled) else "NOT met"
    print(f"  target 0 errors, 0 lost updates and 0 doubled child rows: {verdict}")
    return 1 if errors or lost or doubled else 0


if __name__ == "__main__":
    sys.exit(run(float(sys.argv[1]) if len(sys.argv) > 1 else 60.0))
