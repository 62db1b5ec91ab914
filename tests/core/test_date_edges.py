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
EDGES = ["2026-12-01", "2026-11-30", "2026-12-31", "2028-02-29"]


@pytest.mark.parametrize("day", EDGES)
def test_date_sensitive_tests_pass_on_the_edges_of_months_and_years(day):
    env = os.environ | {"PARS_TEST_TODAY": day}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *DATE_SENSITIVE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-4000:]
