"""What the vouchers app tells the catalogue about a booking (issue #12, the new-user walk):

- Henan reviews the voucher order before the service (管理单位受理 → 省平台审核 → 履行订单合同):
  while the booking's order waits at the institution, at the platform or for its one
  correction, the institution can neither start nor complete the service — the booking page
  and the API give the reason; once approved the service goes on. Ningxia's contract is
  reviewed for the voucher while the service goes on: nothing is held back there.
- The order result (订单结果) is the institution's next step after the service only where the
  scheme pays after the applicant confirms it (Henan), not in Ningxia.

Every step is an HTTP request (API or page); time moves only through the ``clock`` fixture.
"""

from __future__ import annotations

import pytest
from django.test import Client

from catalog.models import Booking, BookingStatus
from tests import factories
from tests.catalog.test_bookings import next_weekday_at
from tests.vouchers.test_ningxia_scenario import login, ok
from tests.vouchers.test_province_schemes import booked, order, publish, requested, service_of
from vouchers.policies.presets import install_preset

pytestmark = pytest.mark.django_db
XINGQING = 640104
PROJECT = {
    "title": "高精度光纤传感器研制",
    "summary": "研制用于桥梁健康监测的分布式光纤传感器。",
    "budget": "1500000",
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-31",
}


def page_of(user, booking: int) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/catalog/bookings/{booking}/")
    assert response.status_code == 200
    return response.content.decode()


def post_step(user, booking: int, step: str):
    client = Client()
    client.force_login(user)
    return client.post(f"/catalog/bookings/{booking}/{step}/", {"note": ""})


def test_henan_holds_the_service_back_while_the_voucher_order_waits_for_review(
    ningxia, clock, olivia, cecilia, ivan_lab, mallory
):
    factories.applicant_user(username="zhongyuan", adcode=XINGQING, qualification="high_tech")
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login("zhongyuan")
    publish(centre, "henan")
    ok(enterprise.post("/api/claims/", {"pledge": True}, format="json"), 201)
    project = ok(enterprise.post("/api/projects/", PROJECT, format="json"), 201)
    ok(operator.post(f"/api/projects/{project['id']}/approve/", {}, format="json"))
    booking = requested(enterprise, service_of(lab, operator))
    bpath = f"/api/bookings/{booking}/"
    # The booking waits for the order: its page asks the enterprise for it, and the
    # institution's page says the order's 受理 accepts it (no 接受 button).
    html = page_of(Booking.objects.get(pk=booking).requested_by, booking)
    assert "提交创新券订单" in html and f"/vouchers/contracts/from-booking/{booking}/" in html
    html = page_of(ivan_lab, booking)
    assert "受理创新券订单即接受本预约" in html
    assert f'formaction="/catalog/bookings/{booking}/accept/"' not in html
    assert post_step(ivan_lab, booking, "accept").status_code == 400
    path = order(enterprise, booking)

    ok(enterprise.post(path + "submit/"))  # 待服务机构受理
    body = ok(lab.get(bpath))
    assert body["available_moves"] == [] and "请受理本预约的创新券订单" in body["blocked"]["accept"]
    html = page_of(ivan_lab, booking)
    contract_url = path.replace("/api/", "/vouchers/")
    assert "去受理" in html and f'href="{contract_url}"' in html
    contract_page = Client()
    contract_page.force_login(ivan_lab)
    assert "受理本订单即接受预约" in contract_page.get(contract_url).content.decode()

    ok(lab.post(path + "review/", {"decision": "approve", "note": "受理"}, format="json"))  # 待运营单位审核
    accepted = Booking.objects.get(pk=booking).events.get(to_status=BookingStatus.ACCEPTED)
    assert accepted.actor == ivan_lab and accepted.note == "受理创新券订单 " + ok(lab.get(path))["number"] + "：受理"
    refused = lab.post(bpath + "start/")
    assert refused.status_code == 400 and "审核通过后才能开始服务" in refused.content.decode()
    html = page_of(ivan_lab, booking)
    assert "暂不能开始服务" in html and "创新券订单" in html
    assert f'formaction="/catalog/bookings/{booking}/start/"' not in html
    response = post_step(ivan_lab, booking, "start")
    assert response.status_code == 400 and "审核通过后才能开始服务" in response.content.decode()
    assert "待运营单位审核" in ok(lab.get(bpath))["blocked"]["start"]
    assert lab.post(bpath + "start/").status_code == 400
    ok(operator.post(path + "review/", {"decision": "return", "note": "抵扣金额有误"}, format="json"))
    assert "已退回" in ok(lab.get(bpath))["blocked"]["start"]  # waiting for the one correction
    assert Booking.objects.get(pk=booking).status == BookingStatus.ACCEPTED
    assert not Booking.objects.get(pk=booking).events.filter(to_status=BookingStatus.IN_SERVICE).exists()

    ok(enterprise.post(path + "submit/"))
    ok(lab.post(path + "review/", {"decision": "approve", "note": "受理"}, format="json"))
    assert ok(operator.post(path + "review/", {"decision": "approve"}, format="json"))["status"] == "approved"
    # Outsiders still cannot touch it; the institution now can.
    assert login("mallory").post(bpath + "start/").status_code == 404
    assert enterprise.post(bpath + "start/").status_code == 403
    body = ok(lab.get(bpath))
    assert body["available_moves"] == ["start"] and body["blocked"] == {}
    assert ok(lab.post(bpath + "start/"))["status"] == "in_service"
    assert ok(lab.post(bpath + "complete/", {}, format="json"))["status"] == "completed"

    # 上传订单结果 → 用户确认: the institution's next step is the result.
    body = ok(lab.get(bpath))
    assert body["result_needed"] is True
    html = page_of(ivan_lab, booking)
    assert "服务已完成，请上传订单结果" in html and 'href="#result-form"' in html and "（可选）" not in html
    assert 'data-count="1">' in todo_line(ivan_lab, "已完成、待上传订单结果的预约")
    ok(lab.post(bpath + "result/", {"result": factories.pdf_upload("report.pdf")}, format="multipart"))
    assert "服务已完成，请上传订单结果" not in page_of(ivan_lab, booking)
    assert 'data-count="0">' in todo_line(ivan_lab, "已完成、待上传订单结果的预约")


