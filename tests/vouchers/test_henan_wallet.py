"""Henan's wallet as its users know it, and the small province fixes (task H3):

- the scheme's names of the voucher states (未支付 / 已支付 / 兑付成功 / 兑付失败 / 已过期) on the
  wallet, the voucher list and detail pages and the API's ``status_label`` (codes unchanged);
  Ningxia keeps the default names;
- the wallet offers no claim or project registration before certification, and says why;
- the booking page's rating form asks for and records the platform's score where the
  voucher's scheme asks for it;
- the payout batch page shows the experts' opinions and the finance confirmation;
- the claim caps link only where the year's scheme claims within caps (Zhejiang);
- an approved amount below the contract's is shown to the enterprise (wallet, voucher page)
  with a notification, never to another enterprise.

Every state is reached through the HTTP API or the pages.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from catalog.models import Rating
from tests import factories
from tests.vouchers.test_ningxia_scenario import login, ok
from tests.vouchers.test_pages import as_user, page
from tests.vouchers.test_province_schemes import YEAR, complete, order, prove, publish, requested, service_of
from vouchers.models import EntitlementClaim, ProjectRegistration
from vouchers.policies.presets import install_preset

pytestmark = pytest.mark.django_db
XINGQING = 640104
PROJECT = {
    "title": "高精度光纤传感器研制",
    "summary": "研制用于桥梁健康监测的分布式光纤传感器。",
    "budget": "1500000",
    "starts_on": f"{YEAR}-01-01",
    "ends_on": f"{YEAR}-12-31",
}


def _label(client, vid: int) -> tuple[str, str]:
    v = ok(client.get(f"/api/vouchers/{vid}/"))
    return v["status"], v["status_label"]


def test_henan_voucher_names_rating_adjustment_and_quarterly_record(
    ningxia, clock, check_ledger, olivia, cecilia, ivan_lab, mallory
):
    ent_user = factories.applicant_user(username="zhongyuan", adcode=XINGQING, qualification="high_tech")
    factories.staff_user(username="expert1", kind="expert")
    centre, operator, lab, expert = login("cecilia"), login("olivia"), login("ivan_lab"), login("expert1")
    enterprise, outsider = login("zhongyuan"), login("mallory")
    publish(centre, "henan")
    ok(enterprise.post("/api/claims/", {"pledge": True}, format="json"), 201)
    project = ok(enterprise.post("/api/projects/", PROJECT, format="json"), 201)
    ok(operator.post(f"/api/projects/{project['id']}/approve/", {}, format="json"))
    service = service_of(lab, operator)
    booking = requested(enterprise, service)  # accepted with its order (受理)
    path = order(enterprise, booking)
    ok(enterprise.post(path + "submit/"))
    ok(lab.post(path + "review/", {"decision": "approve"}, format="json"))
    ok(operator.post(path + "review/", {"decision": "approve"}, format="json"))
    contract_id = int(path.rstrip("/").rsplit("/", 1)[1])
    voucher = next(v for v in ok(enterprise.get("/api/vouchers/"))["results"] if v["contract"] == contract_id)
    vid, vpath = voucher["id"], f"/api/vouchers/{voucher['id']}/"

    # 未支付: the API's label beside the unchanged code, the wallet, the list and the detail page.
    assert (voucher["status"], voucher["status_label"]) == ("issued", "未支付")
    web = as_user(Client(), ent_user)
    wallet = page(web.get(reverse("vouchers:wallet")))
    assert "我的电子券" in wallet and voucher["number"] in wallet and "未支付" in wallet
    assert "未支付" in page(web.get(reverse("vouchers:list")))
    assert "未支付" in page(web.get(reverse("vouchers:detail", args=[vid])))
    assert voucher["number"] not in page(as_user(Client(), mallory).get(reverse("vouchers:list")))

    # 已支付 after paying (result uploaded and confirmed first).
    complete(lab, booking)
    ok(lab.post(f"/api/bookings/{booking}/result/", {"result": factories.pdf_upload("报告.pdf")}, format="multipart"))
    ok(
        enterprise.post(vpath + "pay/", {"result_confirmed": True}, format="json", HTTP_IDEMPOTENCY_KEY="h3-pay-1"),
        201,
    )
    assert _label(enterprise, vid) == ("used", "已支付")
    # The list's filter names each state once, as the scheme does (已支付 = used or redeeming).
    listing = page(web.get(reverse("vouchers:list")))
    assert listing.count(">已支付</option>") == 1 and ">兑付失败</option>" in listing
    assert voucher["number"] in page(web.get(reverse("vouchers:list"), {"status": "used,redeeming"}))
    assert voucher["number"] not in page(web.get(reverse("vouchers:list"), {"status": "redemption_failed"}))
    # The home tiles' link ?status=used is understood under Henan's names: the used vouchers,
    # with 已支付 shown as chosen; 未支付 ones are left out.
    used = page(web.get(reverse("vouchers:list"), {"status": "used"}))
    assert voucher["number"] in used and 'value="used,redeeming" selected' in used
    assert voucher["number"] not in page(web.get(reverse("vouchers:list"), {"status": "issued"}))
    # The institution proves with the report and invoice: no bank receipt is asked for or summed.
    use_page = page(as_user(Client(), ivan_lab).get(reverse("vouchers:use", args=[vid])))
    assert "须有发票和结果证明" in use_page and "银行回单" not in use_page and "已支付" in use_page

    # The booking page's rating form asks for the platform's score too, and records it.
    rate_url = reverse("catalog:booking_rate", args=[booking])
    form = page(web.get(reverse("catalog:booking", args=[booking])))
    assert "省平台服务评分" in form and "服务机构评分" in form
    assert as_user(Client(), mallory).post(rate_url, {"score": "5", "platform_score": "4"}).status_code == 404
    unscored = web.post(rate_url, {"score": "5", "comment": "及时"})
    assert unscored.status_code == 400 and "省平台服务评分" in page(unscored)
    assert not Rating.objects.exists()
    bad = web.post(rate_url, {"score": "5", "platform_score": "9"})
    assert bad.status_code == 400 and not Rating.objects.exists()
    assert web.post(rate_url, {"score": "5", "platform_score": "4", "comment": "及时"}).status_code == 302
    rating = Rating.objects.get()
    assert (rating.score, rating.platform_score, rating.voucher_use.voucher_id) == (5, 4, vid)
    assert "省平台服务 4 分" in page(web.get(reverse("catalog:booking", args=[booking])))

    # 兑付失败: the platform returns the institution's redemption.
    prove(lab, vpath, "40000")
    r = ok(lab.post("/api/redemptions/", {"vouchers": [vid], "mode": "instant"}, format="json"), 201)
    rpath = f"/api/redemptions/{r['id']}/"
    assert _label(enterprise, vid) == ("redeeming", "已支付")
    ok(operator.post(rpath + "check/", {"decision": "return", "note": "发票不清晰"}, format="json"))
    assert _label(enterprise, vid) == ("used", "兑付失败")
    assert "兑付失败" in page(web.get(reverse("vouchers:wallet")))
    assert "兑付失败" in page(web.get(reverse("vouchers:detail", args=[vid])))
    check_ledger()

    # The return reopened the proofs (checked with the redemption): filed again, then resubmitted,
    # then approved at a lower contract amount (审核认定): 30 % of 30,000.
    assert ok(lab.get(vpath + "use/"))["proof_status"] == "returned"
    assert lab.post(rpath + "resubmit/").status_code == 400
    assert ok(lab.post(vpath + "submit-proofs/"))["proof_status"] == "filed"
    ok(lab.post(rpath + "resubmit/"))
    bad = operator.post(rpath + "check/", {"decision": "approve", "approved": {str(vid): "50000"}}, format="json")
    assert bad.status_code == 400 and "认定合同金额" in bad.content.decode()
    assert "兑付审核认定" not in page(web.get(reverse("vouchers:detail", args=[vid])))
    ok(operator.post(rpath + "check/", {"decision": "approve", "approved": {str(vid): "30000"}}, format="json"))
    check_ledger()
    detail = page(web.get(reverse("vouchers:detail", args=[vid])))
    assert "兑付审核认定" in detail and "30,000.00 元" in detail
    assert "12,000.00" in detail and "9,000.00" in detail and "3,000.00" in detail
    wallet = page(web.get(reverse("vouchers:wallet")))
    assert "认定合同金额 30,000.00 元" in wallet and "退回额度 3,000.00 元" in wallet
    assert ok(enterprise.get("/api/wallet/"))["remaining"] == "191000.00"  # 200,000 − 9,000
    inbox = page(web.get(reverse("notifications:inbox")))
    assert f"创新券 {voucher['number']} 按认定金额核减" in inbox and "3,000.00 元退回本单位额度" in inbox
    # The voucher paid the institution's share already: both are told the cut is settled between them.
    assert "须由用券企业与服务机构按合同结算" in inbox
    lab_inbox = page(as_user(Client(), ivan_lab).get(reverse("notifications:inbox")))
    assert f"兑付申请 {r['number']} 按认定金额核减" in lab_inbox and "兑付金额调整为 9,000.00 元" in lab_inbox
    # Another enterprise sees neither the voucher nor its adjustment, nor the notice.
    other = as_user(Client(), mallory)
    assert other.get(reverse("vouchers:detail", args=[vid])).status_code == 404
    assert outsider.get(vpath).status_code == 404
    assert "按认定金额核减" not in page(other.get(reverse("vouchers:wallet")))
    assert "按认定金额核减" not in page(other.get(reverse("notifications:inbox")))

    # The quarterly summary: the batch page shows the expert's opinion and the finance reference.
    clock.advance(days=31)
    centre, expert = login("cecilia"), login("expert1")
    batch = ok(centre.post("/api/batches/", {"year": YEAR, "cycle": "quarterly"}, format="json"), 201)
    bpath = f"/api/batches/{batch['id']}/"
    ok(centre.post(bpath + "experts/", {}, format="json"))
    # The expert reads the summary sent to it, writes the opinion in a text area, and is
    # offered no bank-list export (which would answer 403).
    batch_url = reverse("vouchers:batch", args=[batch["id"]])
    expert_page = page(as_user(Client(), User.objects.get(username="expert1")).get(batch_url))
    assert '<textarea id="note-assess"' in expert_page and "导出 CSV" not in expert_page
    # 提交评审意见 on the page brings the expert back to the batch and its next step (the
    # summary stays readable to the expert who reviewed it, not to another expert).
    expert_client = as_user(Client(), User.objects.get(username="expert1"))
    outsider_expert = as_user(Client(), factories.staff_user(username="expert2", kind="expert"))
    assert outsider_expert.get(batch_url).status_code == 200  # sent to the experts: any expert reads it
    assert as_user(Client(), mallory).post(batch_url + "step/assess/", {"note": "同意"}).status_code == 403
    response = expert_client.post(batch_url + "step/assess/", {"note": "材料真实，<b>同意</b>拨付"})
    assert response.status_code == 302 and response["Location"] == batch_url
    expert_page = page(expert_client.get(batch_url))
    assert "评审意见已提交。" in expert_page and "下一步由" in expert_page
    assert "记录科技与财政部门确认后公示" in expert_page and "材料真实，&lt;b&gt;同意&lt;/b&gt;拨付" in expert_page
    assert '<textarea id="note-assess"' not in expert_page and "导出 CSV" not in expert_page
    assert outsider_expert.get(batch_url).status_code == 404
    assert batch["id"] in [b["id"] for b in ok(expert.get("/api/batches/"))["results"]]
    assert login("expert2").get(bpath).status_code == 404
    ok(centre.post(bpath + "finance/", {"note": "豫科〔2026〕12号"}, format="json"))
    assert "下一步由" in page(expert_client.get(batch_url))  # still the expert's to read: 科技与财政部门已确认
    body = page(as_user(Client(), cecilia).get(reverse("vouchers:batch", args=[batch["id"]])))
    assert "专家评审意见" in body and "材料真实，&lt;b&gt;同意&lt;/b&gt;拨付" in body and "expert1" in body
    assert "文号：豫科〔2026〕12号" in body and "cecilia" in body
    assert "导出 CSV" in body
    ok(centre.post(bpath + "notice/"))
    clock.advance(days=8)
    centre = login("cecilia")
    ok(centre.post(bpath + "approve/"))
    ok(centre.post("/api/budgets/", {"year": YEAR, "amount": "500000"}, format="json"), 201)
    ok(centre.post(bpath + "pay/"))
    assert _label(login("zhongyuan"), vid) == ("redeemed", "兑付成功")
    check_ledger()


def test_ningxia_keeps_the_default_names(client, clock, alice, issued):
    body = page(as_user(client, alice).get(reverse("vouchers:detail", args=[issued.pk])))
    assert "已生效" in body and "未支付" not in body
    api = login("alice")
    assert ok(api.get(f"/api/vouchers/{issued.pk}/"))["status_label"] == "已生效"


def test_scheme_voucher_labels_are_checked(clock):
    centre = login(factories.staff_user(username="centre2", kind="centre").username)
    install_preset(key="henan", year=YEAR)
    policy = ok(centre.get("/api/policies/"))["results"][0]
    bad = centre.patch(f"/api/policies/{policy['id']}/", {"voucher_labels": {"lost": "丢失"}}, format="json")
    assert bad.status_code == 400 and "未知的创新券状态" in bad.content.decode()
    assert ok(centre.get(f"/api/policies/{policy['id']}/"))["voucher_labels"]["issued"] == "未支付"


@pytest.mark.parametrize("key", ["henan", "zhejiang"])
def test_wallet_before_certification_explains_and_links(client, clock, key):
    install_preset(key=key, year=YEAR)
    pending = factories.applicant_user(
        username="pending", adcode=XINGQING, qualification="high_tech", status="submitted"
    )
    body = page(as_user(client, pending).get(reverse("vouchers:wallet")))
    assert "尚未完成认证" in body and reverse("accounts:me") in body
    assert "确认申领" not in body and "登记项目" not in body
    refused = client.post(reverse("vouchers:wallet_claim"), {"pledge": "on", "amount": "1000"})
    assert refused.status_code == 400 and "认证" in page(refused)
    if key == "henan":
        refused = client.post(reverse("vouchers:project_register"), PROJECT)
        assert refused.status_code in (400, 403) and not ProjectRegistration.objects.exists()
    assert not EntitlementClaim.objects.exists()

    certified = factories.applicant_user(username="certified", adcode=XINGQING, qualification="high_tech")
    body = page(as_user(client, certified).get(reverse("vouchers:wallet")))
    assert "尚未完成认证" not in body and "确认申领" in body
    assert ("登记项目" in body) == (key == "henan")


@pytest.mark.parametrize(("key", "shown"), [("jiangsu", False), ("zhejiang", True), ("henan", False)])
def test_claim_caps_link_only_in_claim_schemes(client, clock, key, shown):
    install_preset(key=key, year=YEAR)
    bureau = factories.bureau_user(username="bureau", adcode=XINGQING)
    body = page(as_user(client, bureau).get(reverse("vouchers:claims")))
    assert ("设置本地区申领上限" in body) == shown
    assert (reverse("vouchers:claim_caps") in body) == shown


def test_henan_wallet_shows_the_pledge_and_explains_a_zero_quota(client, clock, settings):
    """The claim's checkbox signs the province's user pledge, shown above it; an applicant
    whose qualification the scheme gives no quota is told why, with nothing to claim or
    register."""
    settings.PLATFORM_PROVINCE = 410000
    install_preset(key="henan", year=YEAR)
    qualified = factories.applicant_user(username="gaoqi", adcode=XINGQING, qualification="high_tech")
    body = page(as_user(client, qualified).get(reverse("vouchers:wallet")))
    assert "用户诚信承诺书》</summary>" in body and "核对服务机构上传的订单结果" in body
    assert "确认申领" in body and "zero-quota" not in body

    uncovered = factories.applicant_user(username="xiehui", adcode=XINGQING, qualification="")
    body = page(as_user(client, uncovered).get(reverse("vouchers:wallet")))
    assert "zero-quota" in body and "对应额度为 0 元" in body
    assert "确认申领" not in body and "登记项目" not in body


def test_an_adjustment_names_the_invoices_when_they_set_the_value():
    """Approved 10,640 but the final invoices total 9,576: the value was computed on the
    invoices, and the pages say so (Jiangsu's walk-through found 10,640 shown alone)."""
    import datetime as dt
    from decimal import Decimal as D

    from vouchers.ledger import Adjustment

    def adj(approved, invoices):
        return Adjustment(dt.datetime(2026, 12, 7), approved, D("3724"), D("3351.60"), D("372.40"), "", invoices)

    assert adj(D("10640"), D("9576")).basis == D("9576")
    assert adj(None, D("9576")).basis == D("9576")
    assert adj(D("9000"), D("9576")).basis == D("9000")
    assert adj(D("9000"), None).basis == D("9000")


def test_the_wallet_shows_an_earlier_year_read_only(client, clock):
    """?year= opens an earlier year the applicant has claims or vouchers in, without forms;
    any other value shows this year."""
    install_preset(key="henan", year=YEAR)
    user = factories.applicant_user(username="gaoqi", adcode=XINGQING, qualification="high_tech")
    web = as_user(client, user)
    api = login("gaoqi")
    ok(api.post("/api/claims/", {"pledge": True}, format="json"), 201)
    for junk in ("1999", "abc", "<b>"):
        body = page(web.get(reverse("vouchers:wallet"), {"year": junk}))
        assert f"我的额度 · {YEAR} 年度" in body and "year-switch" not in body
    EntitlementClaim.objects.filter(organisation=user.organisation).update(year=YEAR - 1)  # last year's claim
    body = page(web.get(reverse("vouchers:wallet"), {"year": str(YEAR - 1)}))
    assert f"我的额度 · {YEAR - 1} 年度" in body and "year-switch" in body
    assert "确认申领" not in body and "登记项目" not in body and "尚未完成认证" not in body
    body = page(web.get(reverse("vouchers:wallet")))
    assert f"我的额度 · {YEAR} 年度" in body and f'href="?year={YEAR - 1}"' in body and "确认申领" in body
