"""Property-based API fuzzing from our own OpenAPI document (schemathesis, in-process WSGI).

Every operation, with generated valid and invalid input, as an operator admin (the widest
access): no 5xx, and every response matches the documented status codes and schemas.
`positive_data_acceptance` is left out: a schema cannot express every business rule (an
existing country code, a strong password), so schema-valid input is sometimes rightly 422.
Bounded: a few dozen examples per operation, no network.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from tradelane.accounts.testing import issue_token, make_actor

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def admin_token(db):
    # Like Django's test client: keep the test's connection open across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield issue_token(make_actor("operator", "admin", email="fuzz@ops.test"))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_openapi_document(case, admin_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_token}"},
        excluded_checks=[positive_data_acceptance],
    )