def test_ningxia_serves_while_the_contract_is_reviewed_and_asks_for_no_order_result(
    ningxia, clock, alice, olivia, cecilia, ivan_lab, mallory
):
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login("alice")
    publish(centre, "ningxia")
    booking = booked(enterprise, lab, service_of(lab, operator))
    bpath = f"/api/bookings/{booking}/"
    assert ok(lab.get(bpath))["result_needed"] is False
    path = order(enterprise, booking)
    assert ok(enterprise.post(path + "submit/"))["status"] == "at_bureau"

    body = ok(lab.get(bpath))
    assert body["available_moves"] == ["start"] and body["blocked"] == {}
    assert ok(lab.post(bpath + "start/"))["status"] == "in_service"
    assert ok(lab.post(bpath + "complete/", {}, format="json"))["status"] == "completed"

    body = ok(lab.get(bpath))
    assert body["result_needed"] is False
    # Ningxia has no order-result step (Henan's 订单结果): no upload on the booking page, no
    # queue on the institution's home, and the API refuses one in Chinese.
    html = page_of(ivan_lab, booking)
    assert "请上传订单结果" not in html and 'href="#result-form"' not in html
    assert 'id="result-form"' not in html and "订单结果" not in html
    assert "待上传订单结果" not in page_of_home(ivan_lab)
    refused = lab.post(bpath + "result/", {"result": factories.pdf_upload("report.pdf")}, format="multipart")
    assert refused.status_code == 400 and "本方案没有服务机构在预约中上传结果的环节" in refused.content.decode()
    client = Client()
    client.force_login(ivan_lab)
    refused = client.post(f"/catalog/bookings/{booking}/result/", {"result": factories.pdf_upload("report.pdf")})
    assert refused.status_code == 400 and "由预约方随使用证明材料上传" in refused.content.decode()
    assert not Booking.objects.get(pk=booking).result
    assert (
        login("mallory").post(bpath + "result/", {"result": factories.pdf_upload()}, format="multipart").status_code
        == 404
    )


