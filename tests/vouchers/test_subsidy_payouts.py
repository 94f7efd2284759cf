"""Institutions' annual subsidies as payables (SPEC §5.5): granted by the centre into the
ledger's ``subsidy_payable``, gathered into a subsidy payout batch and paid by the same batch
code as redemptions — from the province budget, in order, waiting when it falls short — or
cancelled while unpaid. The subsidy's transition table: every allowed move with its one audit
row, refused moves, ``available_moves`` per persona. The ledger's invariants hold after every
step; every step goes through the services (or the API).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from mapsite.workflow import InvalidTransition
from tests import factories
from vouchers import ledger, settlement
from vouchers.models import (
    BatchItem,
    BatchItemStatus,
    BatchKind,
    BatchStatus,
    LedgerAccount,
    LedgerEntry,
    LedgerKind,
    PayoutCycle,
    Subsidy,
    SubsidyEvent,
    SubsidyStatus,
)
from vouchers.transitions import SUBSIDY, available_moves

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _ledger_consistent_after_each_test(clock):
    yield
    assert ledger.ledger_problems() == []


@pytest.fixture
def lab2(db, olivia):
    """A second listed institution (a social one)."""
    return factories.listed_institution(
        username="lab2", name="金凤工业设计中心", lng=106.2420, lat=38.4730, kind="enterprise_lab", is_public=False
    )


def grant(institution_user, cecilia, amount: str, *, year: int = 2026) -> Subsidy:
    subsidy = settlement.subsidy_grant(
        institution=institution_user.organisation, year=year, amount=D(amount), note=f"{year} 年度评价补助", by=cecilia
    )
    assert ledger.ledger_problems() == []
    return subsidy


def subsidy_batch(cecilia, *, year: int = 2026, cycle: str = PayoutCycle.MONTHLY):
    batch = settlement.batch_create(by=cecilia, year=year, cycle=cycle, kind=BatchKind.SUBSIDIES)
    assert ledger.ledger_problems() == []
    return batch


def approved_subsidy_batch(cecilia, *, year: int = 2026):
    batch = subsidy_batch(cecilia, year=year)
    return settlement.batch_approve(batch=batch, by=cecilia)


def payable(subsidy) -> Decimal:
    return ledger.balance(LedgerAccount.SUBSIDY_PAYABLE, subsidy=subsidy)


def paid(subsidy) -> Decimal:
    return ledger.balance(LedgerAccount.SUBSIDY_PAID, subsidy=subsidy, organisation=subsidy.institution)


# --- Granting ----------------------------------------------------------------------------------------


def test_granting_makes_the_amount_payable_with_an_audit_row(policy, ivan_lab, cecilia):
    subsidy = grant(ivan_lab, cecilia, "10000")
    assert subsidy.status == SubsidyStatus.GRANTED and subsidy.number.startswith("NXBZ2026")
    assert payable(subsidy) == D("10000.00") and paid(subsidy) == 0
    entry = LedgerEntry.objects.get(subsidy=subsidy)
    assert (entry.kind, entry.account, entry.actor, entry.organisation) == (
        LedgerKind.SUBSIDY_GRANT,
        LedgerAccount.SUBSIDY_PAYABLE,
        cecilia,
        ivan_lab.organisation,
    )
    (event,) = SubsidyEvent.objects.filter(subsidy=subsidy)
    assert (event.actor, event.actor_role, event.from_status, event.to_status) == (
        cecilia,
        "centre",
        "granted",
        "granted",
    )
    assert event.note == "2026 年度评价补助"


def test_only_the_centre_grants_and_nothing_is_written_otherwise(policy, ivan_lab, alice, bob, olivia):
    for outsider in (alice, bob, olivia, ivan_lab):
        with pytest.raises(PermissionDenied):
            settlement.subsidy_grant(institution=ivan_lab.organisation, year=2026, amount=D("1000"), by=outsider)
    assert not Subsidy.objects.exists() and not LedgerEntry.objects.filter(subsidy__isnull=False).exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [("0", "大于 0"), ("-5", "大于 0"), ("300000.01", "上限")],
)
def test_a_grant_outside_zero_and_the_policy_cap_is_refused(policy, ivan_lab, cecilia, amount, message):
    with pytest.raises(ValidationError, match=message):
        settlement.subsidy_grant(institution=ivan_lab.organisation, year=2026, amount=D(amount), by=cecilia)
    assert not Subsidy.objects.exists()


def test_only_an_institution_gets_a_subsidy(policy, alice, cecilia):
    with pytest.raises(ValidationError, match="服务机构"):
        settlement.subsidy_grant(institution=alice.organisation, year=2026, amount=D("1000"), by=cecilia)


def test_a_second_grant_for_one_institution_and_year_is_refused_until_the_first_is_cancelled(policy, ivan_lab, cecilia):
    first = grant(ivan_lab, cecilia, "10000")
    with pytest.raises(ValidationError, match="已核定"):
        grant(ivan_lab, cecilia, "10000")
    assert Subsidy.objects.count() == 1 and payable(first) == D("10000")
    other_year = grant(ivan_lab, cecilia, "5000", year=2025)  # another year is another subsidy
    assert other_year.year == 2025
    settlement.subsidy_cancel(subsidy=first, by=cecilia, note="金额有误")
    again = grant(ivan_lab, cecilia, "9000")
    assert again.status == SubsidyStatus.GRANTED and payable(again) == D("9000")
    # And the database holds the rule too: one live subsidy per institution and year.
    with pytest.raises(IntegrityError), transaction.atomic():
        Subsidy.objects.create(
            number="BZTEST",
            institution=ivan_lab.organisation,
            year=2026,
            amount=D("1"),
            granted_by=cecilia,
            granted_at=again.granted_at,
        )


# --- Batches pay subsidies like redemptions --------------------------------------------------------


def test_a_subsidy_batch_pays_from_the_province_budget(policy, ivan_lab, lab2, cecilia):
    a, b = grant(ivan_lab, cecilia, "10000"), grant(lab2, cecilia, "1000")
    settlement.budget_set(by=cecilia, year=2026, amount=D("50000"))
    batch = subsidy_batch(cecilia)
    assert (batch.kind, batch.status) == (BatchKind.SUBSIDIES, BatchStatus.DRAFT)
    items = list(batch.items.order_by("pk"))
    assert [(i.subsidy, i.redemption, i.amount) for i in items] == [(a, None, D("10000")), (b, None, D("1000"))]
    assert available_moves(a, cecilia) == []  # in a batch: no longer cancellable
    settlement.batch_approve(batch=batch, by=cecilia)
    assert ledger.ledger_problems() == []

    assert settlement.batch_pay(batch=batch, by=cecilia) == {"paid": 2, "waiting_budget": 0}

    batch.refresh_from_db()
    assert batch.status == BatchStatus.PAID
    for subsidy, amount in ((a, D("10000")), (b, D("1000"))):
        subsidy.refresh_from_db()
        assert subsidy.status == SubsidyStatus.PAID and subsidy.paid_at is not None
        assert (payable(subsidy), paid(subsidy)) == (0, amount)
    assert ledger.budget_balance(2026) == D("39000")
    assert ledger.budget_summary(2026).province.paid == D("11000")
    assert set(batch.items.values_list("status", flat=True)) == {BatchItemStatus.PAID}


def test_a_short_province_budget_makes_subsidies_wait_in_order_until_budget_is_set(policy, ivan_lab, lab2, cecilia):
    a, b = grant(ivan_lab, cecilia, "10000"), grant(lab2, cecilia, "1000")
    settlement.budget_set(by=cecilia, year=2026, amount=D("500"))
    batch = approved_subsidy_batch(cecilia)

    assert settlement.batch_pay(batch=batch, by=cecilia) == {"paid": 0, "waiting_budget": 2}
    assert ledger.ledger_problems() == []
    assert set(batch.items.values_list("status", flat=True)) == {BatchItemStatus.WAITING_BUDGET}
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED and ledger.budget_balance(2026) == D("500")

    # 10,000 more: the first subsidy (10,000) is paid; the 500 left cannot pay the second.
    settlement.budget_set(by=cecilia, year=2026, amount=D("10000"))
    assert ledger.ledger_problems() == []
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (SubsidyStatus.PAID, SubsidyStatus.GRANTED)
    assert ledger.budget_balance(2026) == D("500")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED

    settlement.budget_set(by=cecilia, year=2026, amount=D("500"))
    b.refresh_from_db()
    batch.refresh_from_db()
    assert b.status == SubsidyStatus.PAID and batch.status == BatchStatus.PAID
    assert ledger.budget_balance(2026) == 0 and paid(b) == D("1000")


def test_a_batch_holds_one_kind_and_a_subsidy_enters_one_batch_only(policy, ivan_lab, cecilia):
    with pytest.raises(ValidationError, match="机构补助"):
        subsidy_batch(cecilia)  # nothing granted yet
    grant(ivan_lab, cecilia, "10000")
    with pytest.raises(ValidationError, match="兑付申请"):
        settlement.batch_create(by=cecilia, year=2026, cycle=PayoutCycle.MONTHLY)  # redemptions: none
    batch = subsidy_batch(cecilia)
    with pytest.raises(ValidationError, match="机构补助"):
        subsidy_batch(cecilia)  # already batched
    with pytest.raises(ValidationError, match="批次类型"):
        settlement.batch_create(by=cecilia, year=2026, cycle=PayoutCycle.MONTHLY, kind="other")
    item = batch.items.get()
    # The database holds both rules: one active item per subsidy, and an item pays exactly
    # one redemption or one subsidy.
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchItem.objects.create(batch=batch, subsidy=item.subsidy, amount=item.amount)
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchItem.objects.create(batch=batch, amount=item.amount)


def test_only_the_centre_creates_a_subsidy_batch(policy, ivan_lab, alice, bob, olivia, cecilia):
    grant(ivan_lab, cecilia, "10000")
    for outsider in (alice, bob, olivia, ivan_lab):
        with pytest.raises(PermissionDenied):
            settlement.batch_create(by=outsider, year=2026, cycle=PayoutCycle.MONTHLY, kind=BatchKind.SUBSIDIES)
    assert not BatchItem.objects.exists()


# --- Public notice: an objection upheld cancels the subsidy -----------------------------------------


def test_an_upheld_objection_cancels_the_subsidy_and_releases_its_item(policy, ivan_lab, lab2, mallory, cecilia, clock):
    a, b = grant(ivan_lab, cecilia, "10000"), grant(lab2, cecilia, "1000")
    batch = subsidy_batch(cecilia, cycle=PayoutCycle.QUARTERLY)
    settlement.batch_open_notice(batch=batch, by=cecilia)
    item_a, item_b = batch.items.order_by("pk")
    upheld = settlement.objection_lodge(item=item_a, by=mallory, reason="该机构年度服务数据不实")
    dismissed = settlement.objection_lodge(item=item_b, by=mallory, reason="金额有误")
    assert ledger.ledger_problems() == []

    settlement.objection_resolve(objection=upheld, by=cecilia, upheld=True, resolution="核实属实")
    settlement.objection_resolve(objection=dismissed, by=cecilia, upheld=False, resolution="金额无误")
    assert ledger.ledger_problems() == []
    for row in (a, item_a, item_b):
        row.refresh_from_db()
    assert (a.status, item_a.status, item_b.status) == (
        SubsidyStatus.CANCELLED,
        BatchItemStatus.RELEASED,
        BatchItemStatus.PENDING,
    )
    assert payable(a) == 0
    event = SubsidyEvent.objects.get(subsidy=a, to_status=SubsidyStatus.CANCELLED)
    assert (event.actor, event.actor_role, event.note) == (cecilia, "centre", "公示异议成立：核实属实")

    settlement.budget_set(by=cecilia, year=2026, amount=D("5000"))
    clock.advance(days=30)  # the notice runs out
    settlement.batch_approve(batch=batch, by=cecilia)
    assert settlement.batch_pay(batch=batch, by=cecilia) == {"paid": 1, "waiting_budget": 0}
    batch.refresh_from_db()
    b.refresh_from_db()
    assert batch.status == BatchStatus.PAID and b.status == SubsidyStatus.PAID


# --- The subsidy's transition table -------------------------------------------------------------------


def _cancel(f):
    subsidy = grant(f["ivan_lab"], f["cecilia"], "10000")
    return subsidy, lambda: settlement.subsidy_cancel(subsidy=subsidy, by=f["cecilia"], note="评价数据更正")


def _pay(f):
    subsidy = grant(f["ivan_lab"], f["cecilia"], "10000")
    settlement.budget_set(by=f["cecilia"], year=2026, amount=D("10000"))
    batch = approved_subsidy_batch(f["cecilia"])
    return subsidy, lambda: settlement.batch_pay(batch=batch, by=f["cecilia"])


def _release(f):
    subsidy = grant(f["ivan_lab"], f["cecilia"], "10000")
    batch = subsidy_batch(f["cecilia"], cycle=PayoutCycle.QUARTERLY)
    settlement.batch_open_notice(batch=batch, by=f["cecilia"])
    objection = settlement.objection_lodge(item=batch.items.get(), by=f["mallory"], reason="数据不实")
    return subsidy, lambda: settlement.objection_resolve(
        objection=objection, by=f["cecilia"], upheld=True, resolution="属实"
    )


# (move, source, build, actor, role, note)
CASES = [
    ("cancel", "granted", _cancel, "cecilia", "centre", "评价数据更正"),
    ("pay", "granted", _pay, "cecilia", "centre", None),
    ("release", "granted", _release, "cecilia", "centre", "公示异议成立：属实"),
]


@pytest.fixture
def personas(policy, alice, bob, olivia, cecilia, ivan_lab, mallory):
    return {"alice": alice, "bob": bob, "olivia": olivia, "cecilia": cecilia, "ivan_lab": ivan_lab, "mallory": mallory}


def test_the_cases_cover_every_move_of_the_subsidy_workflow():
    assert {(c[0], c[1]) for c in CASES} == {(m.name, s) for m in SUBSIDY.moves for s in m.sources}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}:{c[1]}")
def test_each_allowed_move_is_made_by_its_service_with_one_audit_row(personas, case):
    name, source, build, actor, role, note = case
    subsidy, act = build(personas)
    assert subsidy.status == source
    move = next(m for m in SUBSIDY.moves if m.name == name)
    before = set(SubsidyEvent.objects.filter(subsidy=subsidy).values_list("pk", flat=True))

    act()

    subsidy.refresh_from_db()
    assert subsidy.status == move.target
    (row,) = SubsidyEvent.objects.filter(subsidy=subsidy).exclude(pk__in=before)
    assert (row.from_status, row.to_status) == (source, move.target)
    assert (row.actor, row.actor_role) == (personas[actor], role)
    if note:
        assert row.note == note
    assert ledger.ledger_problems() == []


def _granted(f):
    return grant(f["ivan_lab"], f["cecilia"], "10000")


def _batched(f):
    subsidy = _granted(f)
    subsidy_batch(f["cecilia"])
    return subsidy


def _made(build):
    def made(f):
        subsidy, act = build(f)
        act()
        return subsidy

    return made


REFUSALS = [
    # (what, build, who cancels, note, exception)
    ("the operator cancelling", _granted, "olivia", "x", PermissionDenied),
    ("the institution cancelling", _granted, "ivan_lab", "x", PermissionDenied),
    ("a cancellation without a reason", _granted, "cecilia", "  ", ValidationError),
    ("a subsidy in a batch cancelled", _batched, "cecilia", "x", ValidationError),
    ("a paid subsidy cancelled", _made(_pay), "cecilia", "x", ValidationError),
    ("a cancelled subsidy cancelled again", _made(_cancel), "cecilia", "x", ValidationError),
]


@pytest.mark.parametrize(("what", "build", "actor", "note", "error"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refused_move_changes_nothing_and_records_nothing(personas, what, build, actor, note, error):
    subsidy = build(personas)
    status = Subsidy.objects.get(pk=subsidy.pk).status
    events = SubsidyEvent.objects.filter(subsidy=subsidy).count()
    entries = LedgerEntry.objects.count()
    with pytest.raises(error):
        settlement.subsidy_cancel(subsidy=subsidy, by=personas[actor], note=note)
    assert Subsidy.objects.get(pk=subsidy.pk).status == status
    assert SubsidyEvent.objects.filter(subsidy=subsidy).count() == events
    assert LedgerEntry.objects.count() == entries


def test_the_table_refuses_a_move_it_does_not_hold(personas):
    subsidy, act = _cancel(personas)
    act()
    subsidy.refresh_from_db()
    with pytest.raises(InvalidTransition, match="已撤销"):
        SUBSIDY.move(subsidy, SubsidyStatus.PAID, by=personas["cecilia"])


def test_available_moves_per_persona(personas):
    subsidy = grant(personas["ivan_lab"], personas["cecilia"], "10000")
    assert available_moves(subsidy, personas["cecilia"]) == ["cancel"]
    for outsider in ("alice", "bob", "olivia", "ivan_lab", "mallory"):
        assert available_moves(subsidy, personas[outsider]) == []
    subsidy_batch(personas["cecilia"])
    assert available_moves(subsidy, personas["cecilia"]) == []  # blocked: in a batch


# --- The API: a subsidy batch, its items, the budget's queue ----------------------------------------


def test_the_centre_creates_and_pays_a_subsidy_batch_through_the_api(policy, api_as, ivan_lab, cecilia):
    subsidy = grant(ivan_lab, cecilia, "10000")
    client = api_as(cecilia)
    created = client.post("/api/batches/", {"year": 2026, "cycle": "monthly", "kind": "subsidies"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["kind"] == "subsidies"
    (item,) = body["items"]
    assert (item["subsidy"], item["subsidy_number"], item["redemption"], item["redemption_number"]) == (
        subsidy.pk,
        subsidy.number,
        None,
        None,
    )
    assert item["payee"] == "贺兰山分析测试中心" and item["amount"] == "10000.00"
    pk = body["id"]
    assert client.post(f"/api/batches/{pk}/approve/").status_code == 200
    paid_now = client.post(f"/api/batches/{pk}/pay/")
    assert paid_now.json() == {"paid": 0, "waiting_budget": 1}
    queue = client.get("/api/budgets/?year=2026").json()
    assert queue["waiting"] == [
        {"item": item["id"], "redemption": None, "subsidy": subsidy.number, "amount": "10000.00"}
    ]
    assert ledger.ledger_problems() == []
    assert client.post("/api/budgets/", {"year": 2026, "amount": "10000"}, format="json").status_code == 201
    assert client.get(f"/api/batches/{pk}/").json()["status"] == "paid"
    subsidy.refresh_from_db()
    assert subsidy.status == SubsidyStatus.PAID


def test_outsiders_cannot_create_a_subsidy_batch_through_the_api(policy, api_as, ivan_lab, cecilia, alice, bob, olivia):
    grant(ivan_lab, cecilia, "10000")
    for outsider in (alice, bob, olivia, ivan_lab):
        response = api_as(outsider).post(
            "/api/batches/", {"year": 2026, "cycle": "monthly", "kind": "subsidies"}, format="json"
        )
        assert response.status_code == 403, (outsider.username, response.status_code)
    assert not BatchItem.objects.exists()


def test_the_batch_page_lists_the_subsidies(policy, client, ivan_lab, cecilia, olivia):
    subsidy = grant(ivan_lab, cecilia, "10000")
    batch = subsidy_batch(cecilia)
    for viewer in (cecilia, olivia):
        client.force_login(viewer)
        html = client.get(f"/vouchers/batches/{batch.pk}/").content.decode()
        assert "补助明细" in html and subsidy.number in html and "贺兰山分析测试中心" in html
