"""The ledger: one writer that refuses any movement taking a balance below zero, for every
account kind, and writes a movement whole or not at all; and the code base keeps to it —
no other module writes ledger entries, takes row locks or assigns a status."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from vouchers import ledger
from vouchers.ledger import Leg
from vouchers.models import LedgerAccount, LedgerEntry, LedgerKind

ROOT = Path(__file__).resolve().parents[2]
D = Decimal
XINGQING = 640104


def _subsidy(ivan_lab, cecilia):
    """An institution's subsidy, granted through the settlement service (20,000 payable)."""
    from vouchers import settlement

    return settlement.subsidy_grant(
        institution=ivan_lab.organisation, year=2026, amount=D("20000"), note="年度评价补助", by=cecilia
    )


def _negative_legs(voucher, alice, subsidy):
    value = ledger.voucher_value(voucher)
    institution = subsidy.institution
    return {
        LedgerAccount.APPLICANT_CAP: Leg(LedgerAccount.APPLICANT_CAP, -(voucher.face_value + 1), organisation=alice),
        LedgerAccount.ENTITLEMENT: Leg(LedgerAccount.ENTITLEMENT, D("-1"), organisation=alice),
        LedgerAccount.VOUCHER: Leg(LedgerAccount.VOUCHER, -(value + 1), voucher=voucher, organisation=alice),
        LedgerAccount.REDEEMING: Leg(LedgerAccount.REDEEMING, D("-1"), voucher=voucher),
        LedgerAccount.PAYABLE: Leg(LedgerAccount.PAYABLE, D("-1"), voucher=voucher),
        LedgerAccount.PAID: Leg(LedgerAccount.PAID, D("-1"), voucher=voucher, organisation=alice),
        LedgerAccount.PROVINCE_BUDGET: Leg(LedgerAccount.PROVINCE_BUDGET, D("-1")),
        LedgerAccount.COUNTY_BUDGET: Leg(LedgerAccount.COUNTY_BUDGET, D("-1"), region_id=XINGQING),
        LedgerAccount.SUBSIDY_PAYABLE: Leg(
            LedgerAccount.SUBSIDY_PAYABLE, -(subsidy.amount + 1), subsidy=subsidy, organisation=institution
        ),
        LedgerAccount.SUBSIDY_PAID: Leg(LedgerAccount.SUBSIDY_PAID, D("-1"), subsidy=subsidy, organisation=institution),
    }


@pytest.mark.parametrize("account", LedgerAccount.values)
def test_no_movement_takes_any_kind_of_balance_below_zero(issued, alice, ivan_lab, cecilia, account):
    leg = _negative_legs(issued, alice.organisation, _subsidy(ivan_lab, cecilia))[account]
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationError, match="余额不足"):
        ledger.post(LedgerKind.RETURN, year=issued.year, legs=[leg])
    assert LedgerEntry.objects.count() == before
    assert ledger.ledger_problems() == []


def test_a_movement_is_written_whole_or_not_at_all(issued, alice):
    value = ledger.voucher_value(issued)
    fine = Leg(LedgerAccount.REDEEMING, value, voucher=issued)
    too_much = Leg(LedgerAccount.VOUCHER, -(value + 1), voucher=issued, organisation=alice.organisation)
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationError):
        ledger.post(LedgerKind.REDEEM_REQUEST, year=issued.year, legs=[fine, too_much])
    assert LedgerEntry.objects.count() == before


def test_a_leg_must_name_its_balance(issued):
    with pytest.raises(ValueError, match="organisation"):
        ledger.post(LedgerKind.USE, year=issued.year, legs=[Leg(LedgerAccount.VOUCHER, D("1"), voucher=issued)])
    with pytest.raises(ValueError, match="subsidy"):
        ledger.post(LedgerKind.SUBSIDY_GRANT, year=issued.year, legs=[Leg(LedgerAccount.SUBSIDY_PAYABLE, D("1"))])


def test_an_inconsistent_ledger_is_reported_by_the_check(issued, alice):
    # A movement that keeps every balance non-negative but puts value where the voucher's
    # status says it is not: the invariant check names it.
    ledger.post(
        LedgerKind.REDEEM_REQUEST,
        year=issued.year,
        legs=[
            Leg(LedgerAccount.VOUCHER, -issued.face_value, voucher=issued, organisation=alice.organisation),
            Leg(LedgerAccount.REDEEMING, issued.face_value, voucher=issued),
        ],
    )
    problems = ledger.ledger_problems()
    assert any(issued.number in p for p in problems), problems


def test_a_subsidy_paid_without_its_status_is_reported_by_the_check(policy, ivan_lab, cecilia):
    # Money moved from payable to paid (and out of the budget) while the subsidy still says
    # "granted" and no batch paid it: every balance stays non-negative, the check names it.
    subsidy = _subsidy(ivan_lab, cecilia)
    assert ledger.ledger_problems() == []
    ledger.post(LedgerKind.BUDGET, year=2026, legs=[Leg(LedgerAccount.PROVINCE_BUDGET, D("50000"))])
    institution = ivan_lab.organisation
    ledger.post(
        LedgerKind.PAY,
        year=2026,
        legs=[
            Leg(LedgerAccount.SUBSIDY_PAYABLE, -subsidy.amount, subsidy=subsidy, organisation=institution),
            Leg(LedgerAccount.SUBSIDY_PAID, subsidy.amount, subsidy=subsidy, organisation=institution),
            Leg(LedgerAccount.PROVINCE_BUDGET, -subsidy.amount, subsidy=subsidy),
        ],
    )
    problems = ledger.ledger_problems()
    assert any(subsidy.number in p for p in problems), problems


# --- The code base keeps to the one writer, one lock order and one transition engine ------------------


def _sources(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, path.read_text(encoding="utf-8")


APPS = ("accounts", "catalog", "dashboards", "demo", "geodata", "mapsite", "notifications", "vouchers", "workdays")


def test_only_the_ledger_module_writes_ledger_entries():
    writers = [
        str(path.relative_to(ROOT))
        for path, text in _sources(*APPS)
        if re.search(r"(?<!class )LedgerEntry(\.objects\.(create|bulk_create|get_or_create|update_or_create)|\()", text)
    ]
    assert writers == ["vouchers/ledger.py"]


def test_every_row_lock_of_the_vouchers_app_is_in_the_ledger_modules_lock_order():
    lockers = [str(p.relative_to(ROOT)) for p, text in _sources("vouchers") if "select_for_update" in text]
    assert lockers == ["vouchers/ledger.py"]
    tree = ast.parse((ROOT / "vouchers/ledger.py").read_text(encoding="utf-8"))
    locks = [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and "select_for_update" in ast.unparse(n)]
    order = ast.get_docstring(tree).split("Lock order", 1)[1]
    named = re.findall(r"``(lock_\w+)``", order)
    assert {name.removesuffix("s") for name in locks} <= {name.removesuffix("s") for name in named}


def test_no_status_of_the_vouchers_app_is_written_outside_the_transition_engine():
    assignments = []
    for path, text in _sources("vouchers"):
        for n, line in enumerate(text.splitlines(), 1):
            if re.search(r"\.(status|proof_status)\s*=[^=]|update\([^)]*status\s*=|setattr\([^)]*status", line):
                assignments.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert assignments == []
