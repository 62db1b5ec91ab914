"""Issues 6 and 16 benchmark: the API's activity list.

Workload: one provider with 100,000 activities (SQLite file, WAL); GET /api/v1/activities with
a bearer token through the Flask test client: the first pages, later pages, and filters (year,
status, format, search), 25 per page with every child row. Target from issue 16: p50 <= 10 ms,
p95 <= 25 ms (issue 6 asked p50 <= 20 ms). Floor printed beside it: each page's SELECTs sent
bare through sqlite3 on the same file (no ORM, no JSON).
"""

import random

from sqlmodel import select

from bench.common import (
    bare_page_times,
    bench_app,
    ratio_line,
    seeded_database,
    summary,
    timed,
)
from pars.accounts import tokens
from pars.core.db import get_session
from pars.models import User

QUERIES = [
    "",
    "status=Active",
    "status=Ready+to+Close",
    "status=not-closed",
    "format=Live+Course",
    "year=2022",
    "q=cardiology",
    "year=2024&format=Enduring+Material",
]


def run() -> None:
    print(__doc__.strip().splitlines()[0])
    path = seeded_database(100_000)
    app = bench_app(path)
    with app.app_context():
        session = get_session()
        token = tokens.create(session, session.exec(select(User)).first(), "bench")
        session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    rng = random.Random(3)
    urls = [f"/api/v1/activities?page={p}&{q}" for q in QUERIES for p in (1, 2, rng.randint(3, 40))]
    ok = lambda response: response.status_code == 200  # noqa: E731
    for url in urls:
        client.get(url)  # warm
    samples = [timed(lambda u=u: client.get(u), check=ok) for u in urls * 3]
    print(summary("API list page (8 filters x 3 pages, 25 each)", samples, 10, 25))
    floors = bare_page_times(app, path, client, urls, rounds=3)
    print(summary("  its SELECTs, bare sqlite3", floors))
    print(ratio_line(samples, floors))
