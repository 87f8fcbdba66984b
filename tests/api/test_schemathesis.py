"""Targets R3: every API operation, fuzzed from its own OpenAPI document with a valid token.

At least 100 generated cases per operation; no response may be a server error or disagree
with the document (status code, content type, body schema, headers). Derandomised, so a run
in CI is the run you can repeat.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from selfdirect.api.tokens import token_create
from tests.conftest import World

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
]


@pytest.fixture
def tokens(world: World) -> dict[str, str]:
    """A worker's token; an administrator's for the CLD return, which only they may make."""
    return {
        "worker": token_create(user=world.allocated_worker, name="schemathesis")[1],
        "administrator": token_create(user=world.administrator, name="schemathesis")[1],
    }


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The real WSGI handler closes database connections after each request, which would end
    the test's transaction; Django's own test client stops that the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.fuzz
@schema.parametrize()
@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_matches_its_schema(case: schemathesis.Case, tokens: dict[str, str]) -> None:
    token = tokens["administrator" if "/returns/" in case.path else "worker"]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
