"""The dashboards' two folium map documents: the usage heatmap and the county choropleth.

Both are built with ``geodata.mapdoc`` (every script and style sheet served locally, no CDN)
and served at their own URLs inside an iframe (``xframe_options_sameorigin``), because the
boundaries are a few hundred kilobytes. Region names go through ``escape_popup``: folium
puts tooltip values into innerHTML.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from dataclasses import dataclass

import folium
from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.urls import reverse
from django.utils.http import urlencode
from folium import plugins
from folium.map import FitBounds

from dashboards import selectors as sel
from dashboards.filters import Filters
from geodata.mapdoc import base_map, escape_popup, map_html, raw_html
from geodata.models import Region, RegionLevel
from geodata.selectors import region_set_version

NINGXIA_BOUNDS = ((104.28, 35.23), (107.66, 39.39))
# ColorBrewer YlOrRd, 5 classes; regions with nothing are grey.
PALETTE = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
EMPTY = "#eeeeee"
OUTSIDE = "#f8f8f8"


def _base(**options):
    return base_map(
        tiles_url=settings.MAP_TILES_URL,
        attribution=settings.MAP_TILES_ATTRIBUTION,
        zoom=7,
        min_zoom=6,
        zoom_snap=0.25,
        **options,
    )


@dataclass(frozen=True)
class Shape:
    adcode: int
    name: str
    #: The display boundary as a GeoJSON geometry whose coordinates are a placeholder (see
    #: ``Boundaries``). Callers must not modify it.
    geometry: dict


@dataclass(frozen=True)
class Boundaries:
    """The display boundaries of the cities and counties, serialised once per region-set
    version (``geodata.selectors.region_set_version``) and process.

    Documents are built with a placeholder string in place of each geometry's coordinates
    (``Shape.geometry``: a per-process random token, so no text can forge one) and
    :meth:`fill` swaps in the stored JSON text after folium has rendered — folium then never
    walks or re-serialises the few hundred kilobytes of coordinates. That text holds only
    numbers, brackets and commas, so it needs no escaping inside the script."""

    version: int
    shapes: dict[str, tuple[Shape, ...]]
    geometry: dict[str, str]  # placeholder → JSON text of the coordinates
    extents: dict[int, tuple[float, float, float, float]]  # county → (w, s, e, n) of geom_display

    def fill(self, html: str) -> str:
        return _PLACEHOLDER.sub(lambda m: self.geometry.get(m.group(0)[1:-1], m.group(0)), html)


_TOKEN = secrets.token_hex(8)
_PLACEHOLDER = re.compile(f'"nx-geom-{_TOKEN}-[0-9]+"')
_boundaries: Boundaries | None = None
_boundaries_lock = threading.Lock()


def _load_boundaries(version: int) -> Boundaries:
    shapes: dict[str, list[Shape]] = {RegionLevel.COUNTY: [], RegionLevel.CITY: []}
    geometry: dict[str, str] = {}
    extents: dict[int, tuple[float, float, float, float]] = {}
    rows = (
        Region.objects.filter(level__in=(RegionLevel.COUNTY, RegionLevel.CITY))
        .order_by("adcode")
        .annotate(shape=AsGeoJSON("geom_display", precision=4))
        .values_list("adcode", "name", "level", "shape")
    )
    for adcode, name, level, shape in rows:
        token = f"nx-geom-{_TOKEN}-{adcode}"
        parsed = json.loads(shape)
        # Compact separators: the same coordinates as before, a seventh fewer bytes to send.
        geometry[token] = json.dumps(parsed["coordinates"], separators=(",", ":"))
        shapes[level].append(Shape(adcode, name, {"type": parsed["type"], "coordinates": token}))
    # Per county, so that a scope's box is the min/max of its counties' — what the Extent
    # aggregate over those counties gives.
    per_county = (
        Region.objects.filter(level=RegionLevel.COUNTY)
        .values("adcode")
        .annotate(e=Extent("geom_display"))
        .values_list("adcode", "e")
    )
    for adcode, extent in per_county:
        if extent:
            extents[adcode] = tuple(extent)
    return Boundaries(version, {k: tuple(v) for k, v in shapes.items()}, geometry, extents)


def boundaries() -> Boundaries:
    """The current ``Boundaries``: one indexed read of the region-set version per call, the
    boundaries themselves only after a change to the regions (in any process)."""
    global _boundaries
    version = region_set_version()  # before the regions: see region_set_version
    current = _boundaries
    if current is not None and current.version == version:
        return current
    with _boundaries_lock:
        if _boundaries is None or _boundaries.version != version:
            _boundaries = _load_boundaries(version)
        return _boundaries


def _fit(m, scope: sel.Scope, b: Boundaries) -> None:
    extents = [e for a, e in b.extents.items() if scope.covers(a)]
    if extents:
        w, s = min(e[0] for e in extents), min(e[1] for e in extents)
        e, n = max(e[2] for e in extents), max(e[3] for e in extents)
    else:
        (w, s), (e, n) = NINGXIA_BOUNDS
    fit = FitBounds([[s, w], [n, e]], padding=(12, 12), max_zoom=10)
    fit.options["animate"] = False
    fit.add_to(m)


def _outline(m, scope: sel.Scope, b: Boundaries) -> None:
    """County lines (the scope's darker) and city lines, not interactive."""
    counties = {"type": "FeatureCollection", "features": []}
    for r in b.shapes[RegionLevel.COUNTY]:
        counties["features"].append(
            {"type": "Feature", "geometry": r.geometry, "properties": {"mine": scope.covers(r.adcode)}}
        )
    folium.GeoJson(
        counties,
        name="区县",
        style_function=lambda f: {
            "color": "#7a5a2e" if f["properties"]["mine"] else "#b9ad9a",
            "weight": 1.2 if f["properties"]["mine"] else 0.6,
            "fill": False,
        },
        interactive=False,
    ).add_to(m)
    _city_lines(m, "#5b4420", b)


def _city_lines(m, colour: str, b: Boundaries) -> None:
    features = [{"type": "Feature", "geometry": r.geometry, "properties": {}} for r in b.shapes[RegionLevel.CITY]]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="地级市",
        style_function=lambda _: {"color": colour, "weight": 2, "fill": False},
        interactive=False,
    ).add_to(m)


