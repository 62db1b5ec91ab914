"""Issue 16 benchmark: the activity list, search, Update Learners and the download.

Workload: one provider with 100,000 activities (SQLite file, WAL). Server time is the time the
Flask app takes to answer through its test client (no network). Targets from issue 16: the full
list page p50 <= 8 ms and p95 <= 25 ms over the list URLs (5 sorts x 10 filters x 2-4 pages
each, the first, second, an early and a deep one) at page sizes 10 (the default) and 25; search
as you type p50 <= 10 ms, p95 <= 25 ms; the download of 10,000 activities <= 1.3x openpyxl's
write-only mode writing the same cells with no application code. Update Learners keeps issue 4's
p50 <= 15 ms. Floor printed beside each page figure: the page's SELECTs sent bare through
sqlite3 on the same file (every row fetched; no ORM, Flask or template).
"""

import random
import re
import statistics
import time
from datetime import date
from io import BytesIO
from urllib.parse import quote_plus

from openpyxl import Workbook
from sqlmodel import select

from bench.common import (
    bare_page_times,
    bench_app,
    ratio_line,
    seeded_database,
    signed_in_client,
    summary,
    timed,
)
from pars.activities import downloads
from pars.activities.queries import NOT_CLOSED, SORTS
from pars.core.db import get_session
from pars.formats import activity_xlsx
from pars.models import Activity

ACTIVITIES = 100_000
OK = lambda response: response.status_code == 200  # noqa: E731
HTMX = {"HX-Request": "true"}


FILTERS = [
    "",
    "status=Active",
    "status=Ready+to+Close",
    f"status={NOT_CLOSED}",
    "format=Live+Course",
    "format=Journal+CME/CE",
    "year=2022",
    "moc=yes",
    "year=2024&format=Enduring+Material",
    "status=Closed&moc=no",
]


def list_urls(client, rng: random.Random, size: int) -> list[str]:
    """For each sort and filter: the first two pages, one early and one later page that exist."""
    urls = []
    for flt in FILTERS:
        first = client.get(f"/activities/?per_page={size}&{flt}").data.decode()
        last = int(re.search(r"Page 1 of ([\d,]+)", first).group(1).replace(",", ""))
        for sort in SORTS:
            for page in sorted(
                {1, min(2, last), rng.randint(1, min(40, last)), rng.randint(1, last)}
            ):
                urls.append(f"/activities/?sort={sort}&page={page}&per_page={size}&{flt}")
    return urls


def run() -> None:
    print(__doc__.strip().splitlines()[0])
    path = seeded_database(ACTIVITIES)
    app = bench_app(path)
    client = signed_in_client(app)
    rng = random.Random(1)
    client.get("/activities/")  # warm caches once
    for size in (10, 25):
        urls = list_urls(client, rng, size)
        pages = [timed(lambda u=u: client.get(u), check=OK) for u in urls]
        print(summary(f"list, full page, {size} a page ({len(urls)} URLs)", pages, 8, 25))
        floors = bare_page_times(app, path, client, urls)
        print(summary("  bare SELECTs of the same pages", floors))
        print(ratio_line(pages, floors))
        swaps = [timed(lambda u=u: client.get(u, headers=HTMX), check=OK) for u in urls]
        print(summary(f"list, htmx table swap, {size} a page", swaps, 8, 25))
    deep = [
        timed(lambda p=p: client.get(f"/activities/?page={p}"), check=OK)
        for p in (1000, 2000, 3000, 4000)
    ]
    print(summary("list page, deep pages 1000-4000", deep))
    searches = [
        "card",
        "heart",
        "tumor board",
        "onc upd",
        "B-5",
        "B-99999",
        "12345",
        "grand rounds 77",
        "sepsis",
        "qual",
        "zzz",
        "kidney ethics",
    ]
    search_urls = [f"/activities/?q={quote_plus(q)}" for q in searches * 3]
    search_ms = [timed(lambda u=u: client.get(u, headers=HTMX), check=OK) for u in search_urls]
    print(summary("search as you type, htmx (12 queries x 3)", search_ms, 10, 25))
    floors = bare_page_times(app, path, client, search_urls, headers=HTMX)
    print(summary("  bare SELECTs of the same searches", floors))
    print(ratio_line(search_ms, floors))
    print(summary("Update Learners round trip (open + save)", learner_round_trips(app, client), 15))
    download_ratio(app)


def learner_round_trips(app, client) -> list[float]:
    with app.app_context():
        ids = (
            get_session()
            .exec(
                select(Activity.id, Activity.version).where(Activity.closed_at.is_(None)).limit(40)
            )
            .all()
        )
    samples = []
    for activity_id, version in ids:
        started = time.perf_counter()
        assert client.get(f"/activities/{activity_id}/learner-counts").status_code == 200
        response = client.post(
            f"/activities/{activity_id}/learner-counts",
            data={"physician_learners": 10, "other_learners": 2, "version": version},
            headers=HTMX,
        )
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.data[:300]
    return samples


def download_ratio(app, count: int = 10_000) -> None:
    with app.app_context():
        session = get_session()
        query = select(Activity).where(Activity.provider_id == 1).order_by(Activity.id).limit(count)
        ours, bare = [], []
        for _ in range(3):
            started = time.perf_counter()
            body = downloads.workbook(session, query, today=date.today())
            ours.append(time.perf_counter() - started)
            rows = read_back(body)
            started = time.perf_counter()
            bare_write(rows)
            bare.append(time.perf_counter() - started)
    ratio = statistics.median(ours) / statistics.median(bare)
    print(
        f"  download of {count:,} activities ({len(activity_xlsx.HEADERS)} columns): ours "
        f"{statistics.median(ours):.2f} s (query + build + write), bare openpyxl write-only "
        f"{statistics.median(bare):.2f} s, ratio {ratio:.2f}  target <= 1.3: "
        f"{'met' if ratio <= 1.3 else 'NOT met'}"
    )


def read_back(body: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(body), read_only=True)
    rows = list(workbook["Activities"].iter_rows(values_only=True))
    workbook.close()
    return rows


def bare_write(rows: list[tuple]) -> bytes:
    """openpyxl alone writing the same cells: the yardstick."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Activities")
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
