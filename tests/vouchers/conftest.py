import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

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
    from vouchers.contracts import services

    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    contract.refresh_from_db()
    return contract.voucher


class Clock:
    """The time the code under test sees (``django.utils.timezone.now``, and through it
    ``localdate``): a public notice runs out by waiting, not by editing its dates."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)

    def today(self) -> dt.date:
        return timezone.localtime(self.now).date()


@pytest.fixture
def clock(monkeypatch):
    """Time stands at a Monday morning in 2026 (a year the working-day calendar knows) and
    moves only when the test says so."""
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    clock = Clock(start)
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def check_ledger():
    """``manage.py vouchers_check_ledger``: raises CommandError on any broken invariant."""
    return lambda: call_command("vouchers_check_ledger", stdout=io.StringIO())


@pytest.fixture
def jiangsu(ningxia, clock, cecilia):
    """Jiangsu's year published by the centre, as the Jiangsu tests start."""
    # why: the test modules' helpers need the app registry, ready only once tests run
    from tests.vouchers.test_ningxia_scenario import login
    from tests.vouchers.test_province_schemes import publish

    publish(login("cecilia"), "jiangsu")
