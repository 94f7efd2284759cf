"""Settlement pages: paying with a voucher, proofs, the work queue, redemption, payout
batches with public notice and objections, bank exports and the budget (SPEC §5.3–5.4).

Personas: Alice (enterprise in 兴庆区) holds a 20,000-yuan voucher for a 40,000-yuan contract
with Ivan's lab (an in-region institution in 西夏区, so the voucher passes to the lab and the
lab redeems it); Olivia the operator; Cecilia the centre; Bob is 兴庆区's bureau, Charlie
西夏区's; Mallory an unrelated enterprise in 西夏区.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import services as accounts_services
from accounts.models import BankAccount
from tests import factories
from vouchers import ledger, settlement
from vouchers.models import (
    BatchItemStatus,
    BatchStatus,
    LedgerEntry,
    LedgerKind,
    Objection,
    ObjectionStatus,
    PayoutBatch,
    PayoutCycle,
    Policy,
    Proof,
    ProofKind,
    ProofStatus,
    Redemption,
    RedemptionMode,
    RedemptionStatus,
    VoucherStatus,
    VoucherUse,
)

pytestmark = pytest.mark.django_db


# --- Helpers ----------------------------------------------------------------------------------


def page(response) -> str:
    return response.content.decode()


def as_user(client, user):
    client.force_login(user)
    return client


def url(name: str, *args) -> str:
    return reverse(f"vouchers:{name}", args=args)


def pay_key(client, voucher) -> str:
    """The idempotency key the pay page put in its form."""
    body = page(client.get(url("pay", voucher.pk)))
    return re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', body).group(1)


def proof_upload(kind: str, amount: str = "", number: str = "", upload=None) -> dict:
    return {
        "kind": kind,
        "amount": amount,
        "number": number,
        "file": upload or factories.pdf_upload(f"{kind}.pdf"),
    }


def paid(voucher, alice) -> VoucherUse:
    return settlement.voucher_pay(voucher=voucher, by=alice, idempotency_key=uuid.uuid4().hex)


def approved_use(voucher, alice, olivia) -> VoucherUse:
    """Paid, with an invoice, a matching bank receipt and a result, approved by the operator."""
    use = paid(voucher, alice)
    for kind, amount in (
        (ProofKind.INVOICE, "40000"),
        (ProofKind.BANK_RECEIPT, "40000"),
        (ProofKind.RESULT, None),
    ):
        settlement.proof_upload(use=use, by=alice, kind=kind, upload=factories.pdf_upload(), amount=amount)
    settlement.proof_submit(use=use, by=alice)
    return settlement.proof_review(use=use, by=olivia, approve=True)


def confirmed_redemption(voucher, alice, olivia, cecilia, ivan_lab) -> Redemption:
    approved_use(voucher, alice, olivia)
    voucher.refresh_from_db()
    redemption = settlement.redemption_request(by=ivan_lab, vouchers=[voucher], mode=RedemptionMode.INSTANT)
    settlement.redemption_check(redemption=redemption, by=olivia, approve=True)
    return settlement.redemption_confirm(redemption=redemption, by=cecilia)


def batch_on_notice(voucher, alice, olivia, cecilia, ivan_lab) -> PayoutBatch:
    confirmed_redemption(voucher, alice, olivia, cecilia, ivan_lab)
    batch = settlement.batch_create(by=cecilia, year=timezone.localdate().year, cycle=PayoutCycle.QUARTERLY)
    return settlement.batch_open_notice(batch=batch, by=cecilia)


def end_notice(batch: PayoutBatch) -> None:
    """The notice period ran out (there is no clock to wait for in a test)."""
    today = timezone.localdate()
    PayoutBatch.objects.filter(pk=batch.pk).update(
        notice_from=today - dt.timedelta(days=10), notice_until=today - dt.timedelta(days=1)
    )


# --- The whole path ---------------------------------------------------------------------------


def test_the_pages_state_the_time_limits_of_the_years_policy(client, issued, alice, olivia, ivan_lab):
    voucher = issued
    Policy.objects.filter(year=voucher.year, region__isnull=True).update(proof_workdays=4, check_workdays=3)
    as_user(client, alice)
    assert "服务完成后 4 个工作日内须上传" in page(client.get(url("pay", voucher.pk)))
    paid(voucher, alice)
    assert "（服务完成后 4 个工作日）" in page(client.get(url("use", voucher.pk)))
    as_user(client, olivia)
    assert "兑付申请须在提交后 3 个工作日内审核" in page(client.get(url("queue")))
    as_user(client, ivan_lab)
    assert "运营单位 3 个工作日内审核材料" in page(client.get(url("redemptions")))


def test_a_voucher_goes_from_payment_through_proofs_redemption_notice_and_budget_to_redeemed(
    client, issued, alice, olivia, cecilia, ivan_lab, mallory
):
    voucher = issued
    year = timezone.localdate().year

    # Alice pays: price, voucher applied, cash to pay; the voucher passes to the lab.
    as_user(client, alice)
    body = page(client.get(url("pay", voucher.pk)))
    assert "40,000.00" in body and "20,000.00" in body and "服务券" in body
    response = client.post(url("pay", voucher.pk), {"idempotency_key": pay_key(client, voucher)})
    assert response.status_code == 302 and response.url == url("use", voucher.pk)
    voucher.refresh_from_db()
    use = voucher.use
    assert voucher.status == VoucherStatus.USED and voucher.holder == ivan_lab.organisation
    assert use.cash_paid == Decimal("20000.00") and use.voucher_applied == Decimal("20000.00")

    # Proofs: invoice and bank receipt with matching amounts, a result, then submit.
    body = page(client.get(url("use", voucher.pk)))
    assert use.proof_deadline.strftime("%Y-%m-%d") in body and "提交证明材料" in body
    for data in (
        proof_upload(ProofKind.INVOICE, "40000", "FP-001"),
        proof_upload(ProofKind.BANK_RECEIPT, "40000", "HD-001"),
        proof_upload(ProofKind.RESULT),
    ):
        assert client.post(url("proof_upload", voucher.pk), data).status_code == 302
    body = page(client.get(url("use", voucher.pk)))
    proof = use.proofs.first()
    assert "FP-001" in body and url("proof_file", proof.pk) in body
    assert client.post(url("proof_submit", voucher.pk), {}).status_code == 302
    use.refresh_from_db()
    assert use.proof_status == ProofStatus.SUBMITTED

    # The operator finds the proofs in the queue and approves them.
    as_user(client, olivia)
    assert voucher.number in page(client.get(url("queue")))
    assert client.get(url("proof_file", proof.pk)).status_code == 200
    response = client.post(url("proof_review", voucher.pk), {"decision": "approve", "note": ""})
    assert response.status_code == 302
    use.refresh_from_db()
    assert use.proof_status == ProofStatus.APPROVED

    # The lab asks for instant redemption of the voucher it received.
    as_user(client, ivan_lab)
    assert voucher.number in page(client.get(url("redemptions")))
    response = client.post(url("redemptions"), {"vouchers": [voucher.pk], "mode": "instant", "note": "检测已完成"})
    redemption = Redemption.objects.get()
    assert response.status_code == 302 and response.url == url("redemption", redemption.pk)
    assert redemption.amount == Decimal("20000.00")

    # The operator checks it within its deadline; the centre confirms it.
    as_user(client, olivia)
    queue = page(client.get(url("queue")))
    assert redemption.number in queue and redemption.check_deadline.strftime("%Y-%m-%d") in queue
    client.post(url("redemption_check", redemption.pk), {"decision": "approve", "note": "材料齐全"})
    as_user(client, cecilia)
    client.post(url("redemption_confirm", redemption.pk), {"decision": "approve", "note": ""})
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.CONFIRMED
    assert redemption.number in page(client.get(url("queue")))  # confirmed, not yet batched

    # The centre makes a quarterly batch and puts it on public notice.
    response = client.post(url("batches"), {"year": year, "cycle": "quarterly"})
    batch = PayoutBatch.objects.get()
    assert response.status_code == 302 and response.url == url("batch", batch.pk)
    client.post(url("batch_notice", batch.pk), {})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.NOTICE
    item = batch.items.get()

    # Anyone signed in sees the notice; Mallory objects to the item.
    as_user(client, mallory)
    notices = page(client.get(url("notices")))
    assert ivan_lab.organisation.name in notices and "20,000.00" in notices and voucher.number in notices
    response = client.post(url("notices"), {"item": item.pk, f"i{item.pk}-reason": "该检测项目疑似重复申报"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == BatchItemStatus.HELD

    # The centre sees the objection, dismisses it, and approves once the notice has ended.
    as_user(client, cecilia)
    objection = Objection.objects.get()
    assert objection.reason in page(client.get(url("queue")))
    assert "该检测项目疑似重复申报" in page(client.get(url("batch", batch.pk)))
    response = client.post(url("batch_approve", batch.pk), {}, follow=True)
    assert "期满后才能批准" in page(response)
    client.post(
        url("objection_resolve", batch.pk),
        {
            "objection": objection.pk,
            f"o{objection.pk}-decision": "dismissed",
            f"o{objection.pk}-resolution": "经核查不属于重复申报",
        },
    )
    objection.refresh_from_db()
    item.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED and item.status == BatchItemStatus.PENDING
    assert "公示期满，待批准" not in page(client.get(url("batch", batch.pk)))
    end_notice(batch)
    ended = page(client.get(url("batch", batch.pk)))
    assert "公示期满，待批准" in ended and 'id="notice-ended"' in ended and "期满后才能批准" not in ended
    client.post(url("batch_approve", batch.pk), {})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED

    # Paying with no budget yet: the item waits for budget, in order.
    response = client.post(url("batch_pay", batch.pk), {}, follow=True)
    assert "已拨付 0 笔；1 笔因预算不足" in page(response)
    item.refresh_from_db()
    assert item.status == BatchItemStatus.WAITING_BUDGET
    assert redemption.number in page(client.get(url("budget")))

    # The centre adds the year's budget on the budget page: the waiting item is paid.
    response = client.post(
        url("budget"),
        {"year": year, "amount": "100000", "region": "", "note": "年度预算"},
        follow=True,
    )
    body = page(response)
    assert "80,000.00" in body and "排队等待预算的 1 笔兑付已拨付" in body
    voucher.refresh_from_db()
    item.refresh_from_db()
    redemption.refresh_from_db()
    assert voucher.status == VoucherStatus.REDEEMED
    assert item.status == BatchItemStatus.PAID and redemption.status == RedemptionStatus.PAID
    assert ledger.balance("province_budget", year=year, region__isnull=True) == Decimal("80000.00")
    assert ledger.ledger_problems() == []


# --- Paying -----------------------------------------------------------------------------------


def test_a_double_submitted_pay_form_pays_once(client, issued, alice):
    as_user(client, alice)
    key = pay_key(client, issued)
    first = client.post(url("pay", issued.pk), {"idempotency_key": key})
    second = client.post(url("pay", issued.pk), {"idempotency_key": key}, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "重复提交未再次扣券" in page(second)
    assert VoucherUse.objects.filter(voucher=issued).count() == 1
    assert LedgerEntry.objects.filter(voucher=issued, kind=LedgerKind.USE).count() == 2  # one movement
    assert ledger.ledger_problems() == []


def test_a_fresh_pay_form_for_a_used_voucher_is_refused_as_a_form_error(client, issued, alice):
    as_user(client, alice)
    stale_key = pay_key(client, issued)
    paid(issued, alice)
    response = client.post(url("pay", issued.pk), {"idempotency_key": stale_key})
    assert response.status_code == 400 and "不能使用" in page(response)  # refused: a 4xx, as on every page
    assert VoucherUse.objects.filter(voucher=issued).count() == 1


def test_opening_the_pay_page_of_a_used_voucher_leads_to_its_use(client, issued, alice):
    paid(issued, alice)
    as_user(client, alice)
    response = client.get(url("pay", issued.pk))
    assert response.status_code == 302 and response.url == url("use", issued.pk)


def test_a_pay_form_without_its_key_pays_nothing(client, issued, alice):
    as_user(client, alice)
    response = client.post(url("pay", issued.pk), {"idempotency_key": "x"}, follow=True)
    assert response.redirect_chain == [(url("pay", issued.pk), 302)]
    assert "页面已失效" in page(response) and re.search(r'value="[0-9a-f]{32}"', page(response))
    assert not VoucherUse.objects.exists()


def test_an_out_of_region_service_is_paid_in_full_and_the_enterprise_keeps_the_voucher(client, issued, alice):
    org = issued.institution.organisation
    org.in_region = False
    org.save(update_fields=["in_region"])
    as_user(client, alice)
    body = page(client.get(url("pay", issued.pk)))
    assert "全额" in body and "区外" in body
    client.post(url("pay", issued.pk), {"idempotency_key": pay_key(client, issued)})
    issued.refresh_from_db()
    assert issued.holder == alice.organisation and issued.use.cash_paid == Decimal("40000.00")


# --- Proofs and rating ------------------------------------------------------------------------


def test_a_renamed_executable_is_refused_as_proof(client, issued, alice):
    paid(issued, alice)
    as_user(client, alice)
    upload = factories.fake_pdf_executable("invoice.pdf")
    response = client.post(url("proof_upload", issued.pk), proof_upload(ProofKind.INVOICE, "40000", upload=upload))
    assert response.status_code == 400 and "文件内容不是允许的类型" in page(response)
    assert not Proof.objects.exists()


def test_a_png_result_is_accepted_and_streamed_back_as_an_image(client, issued, alice):
    use = paid(issued, alice)
    as_user(client, alice)
    png = SimpleUploadedFile("report.png", factories.PNG_BYTES, content_type="image/png")
    assert client.post(url("proof_upload", issued.pk), proof_upload(ProofKind.RESULT, upload=png)).status_code == 302
    proof = use.proofs.get()
    response = client.get(url("proof_file", proof.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == factories.PNG_BYTES


def test_an_invoice_without_an_amount_is_a_form_error(client, issued, alice):
    paid(issued, alice)
    as_user(client, alice)
    response = client.post(url("proof_upload", issued.pk), proof_upload(ProofKind.INVOICE))
    assert response.status_code == 400 and "须填写金额" in page(response)
    assert not Proof.objects.exists()


def test_submitting_proofs_whose_totals_differ_lists_what_is_wrong(client, issued, alice):
    paid(issued, alice)
    as_user(client, alice)
    client.post(url("proof_upload", issued.pk), proof_upload(ProofKind.INVOICE, "40000"))
    client.post(url("proof_upload", issued.pk), proof_upload(ProofKind.BANK_RECEIPT, "30000"))
    response = client.post(url("proof_submit", issued.pk), {})
    body = page(response)
    assert response.status_code == 400 and "不一致" in body and "缺少结果证明" in body
    issued.use.refresh_from_db()
    assert issued.use.proof_status == ProofStatus.NONE


def test_proofs_past_their_deadline_are_marked_late(client, issued, alice, olivia):
    use = paid(issued, alice)
    VoucherUse.objects.filter(pk=use.pk).update(proof_deadline=timezone.localdate() - dt.timedelta(days=1))
    as_user(client, alice)
    assert "逾期" in page(client.get(url("use", issued.pk)))
    for data in (
        proof_upload(ProofKind.INVOICE, "40000"),
        proof_upload(ProofKind.BANK_RECEIPT, "40000"),
        proof_upload(ProofKind.RESULT),
    ):
        client.post(url("proof_upload", issued.pk), data)
    client.post(url("proof_submit", issued.pk), {})
    use.refresh_from_db()
    assert use.proof_late
    as_user(client, olivia)
    assert "逾期提交" in page(client.get(url("queue")))


def test_the_operator_returns_proofs_with_a_reason_and_alice_sees_it(client, issued, alice, olivia):
    use = paid(issued, alice)
    for kind, amount in (
        (ProofKind.INVOICE, "40000"),
        (ProofKind.BANK_RECEIPT, "40000"),
        (ProofKind.RESULT, None),
    ):
        settlement.proof_upload(use=use, by=alice, kind=kind, upload=factories.pdf_upload(), amount=amount)
    settlement.proof_submit(use=use, by=alice)
    as_user(client, olivia)
    response = client.post(url("proof_review", issued.pk), {"decision": "return", "note": ""})
    assert response.status_code == 400 and "退回须说明原因" in page(response)
    client.post(url("proof_review", issued.pk), {"decision": "return", "note": "发票抬头不符"})
    use.refresh_from_db()
    assert use.proof_status == ProofStatus.RETURNED
    as_user(client, alice)
    body = page(client.get(url("use", issued.pk)))
    assert "发票抬头不符" in body and "提交证明材料" in body


def test_alice_rates_the_service_once_it_is_completed(client, issued, alice, ivan_lab):
    paid(issued, alice)  # the booking was completed before paying (factories.ready_contract)
    as_user(client, alice)
    response = client.post(url("use_rate", issued.pk), {"score": "4", "comment": "报告及时"})
    assert response.status_code == 302
    body = page(client.get(url("use", issued.pk)))
    assert "4 分" in body and "报告及时" in body and "提交评价" not in body


# --- Redemption -------------------------------------------------------------------------------


def test_a_returned_redemption_may_be_resubmitted_once(client, issued, alice, olivia, ivan_lab):
    approved_use(issued, alice, olivia)
    issued.refresh_from_db()
    redemption = settlement.redemption_request(by=ivan_lab, vouchers=[issued], mode=RedemptionMode.INSTANT)
    for _ in range(2):
        as_user(client, olivia)
        client.post(url("redemption_check", redemption.pk), {"decision": "return", "note": "缺少结算单"})
        as_user(client, ivan_lab)
        body = page(client.get(url("redemption", redemption.pk)))
        assert "缺少结算单" in body
        client.post(url("redemption_resubmit", redemption.pk), {"note": "已补充"})
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.RETURNED and redemption.resubmissions == 1
    assert "兑付申请只允许重新提交一次。" in body  # the workflow's reason


def test_instant_redemption_of_two_vouchers_is_a_form_error(client, issued, alice, olivia, ivan_lab):
    approved_use(issued, alice, olivia)
    as_user(client, ivan_lab)
    response = client.post(url("redemptions"), {"vouchers": [issued.pk], "mode": "cumulative"})
    assert response.status_code == 200 and "两张以上" in page(response)
    assert not Redemption.objects.exists()


def test_an_overdue_check_is_highlighted_in_the_operators_queue(client, issued, alice, olivia, ivan_lab):
    approved_use(issued, alice, olivia)
    issued.refresh_from_db()
    redemption = settlement.redemption_request(by=ivan_lab, vouchers=[issued], mode=RedemptionMode.INSTANT)
    Redemption.objects.filter(pk=redemption.pk).update(check_deadline=timezone.localdate() - dt.timedelta(days=1))
    as_user(client, olivia)
    assert "已超期" in page(client.get(url("queue")))


def test_a_bureau_sees_redemptions_of_its_payees_and_applicants_read_only(
    client, issued, alice, olivia, cecilia, ivan_lab, bob, charlie
):
    redemption = confirmed_redemption(issued, alice, olivia, cecilia, ivan_lab)
    # 西夏区: the lab (payee) is there; 兴庆区: alice, whose voucher it is, is under its authority
    for bureau in (charlie, bob):
        as_user(client, bureau)
        assert redemption.number in page(client.get(url("redemptions")))
        assert client.get(url("redemption", redemption.pk)).status_code == 200
        response = client.post(url("redemption_confirm", redemption.pk), {"decision": "approve"})
        assert response.status_code == 403
    as_user(client, factories.bureau_user(username="shizuishan", adcode=640202))  # neither
    assert redemption.number not in page(client.get(url("redemptions")))
    assert client.get(url("redemption", redemption.pk)).status_code == 404


# --- Batches, exports, notice -------------------------------------------------------------------


def test_csv_and_xlsx_exports_open_and_match_the_batch(client, issued, alice, olivia, cecilia, ivan_lab):
    batch = batch_on_notice(issued, alice, olivia, cecilia, ivan_lab)
    redemption = Redemption.objects.get()
    org = ivan_lab.organisation
    expected = [org.name, org.credit_code, "20000.00", redemption.number, issued.number]
    for user in (cecilia, olivia):
        as_user(client, user)
        response = client.get(url("batch_export", batch.pk, "csv"))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["收款单位", "统一社会信用代码", "金额（元）"]
        assert [row[:5] for row in rows[1:]] == [expected]

        response = client.get(url("batch_export", batch.pk, "xlsx"))
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        assert values[0][0] == "收款单位" and len(values) == 2
        name, code, amount, number, vouchers = values[1][:5]
        assert (name, code, number, vouchers) == (
            org.name,
            org.credit_code,
            redemption.number,
            issued.number,
        )
        assert Decimal(str(amount)) == Decimal("20000.00")
    assert client.get(f"/vouchers/batches/{batch.pk}/export.pdf").status_code == 404


def test_the_bank_export_carries_the_payees_bank_account(client, issued, alice, olivia, cecilia, ivan_lab):
    org = ivan_lab.organisation
    account = {
        "bank_name": "中国工商银行银川西夏支行",
        "bank_code": "102871000123",
        "account_name": org.name,
        "account_number": "2902 0001 0900 1234 567",
    }
    accounts_services.bank_account_save(org=org, by=ivan_lab, data=account)
    batch = batch_on_notice(issued, alice, olivia, cecilia, ivan_lab)
    as_user(client, cecilia)
    rows = list(csv.reader(io.StringIO(client.get(url("batch_export", batch.pk, "csv")).content.decode("utf-8-sig"))))
    assert rows[0][6:] == ["开户银行", "开户行行号", "账户名称", "银行账号"]
    assert rows[1][6:] == ["中国工商银行银川西夏支行", "102871000123", org.name, "2902000109001234567"]
    sheet = load_workbook(io.BytesIO(client.get(url("batch_export", batch.pk, "xlsx")).content)).active
    assert list(sheet.iter_rows(values_only=True))[1][6:] == tuple(rows[1][6:])


def test_an_upheld_objection_returns_the_redemption_and_leaves_it_out_of_the_export(
    client, issued, alice, olivia, cecilia, ivan_lab, mallory
):
    batch = batch_on_notice(issued, alice, olivia, cecilia, ivan_lab)
    item = batch.items.get()
    objection = settlement.objection_lodge(item=item, by=mallory, reason="服务未实际发生")
    as_user(client, cecilia)
    response = client.post(
        url("objection_resolve", batch.pk),
        {
            "objection": objection.pk,
            f"o{objection.pk}-decision": "upheld",
            f"o{objection.pk}-resolution": "",
        },
    )
    assert response.status_code == 400 and "errorlist" in page(response)
    client.post(
        url("objection_resolve", batch.pk),
        {
            "objection": objection.pk,
            f"o{objection.pk}-decision": "upheld",
            f"o{objection.pk}-resolution": "核实服务未完成",
        },
    )
    assert Redemption.objects.get().status == RedemptionStatus.RETURNED
    rows = list(csv.reader(io.StringIO(client.get(url("batch_export", batch.pk, "csv")).content.decode("utf-8-sig"))))
    assert rows[1:] == []


def test_the_operator_reads_batches_but_cannot_act_on_them(client, issued, alice, olivia, cecilia, ivan_lab):
    batch = batch_on_notice(issued, alice, olivia, cecilia, ivan_lab)
    as_user(client, olivia)
    assert batch.number in page(client.get(url("batches")))
    body = page(client.get(url("batch", batch.pk)))
    assert batch.number in body and "开始公示" not in body
    assert client.post(url("batch_approve", batch.pk), {}).status_code == 403
    assert client.post(url("batches"), {"year": 2026, "cycle": "monthly"}).status_code == 403
    assert client.get(url("budget")).status_code == 403


def test_an_objection_outside_the_notice_period_is_not_possible(
    client, issued, alice, olivia, cecilia, ivan_lab, mallory
):
    batch = batch_on_notice(issued, alice, olivia, cecilia, ivan_lab)
    item = batch.items.get()
    end_notice(batch)
    as_user(client, mallory)
    assert ivan_lab.organisation.name not in page(client.get(url("notices")))
    response = client.post(url("notices"), {"item": item.pk, f"i{item.pk}-reason": "迟到的异议"})
    assert response.status_code == 404 and not Objection.objects.exists()


def test_creating_a_batch_with_nothing_confirmed_is_a_form_error(client, cecilia):
    as_user(client, cecilia)
    response = client.post(url("batches"), {"year": 2026, "cycle": "monthly"})
    assert response.status_code == 400 and "没有待拨付的兑付申请" in page(response)


def test_a_county_budget_is_listed_on_the_budget_page(client, cecilia, region):
    as_user(client, cecilia)
    year = timezone.localdate().year
    # 兴庆区 tops up this year's vouchers, so it has a budget of its own to set.
    Policy.objects.create(name="兴庆区配套", year=year, region_id=640104, county_topup_rate=Decimal("0.10"))
    client.post(url("budget"), {"year": year, "amount": "5000", "region": "640104", "note": ""})
    body = page(client.get(url("budget"), {"year": year}))
    assert "兴庆区" in body and "5,000.00" in body
    response = client.post(url("budget"), {"year": year, "amount": "-1", "region": ""})
    assert response.status_code == 200 and "errorlist" in page(response)


# --- Outsiders ----------------------------------------------------------------------------------


def test_mallory_gets_404_or_403_on_every_settlement_page_and_action(
    client, issued, alice, olivia, cecilia, ivan_lab, mallory
):
    batch = batch_on_notice(issued, alice, olivia, cecilia, ivan_lab)
    redemption = Redemption.objects.get()
    proof = Proof.objects.first()
    as_user(client, mallory)
    not_found = [
        ("get", url("pay", issued.pk), {}),
        ("post", url("pay", issued.pk), {"idempotency_key": uuid.uuid4().hex}),
        ("get", url("use", issued.pk), {}),
        ("post", url("proof_review", issued.pk), {"decision": "approve"}),
        ("post", url("use_rate", issued.pk), {"score": "1"}),
        ("get", url("proof_file", proof.pk), {}),
        ("get", url("redemption", redemption.pk), {}),
        (
            "post",
            url("redemption_confirm", redemption.pk),
            {"decision": "return", "note": "x"},
        ),
        ("post", url("redemption_resubmit", redemption.pk), {}),
    ]
    forbidden = [
        ("get", url("queue"), {}),
        ("get", url("batches"), {}),
        ("post", url("batches"), {"year": 2026, "cycle": "monthly"}),
        ("get", url("batch", batch.pk), {}),
        ("post", url("batch_approve", batch.pk), {}),
        ("get", url("batch_export", batch.pk, "csv"), {}),
        ("get", url("batch_export", batch.pk, "xlsx"), {}),
        ("get", url("budget"), {}),
        ("post", url("budget"), {"year": 2026, "amount": "1000000"}),
    ]
    for expected, calls in ((404, not_found), (403, forbidden)):
        for method, address, data in calls:
            assert getattr(client, method)(address, data).status_code == expected, (method, address)
    # Her redemption page lists nothing of the lab's, and she cannot ask for its voucher.
    assert redemption.number not in page(client.get(url("redemptions")))
    client.post(url("redemptions"), {"vouchers": [issued.pk], "mode": "instant"})
    assert Redemption.objects.count() == 1
    assert not LedgerEntry.objects.filter(kind=LedgerKind.BUDGET).exists()


def test_a_bureau_that_sees_the_voucher_still_cannot_open_its_proofs(client, api_as, issued, alice, bob):
    """Ningxia's bureau reviews contracts, not redemptions: the proofs are not its to read."""
    use = paid(issued, alice)
    settlement.proof_upload(use=use, by=alice, kind=ProofKind.RESULT, upload=factories.pdf_upload())
    as_user(client, bob)
    assert client.get(url("use", issued.pk)).status_code == 403
    assert client.get(url("proof_file", use.proofs.get().pk)).status_code == 404
    assert client.get(url("pay", issued.pk)).status_code == 403
    for action in ("use", "proofs"):
        assert api_as(bob).get(f"/api/vouchers/{issued.pk}/{action}/").status_code == 403


