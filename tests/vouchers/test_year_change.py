"""A contract opened in December and submitted in January runs under the new year's policy:
its voucher is valid in the new year and counts against the new year's entitlement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories
from vouchers import ledger
from vouchers.contracts import services
from vouchers.entitlements import services as entitlements

pytestmark = pytest.mark.django_db


def test_a_december_draft_submitted_in_january_takes_the_new_years_policy(clock, alice, ivan_lab, check_ledger):
    clock.now = dt.datetime(2025, 12, 30, 10, 0, tzinfo=timezone.get_current_timezone())
    factories.claims_on_contracts(2025)
    entitlements.claim_amount(by=alice, amount="50000")
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="1")
    assert contract.policy.year == 2025
    clock.advance(days=6)  # 2026-01-05
    factories.claims_on_contracts(2026)
    refused = None
    try:
        services.contract_submit(contract=contract, by=alice)
    except Exception as exc:  # noqa: BLE001 — no 2026 entitlement yet: the pre-check says so
        refused = exc
    assert refused is not None
    contract.refresh_from_db()
    assert contract.status == "draft"
    entitlements.claim_amount(by=alice, amount="30000")
    contract = services.contract_submit(contract=contract, by=alice)
    voucher = contract.voucher
    assert (contract.policy.year, voucher.year, voucher.valid_until) == (2026, 2026, dt.date(2026, 12, 31))
    assert ledger.entitlement_left(alice.organisation, 2026) == Decimal("20000.00")  # 30,000 − 50 % of 20,000
    check_ledger()
