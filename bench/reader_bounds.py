"""Issue 14 benchmark: the bounds of an upload's reader process leave room for the largest file.

Workload: a PARS learner template of 200,000 rows (MAX_UPLOAD_ROWS, the most an upload may
hold), written by openpyxl with a distinct license number each. Measured in one run: the bare
floor, openpyxl's read-only parse of the file in this process; and our reader
(pars.formats.prefetch.rows with its default bounds), whose peak memory and processor time are
read from the kernel once it has ended. Target: the reader finishes, its peak memory under half
of prefetch.MEMORY and its processor time under half of prefetch.CPU_SECONDS, so a real file
never meets a bound that a hostile one is stopped by.
"""

import resource
import time
from io import BytesIO

from openpyxl import load_workbook

from bench.learner_upload import template
from pars.formats import package, prefetch
from pars.uploads.pipeline import KINDS

ROWS = 200_000


def run() -> None:
    data = template(ROWS)
    package.check(data)  # the checks before any parse let the largest file through
    print(f"reader_bounds: a learner template of {ROWS:,} rows ({len(data) / 2**20:.1f} MB)")
    started = time.perf_counter()
    sheet = load_workbook(BytesIO(data), read_only=True).worksheets[0]
    floor_rows = sum(1 for _ in sheet.iter_rows(values_only=True))
    floor = time.perf_counter() - started
    started = time.perf_counter()
    read = sum(1 for _ in prefetch.rows(KINDS["learners"].read, data))
    ours = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    print(f"  floor (openpyxl read-only, in process): {floor_rows:,} rows in {floor:.1f} s")
    print(f"  ours (bounded reader process): {read:,} rows in {ours:.1f} s")
    print(
        f"  reader peak memory {peak:,.0f} MB of {prefetch.MEMORY / 2**20:,.0f} MB allowed; "
        f"processor time {cpu:.1f} s of {prefetch.CPU_SECONDS} s allowed"
    )
    met = peak < prefetch.MEMORY / 2**21 and cpu < prefetch.CPU_SECONDS / 2
    print(f"  target (under half of each bound): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    run()
