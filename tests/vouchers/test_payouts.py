"""Payouts without holes (SPEC §5.4): a county top-up needs the county's budget (a clear
refusal, never a 500), a held item is paid with its batch once its objection is dismissed,
an upheld one leaves the batch and comes back in a later one, a batch is paid only when
every item is paid or released, and the budget reads the same on the API and the page.

Personas: Alice (兴庆区, 640104) holds vouchers for services of Ivan's lab (西夏区); 兴庆区
tops vouchers up by 10 %; Olivia the operator; Cecilia the centre; Mallory objects.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from geodata.models import Region
from tests import factories
from vouchers import ledger, settlement
from vouchers.contracts import services
from vouchers.models import (
    BatchItem,
    BatchItemStatus,
    BatchStatus,
    PayoutBatch,
    PayoutCycle,
    Policy,
    ProofKind,
    RedemptionMode,
    RedemptionStatus,
    Voucher,
    VoucherStatus,
)

pytestmark = pytest.mark.django_db
D = Decimal
XINGQING = 640104


@pytest.fixture(autouse=True)
def _ledger_consistent_after_each_test(clock, check_ledger):
    yield
    check_ledger()


@pytest.fixture
def topup(policy):
    """兴庆区's county record: 10 % of the contract amount on top of the voucher."""
    return Policy.objects.create(name="兴庆区配套", year=policy.year, region_id=XINGQING, county_topup_rate=D("0.10"))


def confirmed(alice, bob, olivia, cecilia, ivan_lab, *, price="20000"):
    """A redemption of one voucher (2 × ``price`` contract), confirmed by the centre."""
    contract = factories.ready_contract(alice, ivan_lab, price=price, quantity="2")
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    voucher = Voucher.objects.get(contract=contract)
    use = settlement.voucher_pay(voucher=voucher, by=alice, idempotency_key=uuid.uuid4().hex)
    amount = str(D(price) * 2)
    for kind, value in ((ProofKind.INVOICE, amount), (ProofKind.BANK_RECEIPT, amount), (ProofKind.RESULT, None)):
        settlement.proof_upload(use=use, by=alice, kind=kind, upload=factories.pdf_upload(), amount=value)
    settlement.proof_submit(use=use, by=alice)
    settlement.proof_review(use=use, by=olivia, approve=True)
    voucher.refresh_from_db()
    redemption = settlement.redemption_request(by=ivan_lab, vouchers=[voucher], mode=RedemptionMode.INSTANT)
    settlement.redemption_check(redemption=redemption, by=olivia, approve=True)
    return settlement.redemption_confirm(redemption=redemption, by=cecilia)


@pytest.fixture
def redemption(policy, alice, bob, olivia, cecilia, ivan_lab):
    return confirmed(alice, bob, olivia, cecilia, ivan_lab)


def approved_batch(cecilia, year, cycle=PayoutCycle.MONTHLY):
    batch = settlement.batch_create(by=cecilia, year=year, cycle=cycle)
    return settlement.batch_approve(batch=batch, by=cecilia)


# --- County top-ups and budgets --------------------------------------------------------------------


def test_paying_a_top_up_without_the_countys_budget_is_a_clear_400_and_pays_nothing(
    api_as, topup, alice, bob, olivia, cecilia, ivan_lab
):
    redemption = confirmed(alice, bob, olivia, cecilia, ivan_lab)
    voucher = redemption.items.get().voucher
    assert voucher.county_topup == D("4000.00")
    year = topup.year
    client = api_as(cecilia)
    assert client.post("/api/budgets/", {"year": year, "amount": "100000"}, format="json").status_code == 201
    batch = approved_batch(cecilia, year)

    refused = client.post(f"/api/batches/{batch.pk}/pay/")

    assert refused.status_code == 400
    assert "兴庆区" in refused.json()["detail"] and "4,000.00" in refused.json()["detail"]
    assert ledger.budget_balance(year) == D("100000.00")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED and batch.items.get().status == BatchItemStatus.PENDING

    assert (
        client.post("/api/budgets/", {"year": year, "amount": "10000", "region": XINGQING}, format="json").status_code
        == 201
    )
    assert client.post(f"/api/batches/{batch.pk}/pay/").json() == {"paid": 1, "waiting_budget": 0}
    assert ledger.budget_balance(year) == D("80000.00")
    assert ledger.budget_balance(year, XINGQING) == D("6000.00")


