"""Issue 7 benchmark: the Annual Reporting page and the dashboard.

Workload: one provider with 100,000 activities over ten years (SQLite file, WAL), about
10,000 ending in each year and 30% of the ended ones not closed. Server time through the
Flask test client (no network). Target from the issue: both pages p50 <= 50 ms.
"""

from datetime import date

from bench.common import bench_app, seeded_database, signed_in_client, summary, timed

ACTIVITIES = 100_000
OK = lambda response: response.status_code == 200  # noqa: E731
ROUNDS = 20


def run() -> None:
    print(__doc__.strip().splitlines()[0])
    client = signed_in_client(bench_app(seeded_database(ACTIVITIES)))
    this_year = date.today().year
    pages = ["/annual/"] + [f"/annual/?year={year}" for year in range(this_year - 3, this_year)]
    for url in pages + ["/"]:
        client.get(url)  # warm caches once
    annual = [timed(lambda u=u: client.get(u), check=OK) for u in pages * ROUNDS]
    print(summary(f"Annual Reporting page ({len(pages)} years)", annual, 50))
    board = [timed(lambda: client.get("/"), check=OK) for _ in range(ROUNDS * 2)]
    print(summary("dashboard", board, 50))
