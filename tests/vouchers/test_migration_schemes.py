"""0008_schemes renames the contract statuses after the level a contract waits at and turns
the old review switch and "claim up to the cap" into scheme fields: contracts, their audit
rows and policies written before it keep their meaning, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories
from vouchers.contracts import services
from vouchers.models import Contract, ContractEvent, Policy

BEFORE = [("vouchers", "0007_ledger_workflows_policy_limits")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_statuses_and_policies_are_carried_back_and_forth(ningxia, alice, bob, ivan_lab, policy):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")
    contract = services.contract_submit(contract=contract, by=alice)
    contract = services.contract_review(contract=contract, by=bob, approve=True)
    assert contract.status == "at_operator"
    zhejiang = Policy.objects.create(year=policy.year + 1, model="quota", flat_rate="0.5", contract_review=[])

    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldContract, OldPolicy = old.get_model("vouchers", "Contract"), old.get_model("vouchers", "Policy")
    assert OldContract.objects.get(pk=contract.pk).status == "bureau_approved"
    events = old.get_model("vouchers", "ContractEvent").objects.filter(contract_id=contract.pk)
    assert {e.to_status for e in events} >= {"submitted", "bureau_approved"}
    assert OldPolicy.objects.get(pk=zhejiang.pk).requires_review is False
    assert OldPolicy.objects.get(pk=policy.pk).requires_review is True
    old_claim = OldPolicy.objects.get(pk=zhejiang.pk)
    old_claim.claim_up_to_cap = True
    old_claim.quota = {"default": "150000"}
    old_claim.save()

    _migrate(leaves)

    assert Contract.objects.get(pk=contract.pk).status == "at_operator"
    moves = set(ContractEvent.objects.filter(contract=contract).values_list("from_status", "to_status"))
    assert moves >= {("draft", "at_bureau"), ("at_bureau", "at_operator")}
    carried = Policy.objects.get(pk=zhejiang.pk)
    assert (carried.contract_review, carried.entitlement, str(carried.claim_year_cap)) == ([], "claim", "150000.00")
    assert Policy.objects.get(pk=policy.pk).contract_review == ["bureau", "operator", "centre"]