def _config(m, name: str, data: dict) -> None:
    """Expose ``data`` to our script as ``window[name]`` (JSON; "</" cannot close the tag)."""
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    m.get_root().header.add_child(raw_html(f"<script>window.{name} = {text};</script>"), name=f"nx_cfg_{name}")


def heatmap_document(scope: sel.Scope, f: Filters) -> str:
    """The heatmap of voucher use for the scope and filters. The document holds the map,
    the boundaries and an empty heat layer; ``static/js/dashboard_heat.js`` fills it from
    ``/api/stats/heatmap/`` for the view (the 5 km grid for the province or a city, the
    1 km grid for a county or closer), so the page and the API draw the same data."""
    b = boundaries()
    m = _base()
    _outline(m, scope, b)
    heat = plugins.HeatMap([], name="创新券使用热力", min_opacity=0.25, radius=16, blur=14, max_zoom=9)
    heat.add_to(m)
    _fit(m, scope, b)
    _config(
        m,
        "NX_HEAT",
        {
            "layer": heat.get_name(),
            "api": reverse("api-stats-heatmap"),
            "query": urlencode(f.query()),
            "fineSpan": sel.FINE_GRID_MAX_SPAN,
        },
    )
    return b.fill(map_html(m, scripts=["js/dashboard_heat.js"], styles=["css/dashboard.css"]))


def class_breaks(values: list) -> list:
    """Upper bounds of 5 classes from the quantiles of the non-zero values (fewer classes
    when there are fewer distinct values)."""
    nonzero = sorted({v for v in values if v})
    if not nonzero:
        return []
    if len(nonzero) <= len(PALETTE):
        return nonzero
    k = len(PALETTE)
    return [nonzero[min(len(nonzero) - 1, round((i + 1) * len(nonzero) / k) - 1)] for i in range(k)]


def colour(value, breaks: list) -> str:
    if not value or not breaks:
        return EMPTY
    offset = len(PALETTE) - len(breaks)
    for i, upper in enumerate(breaks):
        if value <= upper:
            return PALETTE[offset + i]
    return PALETTE[-1]


def legend(breaks: list, measure: str) -> list[dict]:
    out = [{"colour": EMPTY, "label": "无"}]
    lower = None
    offset = len(PALETTE) - len(breaks)
    for i, upper in enumerate(breaks):
        text = f"{upper:,.0f}" if measure == "amount" else f"{upper:,}"
        low = "" if lower is None else (f"{lower:,.0f}" if measure == "amount" else f"{lower:,}")
        out.append({"colour": PALETTE[offset + i], "label": f"{low} – {text}" if low else f"≤ {text}"})
        lower = upper
    return out


def choropleth_document(scope: sel.Scope, f: Filters, rows: list[dict]) -> tuple[str, list]:
    """Counties (or cities) coloured by ``f.measure`` of ``f.stage``; a click opens the
    region's detail page in the parent window."""
    values = {r["adcode"]: r for r in rows}
    breaks = class_breaks([r["value"] for r in rows])
    unit = "元" if f.measure == "amount" else "笔"
    features = []
    b = boundaries()
    for r in b.shapes[RegionLevel.COUNTY if f.level == "county" else RegionLevel.CITY]:
        row = values.get(r.adcode)
        if row is None:
            props = {"fill": OUTSIDE, "label": escape_popup(r.name), "href": "", "mine": False}
        else:
            shown = f"{row['value']:,.2f}" if f.measure == "amount" else f"{row['value']:,}"
            props = {
                "fill": colour(row["value"], breaks),
                "label": escape_popup(f"{r.name}：{shown} {unit}（{row['n']:,} 笔）"),
                "href": reverse("dashboards:region", args=[r.adcode]) + "?" + urlencode(f.query(region=None)),
                "mine": True,
            }
        features.append({"type": "Feature", "geometry": r.geometry, "properties": {"adcode": r.adcode, **props}})
    # Leaflet's keyboard handler focuses the map on mousedown; when the iframe is not wholly
    # on screen the page then scrolls under the pointer and the mouseup lands on another
    # county, so the click never fires. The table beside the map offers the same links.
    m = _base(keyboard=False)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="分区统计",
        style_function=lambda feat: {
            "fillColor": feat["properties"]["fill"],
            "fillOpacity": 0.85 if feat["properties"]["mine"] else 0.5,
            "color": "#6b5a40" if feat["properties"]["mine"] else "#c9c1b4",
            "weight": 1,
        },
        highlight_function=lambda feat: {"weight": 3, "color": "#b3261e"} if feat["properties"]["mine"] else {},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True, class_name="nx-region-label"),
        smooth_factor=0.5,
    ).add_to(m)
    if f.level == "county":
        _city_lines(m, "#4a3718", b)
    _fit(m, scope, b)
    html = b.fill(map_html(m, scripts=["js/dashboard_choropleth.js"], styles=["css/dashboard.css"]))
    return html, legend(breaks, f.measure)
