"""Zhejiang's caps are the local bureau's (SPEC §10: 申领额度 within the local bureau's caps):
a county or city bureau sets them on its page or through the API; each cap is the county's,
else the city's, else the province's; claims obey them; nobody else sets them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.vouchers.test_pages import as_user, page
from vouchers import ledger
from vouchers.entitlements import services as entitlements
from vouchers.models import EntitlementClaim, Policy
from vouchers.policies.presets import install_preset

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def zhejiang(clock):
    return install_preset(key="zhejiang", year=YEAR)


def claim(api_as, user, amount: str):
    return api_as(user).post("/api/claims/", {"amount": amount}, format="json")


def test_a_county_bureau_sets_its_caps_on_its_page_and_its_enterprises_claim_within_them(
    client, api_as, zhejiang, alice, bob, mallory, check_ledger
):
    as_user(client, bob)  # 兴庆区
    url = reverse("vouchers:claim_caps")
    assert "全省统一" in page(client.get(url))
    saved = client.post(url, {"claim_year_cap": "80000", "claim_each_cap": "10000", "holding_cap": ""})
    assert saved.status_code == 302
    shown = page(client.get(url))
    assert "兴庆区科技局" in shown
    # The form comes back with what was saved; the empty cap names the province's figure.
    assert 'name="claim_year_cap" value="80000.00"' in shown and 'name="claim_each_cap" value="10000.00"' in shown
    assert 'name="holding_cap" value=' not in shown and "留空沿用全省上限 100,000.00 元" in shown

    refused = claim(api_as, alice, "20000")
    assert refused.status_code == 400 and "单次申领不能超过 10,000.00 元" in refused.content.decode()
    assert not EntitlementClaim.objects.exists()
    assert claim(api_as, alice, "10000").status_code == 201
    check_ledger()
    wallet = api_as(alice).get("/api/wallet/").json()
    assert wallet["caps"] == {
        "year_cap": "80000.00",
        "each_cap": "10000.00",
        "holding_cap": "100000.00",
        "set_by": "兴庆区",
    }
    assert wallet["still_claimable"] == "10000.00"
    # 西夏区 has set nothing: the province's caps
    assert claim(api_as, mallory, "50000").status_code == 201
    assert ledger.entitlement_left(mallory.organisation, YEAR) == Decimal("50000.00")
    check_ledger()


def test_a_city_bureaus_caps_apply_where_the_county_set_none(api_as, zhejiang, alice, yinchuan_bureau, bob, mallory):
    response = api_as(yinchuan_bureau).put("/api/claim-caps/", {"claim_year_cap": "30000"}, format="json")
    assert response.status_code == 200 and response.json()["year_cap"] == "30000.00"
    api_as(bob).put("/api/claim-caps/", {"claim_each_cap": "20000"}, format="json")
    caps = entitlements.claim_caps(zhejiang, alice.organisation)
    assert (caps.year_cap, caps.each_cap, caps.holding_cap) == (Decimal("30000"), Decimal("20000"), Decimal("100000"))
    over = claim(api_as, mallory, "40000")  # 西夏区 is in 银川市
    assert over.status_code == 400 and "年度申领上限 30,000.00" in over.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"claim_each_cap": "abc"}, "请填写金额"),
        ({"claim_each_cap": "-5"}, "上限须大于 0"),
        ({"claim_year_cap": "10000", "claim_each_cap": "20000"}, "不能超过年度累计申领上限"),
        ({"claim_year_cap": "50000", "holding_cap": "60000"}, "不能超过年度累计申领上限 50,000.00"),
        ({"holding_cap": "300000"}, "不能高于全省上限 100,000.00 元"),
        ({"claim_year_cap": "200000.01"}, "不能高于全省上限 200,000.00 元"),
    ],
)
def test_bad_caps_are_a_400_in_chinese_and_change_nothing(api_as, zhejiang, bob, data, message):
    response = api_as(bob).put("/api/claim-caps/", data, format="json")
    assert response.status_code == 400 and message in response.content.decode()
    assert not Policy.objects.filter(region__isnull=False).exists()


def test_caps_cannot_be_set_under_another_scheme(api_as, clock, bob):
    install_preset(key="ningxia", year=YEAR)
    response = api_as(bob).put("/api/claim-caps/", {"claim_each_cap": "1000"}, format="json")
    assert response.status_code == 400 and "没有申领上限可设" in response.content.decode()


def test_only_a_bureau_sets_caps(client, api, api_as, zhejiang, alice, olivia, cecilia, ivan, eve):
    for user in (alice, olivia, cecilia, ivan, eve):
        assert api_as(user).put("/api/claim-caps/", {"claim_each_cap": "1"}, format="json").status_code == 403
        assert api_as(user).get("/api/claim-caps/").status_code == 403
        as_user(client, user)
        assert client.post(reverse("vouchers:claim_caps"), {"claim_each_cap": "1"}).status_code == 403
    api.credentials()
    assert api.put("/api/claim-caps/", {"claim_each_cap": "1"}, format="json").status_code == 401
    assert not Policy.objects.filter(region__isnull=False).exists()


def test_a_lower_level_may_only_tighten_the_caps_above_it(
    client, api_as, zhejiang, alice, yinchuan_bureau, bob, check_ledger
):
    """A county's cap is at most its city bureau's and the province's; a city's at most the
    province's; refused with the higher level's figure, nothing saved."""
    city = api_as(yinchuan_bureau)
    over = city.put("/api/claim-caps/", {"claim_year_cap": "250000"}, format="json")
    assert over.status_code == 400 and "不能高于全省上限 200,000.00 元" in "".join(over.json()["claim_year_cap"])
    assert not Policy.objects.filter(region__isnull=False).exists()
    ok = city.put("/api/claim-caps/", {"claim_year_cap": "30000", "claim_each_cap": "8000"}, format="json")
    assert ok.status_code == 200

    county = api_as(bob)  # 兴庆区, in 银川市
    for data, field, figure in (
        ({"claim_year_cap": "50000"}, "claim_year_cap", "30,000.00"),
        ({"claim_each_cap": "9000"}, "claim_each_cap", "8,000.00"),
    ):
        refused = county.put("/api/claim-caps/", data, format="json")
        assert refused.status_code == 400, refused.content.decode()
        assert f"不能高于银川市上限 {figure} 元" in "".join(refused.json()[field])
    refused = county.put("/api/claim-caps/", {"holding_cap": "150000"}, format="json")
    assert refused.status_code == 400 and "不能高于全省上限 100,000.00 元" in refused.content.decode()
    assert Policy.objects.filter(region__isnull=False).count() == 1  # the city's only

    # The page says the same, in the field.
    as_user(client, bob)
    page_refused = client.post(reverse("vouchers:claim_caps"), {"claim_year_cap": "50000"})
    assert page_refused.status_code == 400 and "不能高于银川市上限 30,000.00 元" in page(page_refused)
    assert "留空沿用银川市上限 30,000.00 元" in page(client.get(reverse("vouchers:claim_caps")))

    # Tightening is fine; a city lowering its cap later binds the county at once.
    assert api_as(bob).put("/api/claim-caps/", {"claim_year_cap": "20000"}, format="json").status_code == 200
    city = api_as(yinchuan_bureau)  # api_as re-authenticates one client
    assert (
        city.put("/api/claim-caps/", {"claim_year_cap": "15000", "claim_each_cap": "8000"}, format="json").status_code
        == 200
    )
    caps = entitlements.claim_caps(zhejiang, alice.organisation)
    assert (caps.year_cap, caps.each_cap, caps.set_by) == (Decimal("15000"), Decimal("8000"), "银川市")
    over = claim(api_as, alice, "8000")
    assert over.status_code == 201
    assert claim(api_as, alice, "8000").status_code == 400  # 16,000 > the city's 15,000
    check_ledger()
