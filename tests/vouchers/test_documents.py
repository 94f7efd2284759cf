"""The contract PDF, amounts in Chinese capitals, private files and public voucher verification."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from tests import factories
from vouchers.contracts import renditions, services
from vouchers.contracts.documents import (
    CJK_FONTS,
    amount_in_words,
    contract_context,
    contract_printed,
    offline_url_fetcher,
    qr_svg,
    render_contract_pdf,
)
from vouchers.models import Policy, Voucher

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(db):
    return factories.ningxia_policy()


@pytest.fixture
def draft(policy, alice, ivan_lab):
    """2 × 20,000 yuan of service from 贺兰山分析测试中心: a 40,000 contract, 20,000 voucher."""
    return factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")


@pytest.fixture
def submitted(draft, alice):
    services.contract_add_attachment(
        contract=draft, by=alice, upload=factories.pdf_upload("委托单.pdf"), name="检测委托单"
    )
    return services.contract_submit(contract=draft, by=alice)


@pytest.fixture
def issued(submitted, bob, olivia, cecilia) -> Voucher:
    contract = submitted
    for reviewer in (bob, olivia, cecilia):
        contract = services.contract_review(contract=contract, by=reviewer, approve=True)
    return Voucher.objects.select_related("contract").get(contract=contract)


FAKE_PDF = b"%PDF-1.7 fake"


@pytest.fixture
def fake_render(monkeypatch):
    """Access tests need the view's answer, not a second of typesetting each: the worker's
    render (``renditions.render_current``) stores these bytes instead."""
    monkeypatch.setattr(renditions, "pdf_from_html", lambda html: FAKE_PDF)
    return renditions.render_current


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def embedded_fonts(pdf: bytes) -> set[str]:
    """BaseFont names of the fonts whose program is embedded in the file."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get_object().get("/Font", {}).get_object().values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                names.add(str(font["/BaseFont"]))
    return names


def as_user(client, user):
    client.force_login(user)
    return client


# --- The PDF ------------------------------------------------------------------------------------


def test_the_pdf_names_the_number_both_parties_and_the_voucher_amount(draft):
    text = text_of(render_contract_pdf(draft))
    assert draft.number in text
    assert "alice科技有限公司" in text and "贺兰山分析测试中心" in text
    assert draft.voucher_amount == Decimal("20000.00")
    assert "¥20,000.00" in text and "贰万元整" in text  # the voucher, in figures and capitals
    assert "¥40,000.00" in text and "肆万元整" in text  # the contract amount
    assert "0–40,000 元 × 50% = 20,000.00 元" in text  # how it was computed
    assert "科技创新券服务合同" in text
    assert "诚信承诺书" in text.replace(" ", "")  # the heading is letter-spaced


def test_the_pdf_embeds_a_cjk_font_subset(draft):
    assert all(path.exists() for path in CJK_FONTS.values()), "fonts-noto-cjk is not installed"
    names = embedded_fonts(render_contract_pdf(draft))
    assert any("CJK" in name for name in names), names
    assert all("+" in name for name in names)  # subsets (ABCDEF+Name), not whole 20 MB collections


def test_rendering_writes_nothing_to_the_database(draft):
    with CaptureQueriesContext(connection) as queries:
        render_contract_pdf(draft)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_an_issued_contract_shows_its_voucher_and_top_up_not_the_cap_its_own_voucher_used(
    policy,
    alice,
    ivan_lab,
    bob,
    olivia,
    cecilia,
):
    Policy.objects.create(name="兴庆区配套", year=policy.year, region_id=640104, county_topup_rate=Decimal("0.10"))
    contract = factories.ready_contract(alice, ivan_lab, price="200000", quantity="2")  # 400,000 → 140,000
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        contract = services.contract_review(contract=contract, by=reviewer, approve=True)
    voucher = contract.voucher
    assert (voucher.face_value, voucher.county_topup) == (Decimal("140000.00"), Decimal("40000.00"))

    text = text_of(render_contract_pdf(contract))
    assert voucher.number in text
    assert "¥140,000.00" in text and "壹拾肆万元整" in text
    assert "区县配套" in text and "¥40,000.00" in text and "¥180,000.00" in text
    assert "本年已获" not in text  # the steps explain the face value, not a cap this voucher used up


