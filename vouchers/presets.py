"""Policy presets of the four provinces the product knows (SPEC §5.1), as policy data.

``install_preset(year, key)`` writes one province-wide Policy record; the centre edits the
numbers afterwards. Sources: Ningxia 宁科规发〔2019〕1号; Jiangsu/Henan/Zhejiang platform guides
in ../shared/seeds/ (Jiangsu: 140,000 yuan in the five northern cities, 100,000 elsewhere;
Henan: 30% of the order, 200,000 for 高企/科小, 100,000 for teams; Zhejiang: claim any
amount up to the cap set by the local bureau, no review).
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
        "requires_review": True,
        "validity_days": 365,
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
    "jiangsu": {
        "name": "江苏省科技创新券（年度额度）",
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
        "requires_review": True,
        "payout_cycle": "quarterly",
        "redemption_resubmissions": 1,
        "rating_days": 30,
        "expiry_warning_days": 30,
    },
    "henan": {
        "name": "河南省科技创新券（年度额度）",
        "model": "quota",
        "flat_rate": Decimal("0.30"),
        "quota": {
            "default": "0",
            "by_qualification": {
                "high_tech": "200000",
                "tech_sme": "200000",
                "individual": "100000",
                "talent": "100000",
            },
        },
        "requires_review": True,
        "payout_cycle": "quarterly",
        # Henan: one correction of a refused redemption (SPEC §10).
        "redemption_resubmissions": 1,
        "rating_days": 30,
        "expiry_warning_days": 30,
    },
    "zhejiang": {
        "name": "浙江省科技创新券（额度内任意申领）",
        "model": "quota",
        "claim_up_to_cap": True,
        "quota": {"default": "200000"},
        "requires_review": False,
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
