"""Henan's remaining order gaps (task hA), each through HTTP requests as its users make them:

- The record is an order (创新券订单) on every page Henan's users read — the list, the form,
  the order page and its terms, the review queue, the voucher, pay and use pages — and in
  the PDF's own terms (本订单, 订单金额, 订立本订单); Ningxia's pages and PDF keep 合同.
- Henan takes no agreement signed off the platform: its guide starts every order from a
  创新券预约, and the institution's 受理 of the order accepts that booking. No button; the
  page and the API refuse with the reason. Ningxia still registers one.
- A service paid with a voucher is rated after the payment (SPEC §5.3; Henan's guide:
  创新券订单支付完成后…评价): the booking page, the API's moves and ``POST /api/ratings/`` agree;
  an outsider may not rate at all; the home to-do does not ask for it early.
- An instant slot (系统自动确认) confirms the time only: Henan's order still waits for the
  institution's 受理, and the booking and order pages say so.
"""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from catalog.models import BookingStatus, Rating
from notifications.models import Notification
from tests import factories
from tests.catalog.test_bookings import next_weekday_at
from tests.vouchers.test_booking_hooks import PROJECT, XINGQING, todo_line
from tests.vouchers.test_ningxia_scenario import login, ok
from tests.vouchers.test_pages import contract_form_data
from tests.vouchers.test_province_schemes import complete, order, publish, requested, service_of, voucher_of
from vouchers.contracts.documents import render_contract_pdf
from vouchers.models import Contract

pytestmark = pytest.mark.django_db
OFFLINE = {
    "title": "新材料工艺设计",
    "content": "设计服务",
    "scope": "testing",
    "category": "设计",
    "amount": "80000",
    "signed_on": "2026-03-02",
    "service_start": "2026-03-03",
    "service_end": "2026-04-30",
}


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, url: str) -> str:
    response = web(user).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def pdf_text(contract_id: int) -> str:
    """The PDF as the worker renders it, read back without spaces or line breaks."""
    pdf = render_contract_pdf(Contract.objects.get(pk=contract_id))
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def henan(username: str = "zhongyuan"):
    """Henan's year published; an enterprise with its quota claimed and its R&D project approved."""
    factories.applicant_user(username=username, adcode=XINGQING, qualification="high_tech")
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login(username)
    publish(centre, "henan")
    ok(enterprise.post("/api/claims/", {"pledge": True}, format="json"), 201)
    project = ok(enterprise.post("/api/projects/", PROJECT, format="json"), 201)
    ok(operator.post(f"/api/projects/{project['id']}/approve/", {}, format="json"))
    return operator, lab, enterprise, User.objects.get(username=username)


# --- Words and the offline route ------------------------------------------------------------


