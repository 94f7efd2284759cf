"""A voucher's life after issue, through the API: pay, proofs, rating, redemption, payout
batch with public notice and objection, budget, expiry, clawback — with the ledger's
invariants checked after every scenario."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests import factories
from vouchers import ledger, settlement
from vouchers.contracts import services
from vouchers.models import (
    BatchItemStatus,
    IntegrityRecord,
    LedgerAccount,
    PayoutBatch,
    Policy,
    Redemption,
    RedemptionStatus,
    Voucher,
    VoucherStatus,
)
from workdays.calendar import add_workdays

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ledger_stays_consistent(db):
    yield
    call_command("vouchers_check_ledger")  # raises CommandError on any broken invariant


def pay(api_as, user, voucher, key="pay-key-0001", completed_on=None):
    data = {"completed_on": completed_on} if completed_on else {}
    return api_as(user).post(f"/api/vouchers/{voucher.pk}/pay/", data, format="json", HTTP_IDEMPOTENCY_KEY=key)


def prove(api_as, user, voucher, invoice="40000", receipt="40000"):
    client = api_as(user)
    url = f"/api/vouchers/{voucher.pk}/proofs/"
    for kind, amount in (("invoice", invoice), ("bank_receipt", receipt), ("result", None)):
        data = {"kind": kind, "number": "NO.1", "file": factories.pdf_upload(f"{kind}.pdf")}
        if amount:
            data["amount"] = amount
        assert client.post(url, data, format="multipart").status_code == 201
    return client.post(f"/api/vouchers/{voucher.pk}/submit-proofs/")


def approve_proofs(api_as, olivia, voucher):
    r = api_as(olivia).post(f"/api/vouchers/{voucher.pk}/review-proofs/", {"decision": "approve"}, format="json")
    assert r.status_code == 200, r.json()


def redeem_and_confirm(api_as, payee, olivia, cecilia, vouchers, mode="instant"):
    created = api_as(payee).post(
        "/api/redemptions/", {"vouchers": [v.pk for v in vouchers], "mode": mode}, format="json"
    )
    assert created.status_code == 201, created.json()
    rid = created.json()["id"]
    assert (
        api_as(olivia).post(f"/api/redemptions/{rid}/check/", {"decision": "approve"}, format="json").status_code == 200
    )
    assert (
        api_as(cecilia).post(f"/api/redemptions/{rid}/confirm/", {"decision": "approve"}, format="json").status_code
        == 200
    )
    return Redemption.objects.get(pk=rid)


def batch_through_notice(api_as, cecilia, year, objector=None):
    batch = api_as(cecilia).post("/api/batches/", {"year": year, "cycle": "quarterly"}, format="json").json()
    assert api_as(cecilia).post(f"/api/batches/{batch['id']}/notice/").status_code == 200
    return PayoutBatch.objects.get(pk=batch["id"])


def end_notice(batch):
    PayoutBatch.objects.filter(pk=batch.pk).update(notice_from=dt.date(2000, 1, 1), notice_until=dt.date(2000, 1, 2))


def complete_service(institution_user, voucher):

    factories.serve(voucher.contract.booking, institution_user)


def test_the_whole_life_with_an_in_region_institution(api_as, issued, alice, ivan_lab, olivia, cecilia, mallory):
    complete_service(ivan_lab, issued)
    paid = pay(api_as, alice, issued)
    assert paid.status_code == 201, paid.json()
    assert paid.json()["voucher_applied"] == "20000.00" and paid.json()["cash_paid"] == "20000.00"
    issued.refresh_from_db()
    assert issued.status == VoucherStatus.USED and issued.holder_id == ivan_lab.organisation_id
    assert prove(api_as, alice, issued).status_code == 200
    approve_proofs(api_as, olivia, issued)
    assert (
        api_as(alice)
        .post("/api/ratings/", {"voucher": issued.pk, "score": 4, "comment": "专业"}, format="json")
        .status_code
        == 201
    )
    redemption = redeem_and_confirm(api_as, ivan_lab, olivia, cecilia, [issued])
    assert redemption.payee_id == ivan_lab.organisation_id
    batch = batch_through_notice(api_as, cecilia, issued.year)
    item = batch.items.get()
    objected = api_as(mallory).post(
        f"/api/batches/{batch.pk}/objections/", {"item": item.pk, "reason": "服务并未实际开展"}, format="json"
    )
    assert objected.status_code == 201
    item.refresh_from_db()
    assert item.status == BatchItemStatus.HELD
    end_notice(batch)
    api_as(cecilia).post(f"/api/batches/{batch.pk}/approve/")
    api_as(cecilia).post("/api/budgets/", {"year": issued.year, "amount": "5000000"}, format="json")
    assert api_as(cecilia).post(f"/api/batches/{batch.pk}/pay/").json() == {"paid": 0, "waiting_budget": 0}
    issued.refresh_from_db()
    assert issued.status == VoucherStatus.REDEEMING  # held by the open objection
    oid = objected.json()["id"]
    assert (
        api_as(cecilia)
        .post(f"/api/objections/{oid}/resolve/", {"upheld": False, "resolution": "经核实服务真实"}, format="json")
        .status_code
        == 200
    )
    second = api_as(cecilia).post("/api/batches/", {"year": issued.year, "cycle": "monthly"}, format="json")
    assert second.status_code == 400  # the item is still in its batch; nothing new to batch
    # The batch was not paid while its item was held: the dismissed objection's item is paid with it.
    assert api_as(cecilia).get(f"/api/batches/{batch.pk}/").json()["status"] == "approved"
    assert api_as(cecilia).post(f"/api/batches/{batch.pk}/pay/").json() == {"paid": 1, "waiting_budget": 0}
    assert api_as(cecilia).get(f"/api/batches/{batch.pk}/").json()["status"] == "paid"
    issued.refresh_from_db()
    assert issued.status == VoucherStatus.REDEEMED
    assert ledger.balance(LedgerAccount.PAID, organisation=ivan_lab.organisation) == Decimal("20000.00")
    assert ledger.balance(LedgerAccount.PROVINCE_BUDGET, year=issued.year, region__isnull=True) == Decimal("4980000.00")


def test_an_out_of_region_institution_is_paid_in_full_and_the_enterprise_redeems(
    api_as, policy, alice, bob, olivia, cecilia
):
    far = factories.listed_institution(username="xjtu", name="西安交通大学分析测试共享中心", lng=108.98, lat=34.25)
    contract = factories.ready_contract(alice, far, price="10000", quantity="1")
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    voucher = Voucher.objects.get(contract=contract)
    body = pay(api_as, alice, voucher).json()
    assert body["cash_paid"] == "10000.00" and body["payee"] == alice.organisation_id
    voucher.refresh_from_db()
    assert voucher.holder_id == alice.organisation_id and voucher.status == VoucherStatus.USED
    prove(api_as, alice, voucher, invoice="10000", receipt="10000")
    approve_proofs(api_as, olivia, voucher)
    redemption = redeem_and_confirm(api_as, alice, olivia, cecilia, [voucher])
    assert redemption.payee_id == alice.organisation_id


def test_cumulative_redemption_takes_several_vouchers_and_instant_only_one(
    api_as, policy, alice, ivan_lab, bob, olivia, cecilia
):
    vouchers = []
    for _ in range(2):
        c = factories.ready_contract(alice, ivan_lab, price="1000", quantity="1")
        services.contract_submit(contract=c, by=alice)
        for reviewer in (bob, olivia, cecilia):
            services.contract_review(contract=c, by=reviewer, approve=True)
        v = Voucher.objects.get(contract=c)
        pay(api_as, alice, v, key=f"key-{v.pk:08d}")
        prove(api_as, alice, v, invoice="1000", receipt="1000")
        approve_proofs(api_as, olivia, v)
        vouchers.append(v)
    client = api_as(ivan_lab)
    assert (
        client.post(
            "/api/redemptions/", {"vouchers": [v.pk for v in vouchers], "mode": "instant"}, format="json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/api/redemptions/", {"vouchers": [vouchers[0].pk], "mode": "cumulative"}, format="json"
        ).status_code
        == 400
    )
    r = redeem_and_confirm(api_as, ivan_lab, olivia, cecilia, vouchers, mode="cumulative")
    assert r.amount == Decimal("1000.00") and r.items.count() == 2


def test_a_redemption_may_be_resubmitted_once(api_as, issued, alice, ivan_lab, olivia):
    pay(api_as, alice, issued)
    prove(api_as, alice, issued)
    approve_proofs(api_as, olivia, issued)
    rid = (
        api_as(ivan_lab)
        .post("/api/redemptions/", {"vouchers": [issued.pk], "mode": "instant"}, format="json")
        .json()["id"]
    )
    for expected in (200, 400):
        r = api_as(olivia).post(
            f"/api/redemptions/{rid}/check/", {"decision": "return", "note": "发票抬头有误"}, format="json"
        )
        assert r.status_code == 200 and r.json()["status"] == "returned"
        issued.refresh_from_db()
        assert issued.status == VoucherStatus.USED
        assert api_as(ivan_lab).post(f"/api/redemptions/{rid}/resubmit/").status_code == expected
    assert Redemption.objects.get(pk=rid).status == RedemptionStatus.RETURNED


def test_when_the_budget_runs_out_confirmed_redemptions_wait_for_next_year_in_order(
    api_as, policy, alice, ivan_lab, bob, olivia, cecilia
):
    redemptions = []
    for _ in range(2):
        c = factories.ready_contract(alice, ivan_lab, price="30000", quantity="1")  # 15,000 voucher each
        services.contract_submit(contract=c, by=alice)
        for reviewer in (bob, olivia, cecilia):
            services.contract_review(contract=c, by=reviewer, approve=True)
        v = Voucher.objects.get(contract=c)
        pay(api_as, alice, v, key=f"key-{v.pk:08d}")
        prove(api_as, alice, v, invoice="30000", receipt="30000")
        approve_proofs(api_as, olivia, v)
        redemptions.append(redeem_and_confirm(api_as, ivan_lab, olivia, cecilia, [v]))
    year = policy.year
    api_as(cecilia).post("/api/budgets/", {"year": year, "amount": "20000"}, format="json")
    batch = api_as(cecilia).post("/api/batches/", {"year": year, "cycle": "monthly"}, format="json").json()
    api_as(cecilia).post(f"/api/batches/{batch['id']}/approve/")
    assert api_as(cecilia).post(f"/api/batches/{batch['id']}/pay/").json() == {"paid": 1, "waiting_budget": 1}
    waiting = api_as(cecilia).get("/api/budgets/", {"year": year}).json()
    assert waiting["province_balance"] == "5000.00" and len(waiting["waiting"]) == 1
    api_as(cecilia).post("/api/budgets/", {"year": year + 1, "amount": "100000"}, format="json")
    assert [r.status for r in Redemption.objects.filter(pk__in=[r.pk for r in redemptions])] == ["paid", "paid"]
    assert ledger.balance(LedgerAccount.PROVINCE_BUDGET, year=year + 1, region__isnull=True) == Decimal("85000.00")


def test_an_expired_voucher_returns_its_amount_to_the_annual_cap(issued, alice, api_as):
    year = issued.year
    assert ledger.received_this_year(alice.organisation, year) == Decimal("20000.00")
    Voucher.objects.filter(pk=issued.pk).update(valid_until=dt.date(2000, 1, 1))
    assert settlement.vouchers_expire()["expired"] == 1
    issued.refresh_from_db()
    assert issued.status == VoucherStatus.EXPIRED
    assert ledger.received_this_year(alice.organisation, year) == Decimal("0.00")
    assert pay(api_as, alice, issued).status_code == 400


def test_holders_are_warned_thirty_days_before_expiry_once(issued, alice):
    Voucher.objects.filter(pk=issued.pk).update(valid_until=dt.date.today() + dt.timedelta(days=20))
    assert settlement.vouchers_expire()["warned"] == 1
    assert settlement.vouchers_expire()["warned"] == 0
    assert alice.notifications.filter(title__contains="即将过期").count() == 1


def test_clawback_restores_the_budget_and_blocks_new_applications(api_as, issued, alice, ivan_lab, olivia, cecilia):
    pay(api_as, alice, issued)
    prove(api_as, alice, issued)
    approve_proofs(api_as, olivia, issued)
    redeem_and_confirm(api_as, ivan_lab, olivia, cecilia, [issued])
    api_as(cecilia).post("/api/budgets/", {"year": issued.year, "amount": "100000"}, format="json")
    batch = api_as(cecilia).post("/api/batches/", {"year": issued.year, "cycle": "monthly"}, format="json").json()
    api_as(cecilia).post(f"/api/batches/{batch['id']}/approve/")
    api_as(cecilia).post(f"/api/batches/{batch['id']}/pay/")
    assert (
        api_as(olivia).post(f"/api/vouchers/{issued.pk}/clawback/", {"reason": "x"}, format="json").status_code == 403
    )
    r = api_as(cecilia).post(f"/api/vouchers/{issued.pk}/clawback/", {"reason": "虚构服务项目"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "clawed_back"
    assert ledger.balance(LedgerAccount.PROVINCE_BUDGET, year=issued.year, region__isnull=True) == Decimal("100000.00")
    assert IntegrityRecord.objects.filter(organisation=alice.organisation, lifted_at__isnull=True).exists()
    new = factories.ready_contract(alice, ivan_lab, price="1000")
    assert not next(r for r in new.precheck if r["code"] == "integrity")["ok"]
    assert Voucher.objects.filter(pk=issued.pk).exists()  # nothing deleted


def test_proof_deadlines_count_working_days_across_national_day(api_as, issued, alice):
    body = pay(api_as, alice, issued, key="national-day-1", completed_on="2026-09-28").json()
    assert body["proof_deadline"] == "2026-10-16" and body["calendar_warning"] == ""


def test_the_proof_and_check_deadlines_follow_the_years_policy(api_as, issued, alice, ivan_lab, olivia):
    Policy.objects.filter(year=issued.year, region__isnull=True).update(proof_workdays=3, check_workdays=2)
    body = pay(api_as, alice, issued, key="short-limits-1", completed_on="2026-11-02").json()
    assert body["proof_deadline"] == "2026-11-05"  # a Monday and three working days
    prove(api_as, alice, issued)
    approve_proofs(api_as, olivia, issued)
    created = api_as(ivan_lab).post("/api/redemptions/", {"vouchers": [issued.pk], "mode": "instant"}, format="json")
    assert created.json()["check_deadline"] == add_workdays(timezone.localdate(), 2).value.isoformat()


def test_late_proofs_are_flagged(api_as, issued, alice):
    pay(api_as, alice, issued, key="late-proof-1", completed_on="2026-01-05")
    assert prove(api_as, alice, issued).json()["proof_late"] is True


def test_invoices_and_receipts_must_add_up(api_as, issued, alice):
    pay(api_as, alice, issued)
    response = prove(api_as, alice, issued, invoice="40000", receipt="39000")
    assert response.status_code == 400 and "不一致" in response.json()["detail"]


def test_bad_proof_files_are_refused(api_as, issued, alice):
    pay(api_as, alice, issued)
    url = f"/api/vouchers/{issued.pk}/proofs/"
    fake = api_as(alice).post(
        url, {"kind": "result", "file": factories.fake_pdf_executable("report.pdf")}, format="multipart"
    )
    assert fake.status_code == 400
    from django.core.files.uploadedfile import SimpleUploadedFile

    huge = SimpleUploadedFile(
        "photo.png", factories.PNG_BYTES + b"\0" * (5 * 1024 * 1024 + 1), content_type="image/png"
    )
    assert api_as(alice).post(url, {"kind": "result", "file": huge}, format="multipart").status_code == 400
    assert issued.use.proofs.count() == 0


def test_a_voucher_cannot_be_spent_twice_by_someone_else_or_without_a_key(api_as, issued, alice, mallory):
    assert pay(api_as, mallory, issued).status_code == 404
    assert api_as(alice).post(f"/api/vouchers/{issued.pk}/pay/", {}, format="json").status_code == 400
    first = pay(api_as, alice, issued, key="same-key-123")
    again = pay(api_as, alice, issued, key="same-key-123")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert pay(api_as, alice, issued, key="other-key-123").status_code == 400


def test_outsiders_are_refused_on_every_settlement_endpoint(api_as, issued, alice, ivan_lab, olivia, mallory, charlie):
    pay(api_as, alice, issued)
    for outsider in (mallory, charlie):
        client = api_as(outsider)
        for path in ("use/", "proofs/", "submit-proofs/", "review-proofs/", "clawback/"):
            method = client.get if path in ("use/", "proofs/") else client.post
            assert method(f"/api/vouchers/{issued.pk}/{path}").status_code == 404, (outsider, path)
        rating = {"voucher": issued.pk, "score": 1}
        assert client.post("/api/ratings/", rating, format="json").status_code == 404, outsider
    assert (
        api_as(mallory)
        .post("/api/redemptions/", {"vouchers": [issued.pk], "mode": "instant"}, format="json")
        .status_code
        == 400
    )
    assert api_as(mallory).get("/api/budgets/", {"year": 2026}).status_code == 403
    assert api_as(mallory).post("/api/batches/", {"year": 2026, "cycle": "monthly"}, format="json").status_code == 403
    assert (
        api_as(alice)
        .post(f"/api/vouchers/{issued.pk}/review-proofs/", {"decision": "approve"}, format="json")
        .status_code
        == 403
    )


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_spends_of_one_voucher_succeed_once(ningxia):
    factories.ningxia_policy()
    alice = factories.applicant_user(username="alice", adcode=640104)
    bob = factories.bureau_user(username="bob", adcode=640104)
    olivia = factories.staff_user(username="olivia", kind="operator")
    cecilia = factories.staff_user(username="cecilia", kind="centre")
    lab = factories.listed_institution(username="lab")
    contract = factories.ready_contract(alice, lab, price="1000", operator=olivia)
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    voucher = Voucher.objects.get(contract=contract)
    barrier = threading.Barrier(50)
    outcomes = []

    def spend(i):
        try:
            barrier.wait()
            settlement.voucher_pay(
                voucher=Voucher.objects.get(pk=voucher.pk), by=alice, idempotency_key=f"spend-{i:05d}"
            )
            outcomes.append("ok")
        except Exception as exc:  # noqa: BLE001
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=spend, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    # 2 × 1,000 yuan contract → 1,000 yuan voucher, now held by the institution.
    assert ledger.balance(LedgerAccount.VOUCHER, voucher=voucher, organisation=lab.organisation) == Decimal("1000.00")
    assert ledger.ledger_problems() == []


def test_a_use_not_rated_within_thirty_days_gets_a_default_good_rating_marked_as_such(api_as, issued, alice, ivan_lab):
    from catalog.models import Rating

    complete_service(ivan_lab, issued)
    pay(api_as, alice, issued, key="default-rating-1", completed_on="2026-09-01")
    assert settlement.default_ratings(today=dt.date(2026, 9, 20)) == 0  # still within 30 days
    assert settlement.default_ratings(today=dt.date(2026, 10, 5)) == 1
    rating = Rating.objects.get(booking=issued.contract.booking)
    assert rating.is_default and rating.score == 5
    assert settlement.default_ratings(today=dt.date(2026, 10, 6)) == 0  # once only


def offline_voucher(alice, ivan_lab, bob, olivia, cecilia) -> Voucher:
    """A voucher from an agreement made off the map (no booking to hang a rating on)."""
    contract = services.contract_open_offline(
        by=alice,
        institution=ivan_lab.organisation.institution,
        data={
            "title": "新材料工艺设计",
            "content": "设计服务",
            "scope": "testing",
            "category": "设计",
            "amount": Decimal("10000"),
            "signed_on": dt.date(2026, 8, 3),
            "service_start": dt.date(2026, 8, 4),
            "service_end": dt.date(2026, 8, 31),
        },
    )
    contract = services.contract_accept_pledge(contract=contract, by=alice)
    contract = services.contract_upload_scan(contract=contract, by=alice, upload=factories.pdf_upload("signed.pdf"))
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    contract.refresh_from_db()
    return contract.voucher


def test_an_offline_agreements_use_is_rated_once_and_the_rating_is_linked_to_it(
    api_as, policy, alice, ivan_lab, bob, olivia, cecilia, mallory
):
    voucher = offline_voucher(alice, ivan_lab, bob, olivia, cecilia)
    pay(api_as, alice, voucher)
    url, it = "/api/ratings/", {"voucher": voucher.pk}
    assert api_as(mallory).post(url, {**it, "score": 1}, format="json").status_code == 404  # not hers to see
    assert api_as(alice).post(url, {"score": 4}, format="json").status_code == 400  # which one?
    both = {**it, "booking": 1, "score": 4}
    assert api_as(alice).post(url, both, format="json").status_code == 400
    no_platform = api_as(alice).post(url, {**it, "score": 4, "platform_score": 5}, format="json")
    assert no_platform.status_code == 400 and "不评价省平台" in no_platform.content.decode()  # not Ningxia's
    first = api_as(alice).post(url, {**it, "score": 4, "comment": "设计方案清楚"}, format="json")
    assert first.status_code == 201, first.json()
    again = api_as(alice).post(url, {**it, "score": 1}, format="json")
    assert again.status_code == 400 and "该服务已评价" in str(again.json())
    use = Voucher.objects.get(pk=voucher.pk).use
    assert (use.rating.score, use.rating.comment, use.rating.booking) == (4, "设计方案清楚", None)


def test_an_offline_agreements_use_not_rated_in_thirty_days_gets_the_default_rating(
    api_as, policy, alice, ivan_lab, bob, olivia, cecilia
):
    voucher = offline_voucher(alice, ivan_lab, bob, olivia, cecilia)
    pay(api_as, alice, voucher, key="offline-default-1", completed_on="2026-08-31")
    assert settlement.default_ratings(today=dt.date(2026, 9, 25)) == 0
    assert settlement.default_ratings(today=dt.date(2026, 10, 5)) == 1
    rating = Voucher.objects.get(pk=voucher.pk).use.rating
    assert rating.is_default and rating.score == 5 and rating.institution == ivan_lab.organisation.institution
    assert settlement.default_ratings(today=dt.date(2026, 10, 6)) == 0  # once only


def test_no_voucher_pays_for_a_service_that_has_not_been_done(api_as, policy, alice, bob, olivia, cecilia, ivan_lab):
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="2", served=False)
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        contract = services.contract_review(contract=contract, by=reviewer, approve=True)
    voucher = contract.voucher
    early = pay(api_as, alice, voucher, key="before-service-1")
    assert early.status_code == 400 and "服务完成" in early.content.decode()
    assert api_as(alice).get(f"/api/vouchers/{voucher.pk}/").json()["available_moves"] == []
    factories.serve(contract.booking, ivan_lab)
    assert api_as(alice).get(f"/api/vouchers/{voucher.pk}/").json()["available_moves"] == ["pay"]
    assert pay(api_as, alice, voucher, key="before-service-2").status_code == 201
