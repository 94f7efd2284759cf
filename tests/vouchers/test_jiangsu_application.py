"""Jiangsu's yearly application (企业申领创新券信息表, seeds/003 lines 140–340) and the order's
是否使用创新券 switch (lines 380–430), through the HTTP API and the pages.

The application is filled in with the type's evidence (待上传), its printed form downloaded as
a PDF, then uploaded stamped: 科小 is granted at once, the others go to their authority.
Personas: ``zhongshan`` applies from 兴庆区 (Bob's county); Mallory is another enterprise;
Charlie another county's bureau.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.models import Booking
from tests import factories
from tests.vouchers.test_ningxia_scenario import login, moves, ok
from tests.vouchers.test_province_schemes import XINGQING, YEAR, booked, service_of, wallet
from vouchers.models import ClaimEvent, ClaimStatus, Contract, EntitlementClaim

pytestmark = pytest.mark.django_db


def filled(kind: str, **changes) -> dict:
    return {**factories.application_data(kind, **changes), **factories.application_files(kind)}


def applicant(kind: str, username: str = "zhongshan"):
    factories.applicant_user(username=username, adcode=XINGQING, qualification=kind)
    return login(username)


def stamped(name: str = "申请表.pdf") -> dict:
    return {"stamped_form": factories.pdf_upload(name)}


# --- The two steps through the API -------------------------------------------------------------


def test_kexiao_is_granted_once_its_printed_form_comes_back_stamped(jiangsu, check_ledger, bob, charlie, mallory):
    enterprise, county, other_county, outsider = applicant("tech_sme"), login("bob"), login("charlie"), login("mallory")
    last_year = enterprise.post("/api/claims/", filled("tech_sme", qualification_number=f"{YEAR - 1}32010400012"))
    assert last_year.status_code == 400 and f"须为 {YEAR} 年度的编号" in last_year.json()["qualification_number"][0]
    assert not EntitlementClaim.objects.exists()

    claim = ok(enterprise.post("/api/claims/", filled("tech_sme"), format="multipart"), 201)
    path = f"/api/claims/{claim['id']}/"
    assert (claim["status"], claim["has_financial_report"], claim["has_stamped_form"]) == ("to_upload", True, False)
    assert wallet(enterprise)["remaining"] == "0.00"
    second = enterprise.post("/api/claims/", filled("tech_sme"), format="multipart")
    assert second.status_code == 400 and "每年只能申领一次" in second.content.decode()

    # Another enterprise and another county's bureau neither read the form nor upload to it.
    assert outsider.get(path + "form/").status_code == 404
    assert outsider.post(path + "stamped-form/", stamped(), format="multipart").status_code == 404
    assert other_county.get(path + "form/").status_code == 404
    # The applicant's own bureau may read it but cannot upload for the applicant.
    assert county.post(path + "stamped-form/", stamped(), format="multipart").status_code == 403

    pdf = enterprise.get(path + "form/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    executable = enterprise.post(
        path + "stamped-form/", {"stamped_form": factories.fake_pdf_executable()}, format="multipart"
    )
    assert executable.status_code == 400 and "stamped_form" in executable.json()
    assert ok(enterprise.get(path))["status"] == "to_upload" and not EntitlementClaim.objects.get().stamped_form

    claim = ok(enterprise.post(path + "stamped-form/", stamped(), format="multipart"))
    assert claim["status"] == "granted" and claim["has_stamped_form"]
    again = enterprise.post(path + "stamped-form/", stamped(), format="multipart")
    assert again.status_code == 400 and "不能上传申领表" in again.content.decode()
    assert wallet(enterprise)["remaining"] == "100000.00"
    events = list(ClaimEvent.objects.order_by("id").values_list("from_status", "to_status", "actor_role"))
    assert events == [
        ("to_upload", "to_upload", "applicant"),
        ("to_upload", "submitted", "applicant"),
        ("submitted", "granted", "system"),
    ]
    check_ledger()


def test_an_incubated_enterprise_waits_for_its_bureau(jiangsu, check_ledger, bob, charlie):
    enterprise, county, other_county = applicant("incubated"), login("bob"), login("charlie")
    no_proof = {**factories.application_data("incubated"), "financial_report": factories.pdf_upload()}
    response = enterprise.post("/api/claims/", no_proof, format="multipart")
    assert response.status_code == 400 and "入孵证明" in response.json()["evidence"][0]
    claim = ok(enterprise.post("/api/claims/", filled("incubated"), format="multipart"), 201)
    path = f"/api/claims/{claim['id']}/"
    assert claim["form"]["incubator_credit_code"] and claim["has_evidence"]
    before = enterprise.post(path + "stamped-form/", stamped(), format="multipart")
    assert before.status_code == 400 and "请先下载申领表" in before.content.decode()
    assert moves(enterprise, path) == []  # the upload is offered once the form was downloaded
    assert enterprise.get(path + "form/").status_code == 200
    assert moves(enterprise, path) == ["upload"]
    assert ok(enterprise.post(path + "stamped-form/", stamped(), format="multipart"))["status"] == "submitted"
    assert moves(bob_client := county, path) == ["grant", "refuse"]
    assert other_county.post(path + "grant/", {}, format="json").status_code == 404
    assert ok(bob_client.post(path + "grant/", {"note": "入孵协议齐全"}, format="json"))["status"] == "granted"
    check_ledger()


@pytest.mark.parametrize(
    ("kind", "changes", "field", "words"),
    [
        ("high_tech", {"revenue": "40000.01"}, "revenue", "4 亿"),
        ("high_tech", {"certificate_date": f"{YEAR - 4}-01-15"}, "certificate_date", "3 年有效期"),
        ("high_tech", {"qualification_number": "20211234"}, "qualification_number", "高新技术企业证书编号"),
        ("tech_sme", {"qualification_number": ""}, "qualification_number", "入库编号"),
        ("incubated", {"incubator_credit_code": "91320115000000001X"}, "incubator_credit_code", "统一社会信用代码无效"),
        ("incubated", {"incubator_operator": ""}, "incubator_operator", "孵化器运营主体"),
        ("talent", {"talent_programme": ""}, "talent_programme", "人才计划"),
        ("other", {}, "kind", "企业类型"),
    ],
)
def test_bad_evidence_is_refused_in_chinese_and_nothing_is_kept(jiangsu, kind, changes, field, words):
    enterprise = applicant("high_tech")
    response = enterprise.post("/api/claims/", filled(kind, **changes), format="multipart")
    assert response.status_code == 400, response.content
    assert words in " ".join(response.json()[field])
    assert not EntitlementClaim.objects.exists() and not ClaimEvent.objects.exists()


def test_an_upload_of_the_wrong_type_is_refused(jiangsu):
    enterprise = applicant("high_tech")
    html = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = enterprise.post(
        "/api/claims/", {**factories.application_data("high_tech"), "financial_report": html}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["financial_report"]
    assert not EntitlementClaim.objects.exists()


def test_the_printed_form_carries_the_fields_escaped_and_the_province_names(jiangsu):
    from vouchers.entitlements.documents import render_application_html

    enterprise = applicant("talent")
    data = filled("talent", talent_programme="<b>双创</b>计划", industry="检测&认证")
    claim = EntitlementClaim.objects.get(pk=ok(enterprise.post("/api/claims/", data, format="multipart"), 201)["id"])
    html = render_application_html(claim)
    assert "科技创新券企业申请信息表" in html and "人才企业" in html and claim.number in html
    assert "&lt;b&gt;双创&lt;/b&gt;计划" in html and "检测&amp;认证" in html and "<b>双创" not in html
    assert "单位公章" in html and "法定代表人（签字）" in html and "1,200.00" in html


# --- The pages --------------------------------------------------------------------------------


def test_the_wallet_page_walks_the_two_steps(jiangsu, mallory):
    factories.applicant_user(username="zhongshan", adcode=XINGQING, qualification="high_tech")
    client = Client()
    client.login(username="zhongshan", password=factories.PASSWORD)
    wallet_page = client.get(reverse("vouchers:wallet")).content.decode()
    assert "上年度营业收入（万元）" in wallet_page and "高企证书发证日期" in wallet_page
    expired = client.post(reverse("vouchers:wallet_claim"), filled("high_tech", certificate_date=f"{YEAR - 3}-01-01"))
    assert expired.status_code == 400 and "3 年有效期" in expired.content.decode()
    assert not EntitlementClaim.objects.exists()
    client.post(reverse("vouchers:wallet_claim"), filled("high_tech"))
    claim = EntitlementClaim.objects.get()
    shown = client.get(reverse("vouchers:wallet")).content.decode()
    assert "待上传" in shown and "下载申领表" in shown and "上传申领表" in shown

    outsider = Client()
    outsider.login(username="mallory", password=factories.PASSWORD)
    assert outsider.get(reverse("vouchers:claim_application_pdf", args=[claim.pk])).status_code == 404
    upload = {f"c{claim.pk}-stamped_form": factories.pdf_upload()}
    assert outsider.post(reverse("vouchers:claim_stamped_upload", args=[claim.pk]), upload).status_code == 404
    assert outsider.get(reverse("vouchers:claim_evidence_file", args=[claim.pk, "financial_report"])).status_code == 404

    pdf = client.get(reverse("vouchers:claim_application_pdf", args=[claim.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    wrong = {f"c{claim.pk}-stamped_form": factories.fake_pdf_executable()}
    refused = client.post(reverse("vouchers:claim_stamped_upload", args=[claim.pk]), wrong)
    assert refused.status_code == 400
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.TO_UPLOAD
    upload = {f"c{claim.pk}-stamped_form": factories.pdf_upload()}
    done = client.post(reverse("vouchers:claim_stamped_upload", args=[claim.pk]), upload)
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    report = client.get(reverse("vouchers:claim_evidence_file", args=[claim.pk, "financial_report"]))
    assert report.status_code == 200


# --- 是否使用创新券 -------------------------------------------------------------------------------


def test_an_order_without_the_voucher_is_an_ordinary_order(jiangsu, olivia, ivan_lab, mallory):
    enterprise, lab, operator = applicant("tech_sme"), login("ivan_lab"), login("olivia")
    service = service_of(lab, operator)
    default = booked(enterprise, lab, service)
    assert Booking.objects.get(pk=default).use_voucher is True
    plain = ok(
        enterprise.post("/api/bookings/", {"service": service, "quantity": "1", "use_voucher": False}, format="json"),
        201,
    )
    assert plain["use_voucher"] is False
    ok(lab.post(f"/api/bookings/{plain['id']}/accept/", {}, format="json"))
    refused = enterprise.post("/api/contracts/", {"booking": plain["id"]}, format="json")
    assert refused.status_code == 400 and "不使用创新券" in refused.content.decode()
    assert not Contract.objects.filter(booking_id=plain["id"]).exists()
    assert ok(enterprise.post("/api/contracts/", {"booking": default}, format="json"), 201)

    # The booking page offers no 申领创新券 for it, and its POST is refused.
    client = Client()
    client.login(username="zhongshan", password=factories.PASSWORD)
    page = client.get(reverse("catalog:booking", args=[plain["id"]])).content.decode()
    assert "普通订单" in page and "vouchers/contracts/from-booking" not in page
    client.post(reverse("vouchers:contract_from_booking", args=[plain["id"]]))
    assert not Contract.objects.filter(booking_id=plain["id"]).exists()
    contracts_page = client.get(reverse("vouchers:contracts")).content.decode()
    assert Booking.objects.get(pk=plain["id"]).number not in contracts_page


def test_the_booking_form_has_the_switch_for_voucher_items_only(jiangsu, olivia, ivan_lab):
    applicant("tech_sme")
    item = factories.approved_item(ivan_lab, kind="service", operator=olivia)
    plain_item = factories.approved_item(
        ivan_lab, kind="service", name="常规检测", voucher_eligible=False, operator=olivia
    )
    client = Client()
    client.login(username="zhongshan", password=factories.PASSWORD)
    form = client.get(reverse("catalog:book_service", args=[item.pk])).content.decode()
    assert "是否使用创新券" in form and "不使用创新券" in form
    assert 'value="yes"' in form and "checked" in form.split('value="yes"')[1].split(">")[0]
    assert "是否使用创新券" not in client.get(reverse("catalog:book_service", args=[plain_item.pk])).content.decode()

    client.post(reverse("catalog:book_service", args=[item.pk]), {"quantity": "1", "note": "", "use_voucher": "no"})
    booking = Booking.objects.get(service=item)
    assert booking.use_voucher is False
    bad = client.post(reverse("catalog:book_service", args=[item.pk]), {"quantity": "1", "use_voucher": "maybe"})
    assert bad.status_code == 400 and Booking.objects.filter(service=item).count() == 1
    client.post(reverse("catalog:book_service", args=[plain_item.pk]), {"quantity": "1", "note": ""})
    assert Booking.objects.get(service=plain_item).use_voucher is False

    api = login("zhongshan")
    refused = api.post(
        "/api/bookings/", {"service": plain_item.pk, "quantity": "1", "use_voucher": True}, format="json"
    )
    assert refused.status_code == 400 and "不可使用创新券" in refused.content.decode()
    assert Booking.objects.filter(service=plain_item).count() == 1