def test_henan_says_order_on_its_pages_and_pdf_and_takes_no_offline_agreement(
    ningxia, clock, olivia, cecilia, ivan_lab, mallory
):
    operator, lab, enterprise, ent = henan()

    # No offline registration: no button, the form leads back with the reason, a POST and the API refuse.
    listing = page(ent, reverse("vouchers:contracts"))
    assert "登记线下签订" not in listing and "暂无订单。" in listing and "<th>订单编号</th>" in listing
    shown = web(ent).get(reverse("vouchers:contract_new"), follow=True)
    assert shown.redirect_chain[-1][0] == reverse("vouchers:contracts")
    assert "不登记线下签订的合同" in shown.content.decode()
    posted = web(ent).post(reverse("vouchers:contract_new"), contract_form_data(institution=ivan_lab.organisation_id))
    assert posted.status_code == 400 and "须从平台上的创新券预约提交" in posted.content.decode()
    refused = enterprise.post("/api/contracts/", {"institution": ivan_lab.organisation_id, **OFFLINE}, format="json")
    assert refused.status_code == 400 and "不登记线下签订的合同" in refused.content.decode()
    assert not Contract.objects.exists()
    # Outsiders are refused before the scheme is asked: an institution may not open one at all.
    assert web(ivan_lab).get(reverse("vouchers:contract_new")).status_code == 403

    # The order from the booking: its page and edit form in the order's words.
    booking = requested(enterprise, service_of(lab, operator))
    path = order(enterprise, booking)
    cid = int(path.rstrip("/").rsplit("/", 1)[1])
    detail = page(ent, reverse("vouchers:contract", args=[cid]))
    for words in (
        "签订本订单",
        "第四条　订单金额",
        "本订单总金额",
        "本订单可使用创新券",
        "订单每次保存",
        "修改订单后须重新下载",
    ):
        assert words in detail, words
    for words in ("签订本合同", "本合同总金额", "第四条　合同金额", "合同每次保存", "修改合同", "拆分合同迹象"):
        assert words not in detail, words
    assert "未发现拆分订单迹象" in detail and "订单金额大于 0" in detail  # the pre-check's words
    edit = page(ent, reverse("vouchers:contract_edit", args=[cid]))
    assert "<title>修改订单" in edit and ">创新券订单</a>" in edit and "修改合同" not in edit
    assert "重新下载订单 PDF" in edit
    pending = web(ent).get(reverse("vouchers:contract_pdf", args=[cid]))
    if pending["Content-Type"].startswith("text/html"):  # not rendered yet: the waiting page
        assert "订单文件" in pending.content.decode() and "合同文件" not in pending.content.decode()

    text = pdf_text(cid)
    for words in (
        "订立本订单",
        "第二条订单金额",
        "本订单服务费用总额",
        "拆分订单（化整为零）",
        "支付完成后，甲方对乙方和平台本次服务进行评价",
    ):
        assert words in text, words
    for words in ("订立本合同", "第二条合同金额", "本合同服务费用总额", "凭本合同", "银行回单，金额须一致"):
        assert words not in text, words

    # The institution's 受理 and the platform's review: their queue and page name the order.
    ok(enterprise.post(path + "submit/"))
    # Refusals of the order's workflow name it in its word too.
    early = operator.post(path + "review/", {"decision": "approve"}, format="json")
    assert early.status_code == 403 and "现在不是您审核该订单的环节" in early.content.decode()
    twice = enterprise.post(path + "submit/")
    assert twice.status_code == 400 and "订单当前为" in twice.content.decode()
    assert "合同" not in early.content.decode() + twice.content.decode()
    queue = page(ivan_lab, reverse("vouchers:review"))
    assert "<title>订单审核" in queue and "创新券订单审核" in queue and "<th>订单编号</th>" in queue
    assert "轮到您受理本订单" in page(ivan_lab, reverse("vouchers:contract", args=[cid]))
    ok(lab.post(path + "review/", {"decision": "approve"}, format="json"))
    ok(operator.post(path + "review/", {"decision": "approve"}, format="json"))
    voucher = voucher_of(enterprise, path)
    assert "服务订单" in page(ent, reverse("vouchers:detail", args=[voucher["id"]]))
    pay_page = page(ent, reverse("vouchers:pay", args=[voucher["id"]]))
    assert "服务价款（订单金额）" in pay_page and "服务价款（合同金额）" not in pay_page
    listing = page(ent, reverse("vouchers:list"))
    assert "<th>订单</th>" in listing
    # Another enterprise sees none of it.
    assert web(mallory).get(reverse("vouchers:contract", args=[cid])).status_code == 404


