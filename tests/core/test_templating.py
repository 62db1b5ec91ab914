"""Helpers the templates share."""

import pytest
from flask import url_for

from pars.core.templating import row_urls


@pytest.mark.parametrize("script_root", ["", "/cme"])
def test_row_urls_are_the_urls_url_for_builds(app, script_root):
    with app.test_request_context("/", base_url=f"http://localhost{script_root}/"):
        url = row_urls()
        for row_id in (1, 42, 918273645, 10**9):
            assert url("activities.view", row_id) == url_for("activities.view", activity_id=row_id)
            assert url("wizard.edit", row_id, step=1) == url_for(
                "wizard.edit", activity_id=row_id, step=1
            )
        assert url("activities.view", 7).startswith(f"{script_root}/activities/")
