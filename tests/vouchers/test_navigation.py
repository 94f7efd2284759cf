"""The menu and the home page leave out what the year's scheme gives a role no work on:
Henan's bureau reviews no contracts and keeps no budget; only Henan's operator registers
projects; Zhejiang's bureau claims, budgets and pays; a county top-up gives a bureau its
budget page back. The pages themselves stay reachable (an empty queue)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.navigation import menu_for
from vouchers.models import Policy
from vouchers.policies.presets import install_preset

pytestmark = pytest.mark.django_db


def labels(user) -> set[str]:
    return {label for label, _ in menu_for(user)}


@pytest.mark.parametrize(
    ("preset", "bureau_has", "bureau_lacks", "operator_has", "operator_lacks"),
    [
        ("ningxia", {"合同审核"}, {"额度申请", "本地预算", "本地拨付批次"}, {"合同复核"}, {"项目登记"}),
        # Henan's platform reviews orders (创新券订单): 订单审核.
        ("henan", set(), {"合同审核", "额度申请", "本地预算", "本地拨付批次"}, {"订单审核", "项目登记"}, {"合同复核"}),
        ("jiangsu", {"额度申请"}, {"合同审核", "本地预算", "本地拨付批次"}, set(), {"合同复核", "项目登记"}),
        ("zhejiang", {"额度申请", "本地预算", "本地拨付批次"}, {"合同审核"}, set(), {"合同复核", "项目登记"}),
    ],
)
def test_the_menu_follows_the_years_scheme(
    client, bob, olivia, preset, bureau_has, bureau_lacks, operator_has, operator_lacks
):
    install_preset(key=preset, year=timezone.localdate().year)
    assert bureau_has <= labels(bob) and not bureau_lacks & labels(bob)
    assert operator_has <= labels(olivia) and not operator_lacks & labels(olivia)
    client.force_login(bob)
    home = client.get("/").content.decode()
    assert ("待审核的创新券合同" in home) == ("合同审核" in bureau_has)
    # hidden from the menu, still a page (its queue is empty)
    assert client.get(reverse("vouchers:review")).status_code in (200, 403)


def test_a_county_top_up_gives_the_bureau_its_budget_page(bob):
    year = timezone.localdate().year
    install_preset(key="ningxia", year=year)
    assert "本地预算" not in labels(bob)
    Policy.objects.create(name="兴庆区配套", year=year, region_id=640104, county_topup_rate=Decimal("0.10"))
    assert "本地预算" in labels(bob)


@pytest.mark.parametrize(("preset", "record"), [("ningxia", "创新券合同"), ("henan", "创新券订单")])
def test_applicants_menus_name_the_record_in_the_schemes_words(alice, preset, record):
    install_preset(key=preset, year=timezone.localdate().year)
    assert {"我的额度", record, "兑付申请"} <= labels(alice)
    assert ({"创新券合同", "创新券订单"} - {record}).isdisjoint(labels(alice))


@pytest.mark.parametrize(("preset", "shown"), [("ningxia", False), ("jiangsu", False), ("henan", True)])
def test_the_institutions_home_offers_order_acceptance_only_where_it_accepts(client, ivan, preset, shown):
    """The walk-through found a 待受理的创新券订单 tile leading to a 403 in Ningxia and Jiangsu,
    whose institutions never accept voucher orders."""
    install_preset(key=preset, year=timezone.localdate().year)
    client.force_login(ivan)
    assert ("待受理的创新券订单" in client.get("/").content.decode()) is shown
