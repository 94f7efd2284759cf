"""The innovation map page (/map/) and its map document (/map/frame/), without a browser.

The page renders the search panel and the first page of results; the frame is a folium
document with Ningxia's boundaries. Both load only what this application serves.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from geodata.models import Region
from tests import factories

pytestmark = pytest.mark.django_db

EVIL = "<script>alert(1)</script>"


class Assets(HTMLParser):
    """<script src>, <link href> and <iframe src> of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.frames: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])
        elif tag == "iframe":
            self.frames.append(attrs.get("src", ""))


def in_script(text: str) -> str:
    """``text`` as folium writes it into the document's script (JSON, with &, < and > as
    unicode escapes)."""
    return json.dumps(text).replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def assets(html: str) -> Assets:
    parser = Assets()
    parser.feed(html)
    return parser


@pytest.fixture
def microscopes(db):
    """Two labs: a microscope in 西夏区 (银川) and a gas chromatograph in 原州区 (固原)."""
    yinchuan = factories.listed_institution(username="nxu", name="宁夏大学分析测试中心", lng=106.1325, lat=38.5004)
    guyuan = factories.listed_institution(username="gy", name="固原检验检测研究院", lng=106.2420, lat=36.0160)
    sem = factories.approved_item(yinchuan, name="扫描电子显微镜")
    gc = factories.approved_item(guyuan, name="气相色谱仪", category="分析仪器", price="120.50")
    return sem, gc


