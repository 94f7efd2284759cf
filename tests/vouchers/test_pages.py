"""Voucher pages: a contract from booking to voucher, review, the queue, vouchers, policies.

Personas: Alice (certified enterprise in 兴庆区) books from Ivan's lab (a listed institution);
Bob is 兴庆区's bureau, Charlie 西夏区's (an outsider to Alice); Olivia the operator; Cecilia
the centre; Mallory an unrelated enterprise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from vouchers.contracts import services
from vouchers.models import Contract, ContractStatus, Policy, Voucher

pytestmark = pytest.mark.django_db


# --- Helpers ----------------------------------------------------------------------------------


@pytest.fixture
def policy(db):
    return factories.ningxia_policy()


def page(response) -> str:
    return response.content.decode()


def as_user(client, user):
    client.force_login(user)
    return client


def contract_url(contract, name: str = "contract") -> str:
    return reverse(f"vouchers:{name}", args=[contract.pk])


CONTRACT_ACTIONS = {
    "pledge": "contract_pledge",
    "scan": "contract_scan_upload",
    "attachment": "contract_attachment_add",
    "submit": "contract_submit",
    "review": "contract_review",
}


def post_action(client, contract, action: str, **data):
    """POST to the contract action's own view (one URL per action)."""
    return client.post(reverse(f"vouchers:{CONTRACT_ACTIONS[action]}", args=[contract.pk]), data)


def review(client, contract, decision: str = "approve", note: str = ""):
    return post_action(client, contract, "review", decision=decision, note=note)


def submitted_contract(alice, ivan_lab, **kw) -> Contract:
    contract = factories.ready_contract(alice, ivan_lab, **kw)
    return services.contract_submit(contract=contract, by=alice)


def contract_form_data(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "title": "水质全分析",
        "content": "委托乙方对 20 个水样进行全分析并出具检测报告。",
        "scope": "testing",
        "category": "检验检测",
        "amount": "60000",
        "signed_on": today.isoformat(),
        "service_start": today.isoformat(),
        "service_end": (today + dt.timedelta(days=30)).isoformat(),
        "payment_terms": "出具报告后一次付清。",
    }
    data.update(overrides)
    return data


# --- The whole chain --------------------------------------------------------------------------


def test_alice_takes_a_booking_through_pledge_scan_submit_and_three_reviews_to_a_voucher(
    client, alice, bob, olivia, cecilia, ivan_lab, policy
):
    booking = factories.accepted_booking(alice, ivan_lab, price="40000", quantity="2")

    as_user(client, alice)
    listing = page(client.get(reverse("vouchers:contracts")))
    assert booking.number in listing and "申领创新券" in listing

    response = client.post(reverse("vouchers:contract_from_booking", args=[booking.pk]))
    contract = Contract.objects.get(booking=booking)
    assert response.status_code == 302 and response.url == contract_url(contract)
    assert contract.amount == Decimal("80000.00") and contract.voucher_amount == Decimal("40000.00")

    detail = page(client.get(contract_url(contract)))
    assert "诚信承诺书" in detail and "须先同意诚信承诺书" in detail
    assert "80,000.00" in detail and "40,000.00" in detail and "× 50%" in detail  # the steps
    assert reverse("vouchers:contract_pdf", args=[contract.pk]) in detail

    assert post_action(client, contract, "pledge", agree="on").status_code == 302
    upload = factories.pdf_upload("signed.pdf")
    assert post_action(client, contract, "scan", scan=upload).status_code == 302
    attachment = factories.pdf_upload("quote.pdf")
    response = post_action(client, contract, "attachment", name="报价单", file=attachment)
    assert response.status_code == 302
    assert post_action(client, contract, "submit").status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AT_BUREAU and contract.signed_scan
    assert contract.attachments.get().name == "报价单"

    for reviewer, status in (
        (bob, ContractStatus.AT_OPERATOR),
        (olivia, ContractStatus.AT_CENTRE),
        (cecilia, ContractStatus.APPROVED),
    ):
        as_user(client, reviewer)
        assert contract.number in page(client.get(reverse("vouchers:review")))
        assert "提交审核意见" in page(client.get(contract_url(contract)))
        response = review(client, contract, note="材料齐全")
        assert response.status_code == 302 and response.url == reverse("vouchers:review")
        contract.refresh_from_db()
        assert contract.status == status

    voucher = Voucher.objects.get(contract=contract)
    as_user(client, alice)
    vouchers = page(client.get(reverse("vouchers:list")))
    assert voucher.number in vouchers and "40,000.00" in vouchers
    detail = page(client.get(reverse("vouchers:detail", args=[voucher.pk])))
    assert reverse("verify:verify", args=[voucher.number]) in detail
    assert "发券" in detail and contract.number in detail
    history = page(client.get(contract_url(contract)))
    assert voucher.number in history and "创业中心" in history and "材料齐全" in history


