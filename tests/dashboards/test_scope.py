"""Who sees what. Bob (兴庆区 bureau) sees 兴庆区 only, whatever he puts in the URL; the
Yinchuan city bureau sees its counties; the centre and the operator see the province;
enterprises, institutions and experts see no dashboard at all."""

from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/dashboard/",
    "/dashboard/heatmap/",
    "/dashboard/heatmap/frame/",
    "/dashboard/choropleth/",
    "/dashboard/choropleth/frame/",
    "/dashboard/sharing/",
    "/dashboard/region/640104/",
    "/dashboard/export/by_region.csv",
    "/dashboard/export/choropleth.xlsx",
]
API = ["/api/stats/usage/", "/api/stats/heatmap/"]


def usage(api_as, user, **params):
    response = api_as(user).get("/api/stats/usage/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_county_bureau_gets_only_its_county(api_as, world):
    data = usage(api_as, world.bob, group="county", stage="issued")
    assert [(r["key"], r["n"], r["amount"]) for r in data["rows"]] == [("640104", 2, "25000.00")]
    assert data["scope"] == {"adcode": 640104, "name": "兴庆区"}
    assert data["total"] == {"n": 2, "amount": "25000.00"}
    heat = api_as(world.bob).get("/api/stats/heatmap/").json()
    assert sum(p[2] for p in heat["points"]) == 25000  # alice's two uses, not mallory's


@pytest.mark.parametrize("region", ["640105", "640100", "640000", "640202"])
def test_a_county_bureau_asking_for_another_region_gets_403(api_as, client, world, region):
    for url in API:
        response = api_as(world.bob).get(url, {"region": region})
        assert response.status_code == 403, (url, region)
        assert "640105" not in response.content.decode()
    client.force_login(world.bob)
    for url in ("/dashboard/", "/dashboard/choropleth/frame/", "/dashboard/export/by_region.csv"):
        assert client.get(url, {"region": region}).status_code == 403, url
    assert client.get(f"/dashboard/region/{region}/").status_code == 403


def test_a_county_bureau_cannot_read_other_counties_in_any_grouping(api_as, world):
    for group in ("county", "city", "kind", "category", "month", "stage", "institution", "enterprise"):
        data = usage(api_as, world.charlie, group=group, stage="issued")
        amounts = {Decimal(r["amount"]) for r in data["rows"]} - {Decimal("0")}
        assert amounts <= {Decimal("1500")}, (group, data["rows"])


def test_a_city_bureau_sees_its_counties_and_may_narrow_to_one(api_as, world):
    data = usage(api_as, world.yinchuan_bureau, group="county", stage="issued")
    rows = {r["key"]: (r["n"], r["amount"]) for r in data["rows"]}
    assert set(rows) == {"640104", "640105", "640106", "640121", "640122", "640181"}
    assert rows["640104"] == (2, "25000.00") and rows["640105"] == (1, "1500.00")
    assert data["total"] == {"n": 3, "amount": "26500.00"}  # dave's 大武口区 voucher is not Yinchuan's
    one = usage(api_as, world.yinchuan_bureau, group="county", stage="issued", region="640105")
    assert [r["key"] for r in one["rows"]] == ["640105"]
    assert api_as(world.yinchuan_bureau).get("/api/stats/usage/", {"region": "640202"}).status_code == 403


@pytest.mark.parametrize("who", ["cecilia", "olivia"])
def test_the_centre_and_the_operator_see_the_province(api_as, world, who):
    data = usage(api_as, getattr(world, who), group="city", stage="issued")
    assert data["total"] == {"n": 4, "amount": "34500.00"}
    assert usage(api_as, getattr(world, who), group="county", region="640202", stage="issued")["total"] == {
        "n": 1,
        "amount": "8000.00",
    }


@pytest.mark.parametrize("who", ["alice", "ivan_lab", "eve"])
def test_enterprises_institutions_and_experts_see_no_dashboard(api_as, client, world, who, request):
    user = getattr(world, who, None) or request.getfixturevalue(who)
    for url in API:
        assert api_as(user).get(url).status_code == 403, url
    client.force_login(user)
    for url in PAGES:
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(api, client, world):
    for url in API:
        assert api.get(url).status_code in (401, 403)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_region_detail_page_shows_the_county_and_the_region_selector_only_own_regions(client, world):
    client.force_login(world.bob)
    page = client.get("/dashboard/region/640104/")
    assert page.status_code == 200
    assert "兴庆区" in page.content.decode()
    listing = client.get("/dashboard/").content.decode()
    assert 'value="640105"' not in listing  # the region selector offers only its own regions


def test_a_county_bureau_gets_its_county_even_when_asking_for_cities(client, world):
    client.force_login(world.bob)
    html = client.get("/dashboard/choropleth/?level=city").content.decode()
    assert '<th scope="col">区县</th>' in html and 'name="level"' in html  # a hidden field, no city choice
    assert '<select name="level">' not in html
    client.force_login(world.yinchuan_bureau)
    assert '<th scope="col">地级市</th>' in client.get("/dashboard/choropleth/?level=city").content.decode()
