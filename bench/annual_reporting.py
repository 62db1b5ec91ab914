"""Issues 7 and 16 benchmark: the Annual Reporting page and the dashboard.

Workload: one provider with 100,000 activities over ten years (SQLite file, WAL), about
10,000 ending in each year and 30% of the ended ones not closed. Time through the Flask test
client (no network). Targets (issue 16): dashboard p50 <= 20 ms; Annual Reporting p50 <= 25 ms,
p95 <= 60 ms. Floor in the same run: each page's SELECTs sent bare through sqlite3 on the same
file (bench.common.bare_page_times).
"""

from datetime import date

from bench.common import (
    bare_page_times,
    bench_app,
    ratio_line,
    seeded_database,
    signed_in_client,
    summary,
    timed,
)

ACTIVITIES = 100_000
OK = lambda response: response.status_code == 200  # noqa: E731
ROUNDS = 20


def run() -> None:
    print(__doc__.strip().splitlines()[0])
    path = seeded_database(ACTIVITIES)
    app = bench_app(path)
    client = signed_in_client(app)
    this_year = date.today().year
    pages = ["/annual/"] + [f"/annual/?year={year}" for year in range(this_year - 3, this_year)]
    for url in pages + ["/"]:
        client.get(url)  # warm caches once
    annual = [timed(lambda u=u: client.get(u), check=OK) for u in pages * ROUNDS]
    print(summary(f"Annual Reporting page ({len(pages)} years)", annual, 25))
    floor = bare_page_times(app, path, client, pages, rounds=ROUNDS)
    print(summary("  its SELECTs, bare sqlite3", floor))
    print(ratio_line(annual, floor))
    board = [timed(lambda: client.get("/"), check=OK) for _ in range(ROUNDS * 2)]
    print(summary("dashboard", board, 20))
    floor = bare_page_times(app, path, client, ["/"], rounds=ROUNDS * 2)
    print(summary("  its SELECTs, bare sqlite3", floor))
    print(ratio_line(board, floor))