def test_a_returned_contract_shows_the_reason_and_can_be_edited_and_resubmitted(client, alice, bob, ivan_lab, policy):
    contract = submitted_contract(alice, ivan_lab, price="40000", quantity="2")

    as_user(client, bob)
    response = review(client, contract, decision="return", note="合同金额与报价单不一致")
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.RETURNED

    as_user(client, alice)
    detail = page(client.get(contract_url(contract)))
    assert "合同金额与报价单不一致" in detail and "重新提交审核" in detail
    response = client.post(contract_url(contract, "contract_edit"), contract_form_data(amount="70000"))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.amount == Decimal("70000.00") and contract.voucher_amount == Decimal("35000.00")

    assert post_action(client, contract, "submit").status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AT_BUREAU and contract.resubmissions == 1


def test_returning_a_contract_without_a_reason_is_a_form_error(client, alice, bob, ivan_lab, policy):
    contract = submitted_contract(alice, ivan_lab)
    as_user(client, bob)
    response = review(client, contract, decision="return", note=" ")
    assert response.status_code == 400 and "退回须说明原因" in page(response)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AT_BUREAU


def test_submitting_without_pledge_and_scan_lists_the_failed_rules(client, alice, ivan_lab, policy):
    booking = factories.accepted_booking(alice, ivan_lab, price="40000", quantity="2")
    contract = services.contract_open_from_booking(booking=booking, by=alice)
    as_user(client, alice)
    response = post_action(client, contract, "submit")
    assert response.status_code == 400
    body = page(response)
    assert "自动初审未通过" in body and "须先同意诚信承诺书" in body and "须上传盖章后的合同扫描件" in body
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def test_a_pledge_without_the_checkbox_is_a_form_error(client, alice, ivan_lab, policy):
    booking = factories.accepted_booking(alice, ivan_lab)
    contract = services.contract_open_from_booking(booking=booking, by=alice)
    as_user(client, alice)
    response = post_action(client, contract, "pledge")
    assert response.status_code == 400 and "errorlist" in page(response)
    contract.refresh_from_db()
    assert contract.pledge_accepted_at is None


def test_a_renamed_executable_is_refused_as_the_signed_scan(client, alice, ivan_lab, policy):
    booking = factories.accepted_booking(alice, ivan_lab)
    contract = services.contract_open_from_booking(booking=booking, by=alice)
    as_user(client, alice)
    response = post_action(client, contract, "scan", scan=factories.fake_pdf_executable())
    assert response.status_code == 400 and "文件内容不是允许的类型" in page(response)
    contract.refresh_from_db()
    assert not contract.signed_scan


# --- Who may review ---------------------------------------------------------------------------


def test_the_operator_cannot_review_a_contract_still_waiting_for_the_bureau(client, alice, olivia, ivan_lab, policy):
    contract = submitted_contract(alice, ivan_lab)
    as_user(client, olivia)
    detail = page(client.get(contract_url(contract)))
    assert "提交审核意见" not in detail
    assert review(client, contract).status_code == 403
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AT_BUREAU
    assert contract.number not in page(client.get(reverse("vouchers:review")))


def test_a_bureau_of_another_region_gets_404_and_an_empty_queue(client, alice, charlie, ivan_lab, policy):
    contract = submitted_contract(alice, ivan_lab)
    as_user(client, charlie)
    assert client.get(contract_url(contract)).status_code == 404
    assert review(client, contract).status_code == 404
    assert contract.number not in page(client.get(reverse("vouchers:review")))
    assert contract.number not in page(client.get(reverse("vouchers:contracts")))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AT_BUREAU


def test_mallory_gets_404_on_everything_of_alices(client, alice, bob, olivia, cecilia, mallory, ivan_lab, policy):
    draft_booking = factories.accepted_booking(alice, ivan_lab, name="X射线衍射分析")
    contract = submitted_contract(alice, ivan_lab)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    voucher = contract.voucher

    as_user(client, mallory)
    assert client.get(contract_url(contract)).status_code == 404
    assert client.get(contract_url(contract, "contract_edit")).status_code == 404
    assert post_action(client, contract, "pledge", agree="on").status_code == 404
    assert client.post(reverse("vouchers:contract_from_booking", args=[draft_booking.pk])).status_code == 404
    assert client.get(reverse("vouchers:detail", args=[voucher.pk])).status_code == 404
    assert contract.number not in page(client.get(reverse("vouchers:contracts")))
    assert voucher.number not in page(client.get(reverse("vouchers:list")))
    assert not Contract.objects.filter(booking=draft_booking).exists()


