"""The shipped regions of the other seed provinces (河南 410000, 江苏 320000, 浙江 330000):
complete, converted to WGS-84, and locating points on the right side of real borders —
county borders inside each province and the province border between 江苏 and 浙江.

The provinces are loaded beside Ningxia's for this module only (their adcodes differ), and
removed again afterwards.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.gis.geos import LineString

from geodata.importer import data_file, import_regions, read_features
from geodata.models import Region, RegionLevel

PROVINCES = {410000: (17, 157), 320000: (13, 95), 330000: (11, 90)}


@pytest.fixture(scope="module")
def provinces(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        for adcode in PROVINCES:
            import_regions(features=read_features(data_file(adcode)), commit=True)
        yield
        for level in (RegionLevel.COUNTY, RegionLevel.CITY, RegionLevel.PROVINCE):
            Region.objects.filter(level=level).exclude(adcode__gte=640000, adcode__lt=650000).delete()


def locate(client, point) -> int | None:
    response = client.get("/api/regions/locate/", {"lng": point[0], "lat": point[1]})
    return response.json()["county"]["adcode"] if response.status_code == 200 else None


def across(a: Region, b: Region, step: float = 0.003):
    """Two points ~300 m either side of where the line between the regions' representative
    points crosses their shared border; None when it does not cross it once."""
    border = a.geom.boundary.intersection(b.geom.boundary)
    if border.empty:
        return None
    crossing = LineString(a.center, b.center, srid=4326).intersection(border)
    if crossing.empty or crossing.geom_type != "Point":
        return None
    dx, dy = b.center.x - a.center.x, b.center.y - a.center.y
    norm = (dx * dx + dy * dy) ** 0.5
    return (
        (crossing.x - dx / norm * step, crossing.y - dy / norm * step),
        (crossing.x + dx / norm * step, crossing.y + dy / norm * step),
    )


def neighbour_pairs(province: int, limit: int) -> list[tuple[Region, Region]]:
    """Up to `limit` pairs of neighbouring counties whose centre line crosses their border once."""
    counties = list(Region.objects.counties().filter(adcode__gte=province, adcode__lt=province + 10000))
    pairs = []
    for i, a in enumerate(counties):
        for b in counties[i + 1 :]:
            if a.geom.touches(b.geom) and across(a, b) is not None:
                pairs.append((a, b))
                break
        if len(pairs) == limit:
            break
    return pairs


@pytest.mark.parametrize("province", sorted(PROVINCES))
def test_each_province_has_its_cities_and_counties(provinces, province):
    cities, counties = PROVINCES[province]
    under = Region.objects.filter(adcode__gt=province, adcode__lt=province + 10000)
    assert under.filter(level=RegionLevel.CITY).count() == cities
    assert under.filter(level=RegionLevel.COUNTY).count() == counties
    assert Region.objects.get(adcode=province).level == RegionLevel.PROVINCE


@pytest.mark.parametrize("province", sorted(PROVINCES))
def test_every_county_covers_its_representative_point(provinces, province):
    counties = Region.objects.counties().filter(adcode__gte=province, adcode__lt=province + 10000)
    assert [c.adcode for c in counties if not c.geom.covers(c.center)] == []


@pytest.mark.parametrize("province", sorted(PROVINCES))
def test_locate_puts_points_on_the_right_side_of_county_borders(client, provinces, province):
    pairs = neighbour_pairs(province, limit=8)
    assert len(pairs) == 8
    for a, b in pairs:
        inside_a, inside_b = across(a, b)
        assert (locate(client, inside_a), locate(client, inside_b)) == (a.adcode, b.adcode), (a.name, b.name)


def test_locate_on_both_sides_of_the_border_between_jiangsu_and_zhejiang(client, provinces):
    wujiang, xiuzhou = Region.objects.get(adcode=320509), Region.objects.get(adcode=330411)
    inside_a, inside_b = across(wujiang, xiuzhou)
    assert locate(client, inside_a) == 320509  # 苏州市吴江区
    assert locate(client, inside_b) == 330411  # 嘉兴市秀洲区


@pytest.mark.parametrize(
    "lng,lat,county,city",
    [
        (118.8484, 32.0610, 320102, 320100),  # 中山陵, 南京市玄武区
        (120.1497, 30.2584, 330106, 330100),  # 西湖断桥, 杭州市西湖区
        (112.9350, 34.5073, 410185, 410100),  # 少林寺, 郑州市登封市
    ],
)
def test_locate_at_landmarks(client, provinces, lng, lat, county, city):
    body = client.get("/api/regions/locate/", {"lng": lng, "lat": lat}).json()
    assert (body["county"]["adcode"], body["city"]["adcode"]) == (county, city)


def test_a_county_level_city_under_the_province_has_no_city(client, provinces):
    jiyuan = Region.objects.get(adcode=419001)
    assert jiyuan.level == RegionLevel.COUNTY and jiyuan.parent_id == 410000
    assert jiyuan.city is None
    body = client.get("/api/regions/locate/", {"lng": jiyuan.center.x, "lat": jiyuan.center.y}).json()
    assert body["county"]["adcode"] == 419001


def test_outside_the_deployments_province_the_message_names_it(client, provinces, settings):
    settings.PLATFORM_PROVINCE = 410000
    response = client.get("/api/regions/locate/", {"lng": 116.397, "lat": 39.909})  # Beijing
    assert response.status_code == 404
    assert response.json()["detail"] == "该位置不在河南省范围内。"


def test_a_deployment_without_a_region_file_refuses_to_start():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "DJANGO_SETTINGS_MODULE": "mapsite.settings",
            "DJANGO_SECRET_KEY": "test-only-key-so-that-the-province-check-is-reached",
            "PLATFORM_PROVINCE": "110000",
            "PATH": "/usr/bin",
        },
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "PLATFORM_PROVINCE=110000" in result.stderr
