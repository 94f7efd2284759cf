"""The innovation map page (创新地图): a search panel and result list beside a folium map.

``map_page`` renders the search panel as a plain GET form together with the first page of
results, so the page is useful without JavaScript and a URL such as
``/map/?module=instrument&q=显微镜`` can be shared. ``static/js/map.js`` then takes over: it
reads the same form, asks ``/api/map/search/`` for the list and for the markers of the
current view, and keeps the two in step.

``map_frame`` is the map itself, a folium document shown in an iframe: Ningxia's city and
county boundaries embedded as GeoJSON (so they draw with no tile server at all), an empty
marker-cluster layer that the page script fills, and every script and style sheet served by
this application (geodata.mapdoc). It is its own URL rather than an ``srcdoc`` so the
~300 KB of boundaries are sent once, compressed and cacheable, instead of inside every page.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

import folium
from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET
from folium import plugins
from folium.map import FitBounds

from catalog.filters import MapSearchForm
from catalog.models import InstitutionKind, ListingKind, ServiceCategory
from catalog.permissions import request_mode
from catalog.selectors import instrument_categories, map_search
from geodata.mapdoc import base_map, escape_popup, map_html
from geodata.models import RegionLevel
from geodata.selectors import region_list

LIST_PAGE_SIZE = 20
# Parameters of the panel form that the search API understands (everything else is ignored).
FORM_PARAMS = (
    "module",
    "q",
    "region",
    "category",
    "voucher",
    "min_rating",
    "min_price",
    "max_price",
    "date",
    "sort",
    "near",
    "radius_km",
    "page",
)
MODULES = [("common", "常用"), ("institution", "机构"), ("service", "服务"), ("instrument", "设备")]
SORTS = [
    ("popularity", "综合（预约最多）"),
    ("distance", "距离最近"),
    ("-rating", "评分最高"),
    ("price", "价格从低到高"),
    ("-price", "价格从高到低"),
    ("newest", "最新发布"),
]
MIN_RATINGS = [("", "不限"), ("3", "3 分以上"), ("4", "4 分以上"), ("4.5", "4.5 分以上")]
RADII = [
    ("", "不限"),
    ("1", "1 公里"),
    ("3", "3 公里"),
    ("5", "5 公里"),
    ("10", "10 公里"),
    ("20", "20 公里"),
    ("50", "50 公里"),
]
# Field names of the search API → how the panel calls them in error messages.
FIELD_LABELS = {
    "module": "模块",
    "q": "关键词",
    "region": "地区",
    "category": "类别",
    "voucher": "创新券",
    "min_rating": "最低评分",
    "min_price": "最低价格",
    "max_price": "最高价格",
    "date": "空闲日期",
    "sort": "排序",
    "near": "搜索点",
    "radius_km": "搜索半径",
    "page": "页码",
    "bbox": "地图范围",
    "page_size": "每页条数",
    "cluster": "聚合",
    "detail": "",
}
# Where Ningxia is when the region table is empty (a fresh database).
NINGXIA_BOUNDS = ((104.28, 35.23), (107.66, 39.39))


# --- the page ---------------------------------------------------------------------------------


@require_GET
def map_page(request):
    form = {name: request.GET.get(name, "").strip() for name in FORM_PARAMS}
    form["module"] = form["module"] if form["module"] in dict(MODULES) else "common"
    # The API's default order, shown in the select: nearest first once there is a point.
    form["sort"] = form["sort"] or ("distance" if form["near"] else "popularity")
    categories = _category_choices()
    result, errors = _first_page(form)
    context = {
        "form": form,
        "modules": MODULES,
        "sorts": SORTS,
        "min_ratings": MIN_RATINGS,
        "radii": RADII,
        "regions": _region_choices(),
        "category_groups": categories[form["module"]],
        "result": result,
        "rows": [_row(f["properties"]) for f in result["features"]] if result else [],
        "errors": errors,
        "pager": _pager(result),
        "config": {
            "api": reverse("api-map-search"),
            "pageSize": LIST_PAGE_SIZE,
            "markerLimit": 200,
            "categories": categories,
            "labels": FIELD_LABELS,
            "kinds": dict(ListingKind.choices),
            # The extent the map opens on (map_frame fits it): the first markers are asked
            # for this box before the map document has loaded.
            "bounds": _flat_bounds(),
            "requestMode": request_mode(request.user),
            "loginUrl": reverse("accounts:login"),
        },
        "request_mode": request_mode(request.user),
        "login_url": reverse("accounts:login"),
    }
    return render(request, "catalog/map.html", context)


def _first_page(form: dict) -> tuple[dict | None, list[str]]:
    """The list as the API returns it for these form values (no bbox: the server does not
    know the view), or the errors to show in the panel."""
    data = {k: v for k, v in form.items() if v}
    data.update(page_size=str(LIST_PAGE_SIZE), cluster="0")
    form = MapSearchForm(data)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        return json.loads(map_search(params=form.params)), []
    except ValidationError as exc:
        return None, _error_lines(exc.message_dict)


def _error_lines(errors: dict) -> list[str]:
    lines = []
    for field, messages in errors.items():
        label = FIELD_LABELS.get(field, field)
        for message in messages:
            lines.append(f"{label}：{message}" if label else str(message))
    return lines


def _pager(result: dict | None) -> dict | None:
    if not result or not result["count"]:
        return None
    pages = max(1, -(-result["count"] // result["page_size"]))
    return {"page": result["page"], "pages": pages}


def _category_choices() -> dict[str, list[dict]]:
    """Category options per module, as ``[{"group": label | None, "options": [[value, label]]}]``.
    Instrument categories are free text: offer those present among public instruments."""
    services = [[value, label] for value, label in ServiceCategory.choices]
    instruments = [[c, c] for c in instrument_categories()]
    institutions = [[value, label] for value, label in InstitutionKind.choices]
    return {
        "common": [
            {"group": "服务类别", "options": services},
            {"group": "设备类别", "options": instruments},
        ],
        "institution": [{"group": None, "options": institutions}],
        "service": [{"group": None, "options": services}],
        "instrument": [{"group": None, "options": instruments}],
    }


def _region_choices() -> list[dict]:
    """Cities with their counties, for the region select (no geometry loaded)."""
    rows = list(region_list().select_related(None).only("adcode", "name", "level", "parent").order_by("adcode"))
    cities = [r for r in rows if r.level == RegionLevel.CITY]
    # A county-level city under the province itself (省直辖县级市: 济源市 in Henan) is a group
    # of its own, with no counties.
    cities += [r for r in rows if r.level == RegionLevel.COUNTY and r.parent_id == int(settings.PLATFORM_PROVINCE)]
    cities.sort(key=lambda r: r.adcode)
    return [{"city": city, "counties": [r for r in rows if r.parent_id == city.adcode]} for city in cities]


def _row(p: dict) -> dict:
    """A result's properties plus the display strings the list shows (map.js formats alike)."""
    return {
        **p,
        "kind_label": ListingKind(p["kind"]).label,
        "price_text": price_text(p["price"], p["unit"]),
        "rating_text": rating_text(p["rating"], p["rating_count"]),
        "distance_text": distance_text(p["distance_m"]),
    }


