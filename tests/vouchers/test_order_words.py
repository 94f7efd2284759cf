"""The scheme's words for the voucher's record (issue #12): Henan's users know a 创新券订单
that they submit (提交创新券订单) — in the menu, on the contracts page's button, in the page
titles and in the PDF — while Ningxia's keep the 创新券合同 they apply for (申领创新券).
Every step is an HTTP request; the PDF is rendered as the worker renders it and read back."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from notifications.models import Notification
from tests import factories
from tests.vouchers.test_booking_hooks import PROJECT, XINGQING
from tests.vouchers.test_ningxia_scenario import login, ok
from tests.vouchers.test_province_schemes import publish, requested, service_of
from vouchers.contracts.documents import render_contract_pdf
from vouchers.models import Contract

pytestmark = pytest.mark.django_db


def page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def pdf_text(contract_id: int) -> str:
    pdf = render_contract_pdf(Contract.objects.get(pk=contract_id))
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")


def test_henan_says_order_in_the_menu_the_button_the_titles_and_the_pdf(ningxia, clock, olivia, cecilia, ivan_lab):
    ent = factories.applicant_user(username="zhongyuan", adcode=XINGQING, qualification="high_tech")
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login("zhongyuan")
    publish(centre, "henan")
    ok(enterprise.post("/api/claims/", {"pledge": True}, format="json"), 201)
    project = ok(enterprise.post("/api/projects/", PROJECT, format="json"), 201)
    ok(operator.post(f"/api/projects/{project['id']}/approve/", {}, format="json"))
    booking = requested(enterprise, service_of(lab, operator))

    listing = page(ent, "/vouchers/contracts/")
    assert ">创新券订单</a>" in listing and "创新券合同" not in listing  # the menu entry
    assert "可提交创新券订单的预约" in listing and ">提交创新券订单</button>" in listing
    assert "申领创新券" not in listing
    assert ">订单审核</a>" in page(olivia, "/vouchers/contracts/")  # the platform's menu

    contract = ok(enterprise.post("/api/contracts/", {"booking": booking}, format="json"), 201)
    detail = page(ent, f"/vouchers/contracts/{contract['id']}/")
    assert "<title>订单" in detail and "下载订单 PDF" in detail and "订单编号" in detail
    assert "创新券合同" not in detail and "下载合同 PDF" not in detail

    text = pdf_text(contract["id"])
    assert "科技创新券订单" in text and "订单编号" in text and "订单状态" in text and "自愿使用" in text
    assert "科技创新券服务合同" not in text and "合同编号" not in text and "自愿申领" not in text

    # The messages and notifications name the order too.
    path = f"/api/contracts/{contract['id']}/"
    ok(enterprise.post(path + "pledge/"))
    ok(enterprise.post(path + "scan/", {"file": factories.pdf_upload("signed.pdf")}, format="multipart"))
    ok(enterprise.post(path + "submit/"))
    ok(lab.post(path + "review/", {"decision": "approve"}, format="json"))
    titles = list(Notification.objects.filter(user=ent).values_list("title", flat=True))
    assert f"订单 {contract['number']} 已通过服务机构审核" in titles
    assert not [t for t in titles if "合同" in t]


def test_ningxia_keeps_its_contract_words(ningxia, clock, alice, olivia, cecilia, ivan_lab):
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login("alice")
    publish(centre, "ningxia")
    booking = requested(enterprise, service_of(lab, operator))
    assert "受理" not in str(ok(lab.get(f"/api/bookings/{booking}/"))["blocked"])
    ok(lab.post(f"/api/bookings/{booking}/accept/", {}, format="json"))  # the institution accepts first

    listing = page(alice, "/vouchers/contracts/")
    assert ">创新券合同</a>" in listing and "可申领创新券的预约" in listing and ">申领创新券</button>" in listing
    assert "创新券订单" not in listing
    assert ">合同复核</a>" in page(olivia, "/vouchers/contracts/")

    contract = ok(enterprise.post("/api/contracts/", {"booking": booking}, format="json"), 201)
    detail = page(alice, f"/vouchers/contracts/{contract['id']}/")
    assert "下载合同 PDF" in detail and "合同编号" in detail and "订单" not in detail.split("<main")[-1][:200]

    text = pdf_text(contract["id"])
    assert "科技创新券服务合同" in text and "合同编号" in text and "合同状态" in text and "自愿申领" in text
    assert "科技创新券订单" not in text