def test_the_payee_but_not_the_applicant_works_the_redemption(client, issued, alice, olivia, ivan_lab):
    approved_use(issued, alice, olivia)
    as_user(client, alice)  # the voucher passed to the lab: nothing for Alice to redeem
    assert issued.number not in page(client.get(url("redemptions")))
    as_user(client, ivan_lab)
    assert client.get(url("queue")).status_code == 403
    assert client.get(url("proof_file", Proof.objects.first().pk)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, issued):
    for address in (
        url("pay", issued.pk),
        url("use", issued.pk),
        url("queue"),
        url("redemptions"),
        url("batches"),
        url("budget"),
    ):
        response = client.get(address)
        assert response.status_code == 302 and "login" in response.url
    assert client.get(url("notices")).status_code == 200  # the public notice (公示) is public


JUNK = {
    "idempotency_key": "' OR 1=1 --",
    "kind": "virus",
    "amount": "1e999",
    "number": "x" * 500,
    "decision": "maybe",
    "score": "9999",
    "vouchers": ["abc", "-1"],
    "mode": "both",
    "year": "99999",
    "cycle": "weekly",
    "region": "-5",
    "item": "abc",
    "objection": "1 OR 1",
    "reason": "",
}
# Every POST view of the settlement pages (one per action) and the single-action pages.
USE_POSTS = ("pay", "proof_upload", "proof_submit", "proof_review", "use_rate", "use_confirm")
REDEMPTION_POSTS = ("redemption_check", "redemption_confirm", "redemption_resubmit")
BATCH_POSTS = ("batch_notice", "batch_approve", "batch_pay", "objection_resolve")


