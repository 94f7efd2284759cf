"""The OpenAPI schema tells the truth: schemathesis generates requests for every operation
from /api/schema/ and sends them through the WSGI app, anonymously and as each role, against
the real PostGIS test database with a small data set in it. Every response must be no server
error and must match the schema documented for its status code.

The example count is bounded (`EXAMPLES` per operation and persona) so the run fits in CI;
`SCHEMA_EXAMPLES=50 make test PYTEST_ARGS=tests/test_api_schema.py` digs deeper.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from mapsite.wsgi import application
from tests import factories

EXAMPLES = int(os.environ.get("SCHEMA_EXAMPLES", "2"))
PERSONAS = ["anonymous", "alice", "ivan_lab", "bob", "olivia", "cecilia"]
CHECKS = (not_a_server_error, response_schema_conformance, content_type_conformance)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's WSGI handler closes old connections when a request ends; the test client
    disconnects that, and so must we while requests run inside the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, ningxia, alice, bob, ivan_lab, olivia, cecilia):
    """A small data set so that detail routes find objects: a listed lab with an item, a
    booking, a draft contract, and a voucher issued through the three reviews and spent."""
    from vouchers import settlement
    from vouchers.contracts import services

    factories.ningxia_policy()
    factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")
    contract = factories.ready_contract(alice, ivan_lab, price="30000", quantity="1")
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    contract.refresh_from_db()
    settlement.voucher_pay(voucher=contract.voucher, by=alice, idempotency_key="schema-world-0001")
    return {"alice": alice, "bob": bob, "ivan_lab": ivan_lab, "olivia": olivia, "cecilia": cecilia}


def _headers(world, persona: str) -> dict:
    if persona == "anonymous":
        return {}
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=world[persona])
    return {"Authorization": f"Token {token.key}"}


@pytest.mark.parametrize("persona", PERSONAS)
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, persona, world):
    case.call_and_validate(headers=_headers(world, persona), checks=CHECKS)