def test_the_budget_page_refuses_the_payout_as_a_message_too(client, topup, alice, bob, olivia, cecilia, ivan_lab):
    confirmed(alice, bob, olivia, cecilia, ivan_lab)
    batch = approved_batch(cecilia, topup.year)
    client.force_login(cecilia)
    response = client.post(reverse("vouchers:batch_pay", args=[batch.pk]), follow=True)
    assert response.status_code == 200 and "尚未下达" in response.content.decode()


def test_setting_a_budget_while_a_top_up_waits_for_its_county_is_not_a_500(
    api_as, topup, alice, bob, olivia, cecilia, ivan_lab
):
    """The old code passed an adcode where a Region was needed on this path."""
    confirmed(alice, bob, olivia, cecilia, ivan_lab)
    year = topup.year
    client = api_as(cecilia)
    client.post("/api/budgets/", {"year": year, "amount": "1", "region": XINGQING}, format="json")  # too little
    batch = approved_batch(cecilia, year)
    assert client.post(f"/api/batches/{batch.pk}/pay/").json() == {"paid": 0, "waiting_budget": 1}

    # New province budget: the item still needs 4,000 of the county's, so it keeps waiting.
    response = client.post("/api/budgets/", {"year": year, "amount": "100000"}, format="json")
    assert response.status_code == 201 and response.json()["balance"] == "100000.00"
    assert batch.items.get().status == BatchItemStatus.WAITING_BUDGET
    # Next year's province budget: there is no county budget for that year at all.
    response = client.post("/api/budgets/", {"year": year + 1, "amount": "100000"}, format="json")
    assert response.status_code == 201
    assert client.get("/api/budgets/", {"year": year}).json()["waiting_total"] == "24000.00"

    response = client.post("/api/budgets/", {"year": year, "amount": "5000", "region": XINGQING}, format="json")
    assert response.status_code == 201
    assert batch.items.get().status == BatchItemStatus.PAID
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PAID
    assert ledger.budget_balance(year, XINGQING) == D("1001.00")


def test_an_unknown_county_for_a_budget_is_a_400(api_as, cecilia):
    response = api_as(cecilia).post("/api/budgets/", {"year": 2026, "amount": "5", "region": 999999}, format="json")
    assert response.status_code == 400 and "region" in response.json()


# --- Objections and batches -------------------------------------------------------------------------


def test_a_dismissed_objection_is_paid_with_its_already_approved_batch(clock, redemption, cecilia, mallory):
    year = redemption.year
    settlement.budget_set(by=cecilia, year=year, amount=D("100000"))
    batch = settlement.batch_open_notice(
        batch=settlement.batch_create(by=cecilia, year=year, cycle=PayoutCycle.QUARTERLY), by=cecilia
    )
    objection = settlement.objection_lodge(item=batch.items.get(), by=mallory, reason="疑似重复申报")
    clock.advance(days=10)
    settlement.batch_approve(batch=batch, by=cecilia)
    assert settlement.batch_pay(batch=batch, by=cecilia) == {"paid": 0, "waiting_budget": 0}
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED  # not paid: its item is held

    settlement.objection_resolve(objection=objection, by=cecilia, upheld=False, resolution="经核查不属实")
    assert settlement.batch_pay(batch=batch, by=cecilia) == {"paid": 1, "waiting_budget": 0}

    batch.refresh_from_db()
    redemption.refresh_from_db()
    assert batch.status == BatchStatus.PAID and redemption.status == RedemptionStatus.PAID


