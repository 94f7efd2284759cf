"""A client can follow the money and the ids (issue #14 item 7): a contract names its voucher by
number and id; GET /api/vouchers/<id>/ledger/ lists the voucher's own entries for whoever may
see the voucher, and nobody else."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests import factories
from vouchers.contracts import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(alice, bob, olivia, cecilia, ivan_lab):
    factories.ningxia_policy()
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        contract = services.contract_review(contract=contract, by=reviewer, approve=True)
    return contract.voucher


def test_the_contract_gives_the_vouchers_id_and_the_ledger_follows_the_money(api_as, issued, alice, ivan_lab):
    contract = api_as(alice).get(f"/api/contracts/{issued.contract_id}/").json()
    assert (contract["voucher"], contract["voucher_id"]) == (issued.number, issued.pk)
    path = f"/api/vouchers/{contract['voucher_id']}/"
    entries = api_as(alice).get(path + "ledger/").json()
    assert {e["kind"] for e in entries} == {"issue"}
    assert sum(Decimal(e["amount"]) for e in entries if e["account"] == "voucher") == Decimal("20000.00")
    pay = api_as(alice).post(path + "pay/", {}, format="json", HTTP_IDEMPOTENCY_KEY="ledger-api-0001")
    assert pay.status_code == 201
    after = api_as(ivan_lab).get(path + "ledger/").json()  # the institution now holds it
    moved = [e for e in after if e["kind"] == "use"]
    assert {(e["organisation"], e["amount"]) for e in moved} == {
        (alice.organisation_id, "-20000.00"),
        (ivan_lab.organisation_id, "20000.00"),
    }


def test_outsiders_do_not_read_a_vouchers_ledger(api, api_as, issued, mallory, charlie):
    path = f"/api/vouchers/{issued.pk}/ledger/"
    assert api_as(mallory).get(path).status_code == 404
    assert api_as(charlie).get(path).status_code == 404  # another county's bureau
    api.credentials()
    assert api.get(path).status_code in (401, 403)
