"""Dashboards of a deployment in another province list that province's counties and cities
(a county-level city under the province, 济源市, is its own city) and name its scope."""

from __future__ import annotations

import pytest

from geodata.importer import data_file, import_regions, read_features
from geodata.models import Region, RegionLevel

HENAN = 410000


@pytest.fixture(scope="module")
def henan_regions(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        import_regions(features=read_features(data_file(HENAN)), commit=True)
        yield
        for level in (RegionLevel.COUNTY, RegionLevel.CITY, RegionLevel.PROVINCE):
            Region.objects.filter(level=level, adcode__gte=410000, adcode__lt=420000).delete()


@pytest.fixture
def henan(henan_regions, settings, db):
    settings.PLATFORM_PROVINCE = HENAN


def test_the_statistics_page_lists_henans_counties_with_their_cities(client, henan, cecilia):
    client.force_login(cecilia)
    body = client.get("/dashboard/").content.decode()
    assert ">中原区</a></td><td>郑州市</td>" in body
    assert ">济源市</a></td><td></td>" in body  # under the province itself: no city
    assert ">兴庆区</a>" not in body  # another province's counties are not this deployment's


def test_the_usage_api_names_the_province_and_groups_by_its_cities(client, henan, cecilia):
    client.force_login(cecilia)
    body = client.get("/api/stats/usage/", {"group": "city"}).json()
    assert body["scope"]["adcode"] == HENAN
    keys = {row["key"]: row["label"] for row in body["rows"]}
    assert len(keys) == 18  # 17 cities and 济源市
    assert keys["410100"] == "郑州市" and keys["419001"] == "济源市"
    counties = client.get("/api/stats/usage/", {"group": "county"}).json()["rows"]
    assert len(counties) == 157 and all(410000 < int(row["key"]) < 420000 for row in counties)


def test_a_city_bureau_sees_its_own_counties_only(client, henan):
    from tests import factories

    bureau = factories.bureau_user(username="zhengzhou_bureau", adcode=410100)
    client.force_login(bureau)
    rows = client.get("/api/stats/usage/", {"group": "county"}).json()["rows"]
    assert rows and all(row["key"].startswith("4101") for row in rows)
    assert client.get("/api/stats/usage/", {"region": "419001"}).status_code == 403


def test_the_region_selectors_offer_jiyuan_once(client, henan, cecilia):
    client.force_login(cecilia)
    body = client.get("/dashboard/").content.decode()
    assert body.count('<option value="419001"') == 1 and '<optgroup label="济源市">' in body
    assert 'value="640104"' not in body
    page = client.get("/map/").content.decode()
    assert page.count('<option value="419001"') == 1
