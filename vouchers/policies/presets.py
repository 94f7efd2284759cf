"""Policy presets of the four provinces the product knows (SPEC §5.1), as policy data.

``install_preset(year, key)`` writes one province-wide Policy record; the centre edits the
numbers afterwards. Sources: Ningxia 宁科规发〔2019〕1号; Jiangsu/Henan/Zhejiang platform guides
in ../shared/seeds/ (Jiangsu: 140,000 yuan in the five northern cities, 100,000 elsewhere;
Henan: 30% of the order, 200,000 for 高企/科小, 100,000 for teams; Zhejiang: claim any
amount up to the cap set by the local bureau, no review). Each preset is a whole scheme
(``vouchers.policies.schemes``): the flow's shape as well as its numbers.
"""

from __future__ import annotations

from decimal import Decimal

from vouchers.models import Policy

PRESETS: dict[str, dict] = {
    "ningxia": {
        "name": "宁夏回族自治区科技创新券（按合同）",
        "model": "contract",
        "tiers": [["100000", "0.50"], ["500000", "0.30"], [None, "0.15"]],
        "cap_legal_entity": Decimal("200000"),
        "cap_individual": Decimal("50000"),
        # The scheme (SPEC §10): no entitlement to claim; county → operator → centre review
        # before use; in-region institutions redeem, the enterprise redeems out-of-region
        # services; operator check → centre confirmation; 365 days from issue.
        "entitlement": "none",
        "contract_review": ["bureau", "operator", "centre"],
        "final_refusal": "return",
        "value_fixed": "review",
        "proof_by": "enterprise",
        "proof_review": True,  # the operator reviews the proofs, then the payee redeems
        "payee_rule": "in_region",
        "redemption_review": ["operator", "centre"],
        "validity_days": 365,
        "valid_to_year_end": False,
        "resubmissions_allowed": 2,
        "redemption_mode": "both",
        "payout_cycle": "monthly",
        "split_window_days": 90,
        # SPEC §5.1–5.4: technology purchases under 500,000 yuan, a default good rating after
        # 30 days, one resubmission of a redemption; holders are warned 30 days before expiry.
        "redemption_resubmissions": 1,
        "rating_days": 30,
        "expiry_warning_days": 30,
        "tech_purchase_limit": Decimal("500000"),
    },
    "henan": {
        "name": "河南省科技创新券（领取额度，按订单 30%）",
        "model": "quota",
        "flat_rate": Decimal("0.30"),
        "quota": {
            "default": "0",
            # 高企/科小 200,000; teams in incubators (and individuals' teams) 100,000.
            "by_qualification": {
                "high_tech": "200000",
                "tech_sme": "200000",
                "incubated": "100000",
                "individual": "100000",
            },
        },
        # Claim the quota with the pledge and register the R&D project (项目登记, reviewed
        # by the platform); the institution accepts (受理) the order, then the
        # platform reviews it, one correction, a second refusal makes it an ordinary order;
        # the institution uploads the report and invoice and redeems; the platform's formal
        # check; quarterly expert summary, S&T and finance confirmation, notice, payout.
        "entitlement": "quota",
        "project_registration": True,
        # 上传订单结果 → 用户确认结果无误即支付创新券: paying needs the result, confirmed.
        "result_confirmation": True,
        "platform_rating": True,
        # 我的电子券: the guide's names of the voucher states (未支付、已支付、兑付成功、兑付失败、
        # 已过期); a redemption under review is still 已支付 to the applicant.
        "voucher_labels": {
            "issued": "未支付",
            "used": "已支付",
            "redeeming": "已支付",
            "redeemed": "兑付成功",
            "redemption_failed": "兑付失败",
            "expired": "已过期",
        },
        "contract_review": ["institution", "operator"],
        "resubmissions_allowed": 1,
        "final_refusal": "ordinary",
        "value_fixed": "review",
        "proof_by": "institution",
        "proof_review": False,  # checked with the redemption
        "payee_rule": "institution",
        "redemption_review": ["operator"],
        "payout_cycle": "quarterly",
        "payout_cutoff_workdays": 7,
        "expert_review": True,
        "finance_confirmation": True,
        "valid_to_year_end": True,
        "redemption_mode": "both",
        "redemption_resubmissions": 1,
        "rating_days": 30,
        "expiry_warning_days": 30,
    },
    "jiangsu": {
        "name": "江苏省科技创新券（年度资格申请）",
        "model": "quota",
        # The Jiangsu platform's order screens show 35 yuan of voucher on a 100 yuan quote.
        "flat_rate": Decimal("0.35"),
        "quota": {
            "default": "100000",
            # 徐州, 连云港, 淮安, 盐城, 宿迁
            "by_city": {
                "320300": "140000",
                "320700": "140000",
                "320800": "140000",
                "320900": "140000",
                "321300": "140000",
            },
        },
        # A yearly application (科小 at once, others reviewed by their authority); no review
        # before use; the enterprise pays in full and is paid to its bank account after the
        # authority approves the amounts (审核认定); monthly notice and payout; void after
        # 31 December.
        "entitlement": "application",
        # 上年度营业收入不高于4亿元的中小企业 (万元).
        "revenue_limit": Decimal("40000"),
        "contract_review": [],
        "value_fixed": "redemption",
        "proof_by": "enterprise",
        "proof_review": False,  # checked with the redemption
        "payee_rule": "enterprise",
        "redemption_review": ["bureau"],
        "payout_cycle": "monthly",
        "monthly_notice": True,  # 经审核、公示无异议后，将拨付兑付资金
        "valid_to_year_end": True,
        "redemption_mode": "both",
        "redemption_resubmissions": 1,
        "rating_days": 30,
        "expiry_warning_days": 30,
    },
    "zhejiang": {
        "name": "浙江省科技创新券（额度内自主申领）",
        "model": "quota",
        # The seed's screen shows a 2,500 yuan voucher on a 5,000 yuan contract.
        "flat_rate": Decimal("0.50"),
        "quota": {"default": "200000"},
        # Claim any amount within the local bureau's caps, no review; use registration with
        # the payee's choice (企业兑付 / 载体兑付), the institution confirms enterprise
        # vouchers; vouchers ticked and submitted together to the local bureau, which approves.
        "entitlement": "claim",
        "claim_year_cap": Decimal("200000"),
        "claim_each_cap": Decimal("50000"),
        "holding_cap": Decimal("100000"),
        "contract_review": [],
        "value_fixed": "review",
        "proof_by": "enterprise",
        "proof_review": False,  # checked with the redemption
        "payee_rule": "chosen",
        # 使用登记: one form with the enterprise's own contract, invoice and result proof.
        "use_registration": True,
        "redemption_review": ["bureau"],
        # 批量提交: tick one or several vouchers and submit them together.
        "redemption_mode": "both",
        # The local bureau's approval is the payout, from its own budget (per-bureau batches).
        "payout_cycle": "on_approval",
        "funding": "local",
        "valid_to_year_end": True,
        "redemption_resubmissions": 1,
        "rating_days": 30,
        "expiry_warning_days": 30,
    },
}


def preset_policy(key: str, year: int):
    """An unsaved Policy with the preset's numbers."""
    return Policy(year=year, **PRESETS[key])


def install_preset(*, key: str, year: int):
    """Create or update the province-wide policy for ``year`` from a preset."""
    data = dict(PRESETS[key])
    policy, _ = Policy.objects.update_or_create(year=year, region=None, defaults=data)
    return policy
