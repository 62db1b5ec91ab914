"""Schemathesis against /api/v1/openapi.json: generated requests to every operation, as an
editor with a token and an activity of their own; no 5xx, and no response breaks the document."""

from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from pars.accounts import tokens
from pars.models import User
from pars.vocab import Role
from tests.factories import TODAY


@pytest.fixture
def api_schema(app, make_user, make_activity, session):
    user = make_user(role=Role.EDITOR)
    past = TODAY - timedelta(days=3)
    make_activity(user.provider_id, start_date=past, end_date=past)
    token = tokens.create(session, session.get(User, user.id), "schemathesis")
    session.commit()
    app.config["API_TOKEN_FOR_TESTS"] = token
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


# No 5xx, and every answer as the document says (status code, content type, body schema). The
# document does not restate every rule of the entry form, so a request it allows may still be
# refused with 422 naming the rule: "positive data acceptance" is not one of the checks.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def test_the_api_keeps_to_its_openapi_document(app, api_schema):
    # Driven directly rather than through schemathesis's pytest plugin, which does not run
    # under pytest 9 (it reads a node attribute pytest no longer has).
    headers = {"Authorization": f"Bearer {app.config['API_TOKEN_FOR_TESTS']}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 23
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def keeps_to_the_document(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        keeps_to_the_document()
