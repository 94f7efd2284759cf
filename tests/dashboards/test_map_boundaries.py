"""The map documents draw boundaries serialised once per region-set version
(``dashboards.maps.boundaries``, ``geodata.selectors.region_set_version``): whatever changes
the regions — a save, a bare ``UPDATE``, a rename — shows in the very next document, and a
rolled-back change leaves nothing behind. Region names in the tooltips stay escaped."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import transaction

from geodata.mapdoc import escape_popup
from geodata.models import Region
from geodata.selectors import region_set_version

pytestmark = pytest.mark.django_db

DOCUMENTS = ("/dashboard/heatmap/frame/", "/dashboard/choropleth/frame/")


def document(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def collections(html: str) -> list[dict]:
    """The GeoJSON feature collections the document adds to the map (folium's ``…_add({…})``)."""
    decoder = json.JSONDecoder()
    return [decoder.raw_decode(html, m.end())[0] for m in re.finditer(r"_add\(", html)]


def feature_of(html: str, adcode: int) -> dict:
    for collection in collections(html):
        for feature in collection["features"]:
            if feature["properties"].get("adcode") == adcode:
                return feature
    raise AssertionError(f"no feature {adcode}")


def square(west: float, south: float) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((west, south, west + 0.2, south + 0.2)), srid=4326)


def ring_of(west: float, south: float) -> list:
    east, north = round(west + 0.2, 4), round(south + 0.2, 4)
    return [[west, south], [west, north], [east, north], [east, south], [west, south]]


def test_a_bare_update_of_a_boundary_shows_in_the_next_documents(client, ningxia, cecilia):
    for url in DOCUMENTS:
        document(client, cecilia, url)  # both cached at the current version
    Region.objects.filter(adcode=640104).update(geom_display=square(106.1111, 38.2222))  # no signals
    choropleth = document(client, cecilia, "/dashboard/choropleth/frame/")
    assert feature_of(choropleth, 640104)["geometry"] == {
        "type": "MultiPolygon",
        "coordinates": [[ring_of(106.1111, 38.2222)]],
    }
    heatmap = document(client, cecilia, "/dashboard/heatmap/frame/")
    assert "[106.1111,38.2222]" in heatmap


def test_a_county_document_fits_the_county_as_the_database_measures_it(client, ningxia, bob):
    Region.objects.filter(adcode=640104).update(geom_display=square(106.3, 38.4))
    html = document(client, bob, "/dashboard/heatmap/frame/")
    w, s, e, n = Region.objects.filter(adcode=640104).aggregate(e=Extent("geom_display"))["e"]
    assert json.dumps([[s, w], [n, e]]) in html


def test_a_renamed_region_shows_escaped_in_the_choropleth(client, ningxia, cecilia):
    document(client, cecilia, "/dashboard/choropleth/frame/")
    Region.objects.filter(adcode=640104).update(name="兴庆<b>区</b>${alert(1)}`")
    html = document(client, cecilia, "/dashboard/choropleth/frame/")
    label = feature_of(html, 640104)["properties"]["label"]
    assert label.startswith(escape_popup("兴庆<b>区</b>${alert(1)}`") + "：")
    assert "<b>" not in label and "${" not in label and "`" not in label
    assert "<b>" not in html


def test_a_rolled_back_change_leaves_no_version_or_boundary_behind(client, ningxia, cecilia):
    before = region_set_version()
    with transaction.atomic():
        Region.objects.filter(adcode=640104).update(geom_display=square(106.1, 38.1))
        inside = region_set_version()
        assert inside != before
        assert feature_of(document(client, cecilia, "/dashboard/choropleth/frame/"), 640104)["geometry"][
            "coordinates"
        ] == [[ring_of(106.1, 38.1)]]
        transaction.set_rollback(True)
    assert region_set_version() == before
    # The next change draws a new number, so the boundaries cached inside the rolled-back
    # transaction cannot pass for it.
    Region.objects.filter(adcode=640104).update(geom_display=square(106.2, 38.2))
    assert region_set_version() not in (before, inside)
    geometry = feature_of(document(client, cecilia, "/dashboard/choropleth/frame/"), 640104)["geometry"]
    assert geometry["coordinates"] == [[ring_of(106.2, 38.2)]]


def test_every_kind_of_write_changes_the_version(ningxia):
    region = Region.objects.get(adcode=640104)
    seen = {region_set_version()}
    region.name = "兴庆区（改）"
    region.save()
    seen.add(region_set_version())
    Region.objects.filter(adcode=640104).update(name="兴庆区")
    seen.add(region_set_version())
    county = Region.objects.create(
        adcode=640199,
        name="测试区",
        level="county",
        parent_id=640100,
        geom=region.geom,
        geom_display=region.geom_display,
        center=region.center,
    )
    seen.add(region_set_version())
    county.delete()
    seen.add(region_set_version())
    assert len(seen) == 5
