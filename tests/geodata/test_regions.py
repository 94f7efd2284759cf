"""Regions: import, GeoJSON listing and point location on both sides of real borders."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from geodata.models import Region, RegionLevel

pytestmark = pytest.mark.django_db


def test_ningxia_has_one_province_five_cities_and_twenty_two_counties():
    assert Region.objects.filter(level=RegionLevel.PROVINCE).count() == 1
    assert Region.objects.filter(level=RegionLevel.CITY).count() == 5
    assert Region.objects.filter(level=RegionLevel.COUNTY).count() == 22
    assert Region.objects.get(adcode=640104).parent_id == 640100
    assert Region.objects.get(adcode=640522).parent.name == "中卫市"


def test_every_county_covers_its_representative_point():
    for county in Region.objects.counties():
        assert county.geom.covers(county.center), county.name


def test_import_is_a_dry_run_unless_committed(capsys):
    Region.objects.filter(adcode=640522).update(name="旧名")
    call_command("geodata_import_regions")
    assert Region.objects.get(adcode=640522).name == "旧名"
    assert "1 to update" in capsys.readouterr().out
    call_command("geodata_import_regions", "--commit")
    assert Region.objects.get(adcode=640522).name == "海原县"


def test_import_converts_gcj02_to_wgs84():
    """AMap's GCJ-02 coordinates are shifted from WGS-84 by a few hundred metres in Ningxia;
    every stored vertex must be the converted one."""
    from geodata.coords import gcj02_to_wgs84
    from geodata.importer import read_features

    raw = next(f for f in read_features() if f["properties"]["adcode"] == 640104)
    gcj_first = raw["geometry"]["coordinates"][0][0][0]
    stored_first = Region.objects.get(adcode=640104).geom[0][0][0]
    expected = gcj02_to_wgs84(*gcj_first)
    assert abs(stored_first[0] - expected[0]) < 1e-9 and abs(stored_first[1] - expected[1]) < 1e-9
    assert abs(stored_first[0] - gcj_first[0]) > 0.002  # the GCJ shift really was removed


def test_representative_points_are_seats_of_government():
    xingqing = Region.objects.get(adcode=640104).center
    assert abs(xingqing.x - 106.288) < 0.01 and abs(xingqing.y - 38.473) < 0.01


def test_regions_api_lists_counties_as_geojson(client):
    response = client.get("/api/regions/", {"level": "county"})
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 22
    feature = next(f for f in body["features"] if f["id"] == 640104)
    assert feature["properties"]["name"] == "兴庆区"
    assert feature["properties"]["parent"] == 640100
    assert feature["geometry"]["type"] == "MultiPolygon"


def test_regions_api_refuses_an_unknown_level(client):
    response = client.get("/api/regions/", {"level": "village"})
    assert response.status_code == 400
    assert "level" in response.json()


def _points_across_border(a: int, b: int):
    """Two points a short step either side of where the shared border of a and b crosses the
    line between their representative points."""
    from django.contrib.gis.geos import LineString

    ra, rb = Region.objects.get(adcode=a), Region.objects.get(adcode=b)
    line = LineString(ra.center, rb.center, srid=4326)
    border = ra.geom.boundary.intersection(rb.geom.boundary)
    crossing = line.intersection(border) if not border.empty else line.intersection(ra.geom.boundary)
    cross = crossing if crossing.geom_type == "Point" else crossing[0]
    dx, dy = rb.center.x - ra.center.x, rb.center.y - ra.center.y
    norm = (dx * dx + dy * dy) ** 0.5
    step = 0.003  # about 300 m
    inside_a = (cross.x - dx / norm * step, cross.y - dy / norm * step)
    inside_b = (cross.x + dx / norm * step, cross.y + dy / norm * step)
    return inside_a, inside_b


@pytest.mark.parametrize(
    "a,b",
    [(640104, 640106), (640105, 640106), (640302, 640381), (640502, 640521), (640402, 640425)],
)
def test_locate_puts_points_on_the_right_side_of_a_county_border(client, a, b):
    inside_a, inside_b = _points_across_border(a, b)
    got_a = client.get("/api/regions/locate/", {"lng": inside_a[0], "lat": inside_a[1]}).json()
    got_b = client.get("/api/regions/locate/", {"lng": inside_b[0], "lat": inside_b[1]}).json()
    assert got_a["county"]["adcode"] == a
    assert got_b["county"]["adcode"] == b


def test_locate_at_hand_picked_landmarks(client):
    # 鼓楼 (Bell Tower) of old Yinchuan, 兴庆区; 宁夏大学 贺兰山校区 in 西夏区; 固原 old town.
    for lng, lat, adcode, city in [
        (106.2857, 38.4700, 640104, 640100),
        (106.1340, 38.4980, 640105, 640100),
        (106.2420, 36.0110, 640402, 640400),
        (105.1890, 37.5140, 640502, 640500),
    ]:
        body = client.get("/api/regions/locate/", {"lng": lng, "lat": lat}).json()
        assert body["county"]["adcode"] == adcode
        assert body["city"]["adcode"] == city


def test_locate_outside_ningxia_is_a_404_with_a_reason(client):
    response = client.get("/api/regions/locate/", {"lng": 116.397, "lat": 39.909})  # Beijing
    assert response.status_code == 404
    assert "宁夏" in response.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {"lng": "abc", "lat": "38"},
        {"lng": "106", "lat": "NaN"},
        {"lng": "200", "lat": "38"},
        {"lng": "106", "lat": "-91"},
        {"lng": "106"},
        {},
    ],
)
def test_locate_refuses_bad_numbers_with_400(client, params):
    response = client.get("/api/regions/locate/", params)
    assert response.status_code == 400
    assert "detail" in response.json()
