"""Map documents load every script and style sheet from this application (geodata.mapdoc).

No database is used. The vendor files come from node_modules, so `npm ci` must have run
(`make test` does it through `make setup`).
"""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import branca.element
import folium
import jinja2
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from folium import plugins

from geodata import mapdoc

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors"
NINGXIA = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "银川市"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[105.8, 38.0], [106.9, 38.0], [106.9, 38.9], [105.8, 38.9], [105.8, 38.0]]],
            },
        }
    ],
}


class AssetRefs(HTMLParser):
    """Collects <script src> and <link href> of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.urls.append(value)


def asset_urls(html: str) -> list[str]:
    parser = AssetRefs()
    parser.feed(html)
    return parser.urls


def full_map(tiles_url: str = "") -> folium.Map:
    """A map with every kind of layer our pages use, all added after base_map() returned."""
    m = mapdoc.base_map(tiles_url=tiles_url, attribution=OSM_ATTRIBUTION if tiles_url else "")
    folium.GeoJson(
        NINGXIA,
        name="regions",
        tooltip=folium.GeoJsonTooltip(fields=["name"]),
        popup=folium.GeoJsonPopup(fields=["name"]),
    ).add_to(m)
    cluster = plugins.MarkerCluster().add_to(m)
    folium.Marker((38.47, 106.27), popup=folium.Popup("宁夏大学")).add_to(cluster)
    plugins.HeatMap([[38.47, 106.27, 2.0], [37.5, 105.2, 1.0]]).add_to(m)
    return m


def test_a_full_map_document_loads_no_script_or_style_sheet_from_the_internet():
    html = mapdoc.map_html(full_map(tiles_url=OSM))

    urls = asset_urls(html)
    assert urls
    assert [u for u in urls if u.startswith(("http://", "https://", "//"))] == []
    assert all(u.startswith(settings.STATIC_URL + "vendor/") for u in urls), urls


def test_every_static_file_the_document_references_is_found_by_the_staticfiles_finders():
    urls = asset_urls(mapdoc.map_html(full_map()))
    paths = [u.removeprefix(settings.STATIC_URL) for u in urls]

    missing = [p for p in paths if finders.find(p) is None]
    assert missing == [], f"not found (has `npm ci` run?): {missing}"
    assert {
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/jquery/jquery.min.js",
        "vendor/leaflet.markercluster/leaflet.markercluster.js",
        "vendor/leaflet.markercluster/MarkerCluster.css",
        "vendor/leaflet.markercluster/MarkerCluster.Default.css",
        "vendor/folium/leaflet_heat.min.js",
    } <= set(paths)


def test_bootstrap_font_awesome_and_awesome_markers_are_not_loaded_at_all():
    html = mapdoc.map_html(full_map()).lower()

    for name in ("bootstrap", "glyphicons", "fontawesome", "awesome-markers"):
        assert name not in html


def test_without_a_tiles_url_there_is_no_tile_layer_and_no_attribution_but_geojson_draws():
    html = mapdoc.map_html(full_map(tiles_url=""))

    assert "L.tileLayer" not in html
    assert '"attributionControl": false' in html
    assert "L.geoJson(" in html and json.dumps("银川市") in html
    assert '"maxZoom": 18' in html  # Leaflet.markercluster needs it when no tile layer sets one


def test_with_an_osm_tiles_url_the_tile_layer_and_its_attribution_are_emitted():
    html = mapdoc.map_html(full_map(tiles_url=OSM))

    assert "L.tileLayer(" in html
    assert f'"{OSM}"' in html
    assert "OpenStreetMap contributors" in html
    assert "attributionControl" not in html


def test_a_tiles_url_without_attribution_is_refused():
    with pytest.raises(ValueError, match="attribution"):
        mapdoc.base_map(tiles_url=OSM, attribution="")


def test_a_layer_added_after_a_first_render_is_localised_as_well():
    m = mapdoc.base_map(tiles_url="", attribution="")
    mapdoc.map_html(m)
    plugins.HeatMap([[38.47, 106.27]]).add_to(m)

    html = mapdoc.map_html(m)

    assert f'src="{settings.STATIC_URL}vendor/folium/leaflet_heat.min.js"' in html
    assert mapdoc.external_asset_urls(html) == []


def test_rendering_through_folium_directly_is_localised_too():
    html = full_map().get_root().render()

    assert asset_urls(html)
    assert mapdoc.external_asset_urls(html) == []


def test_folium_class_defaults_are_left_untouched_for_other_users_of_folium():
    before = (list(folium.Map.default_js), list(plugins.MarkerCluster.default_css))

    mapdoc.map_html(full_map())

    assert (folium.Map.default_js, plugins.MarkerCluster.default_css) == before
    assert plugins.HeatMap.default_js[0][1].startswith("https://")


def test_a_plugin_whose_assets_we_do_not_serve_is_refused_instead_of_loading_a_cdn():
    m = mapdoc.base_map(tiles_url="", attribution="")
    plugins.Fullscreen().add_to(m)

    with pytest.raises(mapdoc.OfflineAssetError, match="package.json"):
        mapdoc.map_html(m)


def test_folium_icon_is_refused_because_awesome_markers_are_not_shipped():
    m = mapdoc.base_map(tiles_url="", attribution="")
    folium.Marker((38.47, 106.27), icon=folium.Icon(color="red")).add_to(m)

    with pytest.raises(mapdoc.OfflineAssetError, match="folium.Icon"):
        mapdoc.map_html(m)


def test_map_html_refuses_a_map_not_built_by_base_map():
    with pytest.raises(TypeError, match="base_map"):
        mapdoc.map_html(folium.Map())


def test_the_document_exposes_the_leaflet_map_as_window_nx_map_after_every_layer():
    m = full_map()
    html = mapdoc.map_html(m)

    exposed = f"window.NX_MAP = {m.get_name()};"
    assert exposed in html
    assert html.index(exposed) > html.index("L.heatLayer(")
    assert m.get_name().startswith("map_")


def test_our_own_scripts_and_styles_are_loaded_from_static_with_scripts_deferred():
    html = mapdoc.map_html(full_map(), scripts=["js/map.js"], styles=["css/map.css"])

    assert f'<script defer src="{settings.STATIC_URL}js/map.js"></script>' in html
    assert f'<link rel="stylesheet" href="{settings.STATIC_URL}css/map.css"/>' in html


def test_leaflets_default_marker_images_point_at_files_we_serve():
    html = mapdoc.map_html(full_map())

    assert 'L.Icon.Default.imagePath = ""' in html
    for path in mapdoc.DEFAULT_ICON_IMAGES.values():
        assert f'"{settings.STATIC_URL}{path}"' in html
        assert finders.find(path) is not None


def test_vendor_static_dirs_map_static_prefixes_to_installed_package_folders():
    dirs = dict(mapdoc.vendor_static_dirs(Path(settings.BASE_DIR)))

    assert dirs["vendor/leaflet"] == Path(settings.BASE_DIR) / "node_modules/leaflet/dist"
    assert all(path.is_dir() for path in dirs.values()), dirs
    assert set(mapdoc.STATIC_VENDOR_DIRS) <= set(settings.STATICFILES_DIRS)


def test_escape_popup_keeps_user_text_from_becoming_html_or_javascript():
    evil = "${alert(1)}`);alert(2);//\\</script><img src=x onerror=alert(3)>"
    m = mapdoc.base_map(tiles_url="", attribution="")
    safe = mapdoc.escape_popup(evil)
    folium.Marker((38.47, 106.27), popup=folium.Popup(safe), tooltip=safe).add_to(m)

    html = mapdoc.map_html(m)

    for dangerous in ("${alert", "`);alert", "</script><img", "<img src=x", "\\<"):
        assert dangerous not in html
    assert "&#36;{alert(1)}&#96;);alert(2);//&#92;&lt;/script&gt;&lt;img" in html


@pytest.mark.browser
def test_the_map_document_works_in_chromium_with_no_request_leaving_the_application():
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (make setup installs it)")
    m = full_map()
    document = mapdoc.map_html(m).encode()
    origin = "http://map.test"
    outside: list[str] = []

    def serve(route):
        url = route.request.url
        if url == f"{origin}/map":
            return route.fulfill(body=document, content_type="text/html; charset=utf-8")
        if url.startswith(f"{origin}{settings.STATIC_URL}"):
            found = finders.find(url.removeprefix(f"{origin}{settings.STATIC_URL}"))
            if found:
                return route.fulfill(path=found)
            return route.fulfill(status=404)
        outside.append(url)
        return route.abort()

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.route("**/*", serve)
            page.goto(f"{origin}/map")
            state = page.evaluate(
                """() => {
                    const layers = [];
                    NX_MAP.eachLayer(l => layers.push(l));
                    return {
                        isMap: NX_MAP instanceof L.Map,
                        geojson: layers.some(l => l instanceof L.GeoJSON),
                        cluster: layers.some(l => l instanceof L.MarkerClusterGroup),
                        heat: layers.some(l => l instanceof L.HeatLayer),
                        tiles: layers.some(l => l instanceof L.TileLayer),
                        jquery: typeof jQuery === "function",
                        icon: new L.Icon.Default()._getIconUrl("icon"),
                    };
                }"""
            )
        finally:
            browser.close()

    assert errors == []
    assert outside == []
    assert state == {
        "isMap": True,
        "geojson": True,
        "cluster": True,
        "heat": True,
        "tiles": False,
        "jquery": True,
        "icon": settings.STATIC_URL + "vendor/leaflet/images/marker-icon.png",
    }


@pytest.mark.parametrize(
    "markup",
    [
        "<style>#map_0123 {position: relative; width: 100.0%;}</style>\n",
        '<meta name="viewport" content="width=device-width" />',
        "<p>{{ 1 + 1 }}</p>",
        "{% if true %}<b>yes</b>{% endif %}",
        "{# a comment #}<i>x</i>",
        "two lines\r\nof markup\n\n",
        "",
    ],
)
def test_markup_renders_as_jinja_would_with_or_without_the_compiler(markup):
    mapdoc.base_map(tiles_url="", attribution="")  # installs the plain-markup fast path
    assert branca.element.Template.nx_plain
    assert branca.element.Element(markup).render() == jinja2.Template(markup).render()
