"""Issue 6 benchmark: the MEMS XML export.

Workload: one provider with 100,000 activities (SQLite file, WAL); /exports/activities.xml for
one year's activities (about 10,000, each with its delivery and outcome rows), through the Flask
test client. Target from the issue: MEMS XML export of 10,000 activities <= 3 s.
"""

import statistics
import time
from datetime import date

from lxml import etree

from bench.common import bench_app, seeded_database, signed_in_client


def run() -> None:
    print(__doc__.strip().splitlines()[0])
    client = signed_in_client(bench_app(seeded_database(100_000)))
    year = date.today().year - 3
    times, count = [], 0
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(f"/exports/activities.xml?year={year}")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
        count = len(etree.fromstring(response.data))
    median = statistics.median(times)
    print(
        f"  MEMS XML export of {count:,} activities (year {year}): median {median:.2f} s of 3 "
        f"runs, {median / count * 10_000:.2f} s per 10,000  target <= 3 s per 10,000: "
        f"{'met' if median / count * 10_000 <= 3 else 'NOT met'}"
    )