@pytest.mark.parametrize("who", ["alice", "ivan_lab", "olivia", "cecilia", "bob", "mallory"])
def test_junk_posted_to_every_settlement_page_is_never_a_500(
    client, issued, alice, olivia, cecilia, ivan_lab, mallory, bob, who, request
):
    batch = batch_on_notice(issued, alice, olivia, cecilia, ivan_lab)
    redemption = Redemption.objects.get()
    before = (LedgerEntry.objects.count(), Proof.objects.count(), Objection.objects.count())
    as_user(client, request.getfixturevalue(who))
    addresses = [
        *(url(name, issued.pk) for name in USE_POSTS),
        url("redemptions"),
        *(url(name, redemption.pk) for name in REDEMPTION_POSTS),
        url("batches"),
        *(url(name, batch.pk) for name in BATCH_POSTS),
        url("notices"),
        url("budget"),
    ]
    for address in addresses:
        response = client.post(address, JUNK)
        assert response.status_code < 500, (who, address, response.status_code)
        # The pages themselves take no POST any more.
    for page_url in (url("use", issued.pk), url("redemption", redemption.pk), url("batch", batch.pk)):
        assert client.post(page_url, JUNK).status_code == 405
    assert client.get(url("budget"), {"year": "abc"}).status_code < 500
    assert client.get(url("redemptions"), {"status": "<script>"}).status_code < 500
    assert (LedgerEntry.objects.count(), Proof.objects.count(), Objection.objects.count()) == before