def test_an_upheld_objection_releases_the_item_and_the_resubmitted_redemption_enters_a_later_batch(
    clock, redemption, ivan_lab, olivia, cecilia, mallory
):
    year = redemption.year
    first = settlement.batch_open_notice(
        batch=settlement.batch_create(by=cecilia, year=year, cycle=PayoutCycle.QUARTERLY), by=cecilia
    )
    objection = settlement.objection_lodge(item=first.items.get(), by=mallory, reason="服务未实际开展")
    settlement.objection_resolve(objection=objection, by=cecilia, upheld=True, resolution="核实服务未完成")
    assert first.items.get().status == BatchItemStatus.RELEASED
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.RETURNED
    clock.advance(days=10)
    settlement.batch_approve(batch=first, by=cecilia)
    first.refresh_from_db()
    assert first.status == BatchStatus.PAID  # nothing left to pay in it: its only item was released

    settlement.redemption_resubmit(redemption=redemption, by=ivan_lab, note="已补充服务记录")
    settlement.redemption_check(redemption=redemption, by=olivia, approve=True)
    settlement.redemption_confirm(redemption=redemption, by=cecilia)
    second = approved_batch(cecilia, year)
    assert [i.redemption_id for i in second.items.all()] == [redemption.pk]
    settlement.budget_set(by=cecilia, year=year, amount=D("100000"))
    assert settlement.batch_pay(batch=second, by=cecilia) == {"paid": 1, "waiting_budget": 0}
    assert list(redemption.batch_items.order_by("pk").values_list("batch_id", "status")) == [
        (first.pk, BatchItemStatus.RELEASED),
        (second.pk, BatchItemStatus.PAID),
    ]


def test_a_redemption_has_at_most_one_active_batch_item(redemption, cecilia):
    batch = settlement.batch_create(by=cecilia, year=redemption.year, cycle=PayoutCycle.MONTHLY)
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchItem.objects.create(batch=batch, redemption=redemption, amount=redemption.amount)
    with pytest.raises(Exception, match="没有待拨付"):
        settlement.batch_create(by=cecilia, year=redemption.year, cycle=PayoutCycle.MONTHLY)


def test_a_batch_with_an_item_waiting_for_budget_is_not_paid_until_the_budget_comes(redemption, cecilia):
    batch = approved_batch(cecilia, redemption.year)
    assert settlement.batch_pay(batch=batch, by=cecilia) == {"paid": 0, "waiting_budget": 1}
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED
    settlement.budget_set(by=cecilia, year=redemption.year, amount=D("50000"))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PAID and batch.paid_at is not None


def test_later_items_wait_behind_the_first_the_budget_cannot_cover(policy, alice, bob, olivia, cecilia, ivan_lab):
    big = confirmed(alice, bob, olivia, cecilia, ivan_lab, price="30000")  # 30,000 voucher
    small = confirmed(alice, bob, olivia, cecilia, ivan_lab, price="1000")  # 1,000 voucher
    settlement.budget_set(by=cecilia, year=policy.year, amount=D("20000"))
    batch = approved_batch(cecilia, policy.year)
    assert settlement.batch_pay(batch=batch, by=cecilia) == {"paid": 0, "waiting_budget": 2}
    queue = list(BatchItem.objects.filter(status=BatchItemStatus.WAITING_BUDGET).order_by("queued_at", "pk"))
    assert [i.redemption_id for i in queue] == [big.pk, small.pk]


# --- One budget read model ---------------------------------------------------------------------------


def test_the_budget_api_and_page_agree_after_a_clawback(client, api_as, redemption, cecilia):
    year = redemption.year
    settlement.budget_set(by=cecilia, year=year, amount=D("100000"))
    batch = approved_batch(cecilia, year)
    settlement.batch_pay(batch=batch, by=cecilia)
    voucher = redemption.items.get().voucher
    api = api_as(cecilia)
    assert api.get("/api/budgets/", {"year": year}).json()["paid"] == "20000.00"

    settlement.voucher_clawback(voucher=voucher, by=cecilia, reason="虚构服务")

    body = api.get("/api/budgets/", {"year": year}).json()
    assert (body["province_granted"], body["paid"], body["province_balance"]) == ("100000.00", "0.00", "100000.00")
    client.force_login(cecilia)
    page = client.get(reverse("vouchers:budget"), {"year": year}).content.decode()
    sums = dict(
        re.findall(r"<tr(?: class=\"total\")?><th>(\S+)</th><td class=\"num\">(?:<strong[^>]*>)?([\d,.]+)", page)
    )
    assert sums == {"已下达": "100,000.00", "已拨付": "0.00", "余额": "100,000.00"}
    assert Voucher.objects.get(pk=voucher.pk).status == VoucherStatus.CLAWED_BACK


