"""The innovation map in a real browser: search, list and markers in step, sort by distance,
popup, booking — and names that look like scripts staying text. No request leaves the app.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from catalog.models import Booking, BookingStatus
from tests import factories

pytestmark = pytest.mark.browser

EVIL = "<script>alert(1)</script>"
ALL_WEEK = [1, 2, 3, 4, 5, 6, 7]


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def map_frame(page):
    """The map document's frame, once map.js has taken it over (status line shown)."""
    expect()(page.locator("#map-status")).to_be_visible()
    return page.locator("#map-frame").element_handle().content_frame()


def ids(locator) -> list[str]:
    return locator.evaluate_all("nodes => nodes.map(n => n.dataset.id)")


def the_popup(frame):
    """The open popup (a closed one fades out for 200 ms before Leaflet removes it)."""
    expect()(frame.locator(".leaflet-popup")).to_have_count(1)
    return frame.locator(".leaflet-popup .nx-popup")


def click_map_at(frame, lng: float, lat: float) -> None:
    """A plain click on the map (not on a marker) at a geographic point."""
    point = frame.evaluate("([lat, lng]) => NX_MAP.latLngToContainerPoint([lat, lng])", [lat, lng])
    frame.locator(".leaflet-container").click(position={"x": point["x"], "y": point["y"]})


@pytest.fixture
def labs(ningxia):
    """A scanning microscope in 银川, a transmission microscope in 固原, a chromatograph in
    石嘴山 — each over a degree apart, so each has its own marker at the province zoom."""
    yinchuan = factories.listed_institution(username="nxu", name="宁夏大学分析测试中心", lng=106.1325, lat=38.5004)
    guyuan = factories.listed_institution(username="gy", name="固原检验检测研究院", lng=106.2420, lat=36.0160)
    shizuishan = factories.listed_institution(username="szs", name="石嘴山市质量检验中心", lng=106.3840, lat=39.0150)
    sem = factories.approved_item(
        yinchuan,
        name="扫描电子显微镜",
        booking_mode="slot",
        open_weekdays=ALL_WEEK,
        instant_booking=True,
        price="300.00",
    )
    tem = factories.approved_item(
        guyuan, name="透射电子显微镜", booking_mode="slot", open_weekdays=ALL_WEEK, price="640.00"
    )
    factories.approved_item(shizuishan, name="气相色谱仪", category="分析仪器", price="120.00")
    return sem, tem


def test_an_enterprise_finds_a_microscope_sorts_by_distance_and_books_it(page, watch, screenshot, labs):
    sem, tem = labs
    alice = factories.applicant_user(username="alice", adcode=640104)
    rows = page.locator("#map-results .result")

    # Log in and land on the map.
    page.goto("/accounts/login/?next=/map/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/map/")
    frame = map_frame(page)
    pins = frame.locator(".nx-pin")
    expect()(pins).to_have_count(3)

    # Search 显微镜: two rows and the same two markers.
    page.fill("input[name=q]", "显微镜")
    page.locator("#map-search button[type=submit]").click()
    expect()(rows).to_have_count(2)
    expect()(pins).to_have_count(2)
    expect()(page.locator("#map-count")).to_contain_text("2")
    assert sorted(ids(rows)) == sorted(ids(pins)) == sorted([f"instrument:{sem.pk}", f"instrument:{tem.pk}"])
    assert "q=%E6%98%BE%E5%BE%AE%E9%95%9C" in page.url  # the search is in the address
    screenshot("search")

    # Cheapest first, then "search here" near 固原: nearest first, with distances.
    page.select_option("select[name=sort]", "price")
    expect()(rows.first).to_have_attribute("data-id", f"instrument:{sem.pk}")
    click_map_at(frame, 105.95, 36.30)
    expect()(page.locator("select[name=sort]")).to_have_value("distance")
    expect()(rows.first).to_have_attribute("data-id", f"instrument:{tem.pk}")
    expect()(rows.first.locator(".distance")).to_contain_text("公里")
    expect()(frame.locator(".nx-here")).to_have_count(1)
    assert "near=105.95" in page.url and "sort=distance" in page.url
    page.select_option("select[name=sort]", "-price")
    expect()(rows.first).to_have_attribute("data-id", f"instrument:{tem.pk}")
    page.select_option("select[name=sort]", "distance")
    expect()(rows.first).to_have_attribute("data-id", f"instrument:{tem.pk}")
    expect()(rows.nth(1)).to_have_attribute("data-id", f"instrument:{sem.pk}")

    # A marker's popup highlights its row; a row opens its marker's popup.
    frame.locator(f'.nx-pin[data-id="instrument:{tem.pk}"]').click()
    expect()(the_popup(frame)).to_contain_text("透射电子显微镜")
    expect()(rows.first).to_have_class(re.compile(r"\bselected\b"))
    rows.nth(1).locator(".result-meta").click()
    expect()(frame.locator(".leaflet-popup", has_text="透射电子显微镜")).to_have_count(0)
    popup = the_popup(frame)
    expect()(popup).to_contain_text("扫描电子显微镜")
    expect()(rows.nth(1)).to_have_class(re.compile(r"\bselected\b"))
    expect()(rows.first).not_to_have_class(re.compile(r"\bselected\b"))
    for text in ("宁夏大学分析测试中心", "暂无评价", "300 元/小时", "公里", "预约", "对接"):
        expect()(popup).to_contain_text(text)
    expect()(frame.locator(f'.nx-pin.nx-selected[data-id="instrument:{sem.pk}"]')).to_have_count(1)
    screenshot("popup")

    # 预约 in the popup opens the booking page in the whole window.
    popup.get_by_role("link", name="预约").click()
    page.wait_for_url(f"**/catalog/instruments/{sem.pk}/book/")
    day = timezone.localdate() + dt.timedelta(days=2)
    page.fill("input[name=starts_at]", f"{day:%Y-%m-%d}T09:00")
    page.fill("input[name=ends_at]", f"{day:%Y-%m-%d}T11:00")
    page.fill("textarea[name=note]", "观察催化剂颗粒的表面形貌")
    page.get_by_role("button", name="提交预约").click()
    page.wait_for_url(re.compile(r"/catalog/bookings/\d+/$"))
    expect()(page.locator("body")).to_contain_text(re.compile(r"YY\d{8}"))
    screenshot("booked")

    booking = Booking.objects.get(requested_by=alice)
    assert booking.instrument_id == sem.pk
    assert booking.status == BookingStatus.ACCEPTED  # instant booking of a free slot
    assert booking.number in page.content()
    watch.assert_clean()