def test_ningxia_keeps_its_contract_words_and_its_offline_agreement(
    ningxia, clock, alice, bob, olivia, cecilia, ivan_lab
):
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login("alice")
    publish(centre, "ningxia")
    listing = page(alice, reverse("vouchers:contracts"))
    assert ">登记线下签订的合同</a>" in listing and "<th>合同编号</th>" in listing and "暂无合同。" in listing
    form = page(alice, reverse("vouchers:contract_new"))
    assert "<title>登记线下签订的合同" in form and ">创新券合同</a>" in form and "保存合同草稿" in form
    offline = ok(
        enterprise.post("/api/contracts/", {"institution": ivan_lab.organisation_id, **OFFLINE}, format="json"), 201
    )
    assert offline["voucher_amount"] == "40000.00"

    booking = requested(enterprise, service_of(lab, operator))
    ok(lab.post(f"/api/bookings/{booking}/accept/", {}, format="json"))
    path = order(enterprise, booking)
    cid = int(path.rstrip("/").rsplit("/", 1)[1])
    detail = page(alice, reverse("vouchers:contract", args=[cid]))
    for words in (
        "签订本合同",
        "第四条　合同金额",
        "本合同总金额",
        "本合同可申领创新券",
        "合同每次保存",
        "修改合同后须重新下载",
    ):
        assert words in detail, words
    assert "本订单" not in detail and "订单金额" not in detail and "未发现拆分合同迹象" in detail
    assert "<title>修改合同" in page(alice, reverse("vouchers:contract_edit", args=[cid]))
    text = pdf_text(cid)
    for words in ("订立本合同", "第二条合同金额", "本合同服务费用总额", "拆分合同（化整为零）", "银行回单，金额须一致"):
        assert words in text, words
    assert "本订单" not in text and "订单金额" not in text
    ok(enterprise.post(path + "submit/"))
    assert "<title>合同审核" in page(bob, reverse("vouchers:review"))
    # The bureau's review keeps Ningxia's words: 审核, 同意 / 退回修改, 审核通过.
    detail = page(bob, reverse("vouchers:contract", args=[cid]))
    assert '<h2 id="review">审核（' in detail and "轮到您审核本合同" in detail and "提交审核意见" in detail
    assert "同意</label>" in detail and "受理" not in detail.split('id="review"')[1].split("</form>")[0]
    reviewed = web(bob).post(reverse("vouchers:contract_review", args=[cid]), {"decision": "approve"}, follow=True)
    assert f"合同 {Contract.objects.get(pk=cid).number} 已审核通过。" in reviewed.content.decode()


# --- Rating after the payment ------------------------------------------------------------------


def test_henan_rates_the_order_only_once_it_is_paid(ningxia, clock, olivia, cecilia, ivan_lab, mallory):
    operator, lab, enterprise, ent = henan()
    booking = requested(enterprise, service_of(lab, operator))
    path = order(enterprise, booking)
    ok(enterprise.post(path + "submit/"))
    bpath, rate_url = f"/api/bookings/{booking}/", reverse("catalog:booking_rate", args=[booking])

    # In review: the booking is not rated yet (and the service is held back anyway).
    ok(lab.post(path + "review/", {"decision": "approve"}, format="json"))
    ok(operator.post(path + "review/", {"decision": "approve"}, format="json"))
    complete(lab, booking)
    ok(lab.post(bpath + "result/", {"result": factories.pdf_upload("报告.pdf")}, format="multipart"))
    voucher = voucher_of(enterprise, path)
    vpath = f"/api/vouchers/{voucher['id']}/"
    titles = list(Notification.objects.filter(user=ent).values_list("title", flat=True))
    assert "服务已完成：材料成分全分析" in titles and not [t for t in titles if "请评价" in t]

    # Completed, the voucher issued and not paid: no rating — the API's moves, the page, both POSTs.
    body = ok(enterprise.get(bpath))
    assert body["status"] == "completed" and "rate" not in body["available_moves"]
    assert f"本预约以创新券 {voucher['number']} 支付：确认订单结果并用券支付后才能评价" in body["blocked"]["rate"]
    html = page(ent, reverse("catalog:booking", args=[booking]))
    assert "暂不能评价" in html and "提交评价</button>" not in html
    early = web(ent).post(rate_url, {"score": "5", "platform_score": "4", "comment": "及时"})
    assert early.status_code == 400 and "支付后才能评价" in early.content.decode()
    by_booking = enterprise.post("/api/ratings/", {"booking": booking, "score": 5, "platform_score": 4}, format="json")
    assert by_booking.status_code == 400 and "支付后才能评价" in by_booking.content.decode()
    unscored = enterprise.post("/api/ratings/", {"booking": booking, "score": 5}, format="json")
    assert unscored.status_code == 400 and "支付后才能评价" in unscored.content.decode()
    by_voucher = enterprise.post(
        "/api/ratings/", {"voucher": voucher["id"], "score": 5, "platform_score": 4}, format="json"
    )
    assert by_voucher.status_code == 400 and "尚未使用" in by_voucher.content.decode()
    assert 'data-count="0">' in todo_line(ent, "已完成、待评价的服务")
    # Outsiders: another enterprise never sees the booking; the institution is not the rater.
    assert login("mallory").post("/api/ratings/", {"booking": booking, "score": 1}, format="json").status_code == 404
    assert web(mallory).post(rate_url, {"score": "1", "platform_score": "1"}).status_code == 404
    assert lab.post("/api/ratings/", {"booking": booking, "score": 5}, format="json").status_code == 403
    assert "rate" not in ok(lab.get(bpath))["available_moves"]
    assert not Rating.objects.exists()

    # Paid (result confirmed): now the page, the API and the use page offer the rating.
    ok(
        enterprise.post(vpath + "pay/", {"result_confirmed": True}, format="json", HTTP_IDEMPOTENCY_KEY="ha-pay-0001"),
        201,
    )
    body = ok(enterprise.get(bpath))
    assert "rate" in body["available_moves"] and "rate" not in body["blocked"]
    html = page(ent, reverse("catalog:booking", args=[booking]))
    assert "提交评价</button>" in html and "省平台服务评分" in html and "暂不能评价" not in html
    use_page = page(ent, reverse("vouchers:use", args=[voucher["id"]]))
    assert "服务订单" in use_page and "提交评价" in use_page
    assert 'data-count="1">' in todo_line(ent, "已完成、待评价的服务")
    assert login("mallory").post("/api/ratings/", {"booking": booking, "score": 1}, format="json").status_code == 404
    rated = ok(
        enterprise.post("/api/ratings/", {"booking": booking, "score": 5, "platform_score": 4}, format="json"), 201
    )
    assert (rated["score"], rated["platform_score"]) == (5, 4)
    assert Rating.objects.get().voucher_use.voucher_id == voucher["id"]
    assert ok(enterprise.get(bpath))["status"] == BookingStatus.RATED