# --- Batches for a chosen set ------------------------------------------------------------------


def test_a_batch_for_chosen_redemptions_leaves_the_others_waiting(
    api_as, policy, alice, bob, olivia, cecilia, ivan_lab
):
    first = confirmed(alice, bob, olivia, cecilia, ivan_lab)
    second = confirmed(alice, bob, olivia, cecilia, ivan_lab, price="10000")
    client = api_as(cecilia)
    year = policy.year
    body = {"year": year, "cycle": "monthly", "redemptions": [second.pk]}
    batch = client.post("/api/batches/", body, format="json")
    assert batch.status_code == 201, batch.content
    assert [i["redemption"] for i in batch.json()["items"]] == [second.pk]
    again = client.post("/api/batches/", body, format="json")  # already taken: refused, nothing made
    assert again.status_code == 400 and "已在其他批次" in again.content.decode()
    unknown = client.post("/api/batches/", {**body, "redemptions": [first.pk, 999999]}, format="json")
    assert unknown.status_code == 400 and "999999" in unknown.content.decode()
    assert PayoutBatch.objects.count() == 1
    rest = client.post("/api/batches/", {"year": year, "cycle": "monthly"}, format="json")
    assert [i["redemption"] for i in rest.json()["items"]] == [first.pk]
    assert api_as(olivia).post("/api/batches/", body, format="json").status_code == 403


# --- A bureau's own budget and batches ----------------------------------------------------------


def test_a_bureau_reads_its_own_budget_and_sets_it_only_where_the_scheme_pays_locally(
    client, api_as, policy, topup, bob, charlie, cecilia
):
    year = policy.year
    settlement.budget_set(by=cecilia, year=year, amount=D("50000"), region=topup.region)
    settlement.budget_set(by=cecilia, year=year, amount=D("70000"), region=Region.objects.get(pk=640105))
    client.force_login(bob)
    page = client.get(reverse("vouchers:budget"), {"year": year})
    text = page.content.decode()
    # Ningxia: the county's top-up budget is the centre's to set; the bureau reads its own only.
    assert page.status_code == 200 and "50,000.00" in text and "70,000.00" not in text
    assert "下达预算</button>" not in text and "自治区预算" not in text
    refused = client.post(reverse("vouchers:budget"), {"year": year, "amount": "1000", "region": XINGQING})
    assert refused.status_code == 403
    assert api_as(bob).post("/api/budgets/", {"year": year, "amount": "1000", "region": XINGQING}).status_code == 403
    assert ledger.budget_balance(year, XINGQING) == D("50000")
    # Where the scheme pays from local budgets, the bureau tops up its own region — only its own.
    policy.payout_cycle, policy.funding = PayoutCycle.ON_APPROVAL, "local"
    policy.save()
    text = client.get(reverse("vouchers:budget"), {"year": year}).content.decode()
    assert "下达预算</button>" in text
    done = client.post(reverse("vouchers:budget"), {"year": year, "amount": "1000", "region": XINGQING})
    assert done.status_code == 302, re.findall(r"errorlist[^<]*<li>([^<]*)", done.content.decode())
    assert ledger.budget_balance(year, XINGQING) == D("51000")
    other = client.post(reverse("vouchers:budget"), {"year": year, "amount": "1000", "region": 640105})
    assert other.status_code in (200, 400) and ledger.budget_balance(year, 640105) == D("70000")
    assert api_as(charlie).get("/api/budgets/ledger/", {"year": year, "region": XINGQING}).status_code == 403
    client.force_login(factories.applicant_user(username="nosy", adcode=XINGQING))
    assert client.get(reverse("vouchers:budget")).status_code == 403


def test_the_centre_cannot_make_an_on_approval_batch_by_hand(api_as, policy, cecilia):
    made = api_as(cecilia).post("/api/batches/", {"year": policy.year, "cycle": "on_approval"}, format="json")
    assert made.status_code == 400 and PayoutBatch.objects.count() == 0
