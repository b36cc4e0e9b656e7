"""Schemathesis over /api/v1/openapi.json: no 5xx, and every answer matches the published schema.

Bounded and repeatable: a fixed number of examples per operation, derandomized.
"""

import pytest
import schemathesis
from django.test import override_settings
from hypothesis import HealthCheck, given, settings

from esep.wsgi import application

EXAMPLES_PER_OPERATION = 25
CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.response_schema_conformance]


def fuzz_operation(operation) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        case.call_and_validate(checks=CHECKS)

    run()


@pytest.mark.django_db
@override_settings(ESEP_RATE_LIMITS=False)
def test_every_api_operation_holds_under_generated_input() -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 2
    failures = []
    for operation in operations:
        try:
            fuzz_operation(operation)
        except Exception as exc:  # noqa: BLE001  (collect every failing operation, then report them all)
            failures.append(f"{operation.verbose_name}: {str(exc)[:2000]}")
    assert not failures, "\n\n".join(failures)