def test_the_qr_code_points_at_the_contract_page_on_the_site(settings, draft):
    settings.SITE_URL = "https://cxq.kjt.nx.gov.cn"
    context = contract_context(draft)
    assert context["qr_url"] == f"https://cxq.kjt.nx.gov.cn/vouchers/contracts/{draft.pk}/"
    assert context["qr"] == qr_svg(context["qr_url"]) and context["qr"].startswith("<svg")


def test_the_renderer_fetches_only_the_font_files_and_data_urls():
    fetch = offline_url_fetcher()
    for url in (
        "http://example.com/logo.png",
        "https://tile.openstreetmap.org/1/1/1.png",
        "file:///etc/passwd",
        "ftp://example.com/x",
    ):
        with pytest.raises(ValueError):
            fetch(url)
    font = CJK_FONTS["body"].as_uri()
    response = fetch(font)
    assert response.read(4) in (b"ttcf", b"OTTO", b"\x00\x01\x00\x00")
    response.close()
    assert fetch("data:text/plain,ok").read() == b"ok"


# --- Amounts in words -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.01", "壹分"),
        ("0.50", "伍角"),
        ("10", "壹拾元整"),
        ("100.5", "壹佰元伍角"),
        ("1001", "壹仟零壹元整"),
        ("1.05", "壹元零伍分"),
        ("40000.00", "肆万元整"),
        ("100000", "壹拾万元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("110000.50", "壹拾壹万元伍角"),
        ("1234567.89", "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        ("10010000", "壹仟零壹万元整"),
        ("101000000", "壹亿零壹佰万元整"),
        ("0", "零元整"),
    ],
)
def test_amounts_are_written_in_chinese_capitals(amount, words):
    assert amount_in_words(Decimal(amount)) == words
    assert amount_in_words(amount) == words


def test_amounts_in_words_refuse_floats_and_negative_money():
    with pytest.raises(TypeError):
        amount_in_words(0.1)
    with pytest.raises(ValueError):
        amount_in_words("-1")


# --- Who may download the PDF, the scan and the attachments -----------------------------------