def test_ningxia_too_rates_a_voucher_booking_after_paying(api_as, issued, alice, ivan_lab, mallory):
    """Every scheme: the contract's booking, served before the payment, is rated with the use."""
    booking = issued.contract.booking
    factories.serve(booking, ivan_lab)
    early = api_as(alice).post("/api/ratings/", {"booking": booking.pk, "score": 5}, format="json")
    assert (
        early.status_code == 400
        and f"本预约以创新券 {issued.number} 支付：用券支付后才能评价" in early.content.decode()
    )
    assert "暂不能评价" in page(alice, reverse("catalog:booking", args=[booking.pk]))
    assert api_as(mallory).post("/api/ratings/", {"booking": booking.pk, "score": 1}, format="json").status_code == 404
    paid = api_as(alice).post(f"/api/vouchers/{issued.pk}/pay/", {}, format="json", HTTP_IDEMPOTENCY_KEY="ha-nx-pay-01")
    assert paid.status_code == 201, paid.json()
    rated = api_as(alice).post("/api/ratings/", {"booking": booking.pk, "score": 4}, format="json")
    assert rated.status_code == 201 and Rating.objects.get().voucher_use is not None


# --- An instant slot still waits for the order's 受理 --------------------------------------------


def test_henan_instant_slot_says_the_order_still_waits_for_the_institution(
    ningxia, clock, olivia, cecilia, ivan_lab, mallory
):
    operator, lab, enterprise, ent = henan()
    sem = factories.approved_item(ivan_lab, booking_mode="slot", instant_booking=True, operator=olivia)
    start = next_weekday_at(9)
    slot = {"instrument": sem.pk, "starts_at": start.isoformat(), "ends_at": start.replace(hour=11).isoformat()}
    booking = ok(enterprise.post("/api/bookings/", slot, format="json"), 201)
    assert booking["status"] == "accepted"  # the system confirmed the free slot

    html = page(ent, reverse("catalog:booking", args=[booking["id"]]))
    assert "仪器时段已自动确认，创新券订单待服务机构受理" in html
    assert "受理即接受本预约" not in html and "机构已接受预约" not in html

    path = order(enterprise, booking["id"])
    cid = int(path.rstrip("/").rsplit("/", 1)[1])
    assert "仪器时段已自动确认，创新券订单待服务机构受理" in page(ent, reverse("catalog:booking", args=[booking["id"]]))
    owner_view = page(ent, reverse("vouchers:contract", args=[cid]))
    assert f"仪器时段已自动确认（预约 {booking['number']}），订单待服务机构受理" in owner_view
    ok(enterprise.post(path + "submit/"))
    lab_view = page(ivan_lab, reverse("vouchers:contract", args=[cid]))
    assert "仪器时段已由系统自动确认" in lab_view and "仍待您受理" in lab_view
    assert "受理本订单即接受预约" not in lab_view
    assert web(mallory).get(reverse("vouchers:contract", args=[cid])).status_code == 404

    # The 受理 is still the institution's: after it the order goes on, the banner goes.
    ok(lab.post(path + "review/", {"decision": "approve", "note": "受理"}, format="json"))
    assert "自动确认" not in page(ent, reverse("vouchers:contract", args=[cid]))

    # A booking the institution itself accepts says nothing of the kind.
    other = ok(
        enterprise.post("/api/bookings/", {"service": service_of(lab, operator), "quantity": "1"}, format="json"), 201
    )
    assert "自动确认" not in page(ent, reverse("catalog:booking", args=[other["id"]]))