def test_henan_asks_no_order_result_of_an_ordinary_order(ningxia, clock, olivia, cecilia, ivan_lab):
    """A booking ordered without the voucher (普通订单) has nothing to confirm before paying."""
    factories.applicant_user(username="zhongyuan", adcode=XINGQING, qualification="high_tech")
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login("zhongyuan")
    publish(centre, "henan")
    service = service_of(lab, operator)
    plain = ok(
        enterprise.post("/api/bookings/", {"service": service, "quantity": "1", "use_voucher": False}, format="json"),
        201,
    )
    with_voucher = requested(enterprise, service)  # accepted with its order (受理)
    assert ok(lab.get(f"/api/bookings/{with_voucher}/"))["result_needed"] is True
    bpath = f"/api/bookings/{plain['id']}/"
    for step in ("accept", "start", "complete"):
        ok(lab.post(bpath + step + "/", {}, format="json"))
    assert ok(lab.get(bpath))["result_needed"] is False
    # Henan's scheme has the order result: on an ordinary order it stays an optional upload.
    html = page_of(ivan_lab, plain["id"])
    assert "上传订单结果（可选）" in html and "无须预约方确认" in html and "请上传订单结果" not in html
    result = {"result": factories.pdf_upload("report.pdf")}
    assert ok(lab.post(bpath + "result/", result, format="multipart"))["has_result"] is True
    assert "已完成、待上传订单结果的预约" in page_of_home(ivan_lab)  # Henan's queue is listed, empty or not


def test_henan_pages_call_the_voucher_order_an_order_and_ningxia_a_contract(
    ningxia, clock, alice, olivia, cecilia, ivan_lab
):
    """创新券订单 in Henan (its guide's word), 创新券合同 in Ningxia: the contracts list, the
    contract page, the booking page and the home to-do, from the scheme's review chain."""
    zhongyuan = factories.applicant_user(username="zhongyuan", adcode=XINGQING, qualification="high_tech")
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login("zhongyuan")
    publish(centre, "henan")
    ok(enterprise.post("/api/claims/", {"pledge": True}, format="json"), 201)
    project = ok(enterprise.post("/api/projects/", PROJECT, format="json"), 201)
    ok(operator.post(f"/api/projects/{project['id']}/approve/", {}, format="json"))
    booking = requested(enterprise, service_of(lab, operator))  # accepted with its order (受理)
    path = order(enterprise, booking)
    contract = ok(enterprise.get(path))
    client = Client()
    client.force_login(zhongyuan)
    listed = client.get("/vouchers/contracts/").content.decode()
    assert "<title>创新券订单</title>" in listed and "<h1>创新券订单</h1>" in listed and "我的订单" in listed
    detail = client.get(f"/vouchers/contracts/{contract['id']}/").content.decode()
    assert f"<title>订单 {contract['number']}</title>" in detail and "<h1>创新券订单 <small" in detail
    assert "科技创新券服务合同 <small" not in detail
    assert "查看创新券订单" in page_of(zhongyuan, booking)
    assert "尚未提交的订单草稿" in client.get("/").content.decode()
    ok(enterprise.post(path + "submit/"))
    assert "待受理的创新券订单" in page_of_home(ivan_lab)

    install_preset(key="ningxia", year=2026)  # the same pages under Ningxia's scheme
    applicant = login("alice")
    ningxia_contract = ok(applicant.get(order(applicant, booked(applicant, lab, service_of(lab, operator)))))
    client.force_login(alice)
    listed = client.get("/vouchers/contracts/").content.decode()
    assert "<h1>创新券服务合同</h1>" in listed and "我的合同" in listed
    detail = client.get(f"/vouchers/contracts/{ningxia_contract['id']}/").content.decode()
    assert f"<title>合同 {ningxia_contract['number']}</title>" in detail
    assert "<h1>科技创新券服务合同 <small" in detail
    assert "尚未提交的合同草稿" in client.get("/").content.decode()


