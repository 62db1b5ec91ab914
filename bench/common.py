"""What the benchmarks share: a seeded database file, a signed-in client, and timing."""

import os
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import event

from pars import create_app
from pars.admin.bench_seed import BENCH_LOGIN, seed
from pars.core.db import get_session, make_engine, upgrade

OUT = Path(__file__).parent / "out"


def seeded_database(activities: int) -> Path:
    """A migrated SQLite file holding ``activities`` bench activities, built once and kept
    under bench/out/ (delete it to rebuild)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"bench-{activities}.db"
    if path.exists():
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)  # a file kept from an earlier build: bring its schema up to date
        engine.dispose()
        return path
    scratch = path.with_suffix(".building")
    scratch.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{scratch}")
    upgrade(engine)
    engine.dispose()
    app = bench_app(scratch)
    started = time.perf_counter()
    with app.app_context():
        session = get_session()
        seed(session, activities=activities, today=date.today())
        session.commit()
    app.extensions["pars_engine"].dispose()
    print(f"  (seeded {activities:,} activities in {time.perf_counter() - started:.1f} s)")
    shutil.move(scratch, path)
    return path


def empty_database(name: str) -> Path:
    """A new migrated SQLite file under bench/out/ (an older one of that name removed)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / name
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def bench_app(db_path: Path):
    os.environ.setdefault("PARS_INSTANCE_PATH", str(OUT))
    return create_app(
        {"SECRET_KEY": "b" * 40, "DATABASE_URL": f"sqlite:///{db_path}", "WTF_CSRF_ENABLED": False}
    )


def signed_in_client(app):
    client = app.test_client()
    email, password = BENCH_LOGIN
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 303, "bench login failed"
    return client


def timed(call: Callable[[], object], *, check: Callable[[object], bool] = lambda r: True) -> float:
    """Milliseconds one call takes; the result must pass ``check``."""
    started = time.perf_counter()
    result = call()
    elapsed = (time.perf_counter() - started) * 1000
    assert check(result), f"unexpected result: {result!r:.200}"
    return elapsed


def summary(
    name: str, samples_ms: list[float], target_ms: float | None = None, p95_ms: float | None = None
) -> str:
    ordered = sorted(samples_ms)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    verdict = ""
    if target_ms is not None:
        met = p50 <= target_ms and (p95_ms is None or p95 <= p95_ms)
        wanted = f"p50 <= {target_ms:g} ms" + (f", p95 <= {p95_ms:g} ms" if p95_ms else "")
        verdict = f"  target {wanted}: {'met' if met else 'NOT met'}"
    return f"  {name:<44} n={len(ordered):>4}  p50 {p50:7.2f} ms  p95 {p95:7.2f} ms{verdict}"


def reads_of(app, call: Callable[[], object]) -> list[tuple[str, tuple]]:
    """The SELECT statements (with their parameters, as the driver got them) that ``call``
    sends to the app's database."""
    engine, sent = app.extensions["pars_engine"], []

    def record(_connection, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return sent


def bare_reads(path: Path, reads: list[tuple[str, tuple]]) -> Callable[[], None]:
    """The floor of a page's database work: its SELECTs sent bare through sqlite3 on the same
    file, every row fetched (no ORM, no Flask, no template)."""
    database = sqlite3.connect(path, check_same_thread=False)

    def send() -> None:
        for statement, parameters in reads:
            database.execute(statement, parameters).fetchall()

    return send


def bare_page_times(app, path: Path, client, urls: list[str], *, rounds: int = 1, headers=None):
    """The floor of pages' database work, in ms: each URL's SELECTs recorded once, then sent
    bare through sqlite3 (bare_reads), every URL ``rounds`` times."""
    sends = [
        bare_reads(path, reads_of(app, lambda u=url: client.get(u, headers=headers)))
        for url in urls
    ]
    return [timed(send) for send in sends * rounds]


def ratio_line(ours: list[float], floor: list[float], target: float | None = None) -> str:
    ratio = statistics.median(ours) / statistics.median(floor)
    verdict = ""
    if target:
        verdict = f"  target <= {target:g}x: {'met' if ratio <= target else 'NOT met'}"
    return f"  ratio p50: {ratio:.2f}x the floor{verdict}"