def price_text(price: str | None, unit: str) -> str:
    if price is None:
        return ""
    try:
        value = Decimal(price)
    except InvalidOperation:
        return f"{price} {unit}".strip()
    shown = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{shown} {unit}".strip()


def rating_text(rating: float, count: int) -> str:
    return f"★ {rating:.1f}（{count} 条评价）" if count else "暂无评价"


def distance_text(metres: float | None) -> str:
    if metres is None:
        return ""
    return f"{metres:.0f} 米" if metres < 1000 else f"{metres / 1000:.1f} 公里"


# --- the map document -------------------------------------------------------------------------


@require_GET
@xframe_options_sameorigin
@cache_control(max_age=300)
@gzip_page
def map_frame(request):
    # Rendering the boundaries through folium takes ~0.5 s and the result only changes with
    # the tile settings or the regions, so keep the last document (one per process).
    key = (settings.MAP_TILES_URL, settings.MAP_TILES_ATTRIBUTION, _regions_fingerprint())
    html = _FRAME_CACHE.get(key)
    if html is None:
        html = _frame_document()
        _FRAME_CACHE.clear()
        _FRAME_CACHE[key] = html
    return HttpResponse(html, content_type="text/html; charset=utf-8")


_FRAME_CACHE: dict[tuple, str] = {}