def page_of_home(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def todo_line(user, label: str) -> str:
    """The home to-do item named ``label`` (with its ``data-count``), or "" when not listed."""
    home = page_of_home(user)
    at = home.find(f"<strong>{label}</strong>")
    if at < 0:
        return 'data-count="0">'  # an empty task is not listed
    return home[home.rfind("<li", 0, at) : at]


def test_henan_a_draft_order_holds_the_service_back_too(ningxia, clock, olivia, cecilia, ivan_lab, mallory):
    """An instrument confirming free slots at once (系统自动确认) has the booking accepted
    before the order: the order, still a draft, holds the service back all the same."""
    factories.applicant_user(username="zhongyuan", adcode=XINGQING, qualification="high_tech")
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login("zhongyuan")
    publish(centre, "henan")
    ok(enterprise.post("/api/claims/", {"pledge": True}, format="json"), 201)
    project = ok(enterprise.post("/api/projects/", PROJECT, format="json"), 201)
    ok(operator.post(f"/api/projects/{project['id']}/approve/", {}, format="json"))
    sem = factories.approved_item(ivan_lab, booking_mode="slot", instant_booking=True, operator=olivia)
    start = next_weekday_at(9)
    slot = {"instrument": sem.pk, "starts_at": start.isoformat(), "ends_at": start.replace(hour=11).isoformat()}
    booking = ok(enterprise.post("/api/bookings/", slot, format="json"), 201)
    assert booking["status"] == "accepted"
    bpath = f"/api/bookings/{booking['id']}/"
    path = order(enterprise, booking["id"])
    body = ok(lab.get(bpath))
    assert body["available_moves"] == [] and "尚未提交（草稿）" in body["blocked"]["start"]
    refused = lab.post(bpath + "start/")
    assert refused.status_code == 400 and "审核通过才能开始服务" in refused.content.decode()
    html = page_of(ivan_lab, booking["id"])
    assert "暂不能开始服务" in html and "尚未提交（草稿）" in html
    assert post_step(ivan_lab, booking["id"], "start").status_code == 400
    assert login("mallory").post(bpath + "start/").status_code == 404
    # Submitted, accepted (受理: the booking is already accepted) and approved: the service starts.
    ok(enterprise.post(path + "submit/"))
    ok(lab.post(path + "review/", {"decision": "approve", "note": "受理"}, format="json"))
    ok(operator.post(path + "review/", {"decision": "approve"}, format="json"))
    assert ok(lab.post(bpath + "start/"))["status"] == "in_service"


def step_of(user, booking: int) -> str:
    html = page_of(user, booking)
    assert 'id="next-step"' in html
    return html.split('id="next-step"')[1].split("</section>")[0]


def test_henan_booking_step_names_the_quota_and_project_still_missing(
    ningxia, clock, olivia, cecilia, ivan_lab, mallory
):
    """Walk 5, finding 8: the booking's step says what this applicant still lacks under
    Henan's scheme — the quota and the approved R&D project — and nothing once both are done."""
    zhongyuan = factories.applicant_user(username="zhongyuan", adcode=XINGQING, qualification="high_tech")
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login("zhongyuan")
    publish(centre, "henan")
    booking = requested(enterprise, service_of(lab, operator))  # waits: the order is submitted first
    step = step_of(zhongyuan, booking)
    assert 'id="voucher-prerequisite"' in step and "本年度方案如要求" not in step
    assert "领取本年度额度；登记本年度研发项目并经平台审核通过" in step and "年度资格申请" not in step
    ok(enterprise.post("/api/claims/", {"pledge": True}, format="json"), 201)
    project = ok(enterprise.post("/api/projects/", PROJECT, format="json"), 201)
    step = step_of(zhongyuan, booking)
    assert "领取本年度额度" not in step and "等待研发项目登记经平台审核通过" in step
    ok(operator.post(f"/api/projects/{project['id']}/approve/", {}, format="json"))
    assert "voucher-prerequisite" not in step_of(zhongyuan, booking)
    # Another enterprise does not see the booking at all.
    client = Client()
    client.force_login(mallory)
    assert client.get(f"/catalog/bookings/{booking}/").status_code == 404


def test_ningxia_booking_step_asks_nothing_of_the_wallet_and_keeps_its_words(
    ningxia, clock, alice, olivia, cecilia, ivan_lab
):
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login("alice")
    publish(centre, "ningxia")
    step = step_of(alice, booked(enterprise, lab, service_of(lab, operator)))
    assert "申领创新券" in step and "系统按本预约生成服务合同草稿" in step and "上传盖章合同" in step
    assert "voucher-prerequisite" not in step and "我的额度" not in step and "本年度方案如要求" not in step


def test_zhejiang_booking_step_asks_for_a_claim_within_the_caps_until_one_is_held(
    ningxia, clock, olivia, cecilia, ivan_lab
):
    qianjiang = factories.applicant_user(username="qianjiang", adcode=XINGQING)
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login("qianjiang")
    publish(centre, "zhejiang")
    booking = booked(enterprise, lab, service_of(lab, operator))
    ok(lab.post(f"/api/bookings/{booking}/start/"))
    ok(lab.post(f"/api/bookings/{booking}/complete/", {}, format="json"))
    step = step_of(qianjiang, booking)
    assert "创新券使用登记" in step and "在申领上限内申领额度" in step and "本年度方案如要求" not in step
    ok(enterprise.post("/api/claims/", {"amount": "10000"}, format="json"), 201)
    assert "voucher-prerequisite" not in step_of(qianjiang, booking)
