"""The load test itself, for a few seconds: gunicorn with 2 workers on SQLite, 16 clients,
no errors and no lost learner updates (`make load` runs it for the full 60 seconds)."""

import pytest

from bench import load

pytestmark = pytest.mark.slow


def test_a_short_load_run_has_no_errors_and_no_lost_updates(capsys):
    assert load.run(4) == 0
    output = capsys.readouterr().out
    assert "errors: 0" in output and "lost updates: 0" in output