def test_an_institution_named_like_a_script_stays_text_in_list_tooltip_and_popup(page, watch, screenshot, ningxia):
    owner = factories.listed_institution(username="evil", name=EVIL, lng=106.2, lat=38.45)
    item = factories.approved_item(owner, name="扫描电子显微镜")
    item_id = f"instrument:{item.pk}"

    page.goto("/map/?q=显微镜")
    frame = map_frame(page)
    row = page.locator(f'#map-results .result[data-id="{item_id}"]')
    pin = frame.locator(f'.nx-pin[data-id="{item_id}"]')

    expect()(row.locator(".result-inst")).to_have_text(EVIL)
    pin.hover()
    expect()(frame.locator(".leaflet-tooltip")).to_contain_text(EVIL)
    pin.click()
    expect()(the_popup(frame).locator(".nx-popup-inst")).to_have_text(EVIL)

    page.goto("/map/?module=institution")
    frame = map_frame(page)
    expect()(page.locator("#map-results .result-name")).to_have_text([EVIL])
    frame.locator(".nx-pin-institution").click()
    expect()(the_popup(frame).locator(".nx-popup-name")).to_have_text(EVIL)
    screenshot("escaped")

    assert page.evaluate("() => document.querySelectorAll('#map-results script').length") == 0
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-pane script').length") == 0
    watch.assert_clean()  # includes: no alert() dialog opened


def test_near_me_uses_the_browsers_location(page, watch, labs):
    sem, tem = labs
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"longitude": 106.26, "latitude": 36.05})  # 固原
    rows = page.locator("#map-results .result")

    page.goto("/map/?q=显微镜")
    frame = map_frame(page)
    page.get_by_role("button", name="我的位置").click()

    expect()(page.locator("select[name=sort]")).to_have_value("distance")
    expect()(rows.first).to_have_attribute("data-id", f"instrument:{tem.pk}")
    expect()(page.locator("#map-point")).to_contain_text("北纬 36.05")
    frame.wait_for_function("() => NX_MAP.getZoom() >= 12")  # flew to the point
    page.get_by_role("button", name="清除搜索点").click()
    expect()(page.locator("select[name=sort]")).to_have_value("popularity")
    expect()(frame.locator(".nx-here")).to_have_count(0)
    watch.assert_clean()


def test_a_region_in_the_address_frames_it_and_filters_the_list(page, watch, labs):
    sem, tem = labs

    page.goto("/map/?region=640400&module=instrument")  # 固原市
    frame = map_frame(page)

    expect()(page.locator("#map-results .result")).to_have_count(1)
    expect()(page.locator("#map-results .result")).to_have_attribute("data-id", f"instrument:{tem.pk}")
    frame.wait_for_function("() => NX_MAP.getZoom() >= 8.5")
    assert frame.evaluate("() => NX_MAP.getBounds().contains([36.016, 106.242])")
    # 22 counties and 5 cities drawn from the embedded GeoJSON, with no tile layer.
    assert frame.locator("path.leaflet-interactive").count() == 22
    assert frame.locator(".leaflet-tile").count() == 0
    page.select_option("select[name=region]", "")
    frame.wait_for_function("() => NX_MAP.getBounds().contains([39.0, 106.38])")  # all Ningxia
    expect()(page.locator("#map-results .result")).to_have_count(3)
    watch.assert_clean()