def test_the_applicant_downloads_the_pdf_of_its_draft_as_an_attachment(client, alice, draft):
    renditions.render_current(draft.pk)  # what the worker does (tests/vouchers/test_contract_pdf_worker.py)
    response = as_user(client, alice).get(f"/vouchers/contracts/{draft.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{draft.number}.pdf"'
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF") and draft.number in text_of(pdf)


@pytest.mark.parametrize("outsider", ["mallory", "charlie"])
def test_outsiders_get_404_for_the_pdf_scan_and_attachments(request, client, fake_render, submitted, outsider):
    fake_render(submitted.pk)
    attachment = submitted.attachments.get()
    client = as_user(client, request.getfixturevalue(outsider))
    for url in (
        f"/vouchers/contracts/{submitted.pk}/pdf/",
        f"/vouchers/contracts/{submitted.pk}/scan/",
        f"/vouchers/contracts/{submitted.pk}/attachments/{attachment.pk}/",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("reader", ["alice", "ivan_lab", "bob", "olivia"])
def test_the_parties_and_reviewers_get_the_pdf_scan_and_attachments_after_submission(
    request,
    client,
    fake_render,
    submitted,
    reader,
):
    fake_render(submitted.pk)
    attachment = submitted.attachments.get()
    client = as_user(client, request.getfixturevalue(reader))
    pdf = client.get(f"/vouchers/contracts/{submitted.pk}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content) == FAKE_PDF
    scan = client.get(f"/vouchers/contracts/{submitted.pk}/scan/")
    assert scan.status_code == 200 and scan["Content-Type"] == "application/pdf"
    assert b"".join(scan.streaming_content) == factories.PDF_BYTES
    extra = client.get(f"/vouchers/contracts/{submitted.pk}/attachments/{attachment.pk}/")
    assert extra.status_code == 200 and b"".join(extra.streaming_content) == factories.PDF_BYTES


@pytest.mark.parametrize("reviewer", ["ivan_lab", "bob", "olivia"])
def test_nobody_but_the_applicant_sees_a_draft(request, client, fake_render, draft, reviewer):
    fake_render(draft.pk)
    client = as_user(client, request.getfixturevalue(reviewer))
    assert client.get(f"/vouchers/contracts/{draft.pk}/pdf/").status_code == 404
    assert client.get(f"/vouchers/contracts/{draft.pk}/scan/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, fake_render, draft):
    response = client.get(f"/vouchers/contracts/{draft.pk}/pdf/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_contract_without_a_scan_answers_404(client, policy, alice, ivan_lab):
    booking = factories.accepted_booking(alice, ivan_lab, price="1000")
    contract = services.contract_open_from_booking(booking=booking, by=alice)
    assert as_user(client, alice).get(f"/vouchers/contracts/{contract.pk}/scan/").status_code == 404


def test_an_attachment_is_only_found_under_its_own_contract(client, submitted, alice, ivan_lab):
    other = factories.ready_contract(alice, ivan_lab, price="500")
    attachment = submitted.attachments.get()
    response = as_user(client, alice).get(f"/vouchers/contracts/{other.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 404


# --- Public verification -----------------------------------------------------------------------


def test_the_verify_page_shows_status_and_institution_but_not_the_amount_or_the_applicant(client, issued):
    response = client.get(f"/verify/{issued.number}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert issued.number in page and "已生效" in page and "贺兰山分析测试中心" in page
    assert issued.valid_until.isoformat() in page and "<svg" in page
    assert "alice科技有限公司" not in page and "alice" not in page
    assert "20000" not in page and "20,000" not in page
    assert issued.contract.number not in page


def test_an_unknown_voucher_number_is_404(client, issued):
    response = client.get("/verify/NXCXQ20000000000/")
    assert response.status_code == 404 and "未找到" in response.content.decode()
    assert client.get("/verify/NXCXQ20000000000/?format=json").json() == {"detail": "未找到该创新券。"}


@pytest.mark.parametrize("how", [{"HTTP_ACCEPT": "application/json"}, {"QUERY_STRING": "format=json"}])
def test_the_verify_page_answers_json_when_asked(client, issued, how):
    response = client.get(f"/verify/{issued.number}/", **how)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {
        "number",
        "status",
        "status_label",
        "valid_until",
        "past_valid_until",
        "issued_on",
        "institution",
        "url",
    }
    assert body["number"] == issued.number and body["status"] == "issued" and body["status_label"] == "已生效"
    assert body["institution"] == "贺兰山分析测试中心" and body["url"].endswith(f"/verify/{issued.number}/")


def test_a_browser_gets_the_html_page(client, issued):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(f"/verify/{issued.number}/", HTTP_ACCEPT=browser)
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("payee_rule", "printed", "on_the_page"),
    [
        ("in_region", "乙方为自治区内服务机构", "由甲方在支付服务费时抵扣，乙方凭券向平台申请兑付"),
        ("enterprise", "创新券资金拨付至甲方的银行账户", "甲方全额支付服务费"),
        ("chosen", "选择载体兑付的", "使用登记时选择载体兑付"),
        ("institution", "乙方上传订单结果、甲方确认无误后", "甲方确认订单结果后支付时抵扣"),
    ],
)
def test_the_contract_states_the_schemes_way_of_paying(
    client, policy, alice, ivan_lab, payee_rule, printed, on_the_page
):
    Policy.objects.filter(pk=policy.pk).update(payee_rule=payee_rule)  # the year's scheme, as the centre sets it
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")
    html = contract_printed(contract).html
    assert printed in html
    client.force_login(alice)
    assert on_the_page in client.get(f"/vouchers/contracts/{contract.pk}/").content.decode()
