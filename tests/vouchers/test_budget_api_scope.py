"""The budget API sets the county budgets the centre's budget page offers, no other (issue #12
gap): a county's top-up budget only where the county tops up the year's vouchers, every
county's where the scheme pays from local budgets (Zhejiang); a Chinese 400 otherwise, and
nothing is set. Outsiders are refused as before.

Personas: Cecilia the centre; Bob the 兴庆区 bureau; Mallory an enterprise.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.vouchers.test_ningxia_scenario import ok
from vouchers import ledger
from vouchers.models import Budget
from vouchers.policies.presets import PRESETS, install_preset

pytestmark = pytest.mark.django_db
XINGQING, JINFENG = 640104, 640106


def post(client, year: int, region: int | None, amount: str = "5000"):
    return client.post("/api/budgets/", {"year": year, "amount": amount, "region": region}, format="json")


def nothing_set(year: int, region: int) -> bool:
    return not Budget.objects.filter(year=year, region_id=region).exists() and not ledger.budget_balance(year, region)


def test_the_centre_sets_only_the_budgets_of_counties_that_top_up(api_as, cecilia, bob, mallory):
    year = timezone.localdate().year
    install_preset(key="jiangsu", year=year)  # no county tops up

    refused = post(api_as(cecilia), year, XINGQING)
    assert refused.status_code == 400 and "兴庆区没有区县配套" in refused.json()["region"]
    assert nothing_set(year, XINGQING)

    # Outsiders: an enterprise, and a bureau where the province pays.
    assert post(api_as(mallory), year, XINGQING).status_code == 403
    assert post(api_as(mallory), year, None).status_code == 403
    assert post(api_as(bob), year, XINGQING).status_code == 403
    assert nothing_set(year, XINGQING) and not ledger.budget_balance(year)

    # Once 兴庆区 tops up (a region record the centre publishes), its budget — and only its — is set.
    centre = api_as(cecilia)
    preset = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in PRESETS["jiangsu"].items()}
    topup = {**preset, "name": "兴庆区配套", "year": year, "region": XINGQING, "county_topup_rate": "0.10"}
    ok(centre.post("/api/policies/", topup, format="json"), 201)
    assert ok(post(centre, year, XINGQING), 201)["balance"] == "5000.00"
    assert post(centre, year, JINFENG).status_code == 400 and nothing_set(year, JINFENG)
    # Another year has no top-up record: refused there.
    assert post(centre, year + 1, XINGQING).status_code == 400 and nothing_set(year + 1, XINGQING)
    # The province's budget is always the centre's to set.
    assert ok(post(centre, year, None), 201)["balance"] == "5000.00"


def test_where_bureaus_pay_locally_every_countys_budget_may_be_set(api_as, cecilia):
    year = timezone.localdate().year
    install_preset(key="zhejiang", year=year)
    assert ok(post(api_as(cecilia), year, JINFENG), 201)["balance"] == "5000.00"
