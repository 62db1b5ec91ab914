"""Issue 5 benchmark: uploading the learner template.

Workload: a PARS learner template of 100,000 rows for one activity, written by openpyxl
(common first names, last names with varied endings, random MM/DD of birth and state, a
license number each: most rows are new people, a few match one filed earlier); a fresh
migrated SQLite database per run. Measured in one run: calamine's and openpyxl's read of the
file alone; the preview (pipeline.check); the upload (pipeline.commit: read, check, match each
learner against the directory, insert). A file this large is read by a second process while
this one checks and stores (pars/formats/prefetch.py). Targets (issue 16): against the floor,
python-calamine's bare read of the same file (openpyxl's parse printed too): the preview
<= 2.5x, the upload <= 4x (aim 3x); peak memory of every process <= 200 MB.
"""

import random
import resource
import time
from datetime import date, timedelta
from io import BytesIO

import python_calamine
from openpyxl import Workbook, load_workbook

from bench.common import OUT, bench_app, empty_database
from bench.learner_matching import FIRST, LAST, STATES
from pars.accounts import users
from pars.activities import operations
from pars.core.db import get_session
from pars.formats.learner_xlsx import GUIDANCE, HEADER
from pars.models import Activity
from pars.uploads import pipeline
from pars.vocab import Role

ENDINGS = ("", "", "", "son", "ley", "er", "ton", "man", "ford", "berg", "ez", "ini", "sky")
START = date.today() - timedelta(days=60)


def template(rows: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Learners")
    sheet.append([GUIDANCE])
    sheet.append(list(HEADER))
    rng, seen = random.Random(7), set()
    while len(seen) < rows:
        person = (
            rng.choice(FIRST),
            rng.choice(LAST) + rng.choice(ENDINGS),
            f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}",
        )
        day = START + timedelta(days=len(seen) % 30)
        if (*person, day) in seen:  # one completion per learner per day: keep the file valid
            continue
        seen.add((*person, day))
        sheet.append(
            [
                "Add",
                "202400001",
                day.strftime("%m/%d/%Y"),
                *person,
                rng.choice(STATES),
                f"L{len(seen)}",
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


def bare_parse(data: bytes) -> int:
    """openpyxl's read-only parse: the floor before issue 16, printed for comparison."""
    workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def bare_calamine(data: bytes) -> int:
    """The floor: python-calamine reading every cell of the first sheet once."""
    workbook = python_calamine.CalamineWorkbook.from_filelike(BytesIO(data))
    count = sum(1 for _ in workbook.get_sheet_by_index(0).iter_rows())
    workbook.close()
    return count


def seconds(call, *args) -> float:
    started = time.perf_counter()
    call(*args)
    return time.perf_counter() - started


def fresh_app():
    app = bench_app(empty_database("upload-bench.db"))
    with app.app_context():
        session = get_session()
        provider = users.get_or_create_provider(session, name="Upload Bench")
        user = users.create_user(
            session, email="u@example.org", password="x" * 12, role=Role.ADMIN, provider=provider
        )
        activity = Activity(
            provider_id=provider.id,
            title="Bench",
            format="Enduring Material",
            start_date=START,
            end_date=date.today(),
            ama_credits=2.0,
            accme_activity_id="202400001",
        )
        operations.save_activity(session, activity)
        session.commit()
        return app, provider.id, user.id


def run() -> None:
    print(__doc__.strip().splitlines()[0])
    OUT.mkdir(exist_ok=True)
    data = template(ROWS)
    bare = min(seconds(bare_calamine, data) for _ in range(3))
    openpyxl_bare = seconds(bare_parse, data)
    app, provider_id, user_id = fresh_app()
    with app.app_context():
        session = get_session()
        started = time.perf_counter()
        preview = pipeline.check("learners", session, provider_id, data, today=date.today())
        checked = time.perf_counter() - started
        assert not preview.invalid and preview.count("add") == ROWS
        started = time.perf_counter()
        stored = pipeline.commit(
            "learners",
            session,
            provider_id,
            data,
            today=date.today(),
            valid_only=False,
            user_id=user_id,
        )
        session.commit()
        uploaded = time.perf_counter() - started
        assert stored.count("add") == ROWS
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  floor: python-calamine reading the {ROWS:,}-row file alone: {bare:.2f} s")
    print(f"  (openpyxl's read-only parse of it, the floor before: {openpyxl_bare:.2f} s)")
    print(
        f"  preview (read and check every row): {checked:.2f} s, ratio {checked / bare:.2f}  "
        f"target <= 2.5: {'met' if checked / bare <= 2.5 else 'NOT met'}"
    )
    print(
        f"  upload (read, check and store {ROWS:,} completions, one commit): {uploaded:.2f} s, "
        f"ratio {uploaded / bare:.2f}  target <= 4 (aim 3): "
        f"{'met' if uploaded / bare <= 4 else 'NOT met'}"
    )
    print(
        f"  peak memory: this process {peak:.0f} MB (the file's generation included), the "
        f"reader process {reader:.0f} MB  target <= 200 MB: "
        f"{'met' if max(peak, reader) <= 200 else 'NOT met'}"
    )


ROWS = 100_000