def _regions_fingerprint() -> str:
    """Changes whenever a region's code, name, seat or display boundary does (~5 ms)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT md5(coalesce(string_agg(adcode::text || name || md5(ST_AsBinary(geom_display))"
            " || ST_AsText(center), ',' ORDER BY adcode), '')) FROM geodata_region"
        )
        return cur.fetchone()[0]


def _frame_document() -> str:
    m = base_map(
        tiles_url=settings.MAP_TILES_URL,
        attribution=settings.MAP_TILES_ATTRIBUTION,
        zoom=7,
        min_zoom=5,
        zoom_snap=0.5,
    )
    counties, cities, seats = _boundaries()
    folium.GeoJson(
        counties,
        name="区县",
        style_function=lambda _: {
            "color": "#9a7b4f",
            "weight": 1,
            "opacity": 0.9,
            "fillColor": "#fdf6e3",
            "fillOpacity": 0.45,
        },
        highlight_function=lambda _: {"color": "#b3261e", "weight": 2, "fillOpacity": 0.65},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True, class_name="nx-region-label"),
        smooth_factor=0.5,
    ).add_to(m)
    folium.GeoJson(
        cities,
        name="地级市",
        style_function=lambda _: {"color": "#7a5a2e", "weight": 2.5, "opacity": 0.9, "fill": False},
        interactive=False,
    ).add_to(m)
    # City names stay on screen (there may be no tiles to name places); under the markers.
    for name, (lng, lat) in seats:
        folium.Marker(
            (lat, lng),
            interactive=False,
            keyboard=False,
            pane="overlayPane",
            icon=folium.DivIcon(
                html=f"<span>{escape_popup(name)}</span>",
                class_name="nx-city",
                icon_size=(80, 18),
                icon_anchor=(40, -6),
            ),
        ).add_to(m)
    # Filled by static/js/map.js; added here so folium's document loads Leaflet.markercluster.
    plugins.MarkerCluster(
        name="结果",
        options={"showCoverageOnHover": False, "maxClusterRadius": 45, "spiderfyOnMaxZoom": True},
    ).add_to(m)
    (w, s), (e, n) = _ningxia_bounds()
    # Not animated: a zoom animation still running when the page script moves the map (to
    # the region in the URL) would end by putting the view back.
    fit = FitBounds([[s, w], [n, e]], padding=(10, 10))
    fit.options["animate"] = False
    fit.add_to(m)
    return map_html(m, styles=["css/map.css"])


def _boundaries() -> tuple[dict, dict, list[tuple[str, tuple[float, float]]]]:
    """County and city boundaries (the simplified display copy, 4 decimals ≈ 10 m) as GeoJSON,
    and each city's name at its seat. Names go through escape_popup: folium puts tooltip
    values and icon HTML into innerHTML."""
    rows = (
        region_list()
        .filter(level__in=(RegionLevel.CITY, RegionLevel.COUNTY))
        .select_related(None)
        .only("adcode", "name", "level", "parent", "center")
        .annotate(shape=AsGeoJSON("geom_display", precision=4))
        .order_by("adcode")
    )
    names = {}
    counties, cities = [], []
    for r in rows:
        names[r.adcode] = r.name
        feature = {
            "type": "Feature",
            "geometry": json.loads(r.shape),
            "properties": {"adcode": r.adcode, "name": escape_popup(r.name)},
        }
        (cities if r.level == RegionLevel.CITY else counties).append((r, feature))
    for r, feature in counties:
        city = names.get(r.parent_id)
        feature["properties"]["label"] = escape_popup(f"{r.name} · {city}" if city else r.name)
    return (
        {"type": "FeatureCollection", "features": [f for _, f in counties]},
        {"type": "FeatureCollection", "features": [f for _, f in cities]},
        [(r.name, (r.center.x, r.center.y)) for r, _ in cities],
    )


def _flat_bounds() -> list[float]:
    (w, s), (e, n) = _ningxia_bounds()
    return [w, s, e, n]


def _ningxia_bounds() -> tuple[tuple[float, float], tuple[float, float]]:
    extent = region_list(level=RegionLevel.CITY).aggregate(e=Extent("geom_display"))["e"]
    if not extent:
        return NINGXIA_BOUNDS
    w, s, e, n = extent
    return (w, s), (e, n)
