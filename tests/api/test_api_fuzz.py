"""Schemathesis over /api/v1/openapi.json: no 5xx, and every answer matches the published schema."""

import pytest
import schemathesis
from django.test import override_settings
from hypothesis import HealthCheck, settings

from esep.wsgi import application

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(db):
    with override_settings(ESEP_RATE_LIMITS=False):
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_operations_never_fail_and_match_their_schema(case) -> None:
    case.call_and_validate(
        checks=[schemathesis.checks.not_a_server_error, schemathesis.checks.response_schema_conformance]
    )
