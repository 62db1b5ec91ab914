"""The date-sensitive tests again, as of the days that break date arithmetic: the first and
the last day of a month, and the last day of the year (tests.factories.TODAY, moved by
PARS_TEST_TODAY). The whole suite runs the same way by hand:
``PARS_TEST_TODAY=2026-12-31 make test``."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATE_SENSITIVE = [
    "tests/activities/test_status.py",
    "tests/activities/test_status_stored.py",
    "tests/activities/test_dashboard.py",
    "tests/activities/test_activity_list.py",
    "tests/activities/test_lifecycle.py",
    "tests/activities/test_catalog.py",
    "tests/annual/test_rules.py",
    "tests/annual/test_annual.py",
    "tests/learners/test_learners.py",
]
# The first day of a month, the last day of a month that is also the last of the year, and
# a leap day: three runs on two cores (a fourth, another month's last day, added about half a
# minute to `make test` and tested nothing the last day of the year does not).
EDGES = ["2026-12-01", "2026-12-31", "2028-02-29"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One pytest process per day, all started at once (they share nothing: each has its own
    databases), so the three take the time of about two on two cores."""
    started = {}
    for day in EDGES:
        log = tmp_path_factory.mktemp("edge") / "out.txt"
        with log.open("w") as output:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *DATE_SENSITIVE],
                cwd=ROOT,
                env=os.environ | {"PARS_TEST_TODAY": day},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        started[day] = (process, log)
    yield started
    for process, _ in started.values():  # none outlives the tests, even after a failure
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("day", EDGES)
def test_date_sensitive_tests_pass_on_the_edges_of_months_and_years(runs, day):
    process, log = runs[day]
    assert process.wait(timeout=900) == 0, log.read_text()[-4000:]
