import pytest

from tests import factories


@pytest.fixture
def policy(db):
    return factories.ningxia_policy()


@pytest.fixture
def issued(policy, alice, bob, olivia, cecilia, ivan_lab):
    """A contract reviewed at all three levels: alice's 20,000-yuan voucher with ivan_lab."""
    from vouchers.contracts import services

    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    contract.refresh_from_db()
    return contract.voucher