def page(client, query: str = "") -> str:
    response = client.get(f"/map/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_map_page_has_the_search_panel_the_result_list_and_the_map_frame(client, microscopes):
    html = page(client)

    assert 'id="map-search"' in html and 'role="search"' in html
    for label in ("常用", "机构", "服务", "设备"):
        assert f"<span>{label}</span>" in html
    for name in (
        'name="q"',
        'name="region"',
        'name="category"',
        'name="min_price"',
        'name="max_price"',
        'name="min_rating"',
        'name="voucher"',
        'name="sort"',
        'name="near"',
        'name="radius_km"',
    ):
        assert name in html
    assert 'value="distance"' in html and "距离最近" in html
    assert 'id="map-results"' in html and "扫描电子显微镜" in html
    assert assets(html).frames == ["/map/frame/"]


def test_the_page_and_the_map_document_load_only_files_this_application_serves(client):
    for url in ("/map/", "/map/frame/"):
        found = assets(client.get(url).content.decode())
        urls = found.scripts + found.styles

        assert urls, url
        assert all(u.startswith(settings.STATIC_URL) for u in urls), urls
        missing = [u for u in urls if finders.find(u.removeprefix(settings.STATIC_URL)) is None]
        assert missing == [], f"{url}: not found (has `npm ci` run?): {missing}"
    page_assets = assets(client.get("/map/").content.decode())
    assert f"{settings.STATIC_URL}js/map.js" in page_assets.scripts
    assert f"{settings.STATIC_URL}css/map.css" in page_assets.styles


def test_the_map_document_may_be_framed_by_our_own_pages_only(client):
    response = client.get("/map/frame/")

    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Type"].startswith("text/html")


def test_the_default_tiles_are_openstreetmap_with_its_attribution(client):
    html = client.get("/map/frame/").content.decode()

    assert "L.tileLayer(" in html
    assert json.dumps(settings.MAP_TILES_URL) in html
    assert "OpenStreetMap" in html


def test_another_tiles_url_from_the_settings_is_used(client, settings):
    settings.MAP_TILES_URL = "https://tiles.example.cn/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "&copy; 示例图源"

    html = client.get("/map/frame/").content.decode()

    assert '"https://tiles.example.cn/{z}/{x}/{y}.png"' in html
    assert "tile.openstreetmap.org" not in html


def test_with_no_tiles_the_city_and_county_boundaries_still_draw(client, settings):
    settings.MAP_TILES_URL = ""

    html = client.get("/map/frame/").content.decode()

    assert "L.tileLayer" not in html
    assert html.count("L.geoJson(") == 2  # counties (with hover labels) and cities
    assert json.dumps("兴庆区 · 银川市") in html  # a county's hover label names its city
    assert in_script("<span>固原市</span>") in html  # city names stay on screen
    assert "L.markerClusterGroup(" in html


def test_region_names_are_escaped_in_the_hover_and_city_labels(client):
    Region.objects.filter(adcode=640104).update(name="<b>兴庆</b>${alert(1)}")
    Region.objects.filter(adcode=640400).update(name="<i>固原</i>")

    html = client.get("/map/frame/").content.decode()

    assert "<b>兴庆</b>" not in html and "${alert" not in html
    assert "<i>固原</i>" not in html
    assert in_script("<span>&lt;i&gt;固原&lt;/i&gt;</span>") in html
    assert in_script("&lt;b&gt;兴庆&lt;/b&gt;&#36;{alert(1)} · 银川市") in html


def test_a_shared_url_renders_that_search_with_the_form_filled_in(client, microscopes):
    html = page(client, "?module=instrument&q=显微镜&sort=-rating")

    assert "扫描电子显微镜" in html and "宁夏大学分析测试中心" in html
    assert "气相色谱仪" not in html
    assert 'value="显微镜"' in html
    assert '<option value="-rating" selected>' in html
    assert 'type="radio" name="module" value="instrument" checked' in html


def test_each_row_shows_rating_price_and_the_book_and_contact_links(client, microscopes, alice):
    sem, gc = microscopes
    client.force_login(alice)  # an applicant: the one role offered 预约 / 对接

    html = page(client, "?module=instrument&near=106.2,38.4")

    assert "300 元/小时" in html and "120.50 元/小时" in html
    assert "暂无评价" in html
    assert "公里" in html  # distance from the point
    assert f'href="/catalog/instruments/{sem.pk}/book/"' in html
    assert f'href="/catalog/contact/?kind=instrument&amp;id={sem.pk}"' in html
    assert '<option value="distance" selected>' in html  # a point means nearest first
    assert html.index("扫描电子显微镜") < html.index("气相色谱仪")


def test_bad_parameters_are_shown_in_the_panel_instead_of_failing(client, microscopes):
    fields = page(client, "?min_rating=9&max_price=x")
    rule = page(client, "?sort=distance")

    assert "最低评分：" in fields and "最高价格：" in fields
    assert "排序：按距离排序前，请先在地图上设定搜索点" in rule
    for html in (fields, rule):
        assert '<ul class="map-errors errorlist" id="map-errors" role="alert">' in html
        assert "扫描电子显微镜" not in html


def test_the_region_select_lists_cities_with_their_counties(client):
    html = page(client)

    assert '<optgroup label="银川市">' in html
    assert '<option value="640104">兴庆区</option>' in html
    assert '<option value="640400">固原市（全市）</option>' in html


def test_category_options_follow_the_module(client, microscopes):
    instruments = page(client, "?module=instrument")
    services = page(client, "?module=service")

    assert '<option value="分析仪器">' in instruments and '<option value="检验检测">' not in instruments
    assert '<option value="检验检测">' in services and '<option value="分析仪器">' not in services
    config = json.loads(instruments.split('id="map-config" type="application/json">')[1].split("</script>")[0])
    assert ["电子光学仪器", "电子光学仪器"] in config["categories"]["instrument"][0]["options"]


def test_an_institution_named_like_a_script_is_inert_in_the_server_rendered_list(client):
    owner = factories.listed_institution(username="evil", name=EVIL, lng=106.2, lat=38.45)
    factories.approved_item(owner, name="扫描电子显微镜")

    for query in ("?q=显微镜", "?module=institution"):
        html = page(client, query)

        assert EVIL not in html, query
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, query
