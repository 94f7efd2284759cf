"""The subsidy function across tier edges, caps, individuals, top-ups and each preset."""

from decimal import Decimal as D

import pytest

from vouchers.policies.presets import preset_policy
from vouchers.policies.value import compute_subsidy

NINGXIA = preset_policy("ningxia", 2026)


@pytest.mark.parametrize(
    "amount,expected",
    [
        ("80000", "40000.00"),  # the examples of the issue
        ("300000", "110000.00"),
        ("600000", "185000.00"),
        ("100000", "50000.00"),  # tier edge: all at 50%
        ("100000.01", "50000.00"),  # one cent in the 30% tier rounds to nothing extra
        ("100001", "50000.30"),
        ("500000", "170000.00"),  # 50,000 + 120,000
        ("500001", "170000.15"),
        ("0.02", "0.01"),
        ("1", "0.50"),
    ],
)
def test_ningxia_marginal_tiers(amount, expected):
    assert compute_subsidy(NINGXIA, D(amount)).by_rule == D(expected)


def test_a_large_contract_is_capped_at_two_hundred_thousand_a_year():
    result = compute_subsidy(NINGXIA, D("2000000"))
    assert result.by_rule == D("395000.00")  # 50,000 + 120,000 + 15% of 1,500,000
    assert result.amount == D("200000.00") and result.capped


def test_what_was_received_this_year_counts_against_the_cap():
    result = compute_subsidy(NINGXIA, D("600000"), received_this_year=D("100000"))
    assert result.amount == D("100000.00") and result.cap_left == D("100000.00")
    assert compute_subsidy(NINGXIA, D("80000"), received_this_year=D("200000")).amount == D("0.00")


def test_individuals_have_a_fifty_thousand_cap():
    result = compute_subsidy(NINGXIA, D("300000"), applicant_kind="individual")
    assert result.by_rule == D("110000.00") and result.amount == D("50000.00")
    social = compute_subsidy(NINGXIA, D("300000"), applicant_kind="social_org")
    assert social.amount == D("110000.00")


def test_a_county_top_up_adds_on_top_without_exceeding_the_contract():
    result = compute_subsidy(NINGXIA, D("80000"), topup_rate=D("0.10"))
    assert result.amount == D("40000.00") and result.county_topup == D("8000.00")
    # 50% + 60% would exceed the amount: the top-up stops at the contract amount.
    assert compute_subsidy(NINGXIA, D("1000"), topup_rate=D("0.60")).county_topup == D("500.00")


def test_zero_or_negative_amounts_give_nothing():
    assert compute_subsidy(NINGXIA, D("0")).amount == D("0")
    assert compute_subsidy(NINGXIA, D("-5")).amount == D("0")


def test_jiangsu_quota_is_higher_in_the_five_northern_cities():
    jiangsu = preset_policy("jiangsu", 2026)
    nanjing = compute_subsidy(jiangsu, D("1000000"), qualification="tech_sme", city_adcode=320100)
    xuzhou = compute_subsidy(jiangsu, D("1000000"), qualification="tech_sme", city_adcode=320300)
    assert nanjing.amount == D("100000.00") and xuzhou.amount == D("140000.00")
    assert compute_subsidy(jiangsu, D("100"), city_adcode=320100).amount == D("35.00")


def test_henan_pays_thirty_percent_within_the_quota_by_qualification():
    henan = preset_policy("henan", 2026)
    assert compute_subsidy(henan, D("100000"), qualification="high_tech").amount == D("30000.00")
    assert compute_subsidy(henan, D("1000000"), qualification="tech_sme").amount == D("200000.00")
    assert compute_subsidy(henan, D("1000000"), applicant_kind="individual").amount == D("100000.00")
    assert compute_subsidy(henan, D("100000"), qualification="other").amount == D("0.00")


def test_zhejiang_pays_half_within_the_cap_and_the_claimed_entitlement():
    zhejiang = preset_policy("zhejiang", 2026)
    assert compute_subsidy(zhejiang, D("12345.67")).amount == D("6172.84")
    assert compute_subsidy(zhejiang, D("100000"), entitlement_left=D("20000")).amount == D("20000.00")
    assert compute_subsidy(zhejiang, D("500000"), received_this_year=D("50000")).amount == D("150000.00")
    assert zhejiang.contract_review == [] and zhejiang.entitlement == "claim"