def test_the_institution_sees_its_contracts_but_cannot_edit_them(client, alice, ivan_lab, policy):
    booking = factories.accepted_booking(alice, ivan_lab, name="X射线衍射分析")
    draft = services.contract_open_from_booking(booking=booking, by=alice)
    contract = submitted_contract(alice, ivan_lab)

    as_user(client, ivan_lab)
    listing = page(client.get(reverse("vouchers:contracts")))
    assert contract.number in listing and draft.number not in listing  # drafts stay the applicant's
    assert "申领创新券" not in listing
    detail = client.get(contract_url(contract))
    assert detail.status_code == 200 and alice.organisation.name in page(detail)
    assert "修改合同" not in page(detail) and "提交审核意见" not in page(detail)
    assert client.get(contract_url(draft)).status_code == 404
    assert client.get(contract_url(contract, "contract_edit")).status_code == 403
    assert post_action(client, contract, "submit").status_code == 403
    assert client.get(reverse("vouchers:contract_new")).status_code == 403
    assert client.get(reverse("vouchers:review")).status_code == 403


def test_the_review_queue_is_for_reviewers_only(client, alice, mallory):
    for user in (alice, mallory):
        assert as_user(client, user).get(reverse("vouchers:review")).status_code == 403
    client.logout()
    response = client.get(reverse("vouchers:review"))
    assert response.status_code == 302 and "login" in response.url


def test_the_review_queue_puts_the_oldest_first_and_flags_a_split_contract(client, alice, bob, ivan_lab, policy):
    first = submitted_contract(alice, ivan_lab, price="30000", quantity="2", name="水质全分析")
    second = submitted_contract(alice, ivan_lab, price="30000", quantity="2", name="土壤重金属检测")
    Contract.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - dt.timedelta(days=6))
    second.refresh_from_db()
    assert second.split_suspected  # 60,000 + 60,000 crosses the 100,000 tier boundary

    as_user(client, bob)
    body = page(client.get(reverse("vouchers:review")))
    assert body.index(first.number) < body.index(second.number)
    assert "疑似拆分" in body and "60,000.00" in body and "30,000.00" in body
    detail = page(client.get(contract_url(second)))
    assert "疑似拆分合同（化整为零）" in detail and first.number in detail  # the related contract


# --- Contract forms ---------------------------------------------------------------------------


