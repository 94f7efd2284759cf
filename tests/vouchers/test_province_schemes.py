"""Henan's, Jiangsu's and Zhejiang's voucher flows through the HTTP API, each run by its
scheme — the year's policy record published from the province's preset — on the same code
as Ningxia's (``test_ningxia_scenario``). No ORM shortcut: every step is a request; the
ledger's invariants are checked after each step and the entitlement (额度) balances are
what the step says.

- 河南: claim the year's quota with the pledge → order → the institution accepts (受理) →
  the platform reviews (one correction; a second refusal makes an ordinary order) → voucher
  (30 %) → pay (the voucher passes to the institution) → the enterprise rates the institution
  and the platform → the institution uploads the report
  and invoice → the platform approves → the institution redeems → the platform's formal
  check confirms → quarterly batch on notice → payout.
- 江苏: the yearly application with its stamped form, granted by the county bureau → order,
  voucher at once (35 %) → the enterprise pays in full → proofs (the invoice below the
  contract) → the enterprise redeems → the bureau approves the amounts (审核认定, capped by
  the invoice; the difference returns to the entitlement) → monthly batch → payout to the
  enterprise.
- 浙江: claims within the per-claim, yearly and holding caps → use registration with the
  payee's choice (企业兑付) → the institution confirms the use → proofs → the enterprise
  redeems → the local bureau approves, which is the payout from its own budget (waiting
  until the bureau sets that budget); a 载体兑付 use redeemed by the institution likewise.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests import factories
from tests.vouchers.test_ningxia_scenario import login, moves, ok
from vouchers import ledger
from vouchers.contracts import services
from vouchers.entitlements import services as entitlements
from vouchers.models import EntitlementClaim, Voucher
from vouchers.policies.presets import PRESETS

pytestmark = pytest.mark.django_db
D = Decimal
YEAR = 2026
XINGQING = 640104


def publish(centre: APIClient, key: str) -> dict:
    preset = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in PRESETS[key].items()}
    return ok(centre.post("/api/policies/", {**preset, "year": YEAR}, format="json"), 201)


def service_of(lab: APIClient, operator: APIClient, price: str = "20000") -> int:
    service = ok(
        lab.post(
            "/api/services/",
            {"name": "材料成分全分析", "category": "检验检测", "price": price, "unit": "元/样品", "cycle_days": 7},
            format="json",
        ),
        201,
    )["id"]
    ok(operator.post(f"/api/services/{service}/review/", {"decision": "approve"}, format="json"))
    return service


def requested(enterprise: APIClient, service: int, quantity: str = "2") -> int:
    """A booking with the voucher, waiting for the institution (待确认)."""
    booking = ok(enterprise.post("/api/bookings/", {"service": service, "quantity": quantity}, format="json"), 201)
    return booking["id"]


def booked(enterprise: APIClient, lab: APIClient, service: int, quantity: str = "2") -> int:
    booking = requested(enterprise, service, quantity)
    ok(lab.post(f"/api/bookings/{booking}/accept/", {}, format="json"))
    return booking


def order(enterprise: APIClient, booking: int) -> str:
    """A contract/order from the booking, pledged, scanned and submitted: its API path."""
    contract = ok(enterprise.post("/api/contracts/", {"booking": booking}, format="json"), 201)
    path = f"/api/contracts/{contract['id']}/"
    ok(enterprise.post(path + "pledge/"))
    ok(enterprise.post(path + "scan/", {"file": factories.pdf_upload("signed.pdf")}, format="multipart"))
    return path


def voucher_of(client: APIClient, contract_path: str) -> dict:
    contract_id = int(contract_path.rstrip("/").rsplit("/", 1)[1])
    return next(v for v in ok(client.get("/api/vouchers/"))["results"] if v["contract"] == contract_id)


def complete(lab: APIClient, booking: int) -> None:
    ok(lab.post(f"/api/bookings/{booking}/start/"))
    ok(lab.post(f"/api/bookings/{booking}/complete/", {}, format="json"))


def prove(
    client: APIClient, voucher_path: str, invoice: str, *, second: str = "bank_receipt", status: str = "filed"
) -> None:
    """Upload and submit the use proofs: the invoice, the bank receipt (or, where uses are
    registered, the enterprise's own contract: ``second="contract"``) and the result. These
    schemes check them with the redemption: submitted, they are ``filed``."""
    for kind, amount in (
        ("invoice", invoice),
        (second, invoice if second == "bank_receipt" else None),
        ("result", None),
    ):
        data = {"kind": kind, "number": "NO.1", "file": factories.pdf_upload(f"{kind}.pdf")}
        if amount:
            data["amount"] = amount
        ok(client.post(voucher_path + "proofs/", data, format="multipart"), 201)
    assert ok(client.post(voucher_path + "submit-proofs/"))["proof_status"] == status


def registration(institution: int, service: int, **over) -> dict:
    return factories.use_registration_form(institution, service, year=YEAR, **over)


def pay_out(centre: APIClient, clock, cycle: str, amount: str, *, notice: bool = False) -> dict:
    """A batch of the one confirmed redemption, paid; on notice first where the scheme says
    (quarterly always; monthly where ``Policy.monthly_notice``, Jiangsu: approving before the
    notice is refused)."""
    batch = ok(centre.post("/api/batches/", {"year": YEAR, "cycle": cycle}, format="json"), 201)
    if cycle == "quarterly" or notice:
        early = centre.post(f"/api/batches/{batch['id']}/approve/")
        assert early.status_code == 400 and "公示" in early.content.decode()
        ok(centre.post(f"/api/batches/{batch['id']}/notice/"))
        clock.advance(days=8)
    ok(centre.post(f"/api/batches/{batch['id']}/approve/"))
    ok(centre.post("/api/budgets/", {"year": YEAR, "amount": amount}, format="json"), 201)
    assert ok(centre.post(f"/api/batches/{batch['id']}/pay/")) == {"paid": 1, "waiting_budget": 0}
    return ok(centre.get(f"/api/batches/{batch['id']}/"))


def wallet(client: APIClient) -> dict:
    return ok(client.get("/api/wallet/"))


# --- 河南 ---------------------------------------------------------------------------------------


def test_henan_quota_order_acceptance_platform_review_and_quarterly_payout(
    ningxia, clock, check_ledger, bob, olivia, cecilia, ivan_lab, mallory
):
    factories.applicant_user(username="zhongyuan", adcode=XINGQING, qualification="high_tech")
    factories.staff_user(username="expert1", kind="expert")
    centre, operator, lab, expert = login("cecilia"), login("olivia"), login("ivan_lab"), login("expert1")
    enterprise, outsider = login("zhongyuan"), login("mallory")
    publish(centre, "henan")
    check_ledger()

    # --- 领取额度: the year's quota with the pledge, once ------------------------------------------
    before = wallet(enterprise)
    assert (before["rule"], before["still_claimable"], before["remaining"]) == ("quota", "200000.00", "0.00")
    refused = enterprise.post("/api/claims/", {"pledge": False}, format="json")
    assert refused.status_code == 400 and "诚信承诺书" in refused.content.decode()
    claim = ok(enterprise.post("/api/claims/", {"pledge": True}, format="json"), 201)
    assert (claim["status"], claim["amount"], claim["valid_until"]) == ("granted", "200000.00", f"{YEAR}-12-31")
    again = enterprise.post("/api/claims/", {"pledge": True}, format="json")
    assert again.status_code == 400 and "每年只能申领一次" in again.content.decode()
    assert outsider.get(f"/api/claims/{claim['id']}/").status_code == 404
    assert wallet(enterprise)["remaining"] == "200000.00"
    check_ledger()

    # --- 项目登记: the R&D project, reviewed by the platform, before any order -----------------------
    # 创新券预约: the booking waits (待确认) while the enterprise fills in and submits the order;
    # the institution does not accept the booking on its own.
    service = service_of(lab, operator)
    first, second = requested(enterprise, service), requested(enterprise, service, quantity="1")
    bpath = f"/api/bookings/{first}/"
    body = ok(lab.get(bpath))
    assert body["available_moves"] == ["decline"] and "受理创新券订单即接受本预约" in body["blocked"]["accept"]
    refused = lab.post(bpath + "accept/", {}, format="json")
    assert refused.status_code == 400 and "待预约方提交创新券订单" in refused.content.decode()
    path = order(enterprise, first)
    unregistered = enterprise.post(path + "submit/")
    assert unregistered.status_code == 400 and "研发项目" in unregistered.content.decode()
    project = {
        "title": "高精度光纤传感器研制",
        "summary": "研制用于桥梁健康监测的分布式光纤传感器，需委托材料成分检测。",
        "budget": "1500000",
        "starts_on": f"{YEAR}-01-01",
        "ends_on": f"{YEAR}-12-31",
    }
    backwards = enterprise.post("/api/projects/", {**project, "ends_on": f"{YEAR - 1}-12-31"}, format="json")
    assert backwards.status_code == 400 and "结束日期" in backwards.content.decode()
    registered = ok(enterprise.post("/api/projects/", project, format="json"), 201)
    ppath = f"/api/projects/{registered['id']}/"
    assert moves(operator, ppath) == ["approve", "return"] and outsider.get(ppath).status_code == 404
    ok(operator.post(ppath + "return/", {"note": "请补充研究内容"}, format="json"))
    assert moves(enterprise, ppath) == ["resubmit"]
    ok(enterprise.post(ppath + "resubmit/", {**project, "summary": project["summary"] + "（已补充）"}, format="json"))
    assert ok(operator.post(ppath + "approve/", {}, format="json"))["status"] == "approved"
    check_ledger()

    # --- Orders: the institution accepts (受理, once: the booking with it), the platform reviews -----
    assert ok(enterprise.post(path + "submit/"))["status"] == "at_institution"
    assert moves(lab, path) == ["approve", "return"] and moves(operator, path) == []
    body = ok(lab.get(bpath))  # the booking's own 接受 and 拒绝 point to the order
    assert body["available_moves"] == [] and "请受理本预约的创新券订单" in body["blocked"]["accept"]
    assert "退回后才能拒绝预约" in body["blocked"]["decline"]
    assert lab.post(bpath + "accept/", {}, format="json").status_code == 400
    assert lab.post(bpath + "decline/", {"note": "不接"}, format="json").status_code == 400
    assert outsider.post(bpath + "accept/", {}, format="json").status_code == 404
    assert login("bob").post(path + "review/", {"decision": "approve"}, format="json").status_code == 403
    assert ok(lab.post(path + "review/", {"decision": "approve", "note": "受理"}, format="json"))["status"] == (
        "at_operator"
    )
    body = ok(enterprise.get(bpath))
    assert body["status"] == "accepted"  # one acceptance: the order's 受理 accepted the booking
    check_ledger()
    returned = ok(operator.post(path + "review/", {"decision": "return", "note": "抵扣金额有误"}, format="json"))
    assert returned["status"] == "returned"  # the one correction
    ok(enterprise.post(path + "submit/"))  # 二次提交：等待管理单位受理以及省平台审核
    ok(lab.post(path + "review/", {"decision": "approve", "note": "受理"}, format="json"))
    assert ok(operator.post(path + "review/", {"decision": "approve"}, format="json"))["status"] == "approved"
    voucher = voucher_of(enterprise, path)
    assert (voucher["face_value"], voucher["valid_until"]) == ("12000.00", f"{YEAR}-12-31")  # 30 % of 40,000
    assert wallet(enterprise)["remaining"] == "188000.00"
    check_ledger()

    # The other order is refused twice: it becomes an ordinary order, no voucher, no quota used.
    other = order(enterprise, second)
    for _ in range(2):
        ok(enterprise.post(other + "submit/"))
        ok(lab.post(other + "review/", {"decision": "approve"}, format="json"))
        refusal = ok(operator.post(other + "review/", {"decision": "return", "note": "不属于支持范围"}, format="json"))
    assert refusal["status"] == "ordinary" and refusal["available_moves"] == []
    assert ok(enterprise.get(other))["available_moves"] == []
    assert wallet(enterprise)["remaining"] == "188000.00"
    check_ledger()

    # --- 上传订单结果 → 确认结果无误即支付: the voucher passes to the institution ----------------------
    complete(lab, first)
    vpath = f"/api/vouchers/{voucher['id']}/"
    early = enterprise.post(
        vpath + "pay/", {"result_confirmed": True}, format="json", HTTP_IDEMPOTENCY_KEY="henan-pay-0000"
    )
    assert early.status_code == 400 and "上传订单结果后才能支付" in early.content.decode()
    refused = enterprise.post(f"/api/bookings/{first}/result/", {"result": factories.pdf_upload()}, format="multipart")
    assert refused.status_code == 403  # the institution's to upload
    assert outsider.get(f"/api/bookings/{first}/result/").status_code == 404
    result = {"result": factories.pdf_upload("检测报告.pdf")}
    assert ok(lab.post(f"/api/bookings/{first}/result/", result, format="multipart"))["has_result"] is True
    assert enterprise.get(f"/api/bookings/{first}/result/")["Content-Type"] == "application/pdf"
    unconfirmed = enterprise.post(vpath + "pay/", {}, format="json", HTTP_IDEMPOTENCY_KEY="henan-pay-0001")
    assert unconfirmed.status_code == 400 and "确认无误后支付" in unconfirmed.content.decode()
    assert ok(enterprise.get(vpath))["status"] == "issued"
    check_ledger()
    paid = enterprise.post(
        vpath + "pay/", {"result_confirmed": True}, format="json", HTTP_IDEMPOTENCY_KEY="henan-pay-0001"
    )
    use = ok(paid, 201)
    assert (use["payee"], use["cash_paid"]) == (ivan_lab.organisation_id, "28000.00")
    # 评价: the enterprise rates the institution and the platform's service for this order.
    rating = {"booking": first, "score": 5, "comment": "报告及时"}
    unscored = enterprise.post("/api/ratings/", rating, format="json")
    assert unscored.status_code == 400 and "省平台" in unscored.content.decode()
    assert outsider.post("/api/ratings/", {**rating, "platform_score": 4}, format="json").status_code == 404
    rated = ok(enterprise.post("/api/ratings/", {**rating, "platform_score": 4}, format="json"), 201)
    assert (rated["score"], rated["platform_score"]) == (5, 4)
    again = enterprise.post("/api/ratings/", {"voucher": voucher["id"], "score": 1, "platform_score": 1}, format="json")
    assert again.status_code == 400  # the order and its voucher are one service, rated once
    upload = {"kind": "invoice", "amount": "40000", "file": factories.pdf_upload()}
    assert enterprise.post(vpath + "proofs/", upload, format="multipart").status_code == 403  # the institution's
    prove(lab, vpath, "40000")
    # No separate proof review: the platform checks them with the redemption.
    assert operator.post(vpath + "review-proofs/", {"decision": "approve"}, format="json").status_code == 400
    check_ledger()
    r = ok(lab.post("/api/redemptions/", {"vouchers": [voucher["id"]], "mode": "instant"}, format="json"), 201)
    rpath = f"/api/redemptions/{r['id']}/"
    assert moves(operator, rpath) == ["check", "return"] and moves(centre, rpath) == []
    confirmed = ok(operator.post(rpath + "check/", {"decision": "approve", "note": "形式审查通过"}, format="json"))
    assert confirmed["status"] == "confirmed"  # one level: the platform's check confirms
    check_ledger()

    # --- The quarterly summary: cut-off, experts, S&T and finance, notice, payout --------------------
    early = centre.post("/api/batches/", {"year": YEAR, "cycle": "quarterly"}, format="json")
    assert early.status_code == 400 and "下一季度汇总" in early.content.decode()  # confirmed this quarter
    clock.advance(days=31)  # 2 April: the first quarter is closed (sign in again: tokens expire)
    centre, expert, outsider = login("cecilia"), login("expert1"), login("mallory")
    batch = ok(centre.post("/api/batches/", {"year": YEAR, "cycle": "quarterly"}, format="json"), 201)
    bpath = f"/api/batches/{batch['id']}/"
    assert batch["available_moves"] == ["experts"]  # neither notice nor approval before the steps
    assert centre.post(bpath + "notice/").status_code == 400
    ok(centre.post(bpath + "experts/", {}, format="json"))
    assert moves(expert, bpath) == ["assess"] and moves(centre, bpath) == []
    assert expert.post(bpath + "assess/", {"note": " "}, format="json").status_code == 400
    assert outsider.post(bpath + "assess/", {"note": "同意"}, format="json").status_code == 404
    ok(expert.post(bpath + "assess/", {"note": "材料真实，同意拨付"}, format="json"))
    assert moves(centre, bpath) == ["finance"]
    ok(centre.post(bpath + "finance/", {"note": "豫科〔2026〕12号；豫财〔2026〕8号"}, format="json"))
    assert moves(centre, bpath) == ["notice"]
    ok(centre.post(bpath + "notice/"))
    clock.advance(days=8)
    centre = login("cecilia")
    ok(centre.post(bpath + "approve/"))
    ok(centre.post("/api/budgets/", {"year": YEAR, "amount": "500000"}, format="json"), 201)
    assert ok(centre.post(bpath + "pay/")) == {"paid": 1, "waiting_budget": 0}
    batch = ok(centre.get(bpath))
    assert batch["status"] == "paid"
    assert ledger.balance("paid", organisation=ivan_lab.organisation) == D("12000.00")
    assert ok(login("zhongyuan").get(vpath))["status"] == "redeemed"
    check_ledger()


# --- 江苏 ---------------------------------------------------------------------------------------


def test_jiangsu_application_voucher_switch_approved_amounts_and_payout_to_the_enterprise(
    ningxia, clock, check_ledger, bob, charlie, olivia, cecilia, ivan_lab
):
    ent = factories.applicant_user(username="zhongshan", adcode=XINGQING, qualification="high_tech")
    centre, operator, lab, bureau = login("cecilia"), login("olivia"), login("ivan_lab"), login("bob")
    enterprise, other_bureau = login("zhongshan"), login("charlie")
    publish(centre, "jiangsu")

    # --- 申请资格: fill in the 信息表 with the 高企 evidence, print it, upload it stamped -------------
    def filled(**changes):
        data = factories.application_data("high_tech", staff="35", industry="智能传感", zone="江宁高新区", **changes)
        return {**data, **factories.application_files("high_tech")}

    too_big = enterprise.post("/api/claims/", filled(revenue="50000"), format="multipart")  # 5 亿元
    assert too_big.status_code == 400 and "4 亿" in too_big.content.decode()
    claim = ok(enterprise.post("/api/claims/", filled(revenue="3200"), format="multipart"), 201)
    assert claim["status"] == "to_upload" and claim["available_moves"] == []
    cpath = f"/api/claims/{claim['id']}/"
    early = enterprise.post(cpath + "stamped-form/", {"stamped_form": factories.pdf_upload()}, format="multipart")
    assert early.status_code == 400 and "请先下载申领表" in early.content.decode()
    pdf = enterprise.get(cpath + "form/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert moves(enterprise, cpath) == ["upload"]
    unstamped = enterprise.post(cpath + "stamped-form/", {}, format="multipart")
    assert unstamped.status_code == 400 and "盖章" in unstamped.content.decode()
    stamped = {"stamped_form": factories.pdf_upload("申请表.pdf")}
    claim = ok(enterprise.post(cpath + "stamped-form/", stamped, format="multipart"))
    assert claim["status"] == "submitted" and wallet(enterprise)["remaining"] == "0.00"
    assert other_bureau.post(f"/api/claims/{claim['id']}/grant/", {}, format="json").status_code == 404
    assert moves(bureau, f"/api/claims/{claim['id']}/") == ["grant", "refuse"]
    ok(bureau.post(f"/api/claims/{claim['id']}/grant/", {"note": "材料齐全"}, format="json"))
    mine = wallet(enterprise)
    assert (mine["cap"], mine["remaining"], mine["valid_until"]) == ("100000.00", "100000.00", f"{YEAR}-12-31")
    check_ledger()

    # --- The order with the voucher switch: no review before use ------------------------------------
    booking = booked(enterprise, lab, service_of(lab, operator))
    path = order(enterprise, booking)
    assert ok(enterprise.post(path + "submit/"))["status"] == "approved"
    voucher = voucher_of(enterprise, path)
    assert voucher["face_value"] == "14000.00"  # 35 % of 40,000
    assert wallet(enterprise)["remaining"] == "86000.00"
    check_ledger()

    # --- The enterprise pays in full and redeems; proofs show a smaller final invoice ---------------
    complete(lab, booking)
    vpath = f"/api/vouchers/{voucher['id']}/"
    use = ok(enterprise.post(vpath + "pay/", {}, format="json", HTTP_IDEMPOTENCY_KEY="jiangsu-pay-001"), 201)
    assert (use["payee"], use["cash_paid"]) == (ent.organisation_id, "40000.00")
    prove(enterprise, vpath, "30000")
    assert operator.post(vpath + "review-proofs/", {"decision": "approve"}, format="json").status_code == 400
    r = ok(enterprise.post("/api/redemptions/", {"vouchers": [voucher["id"]], "mode": "instant"}, format="json"), 201)
    rpath = f"/api/redemptions/{r['id']}/"
    assert moves(bureau, rpath) == ["check", "return"] and moves(operator, rpath) == []
    assert other_bureau.get(rpath).status_code == 404  # another county's bureau
    check_ledger()

    # --- The bureau checks the proofs with the redemption; its return reopens them ---------------------
    assert [p["kind"] for p in ok(bureau.get(vpath + "proofs/"))] == ["invoice", "bank_receipt", "result"]
    assert other_bureau.get(vpath + "proofs/").status_code == 404
    returned = {"decision": "return", "note": "结果证明缺少签章页"}
    assert ok(bureau.post(rpath + "check/", returned, format="json"))["status"] == "returned"
    assert ok(enterprise.get(vpath + "use/"))["proof_status"] == "returned"
    refused = enterprise.post(rpath + "resubmit/")
    assert refused.status_code == 400 and "证明材料" in refused.content.decode()
    assert ok(enterprise.get(rpath))["status"] == "returned"
    check_ledger()
    upload = {"kind": "result", "number": "补正", "file": factories.pdf_upload("result-2.pdf")}
    ok(enterprise.post(vpath + "proofs/", upload, format="multipart"), 201)
    assert ok(enterprise.post(vpath + "submit-proofs/"))["proof_status"] == "filed"
    assert ok(enterprise.post(rpath + "resubmit/"))["status"] == "submitted"
    check_ledger()
    # The bureau's redemption page lists the proof files, and they open for it (not another county's).
    page, other_page = Client(), Client()
    page.force_login(bob)
    other_page.force_login(charlie)
    html = page.get(f"/vouchers/redemptions/{r['id']}/").content.decode()
    proof = ok(bureau.get(vpath + "proofs/"))[-1]["id"]
    assert f"/vouchers/proofs/{proof}/file/" in html and "使用证明随兑付申请审核" in html
    assert page.get(f"/vouchers/proofs/{proof}/file/").status_code == 200
    assert other_page.get(f"/vouchers/proofs/{proof}/file/").status_code == 404

    # --- 审核认定: an approved amount above the contract is refused; the invoice caps the value ------
    too_high = bureau.post(
        rpath + "check/", {"decision": "approve", "approved": {str(voucher["id"]): "50000"}}, format="json"
    )
    assert too_high.status_code == 400 and "认定合同金额" in too_high.content.decode()
    assert ok(enterprise.get(rpath))["status"] == "submitted"
    decided = ok(
        bureau.post(
            rpath + "check/",
            {"decision": "approve", "note": "认定", "approved": {str(voucher["id"]): "35000"}},
            format="json",
        )
    )
    assert (decided["status"], decided["amount"]) == ("confirmed", "10500.00")  # 35 % of the 30,000 invoiced
    assert wallet(enterprise)["remaining"] == "89500.00"  # 3,500 back to the entitlement
    check_ledger()

    # --- Monthly batch, noticed, paid to the enterprise ------------------------------------------------
    assert pay_out(centre, clock, "monthly", "300000", notice=True)["status"] == "paid"
    assert ledger.balance("paid", organisation=ent.organisation) == D("10500.00")
    check_ledger()


# --- 浙江 ---------------------------------------------------------------------------------------


def test_zhejiang_claims_within_caps_payee_choice_institution_confirmation_and_bureau_approval(
    ningxia, clock, check_ledger, bob, charlie, olivia, cecilia, ivan_lab, mallory
):
    ent = factories.applicant_user(username="qianjiang", adcode=XINGQING)
    centre, operator, lab, bureau = login("cecilia"), login("olivia"), login("ivan_lab"), login("bob")
    enterprise, outsider, other_bureau = login("qianjiang"), login("mallory"), login("charlie")
    publish(centre, "zhejiang")

    # --- 申领额度 within the per-claim (50,000), yearly (200,000) and holding (100,000) caps ------
    each = enterprise.post("/api/claims/", {"amount": "60000"}, format="json")
    assert each.status_code == 400 and "单次申领" in each.content.decode()
    for _ in range(2):
        assert ok(enterprise.post("/api/claims/", {"amount": "50000"}, format="json"), 201)["status"] == "granted"
    held = enterprise.post("/api/claims/", {"amount": "10000"}, format="json")
    assert held.status_code == 400 and "持有未使用额度" in held.content.decode()
    mine = wallet(enterprise)
    assert (mine["claimed"], mine["remaining"], mine["still_claimable"]) == ("100000.00", "100000.00", "0.00")
    assert len(mine["claims"]) == 2 and outsider.get("/api/claims/").json()["count"] == 0
    check_ledger()

    # --- Use registration (使用登记) with the payee's choice: one form, no platform contract ----------------
    service = service_of(lab, operator)
    institution = ivan_lab.organisation.institution.pk
    booking = booked(enterprise, lab, service)
    closed = enterprise.post("/api/contracts/", {"booking": booking}, format="json")
    assert closed.status_code == 400 and "使用登记" in closed.content.decode()  # no second way to a voucher
    unchosen = enterprise.post(
        "/api/use-registrations/", registration(institution, service, payee_choice=None), format="multipart"
    )
    assert unchosen.status_code == 400 and "兑付方式" in unchosen.content.decode()
    # After the service (the institution completes the booking) the registration names the booking,
    # which brings the provider and the item; its contract carries the booking, registered once.
    ok(lab.post(f"/api/bookings/{booking}/start/"))
    ok(lab.post(f"/api/bookings/{booking}/complete/", {}, format="json"))

    def from_booking() -> dict:
        data = registration(institution, service, booking=booking)
        del data["institution"], data["service"]
        return data

    theirs = outsider.post("/api/use-registrations/", from_booking(), format="multipart")
    assert theirs.status_code == 403 and "本单位的预约" in theirs.content.decode()
    use = ok(enterprise.post("/api/use-registrations/", from_booking(), format="multipart"), 201)
    assert (use["face_value"], use["cash_paid"], use["payee_choice"]) == ("20000.00", "40000.00", "enterprise")
    assert use["booking"] == booking and ok(enterprise.get(f"/api/contracts/{use['contract']}/"))["booking"] == booking
    again = registration(institution, service, booking=booking, invoice_number="FP-0009")
    again = enterprise.post("/api/use-registrations/", again, format="multipart")
    assert again.status_code == 400 and "该预约已登记使用" in again.content.decode()
    voucher = {"id": use["voucher"], "number": use["voucher_number"]}
    vpath = f"/api/vouchers/{voucher['id']}/"
    check_ledger()
    assert ok(enterprise.get(vpath + "use/"))["proof_status"] == "filed"  # checked with the redemption
    early = enterprise.post("/api/redemptions/", {"vouchers": [voucher["id"]], "mode": "instant"}, format="json")
    assert early.status_code == 400 and "服务机构确认" in early.content.decode()
    assert outsider.post(vpath + "confirm-use/").status_code == 404
    assert enterprise.post(vpath + "confirm-use/").status_code == 403
    assert ok(lab.post(vpath + "confirm-use/"))["institution_confirmed_at"]
    check_ledger()

    # --- Submitted to the local bureau, whose approval is the payout from its own budget ---------------
    r = ok(enterprise.post("/api/redemptions/", {"vouchers": [voucher["id"]], "mode": "instant"}, format="json"), 201)
    rpath = f"/api/redemptions/{r['id']}/"
    assert moves(bureau, rpath) == ["check", "return"] and other_bureau.get(rpath).status_code == 404
    # The bureau has set no budget yet: its approval confirms, and the payment waits for it.
    assert ok(bureau.post(rpath + "check/", {"decision": "approve"}, format="json"))["status"] == "confirmed"
    mine = ok(bureau.get("/api/budgets/", {"year": YEAR}))
    assert [w["redemption"] for w in mine["waiting"]] == [r["number"]] and mine["counties"] == []
    assert ok(centre.get("/api/batches/"))["count"] == 1
    check_ledger()
    # Only the bureau itself (or the centre) tops up its budget; no province budget is used.
    other = other_bureau.post("/api/budgets/", {"year": YEAR, "amount": "300000", "region": XINGQING}, format="json")
    assert other.status_code == 403
    assert outsider.get("/api/budgets/", {"year": YEAR}).status_code == 403
    ok(bureau.post("/api/budgets/", {"year": YEAR, "amount": "300000", "region": XINGQING}, format="json"), 201)
    assert ok(enterprise.get(rpath))["status"] == "paid"
    mine = ok(bureau.get("/api/budgets/", {"year": YEAR}))
    assert mine["waiting"] == [] and [(c["region"], c["paid"], c["balance"]) for c in mine["counties"]] == [
        (XINGQING, "20000.00", "280000.00")
    ]
    assert ledger.budget_balance(YEAR) == D("0") and ledger.budget_balance(YEAR, XINGQING) == D("280000.00")
    assert ledger.balance("paid", organisation=ent.organisation) == D("20000.00")
    assert wallet(enterprise)["remaining"] == "80000.00"
    check_ledger()

    # A second use, approved with the budget in place, is paid in the same step: one batch each,
    # the bureau's, approved and paid by the bureau.
    second_service = service_of(lab, operator, price="5000")
    reg = registration(
        institution, second_service, amount="10000", payee_choice="institution", invoice_number="FP-0002"
    )
    registered = ok(enterprise.post("/api/use-registrations/", reg, format="multipart"), 201)
    second = {"id": registered["voucher"], "number": registered["voucher_number"]}
    vpath = f"/api/vouchers/{second['id']}/"
    assert ok(enterprise.get(vpath + "use/"))["proof_status"] == "filed"  # checked with the redemption
    r2 = ok(lab.post("/api/redemptions/", {"vouchers": [second["id"]], "mode": "instant"}, format="json"), 201)
    assert (
        ok(bureau.post(f"/api/redemptions/{r2['id']}/check/", {"decision": "approve"}, format="json"))["status"]
        == "paid"
    )
    assert ledger.budget_balance(YEAR, XINGQING) == D("275000.00")
    batches = ok(centre.get("/api/batches/"))["results"]
    assert [(b["status"], b["cycle"]) for b in batches] == [("paid", "on_approval")] * 2
    check_ledger()

    # The bureau's budget ledger: what was set and what each payout took, readable by the
    # bureau itself and the centre, never by another bureau; the province's is the centre's.
    query = {"year": YEAR, "region": XINGQING}
    entries = ok(bureau.get("/api/budgets/ledger/", query))["results"]
    assert [(e["kind"], e["amount"], e["voucher_number"]) for e in entries] == [
        ("budget", "300000.00", None),
        ("pay", "-20000.00", voucher["number"]),
        ("pay", "-5000.00", second["number"]),
    ]
    assert ok(centre.get("/api/budgets/ledger/", query))["count"] == 3
    assert ok(centre.get("/api/budgets/ledger/", {"year": YEAR}))["count"] == 0
    assert other_bureau.get("/api/budgets/ledger/", query).status_code == 403
    assert bureau.get("/api/budgets/ledger/", {"year": YEAR}).status_code == 403
    assert outsider.get("/api/budgets/ledger/", query).status_code == 403
    assert bureau.get("/api/budgets/ledger/", {"year": "x"}).status_code == 400


# --- Races: claims against a holding cap, orders against the last of a quota ----------------------


def _race(fn, args: list) -> list:
    barrier = threading.Barrier(len(args))
    errors: list = []

    def run(arg):
        try:
            barrier.wait()
            fn(arg)
        except Exception as exc:  # noqa: BLE001 — the refusals are the point
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_racing_claims_never_pass_the_holding_cap(ningxia, check_ledger):
    from vouchers.policies.presets import install_preset

    install_preset(key="zhejiang", year=timezone.localdate().year)
    user = factories.applicant_user(username="racer", adcode=XINGQING)
    errors = _race(lambda _: entitlements.claim_amount(by=user, amount="50000"), list(range(4)))
    assert len(errors) == 2 and all(isinstance(e, ValidationError) for e in errors), errors
    assert ledger.entitlement_left(user.organisation, timezone.localdate().year) == D("100000.00")
    assert EntitlementClaim.objects.filter(organisation=user.organisation).count() == 2
    check_ledger()


@pytest.mark.django_db(transaction=True)
def test_racing_approvals_never_pass_the_last_of_the_quota(ningxia, check_ledger):
    from vouchers.policies.presets import install_preset

    install_preset(key="henan", year=timezone.localdate().year)
    user = factories.applicant_user(username="racer", adcode=XINGQING, qualification="high_tech")
    operator = factories.staff_user(username="olivia", kind="operator")
    lab = factories.listed_institution(username="lab")
    entitlements.claim_quota(by=user, pledge=True)  # 200,000
    project = entitlements.project_register(
        by=user,
        data={
            "title": "研制",
            "summary": "检测",
            "budget": "900000",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    entitlements.project_review(project=project, by=operator, approve=True)
    contracts = []
    for _ in range(2):  # two orders of 400,000: 30 % is 120,000 each
        c = factories.ready_contract(user, lab, price="200000", quantity="2", operator=operator)
        c = services.contract_submit(contract=c, by=user)
        contracts.append(services.contract_review(contract=c, by=lab, approve=True))
    _race(lambda c: services.contract_review(contract=c, by=operator, approve=True), contracts)
    values = sorted(v.face_value for v in Voucher.objects.filter(enterprise=user.organisation))
    assert values == [D("80000.00"), D("120000.00")]
    assert ledger.entitlement_left(user.organisation, timezone.localdate().year) == D("0.00")
    check_ledger()
