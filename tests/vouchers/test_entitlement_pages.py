"""The wallet (我的额度) and claims (额度申请) pages and API: each rule's claim through the
page, the bureau's decision, bad input as a form error that changes nothing, and every
endpoint refusing an outsider."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories
from tests.vouchers.test_pages import as_user, page
from tests.vouchers.test_workflow_tables import flow  # noqa: F401, F811 — the workflow tables' builder
from vouchers import ledger
from vouchers.models import ClaimStatus, EntitlementClaim
from vouchers.policies.presets import install_preset

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def scheme(clock):
    return lambda key: install_preset(key=key, year=YEAR)


def test_ningxia_wallet_shows_the_annual_cap_and_offers_no_claim(client, clock, alice, scheme):
    scheme("ningxia")
    body = page(as_user(client, alice).get(reverse("vouchers:wallet")))
    assert "年度上限" in body and "200,000.00 元" in body and "确认申领" not in body
    refused = client.post(reverse("vouchers:wallet_claim"), {"amount": "1000"})
    assert refused.status_code == 302 and not EntitlementClaim.objects.exists()


def test_zhejiang_claims_on_the_page_within_the_caps(client, clock, alice, scheme):
    scheme("zhejiang")
    as_user(client, alice)
    body = page(client.get(reverse("vouchers:wallet")))
    assert "申领额度" in body and "单次申领不超过 50,000.00 元" in body
    too_much = client.post(reverse("vouchers:wallet_claim"), {"amount": "60000"})
    assert too_much.status_code == 400 and "单次申领不能超过" in page(too_much)
    assert not EntitlementClaim.objects.exists()
    bad = client.post(reverse("vouchers:wallet_claim"), {"amount": "abc"})
    assert bad.status_code == 400 and not EntitlementClaim.objects.exists()
    done = client.post(reverse("vouchers:wallet_claim"), {"amount": "30000"}, follow=True)
    assert "额度已核定：30,000.00 元" in page(done) and "30,000.00" in page(done)
    assert ledger.entitlement_left(alice.organisation, YEAR) == Decimal("30000.00")


def test_henan_quota_needs_the_pledge(client, clock, scheme):
    scheme("henan")
    user = factories.applicant_user(username="hn", adcode=640104, qualification="tech_sme")
    as_user(client, user)
    unsigned = client.post(reverse("vouchers:wallet_claim"), {})
    assert unsigned.status_code == 400 and "诚信承诺书" in page(unsigned)
    client.post(reverse("vouchers:wallet_claim"), {"pledge": "on"})
    assert EntitlementClaim.objects.get().amount == Decimal("200000.00")
    assert "已获额度" in page(client.get(reverse("vouchers:wallet")))


def test_jiangsu_application_is_decided_by_the_county_bureau_only(client, clock, alice, bob, charlie, olivia, scheme):
    scheme("jiangsu")
    as_user(client, alice)
    form = factories.application_data("high_tech", staff="20", industry="软件", revenue="800")
    no_report = client.post(reverse("vouchers:wallet_claim"), form)
    assert no_report.status_code == 400 and "财务报表" in page(no_report) and not EntitlementClaim.objects.exists()
    client.post(reverse("vouchers:wallet_claim"), {**form, **factories.application_files("high_tech")})
    claim = EntitlementClaim.objects.get()
    assert claim.status == ClaimStatus.TO_UPLOAD
    early = client.post(
        reverse("vouchers:claim_stamped_upload", args=[claim.pk]), {f"c{claim.pk}-stamped_form": factories.pdf_upload()}
    )
    assert early.status_code == 400 and "请先下载申领表" in page(early)
    pdf = client.get(reverse("vouchers:claim_application_pdf", args=[claim.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    client.post(
        reverse("vouchers:claim_stamped_upload", args=[claim.pk]), {f"c{claim.pk}-stamped_form": factories.pdf_upload()}
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert client.get(reverse("vouchers:claim_form", args=[claim.pk])).status_code == 200
    assert client.get(reverse("vouchers:claims")).status_code == 403  # applicants have the wallet

    # Another county's bureau neither sees nor decides it; the operator sees it but cannot decide.
    as_user(client, charlie)
    assert claim.number not in page(client.get(reverse("vouchers:claims")))
    assert client.post(reverse("vouchers:claim_grant", args=[claim.pk])).status_code == 404
    assert client.get(reverse("vouchers:claim_form", args=[claim.pk])).status_code == 404
    as_user(client, olivia)
    listing = page(client.get(reverse("vouchers:claims")))
    assert claim.number in listing and "不予通过" not in listing
    client.post(reverse("vouchers:claim_grant", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED

    as_user(client, bob)
    listing = page(client.get(reverse("vouchers:claims")))
    assert claim.number in listing and "不予通过" in listing and "盖章申请表" in listing
    no_reason = client.post(reverse("vouchers:claim_refuse", args=[claim.pk]), {"note": " "}, follow=True)
    assert "须说明原因" in page(no_reason)
    client.post(reverse("vouchers:claim_grant", args=[claim.pk]), {"note": "同意"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.GRANTED
    assert ledger.entitlement_left(alice.organisation, YEAR) == Decimal("100000.00")


def test_the_entitlement_api_refuses_outsiders(api_as, clock, alice, bob, mallory, olivia, scheme):
    scheme("zhejiang")
    assert APIClient().get("/api/wallet/").status_code in (401, 403)
    assert api_as(bob).get("/api/wallet/").status_code == 403
    claim = api_as(alice).post("/api/claims/", {"amount": "1000"}, format="json").json()
    assert APIClient().get("/api/claims/").status_code in (401, 403)
    assert api_as(mallory).get(f"/api/claims/{claim['id']}/").status_code == 404
    assert api_as(mallory).get("/api/claims/").json()["count"] == 0
    assert api_as(mallory).post(f"/api/claims/{claim['id']}/grant/", {}, format="json").status_code == 404
    assert api_as(bob).post(f"/api/claims/{claim['id']}/refuse/", {"note": "x"}, format="json").status_code == 400
    assert api_as(olivia).post("/api/claims/", {"amount": "1000"}, format="json").status_code == 403
    assert api_as(alice).get("/api/wallet/", {"year": "abc"}).status_code == 400
    assert EntitlementClaim.objects.count() == 1


# --- The flows' pages: payee choice, the institution's confirmation, approved amounts -------------


def _voucher(alice, ivan_lab, key: str, claim: str | None = None):
    from vouchers.contracts import services
    from vouchers.entitlements import services as entitlements

    if claim:
        entitlements.claim_amount(by=alice, amount=claim)
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")
    return services.contract_submit(contract=contract, by=alice).voucher


def test_zhejiang_pay_page_asks_for_the_payee_and_the_institution_confirms(client, clock, alice, ivan_lab, scheme):
    from vouchers.models import VoucherUse

    factories.claims_on_contracts(YEAR)  # the pay page of a claim scheme's contract voucher
    voucher = _voucher(alice, ivan_lab, "zhejiang", claim="50000")
    as_user(client, alice)
    url = reverse("vouchers:pay", args=[voucher.pk])
    body = page(client.get(url))
    assert "选择兑付方式" in body and "企业兑付" in body and "载体兑付" in body
    key = "a" * 32
    unchosen = client.post(url, {"idempotency_key": key})
    assert "请选择兑付方式" in page(unchosen) and not VoucherUse.objects.exists()
    client.post(url, {"idempotency_key": "b" * 32, "payee_choice": "enterprise"})
    use = VoucherUse.objects.get()
    assert (use.payee_id, use.payee_choice) == (alice.organisation_id, "enterprise")
    use_url = reverse("vouchers:use", args=[voucher.pk])
    assert "待服务机构确认" in page(client.get(use_url)) and "确认用券</button>" not in page(client.get(use_url))
    confirm_url = reverse("vouchers:use_confirm", args=[voucher.pk])
    assert client.post(confirm_url).status_code == 403
    use.refresh_from_db()
    assert use.institution_confirmed_at is None  # the enterprise cannot confirm its own use

    as_user(client, ivan_lab)
    assert "确认用券</button>" in page(client.get(use_url))
    client.post(confirm_url)
    use.refresh_from_db()
    assert use.institution_confirmed_at is not None
    assert "确认用券</button>" not in page(client.get(use_url))


def test_jiangsu_redemption_page_approves_a_lower_amount(client, clock, alice, bob, olivia, ivan_lab, scheme):
    from vouchers import settlement
    from vouchers.models import ProofKind, Redemption, RedemptionMode

    scheme("jiangsu")
    alice.organisation.qualification = "tech_sme"  # 科小: granted at once
    alice.organisation.save()
    factories.jiangsu_application(alice, "tech_sme")
    voucher = _voucher(alice, ivan_lab, "jiangsu")
    use = settlement.voucher_pay(voucher=voucher, by=alice, idempotency_key="jiangsu-page-1")
    for kind, amount in ((ProofKind.INVOICE, "40000"), (ProofKind.BANK_RECEIPT, "40000"), (ProofKind.RESULT, None)):
        settlement.proof_upload(use=use, by=alice, kind=kind, upload=factories.pdf_upload(), amount=amount)
    settlement.proof_submit(use=use, by=alice)  # filed: the bureau checks the proofs with the redemption
    redemption = settlement.redemption_request(by=alice, vouchers=[voucher], mode=RedemptionMode.INSTANT)

    as_user(client, bob)
    url = reverse("vouchers:redemption", args=[redemption.pk])
    body = page(client.get(url))
    assert "推荐部门审核" in body and "审核认定" in body and "通过即确认兑付" in body
    field = f"approved_{voucher.pk}"
    check_url = reverse("vouchers:redemption_check", args=[redemption.pk])
    bad = client.post(check_url, {"decision": "approve", field: "abc"})
    assert "不是有效金额" in page(bad)
    assert Redemption.objects.get(pk=redemption.pk).status == "submitted"
    client.post(check_url, {"decision": "approve", field: "20000"})
    redemption.refresh_from_db()
    assert (redemption.status, redemption.amount) == ("confirmed", Decimal("7000.00"))  # 35 % of 20,000
    assert ledger.entitlement_left(alice.organisation, YEAR) == Decimal("93000.00")  # 100,000 − 14,000 + 7,000


def test_henan_batch_steps_on_the_batch_page(client, flow):  # noqa: F811 — the imported fixture
    batch = flow.stepped_batch("draft")
    url = reverse("vouchers:batch", args=[batch.pk])
    as_user(client, flow.expert)
    assert client.get(url).status_code == 404  # not sent to the experts yet
    as_user(client, flow.cecilia)
    body = page(client.get(url))
    assert "提交专家评审" in body and "开始公示" not in body
    client.post(reverse("vouchers:batch_step", args=[batch.pk, "experts"]))
    as_user(client, flow.expert)
    assert "提交评审意见" in page(client.get(url))
    client.post(reverse("vouchers:batch_step", args=[batch.pk, "assess"]), {"note": "同意"})
    as_user(client, flow.cecilia)
    body = page(client.get(url))
    assert "科技与财政部门确认" in body and "开始公示" not in body
    as_user(client, flow.alice)
    assert client.post(reverse("vouchers:batch_step", args=[batch.pk, "finance"]), {"note": "x"}).status_code == 403
    as_user(client, flow.cecilia)
    client.post(reverse("vouchers:batch_step", args=[batch.pk, "finance"]), {"note": "豫财〔2026〕8号"})
    batch.refresh_from_db()
    assert batch.status == "confirmed" and "开始公示" in page(client.get(url))


def test_the_daily_job_voids_what_is_left_after_year_end(clock, check_ledger, alice, scheme):
    import io

    from django.core.management import call_command

    from vouchers.entitlements import services as entitlements

    scheme("zhejiang")
    entitlements.claim_amount(by=alice, amount="40000")
    out = io.StringIO()
    call_command("vouchers_daily", stdout=out)
    assert "entitlements lapsed 0" in out.getvalue()
    clock.advance(days=305)  # 1 January of the next year
    call_command("vouchers_daily", stdout=out)
    assert "entitlements lapsed 1" in out.getvalue()
    assert ledger.entitlement_left(alice.organisation, YEAR) == Decimal("0")
    assert ledger.entitlement_granted(alice.organisation, YEAR) == Decimal("40000.00")  # the record stays
    check_ledger()


def test_henan_project_registration_on_the_wallet_and_the_platforms_queue(
    client, clock, alice, olivia, mallory, scheme
):
    from vouchers.models import ProjectRegistration

    scheme("henan")
    as_user(client, alice)
    assert "研发项目登记" in page(client.get(reverse("vouchers:wallet")))
    data = {"title": "光纤传感器", "summary": "检测", "budget": "500000", "starts_on": "2026-01-01"}
    bad = client.post(reverse("vouchers:project_register"), {**data, "ends_on": "2025-01-01"})
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in page(bad)
    assert not ProjectRegistration.objects.exists()
    client.post(reverse("vouchers:project_register"), {**data, "ends_on": "2026-12-31"})
    project = ProjectRegistration.objects.get()
    assert client.get(reverse("vouchers:projects")).status_code == 403
    as_user(client, mallory)
    assert client.post(reverse("vouchers:project_approve", args=[project.pk])).status_code == 404
    as_user(client, olivia)
    listing = page(client.get(reverse("vouchers:projects")))
    assert project.number in listing and "退回原因" in listing
    client.post(reverse("vouchers:project_approve", args=[project.pk]))
    project.refresh_from_db()
    assert project.status == "approved"
    as_user(client, alice)
    assert "已通过" in page(client.get(reverse("vouchers:wallet")))


def test_henan_returned_project_is_corrected_on_the_wallet_page(client, clock, alice, olivia, mallory, scheme):
    from vouchers.models import ProjectRegistration, ProjectStatus

    scheme("henan")
    as_user(client, alice)
    data = {"title": "光纤传感器", "summary": "检测", "budget": "500000", "starts_on": "2026-01-01"}
    client.post(reverse("vouchers:project_register"), {**data, "ends_on": "2026-12-31"})
    project = ProjectRegistration.objects.get()
    as_user(client, olivia)
    client.post(reverse("vouchers:project_return", args=[project.pk]), {"note": "请补充研究内容"})
    project.refresh_from_db()
    assert project.status == ProjectStatus.RETURNED

    as_user(client, alice)
    wallet = page(client.get(reverse("vouchers:wallet")))
    url = reverse("vouchers:project_resubmit", args=[project.pk])
    assert "请补充研究内容" in wallet and url in wallet and "光纤传感器" in wallet  # filled with what was registered
    assert "登记项目</button>" not in wallet  # the correction, not a second registration
    fields = {f"p{project.pk}-{k}": v for k, v in {**data, "summary": "光纤光栅传感器的温度标定"}.items()}
    bad = client.post(url, {**fields, f"p{project.pk}-ends_on": "2025-01-01"})
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in page(bad)
    project.refresh_from_db()
    assert (project.status, project.summary) == (ProjectStatus.RETURNED, "检测")
    as_user(client, mallory)
    assert client.post(url, {**fields, f"p{project.pk}-ends_on": "2026-12-31"}).status_code in (403, 404)
    as_user(client, alice)
    done = client.post(url, {**fields, f"p{project.pk}-ends_on": "2026-12-31"})
    assert done.status_code == 302
    project.refresh_from_db()
    assert (project.status, project.summary) == (ProjectStatus.SUBMITTED, "光纤光栅传感器的温度标定")
    again = client.post(url, {**fields, f"p{project.pk}-ends_on": "2026-12-31"})
    assert again.status_code in (400, 403)  # no longer returned
