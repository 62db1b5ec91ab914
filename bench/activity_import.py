"""Issue 6 benchmark: importing activities from the Excel activity template.

Workload: a CME template of 10,000 complete live courses (with a joint provider, a monetary and
an in-kind source, an outcome), written by openpyxl; a fresh migrated SQLite database. Measured
in one run: openpyxl's read-only parse of the file alone, the preview (pipeline.check) and the
import (pipeline.commit, one transaction). Target from the issue: import <= 1.5x openpyxl's
read-only parse; peak memory <= 300 MB.
"""

import resource
import time
from datetime import date, timedelta
from io import BytesIO

from openpyxl import Workbook, load_workbook

from bench.common import bench_app, empty_database
from pars.accounts import users
from pars.core.db import get_session
from pars.formats.activity_template import CME, GUIDANCE
from pars.uploads import pipeline
from pars.vocab import Role

ROWS = 10_000
SOON = date.today() + timedelta(days=30)


def template(rows: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Activities")
    sheet.append([GUIDANCE])
    sheet.append(list(CME))
    for n in range(rows):
        cells = {
            "Provider Activity ID": f"B-{n}",
            "Title": f"Bench Course {n}",
            "Format": "Live Course",
            "Delivery Methods": "In-Person",
            "Start Date": f"{SOON:%m/%d/%Y}",
            "End Date": f"{SOON:%m/%d/%Y}",
            "Country": "USA",
            "City": "Chicago",
            "State/Province": "IL",
            "ZIP/Postal Code": "60611",
            "AMA PRA Category 1 Credits": "1.5",
            "Description": "About it.",
            "Include in CME Passport": "No",
            "MIPS": "No",
            "REMS": "No",
            "Providership": "Joint",
            "Joint Provider 1": "Lakeshore Society",
            "Learner Competence Measured": "Objective",
            "Commercial Support Received": "Yes",
            "Monetary Source 1": "Acme",
            "Monetary Amount 1": "500",
            "In-kind Source 1": "Beta",
            "Commendation": "No",
        }
        sheet.append([cells.get(name) for name in CME])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bare_parse(data: bytes) -> None:
    workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()


def run() -> None:
    print(__doc__.strip().splitlines()[0])
    path = empty_database("activity-import.db")
    data = template(ROWS)
    started = time.perf_counter()
    bare_parse(data)
    bare = time.perf_counter() - started
    app = bench_app(path)
    with app.app_context():
        session = get_session()
        provider = users.get_or_create_provider(session, name="Import Bench")
        user = users.create_user(
            session, email="i@example.org", password="x" * 12, role=Role.ADMIN, provider=provider
        )
        session.commit()
        started = time.perf_counter()
        preview = pipeline.check("activities", session, provider.id, data, today=date.today())
        checked = time.perf_counter() - started
        assert not preview.invalid and preview.count("add") == ROWS, preview.invalid[:3]
        started = time.perf_counter()
        pipeline.commit(
            "activities",
            session,
            provider.id,
            data,
            today=date.today(),
            valid_only=False,
            user_id=user.id,
        )
        session.commit()
        imported = time.perf_counter() - started
        started = time.perf_counter()
        again = pipeline.check("activities", session, provider.id, data, today=date.today())
        rechecked = time.perf_counter() - started
        assert again.count("unchanged") == ROWS, again.actions
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  openpyxl read-only parse of the {ROWS:,}-row template alone: {bare:.2f} s")
    print(f"  preview (read and check every row): {checked:.2f} s, ratio {checked / bare:.2f}")
    print(
        f"  import (read, check, store, one commit): {imported:.2f} s, ratio "
        f"{imported / bare:.2f}  target <= 1.5: {'met' if imported / bare <= 1.5 else 'NOT met'}"
    )
    print(f"  the same file again (every row matched, all unchanged): {rechecked:.2f} s")
    print(
        f"  peak memory: this process {peak:.0f} MB, the reader process {reader:.0f} MB  "
        f"target <= 300 MB: {'met' if max(peak, reader) <= 300 else 'NOT met'}"
    )