# --- The institution's step is its 受理 ---------------------------------------------------------


def review_box(html: str) -> str:
    assert 'id="review"' in html, "no review form on the page"
    return html.split('<h2 id="review">')[1].split("</form>")[0]


def test_henan_institution_accepts_the_order_in_its_words_and_the_platform_reviews_it(
    ningxia, clock, olivia, cecilia, ivan_lab, mallory
):
    """Walk 5, finding 2: the institution's step on a Henan order is 受理 (管理单位受理), not
    审核 — the box, its options, the next step and the message after it; the operator's step
    after it is still a review."""
    operator, lab, enterprise, ent = henan()
    booking = requested(enterprise, service_of(lab, operator))
    path = order(enterprise, booking)
    cid = int(path.rstrip("/").rsplit("/", 1)[1])
    ok(enterprise.post(path + "submit/"))
    url = reverse("vouchers:contract", args=[cid])
    number = Contract.objects.get(pk=cid).number

    html = page(ivan_lab, url)
    box = review_box(html)
    assert box.startswith("受理（服务机构）</h2>") and "受理意见" in box and "提交受理意见" in box
    assert "受理</label>" in box and "退回修改</label>" in box and "同意</label>" not in box
    assert "受理后转下一级审核" in box and "审核（" not in box
    assert "轮到您受理本订单" in html and ">去受理<" in html and "轮到您审核" not in html
    assert "等待服务机构受理" in page(ent, url)
    # Outsiders: another enterprise sees nothing, the operator may not act before the 受理.
    assert web(mallory).get(url).status_code == 404
    assert (
        web(mallory).post(reverse("vouchers:contract_review", args=[cid]), {"decision": "approve"}).status_code == 404
    )
    early = web(olivia).post(reverse("vouchers:contract_review", args=[cid]), {"decision": "approve"})
    assert early.status_code == 403
    assert ok(enterprise.get(path))["status"] == "at_institution"

    accepted = web(ivan_lab).post(reverse("vouchers:contract_review", args=[cid]), {"decision": "approve"}, follow=True)
    assert f"订单 {number} 已受理，转运营单位审核。" in accepted.content.decode()
    assert ok(enterprise.get(path))["status_label"] == "待运营单位审核"

    # The platform's step is a review: 审核（运营单位）, 同意 / 退回修改, 审核通过.
    box = review_box(page(olivia, url))
    assert box.startswith("审核（运营单位）</h2>") and "同意</label>" in box and "提交审核意见" in box
    assert "受理</label>" not in box
    approved = web(olivia).post(reverse("vouchers:contract_review", args=[cid]), {"decision": "approve"}, follow=True)
    assert f"订单 {number} 已审核通过。" in approved.content.decode()
    assert ok(enterprise.get(path))["status_label"] == "已审定（已生成创新券）"  # Henan reviewed it