def test_alice_registers_an_offline_agreement_with_a_listed_institution(client, alice, ivan_lab, policy):
    as_user(client, alice)
    form = page(client.get(reverse("vouchers:contract_new")))
    assert ivan_lab.organisation.name in form and "重新计算" not in form
    data = contract_form_data(institution=ivan_lab.organisation_id, amount="300000")
    response = client.post(reverse("vouchers:contract_new"), data)
    contract = Contract.objects.get(enterprise=alice.organisation)
    assert response.status_code == 302 and response.url == contract_url(contract)
    assert contract.booking is None and contract.institution_id == ivan_lab.organisation_id
    assert contract.voucher_amount == Decimal("110000.00")  # 50,000 + 30% of 200,000


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"amount": "abc"}, "输入一个数字"),
        ({"amount": "0"}, "合同金额须大于 0"),
        (
            {"service_start": "2026-05-10", "service_end": "2026-05-01"},
            "服务结束日期不能早于开始日期",
        ),
        ({"signed_on": "not-a-date"}, "日期"),
        ({"scope": "lottery"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_on_the_new_contract_form_is_a_form_error_never_a_500(
    client, alice, ivan_lab, policy, overrides, message
):
    as_user(client, alice)
    data = contract_form_data(institution=ivan_lab.organisation_id, **overrides)
    response = client.post(reverse("vouchers:contract_new"), data)
    assert response.status_code == 200 and message in page(response)
    assert not Contract.objects.exists()


def test_bad_input_on_the_edit_form_changes_nothing(client, alice, ivan_lab, policy):
    contract = factories.ready_contract(alice, ivan_lab, price="40000", quantity="2")
    as_user(client, alice)
    edit = page(client.get(contract_url(contract, "contract_edit")))
    assert "重新计算" in edit
    for overrides in (
        {"amount": "abc"},
        {"service_start": "2026-05-10", "service_end": "2026-05-01"},
    ):
        response = client.post(contract_url(contract, "contract_edit"), contract_form_data(**overrides))
        assert response.status_code == 200 and "errorlist" in page(response)
    contract.refresh_from_db()
    assert contract.amount == Decimal("80000.00")


def test_a_service_of_another_institution_is_refused_on_the_offline_form(client, alice, ivan_lab, olivia, policy):
    other = factories.listed_institution(username="other_lab", name="鼓楼检测所", lng=106.29, lat=38.472)
    foreign = factories.approved_item(other, kind="service", name="土壤检测", operator=olivia)
    as_user(client, alice)
    data = contract_form_data(institution=ivan_lab.organisation_id, service=foreign.pk)
    response = client.post(reverse("vouchers:contract_new"), data)
    assert response.status_code == 200 and "服务项目不属于所选机构" in page(response)
    assert not Contract.objects.exists()


def test_without_a_policy_for_the_year_the_form_says_so(client, alice, ivan_lab):
    as_user(client, alice)
    response = client.post(reverse("vouchers:contract_new"), contract_form_data(institution=ivan_lab.organisation_id))
    assert response.status_code == 200 and "尚未发布创新券政策" in page(response)


def test_a_contract_under_review_cannot_be_edited_by_its_owner(client, alice, ivan_lab, policy):
    contract = submitted_contract(alice, ivan_lab)
    as_user(client, alice)
    response = client.get(contract_url(contract, "contract_edit"))
    assert response.status_code == 302 and response.url == contract_url(contract)
    assert post_action(client, contract, "pledge", agree="on").status_code == 403


def test_a_booking_gets_only_one_contract(client, alice, ivan_lab, policy):
    booking = factories.accepted_booking(alice, ivan_lab)
    as_user(client, alice)
    client.post(reverse("vouchers:contract_from_booking", args=[booking.pk]))
    response = client.post(reverse("vouchers:contract_from_booking", args=[booking.pk]), follow=True)
    assert "该预约已有合同" in page(response)
    assert Contract.objects.filter(booking=booking).count() == 1
    assert booking.number not in page(client.get(reverse("vouchers:contracts"))).split("我的合同")[0]


# --- Policies ---------------------------------------------------------------------------------


def tier_post(policy: Policy, rows: list[tuple[str, str]], **overrides) -> dict:
    data = {
        "name": policy.name,
        "year": policy.year,
        "region": "",
        "model": policy.model,
        "flat_rate": "",
        "quota": "",
        "entitlement": "none",
        "contract_review_text": "推荐部门→运营单位→创业中心",
        "redemption_review_text": "运营单位→创业中心",
        "final_refusal": "return",
        "value_fixed": "review",
        "proof_by": "enterprise",
        "payee_rule": "in_region",
        "payout_cutoff_workdays": "0",
        "cap_legal_entity": "200000",
        "cap_individual": "50000",
        "county_topup_rate": "0",
        "validity_days": "365",
        "resubmissions_allowed": "2",
        "redemption_mode": "both",
        "payout_cycle": "monthly",
        "notice_days": "5",
        "split_window_days": "90",
        "tech_purchase_limit": "500000",
        "redemption_resubmissions": "1",
        "rating_days": "30",
        "expiry_warning_days": "30",
        "proof_workdays": "10",
        "review_workdays": "5",
        "check_workdays": "7",
        "confirm_workdays": "5",
        "subsidy_rate_public": "50",
        "subsidy_rate_social": "20",
        "subsidy_per_public_benefit": "200",
        "subsidy_cap_institution": "300000",
        "tiers-TOTAL_FORMS": str(len(rows)),
        "tiers-INITIAL_FORMS": "0",
        "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "10",
    }
    for i, (upper, rate) in enumerate(rows):
        data[f"tiers-{i}-upper"], data[f"tiers-{i}-rate"] = upper, rate
    data.update(overrides)
    return data


def test_the_policy_pages_are_for_the_centre_only(client, alice, bob, olivia, ivan_lab, cecilia, policy):
    edit_url = reverse("vouchers:policy_edit", args=[policy.pk])
    for user in (alice, bob, olivia, ivan_lab):
        as_user(client, user)
        assert client.get(reverse("vouchers:policies")).status_code == 403
        assert client.get(edit_url).status_code == 403
        assert client.post(edit_url, tier_post(policy, [("", "90")])).status_code == 403
    as_user(client, cecilia)
    assert policy.name in page(client.get(reverse("vouchers:policies")))
    body = page(client.get(edit_url))
    assert 'name="tiers-0-upper"' in body and "试算" in body
    policy.refresh_from_db()
    assert policy.tiers == [["100000", "0.50"], ["500000", "0.30"], [None, "0.15"]]


@pytest.mark.parametrize(
    "rows,message",
    [
        ([("100000", "50"), ("500000", "130"), ("", "15")], "比例须在 0% 到 100% 之间"),
        ([("100000", "50"), ("", "12.345")], "比例最多保留两位小数"),
        ([("500000", "50"), ("100000", "30"), ("", "15")], "各段上限须逐段递增"),
        ([("100000", "50"), ("500000", "30")], "最后一段的上限须留空"),
        ([("100000", "50"), ("", "30"), ("", "15")], "只有最后一段的上限可以为空"),
        ([("100000", "abc"), ("", "15")], "输入一个数字"),
        ([("100000", ""), ("", "15")], "缺少比例"),
        ([], "须至少设置一段比例"),
    ],
)
def test_a_bad_tier_table_is_a_form_error_and_nothing_changes(client, cecilia, policy, rows, message):
    before = Policy.objects.values().get(pk=policy.pk)
    as_user(client, cecilia)
    response = client.post(
        reverse("vouchers:policy_edit", args=[policy.pk]),
        tier_post(policy, rows, cap_legal_entity="150000"),
    )
    assert response.status_code == 200 and message in page(response)
    assert Policy.objects.values().get(pk=policy.pk) == before


def test_other_bad_policy_input_is_a_form_error(client, cecilia, policy):
    as_user(client, cecilia)
    url = reverse("vouchers:policy_edit", args=[policy.pk])
    rows = [("100000", "50"), ("", "15")]
    for overrides, message in (
        ({"county_topup_rate": "150"}, "比例须在 0% 到 100% 之间"),
        ({"county_topup_rate": "-1"}, "比例须在 0% 到 100% 之间"),
        ({"cap_legal_entity": "abc"}, "输入一个数字"),
        ({"quota_default": "-1"}, "确保该值大于或等于0"),
        ({"quota_kind_high_tech": "abc"}, "输入一个数字"),
        ({"model": "quota", "flat_rate": ""}, "额度模式须设置统一比例"),
        ({"check_workdays": "0"}, "确保该值大于或等于1"),
        ({"proof_workdays": "365"}, "确保该值小于或等于90"),
    ):
        response = client.post(url, tier_post(policy, rows, **overrides))
        assert response.status_code == 200 and message in page(response), overrides
    policy.refresh_from_db()
    assert len(policy.tiers) == 3


def test_the_centre_saves_a_new_tier_table_and_time_limits_and_the_trial_uses_them(client, cecilia, policy):
    as_user(client, cecilia)
    url = reverse("vouchers:policy_edit", args=[policy.pk])
    rows = [("200000", "40"), ("", "20"), ("", "")]  # the empty extra row is ignored
    response = client.post(url, tier_post(policy, rows, cap_legal_entity="300000", check_workdays="6"))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.tiers == [["200000", "0.4"], [None, "0.2"]]
    assert (policy.cap_legal_entity, policy.check_workdays) == (Decimal("300000.00"), 6)

    trial = page(client.get(url, {"amount": "300000", "received": "0", "applicant_kind": "enterprise"}))
    assert "100,000.00" in trial  # 40% of 200,000 + 20% of 100,000
    assert "× 40%" in trial and "× 20%" in trial
    trial = page(client.get(url, {"amount": "300000", "received": "250000", "applicant_kind": "enterprise"}))
    assert "50,000.00" in trial and "年度上限" in trial
    bad = client.get(url, {"amount": "abc", "applicant_kind": "enterprise"})
    assert bad.status_code == 200 and "输入一个数字" in page(bad)


def test_the_centre_publishes_a_year_from_a_preset_but_never_over_an_existing_one(client, cecilia, policy):
    as_user(client, cecilia)
    response = client.post(reverse("vouchers:policies"), {"year": policy.year + 1, "preset": "jiangsu"})
    created = Policy.objects.get(year=policy.year + 1)
    assert response.status_code == 302 and created.model == "quota"
    response = client.post(reverse("vouchers:policies"), {"year": policy.year, "preset": "henan"})
    assert response.status_code == 200 and "已存在" in page(response)
    policy.refresh_from_db()
    assert policy.model == "contract"
    response = client.post(reverse("vouchers:policies"), {"year": "abc", "preset": "ningxia"})
    assert response.status_code == 200 and "有效的年度" in page(response)
