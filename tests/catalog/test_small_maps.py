"""The small location maps of detail pages draw the boundaries around the point, so with no
tiles (switched off or unreachable) they still say where the place is."""

from __future__ import annotations

import html as html_lib
import json

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def named(name: str) -> str:
    """How folium embeds a feature's name (JSON with ASCII escapes)."""
    return '"name": ' + json.dumps(name)


def srcdoc(page: str) -> str:
    start = page.index('srcdoc="') + len('srcdoc="')
    return html_lib.unescape(page[start : page.index('"', start)])


def test_without_tiles_an_instrument_map_draws_its_county_and_city_filled(client, settings, ivan_lab, olivia):
    settings.MAP_TILES_URL = ""
    item = factories.approved_item(ivan_lab, operator=olivia)  # the lab is in 西夏区, 银川市

    document = srcdoc(client.get(f"/catalog/instruments/{item.pk}/").content.decode())

    assert named("西夏区") in document and named("银川市") in document
    assert '"fillOpacity": 0.5' in document
    assert "L.tileLayer" not in document
    assert named("原州区") not in document  # 固原, 250 km away: not embedded


def test_with_tiles_the_boundaries_are_lines_over_them(client, settings, ivan_lab, olivia):
    settings.MAP_TILES_URL = "http://tiles.example/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "测试瓦片"
    inst = ivan_lab.organisation.institution

    document = srcdoc(client.get(f"/catalog/institutions/{inst.pk}/").content.decode())

    assert named("西夏区") in document
    assert '"fillOpacity": 0' in document and '"fillOpacity": 0.5' not in document
    assert "L.tileLayer" in document
