import pytest

from tests import factories


@pytest.fixture
def policy(db):
    return factories.ningxia_policy()


@pytest.fixture
def contract(policy, alice, ivan_lab):
    """A ready draft: 2 × 20,000 yuan service from ivan_lab → 40,000 contract, 20,000 voucher."""
    return factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")


@pytest.fixture
def issued(contract, alice, bob, olivia, cecilia):
    """The contract reviewed at all three levels: its voucher, issued to alice."""
    from vouchers import services

    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    contract.refresh_from_db()
    return contract.voucher
