"""The dashboards in a real browser (Debian's chromium, no internet): the heatmap by enterprise
and institution location, its fine grid when zoomed in, the choropleth with its table, and a
click on a county that opens the county's page. Screenshots go to
artifacts/screenshots/dashboard-*.png. No request may leave the application."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from dashboards.synthetic import generate_usage
from geodata.county_facts import COUNTY_FACTS
from tests import factories

pytestmark = pytest.mark.browser
SHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(500)  # Leaflet's fades and the heat layer's redraw
    path = SHOTS / f"dashboard-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page, username: str, next_url: str) -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def frame_of(page, selector: str):
    handle = page.locator(selector).element_handle()
    frame = handle.content_frame()
    frame.wait_for_function("() => window.NX_MAP !== undefined")
    return frame


def heat_size(frame, level: str = "0") -> int:
    """Cells drawn once the heat layer has loaded the grid of ``level``."""
    frame.wait_for_function(f"() => document.documentElement.dataset.heatLevel === '{level}'")
    return int(frame.evaluate("() => document.documentElement.dataset.heatPoints"))


def test_the_centre_reads_the_heatmap_and_the_choropleth_and_opens_a_county(page, watch, world):
    generate_usage(count=3000, enterprises=300, institutions=25, seed=0.11)
    log_in(page, "cecilia", "/dashboard/heatmap/")

    frame = frame_of(page, "#dash-heat-frame")
    expect()(frame.locator("canvas.leaflet-heatmap-layer")).to_have_count(1)
    assert heat_size(frame) > 50
    expect()(page.locator(".dash-figure")).to_contain_text("笔使用")
    shot(page, "heatmap")

    # Switch to institution locations: far fewer, more concentrated points.
    by_enterprise = heat_size(frame)
    page.check("input[name=basis][value=institution]")
    page.click(".dash-filters button[type=submit]")
    page.wait_for_url("**basis=institution**")
    frame = frame_of(page, "#dash-heat-frame")
    assert 0 < heat_size(frame) < by_enterprise
    expect()(page.locator(".dash-side h2")).to_have_text("按服务机构位置")
    shot(page, "heatmap-institutions")

    # Zoomed in on Yinchuan the map swaps to the 1 km grid from the API.
    frame.evaluate("() => window.NX_MAP.setView([38.48, 106.23], 10, {animate: false})")
    assert heat_size(frame, "1") > 0
    shot(page, "heatmap-zoomed")

    page.goto("/dashboard/choropleth/?stage=used&measure=amount")
    frame = frame_of(page, "#dash-choropleth-frame")
    expect()(frame.locator("path.leaflet-interactive")).to_have_count(22)
    rows = page.locator("table[data-table=choropleth] tbody tr")
    expect()(rows).to_have_count(22)
    expect()(page.locator(".dash-legend li")).not_to_have_count(0)
    shot(page, "choropleth")

    # A click on 兴庆区 (at its seat) opens the county's page in the dashboard window.
    _, lng, lat, _ = COUNTY_FACTS[640104]
    point = frame.evaluate("([lat, lng]) => window.NX_MAP.latLngToContainerPoint([lat, lng])", [lat, lng])
    frame.locator(".leaflet-container").click(position={"x": point["x"], "y": point["y"]})
    page.wait_for_url("**/dashboard/region/640104/**")
    expect()(page.locator("h1")).to_contain_text("兴庆区")
    expect()(page.locator("table[data-table=by_region] tbody tr")).to_have_count(1)
    shot(page, "region")
    watch.assert_clean()


def test_a_county_bureau_sees_only_its_county_coloured(page, watch, world):
    generate_usage(count=1500, enterprises=200, institutions=20, seed=0.12)
    log_in(page, "bob", "/dashboard/choropleth/")
    frame = frame_of(page, "#dash-choropleth-frame")
    expect()(frame.locator("path.leaflet-interactive")).to_have_count(22)
    mine = frame.evaluate(
        """() => { let n = 0; window.NX_MAP.eachLayer(l => { if (l.feature && l.feature.properties.mine) n++; }); return n; }"""
    )
    assert mine == 1
    expect()(page.locator("table[data-table=choropleth] tbody tr")).to_have_count(1)
    expect()(page.locator(".dash-scope")).to_contain_text("兴庆区")
    shot(page, "choropleth-county-bureau")
    watch.assert_clean()