def test_a_payee_without_a_bank_account_cannot_ask_for_redemption(client, api_as, issued, alice, olivia, ivan_lab):
    """Money goes only to the payee's own account: without one on record the request is
    refused on the page and in the API, nothing is written, and once the account is saved the
    same request goes through."""
    BankAccount.objects.filter(organisation=ivan_lab.organisation).delete()  # never opened one
    approved_use(issued, alice, olivia)
    issued.refresh_from_db()
    as_user(client, ivan_lab)
    body = page(client.get(url("redemptions")))
    assert "本单位尚未填写收款账户" in body and reverse("accounts:bank_account") in body
    assert "提交兑付申请" not in body
    before = (Redemption.objects.count(), LedgerEntry.objects.count(), issued.status)
    api = api_as(ivan_lab)
    response = api.post("/api/redemptions/", {"vouchers": [issued.pk], "mode": "instant"}, format="json")
    assert response.status_code == 400 and "尚未填写收款账户" in response.content.decode()
    refused = client.post(url("redemptions"), {"vouchers": [issued.pk], "mode": "instant", "note": ""})
    assert refused.status_code in (200, 400) and "尚未填写收款账户" in page(refused)
    issued.refresh_from_db()
    assert (Redemption.objects.count(), LedgerEntry.objects.count(), issued.status) == before
    account = {
        "bank_name": "中国工商银行银川西夏支行",
        "bank_code": "102871000123",
        "account_name": ivan_lab.organisation.name,
        "account_number": "290200010900123456",
    }
    accounts_services.bank_account_save(org=ivan_lab.organisation, by=ivan_lab, data=account)
    assert "尚未填写收款账户" not in page(client.get(url("redemptions")))
    response = api.post("/api/redemptions/", {"vouchers": [issued.pk], "mode": "instant"}, format="json")
    assert response.status_code == 201, response.content
    assert not ledger.ledger_problems()


def test_an_in_region_receipt_shows_the_cash_part(issued, alice):
    """In region the voucher paid part of the price: the invoices cover the price, the bank
    receipts the cash the enterprise paid — they match with the deduction added (the
    walk-through could only submit with a padded receipt); other totals are refused."""
    use = paid(issued, alice)
    assert (use.price, use.voucher_applied, use.cash_paid) == (Decimal("40000"), Decimal("20000"), Decimal("20000"))
    for kind, amount in ((ProofKind.INVOICE, "40000"), (ProofKind.BANK_RECEIPT, "15000"), (ProofKind.RESULT, None)):
        settlement.proof_upload(use=use, by=alice, kind=kind, upload=factories.pdf_upload(), amount=amount)
    with pytest.raises(ValidationError, match="加创新券抵扣 20,000.00 元"):
        settlement.proof_submit(use=use, by=alice)
    settlement.proof_upload(
        use=use, by=alice, kind=ProofKind.BANK_RECEIPT, upload=factories.pdf_upload(), amount="5000"
    )
    assert settlement.proof_submit(use=use, by=alice).proof_status == "submitted"
