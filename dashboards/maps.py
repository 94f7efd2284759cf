"""The dashboards' two folium map documents: the usage heatmap and the county choropleth.

Both are built with ``geodata.mapdoc`` (every script and style sheet served locally, no CDN)
and served at their own URLs inside an iframe (``xframe_options_sameorigin``), because the
boundaries are a few hundred kilobytes. Region names go through ``escape_popup``: folium
puts tooltip values into innerHTML.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import folium
from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.http import urlencode
from folium import plugins
from folium.map import FitBounds

from dashboards import selectors as sel
from dashboards.filters import Filters
from geodata.mapdoc import base_map, escape_popup, map_html
from geodata.models import Region, RegionLevel

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
    geometry: dict


@functools.lru_cache(maxsize=4)
def _cached_shapes(level: str, fingerprint: tuple) -> tuple[Shape, ...]:
    rows = (
        Region.objects.filter(level=level)
        .order_by("adcode")
        .annotate(shape=AsGeoJSON("geom_display", precision=4))
        .values_list("adcode", "name", "shape")
    )
    return tuple(Shape(a, n, json.loads(s)) for a, n, s in rows)


def _shapes(level: str) -> tuple[Shape, ...]:
    """The display boundaries of one level as GeoJSON geometries (4 decimals ≈ 10 m), parsed
    once per process (they cost ~30 ms a request otherwise). The key notices regions added
    or removed; boundaries re-imported with new shapes show after a restart. Callers must
    not modify the geometries."""
    fingerprint = tuple(Region.objects.filter(level=level).aggregate(n=Count("adcode"), s=Sum("adcode")).values())
    return _cached_shapes(level, fingerprint)


def _fit(m, scope: sel.Scope) -> None:
    qs = Region.objects.filter(level=RegionLevel.COUNTY)
    if scope.counties is not None:
        qs = qs.filter(adcode__in=scope.counties)
    extent = qs.aggregate(e=Extent("geom_display"))["e"]
    (w, s), (e, n) = ((extent[0], extent[1]), (extent[2], extent[3])) if extent else NINGXIA_BOUNDS
    fit = FitBounds([[s, w], [n, e]], padding=(12, 12), max_zoom=10)
    fit.options["animate"] = False
    fit.add_to(m)


def _outline(m, scope: sel.Scope) -> None:
    """County lines (the scope's darker) and city lines, not interactive."""
    counties = {"type": "FeatureCollection", "features": []}
    for r in _shapes(RegionLevel.COUNTY):
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
    _city_lines(m, "#5b4420")


def _city_lines(m, colour: str) -> None:
    features = [{"type": "Feature", "geometry": r.geometry, "properties": {}} for r in _shapes(RegionLevel.CITY)]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="地级市",
        style_function=lambda _: {"color": colour, "weight": 2, "fill": False},
        interactive=False,
    ).add_to(m)


def _config(m, name: str, data: dict) -> None:
    """Expose ``data`` to our script as ``window[name]`` (JSON; "</" cannot close the tag)."""
    # why: branca takes seconds to import; only the map frames need it
    from branca.element import Element

    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    m.get_root().header.add_child(Element(f"<script>window.{name} = {text};</script>"), name=f"nx_cfg_{name}")


def heatmap_document(scope: sel.Scope, f: Filters) -> str:
    """The heatmap of voucher use for the scope and filters. The document holds the map,
    the boundaries and an empty heat layer; ``static/js/dashboard_heat.js`` fills it from
    ``/api/stats/heatmap/`` for the view (the 5 km grid for the province or a city, the
    1 km grid for a county or closer), so the page and the API draw the same data."""
    m = _base()
    _outline(m, scope)
    heat = plugins.HeatMap([], name="创新券使用热力", min_opacity=0.25, radius=16, blur=14, max_zoom=9)
    heat.add_to(m)
    _fit(m, scope)
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
    return map_html(m, scripts=["js/dashboard_heat.js"], styles=["css/dashboard.css"])


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
    for r in _shapes(RegionLevel.COUNTY if f.level == "county" else RegionLevel.CITY):
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
        _city_lines(m, "#4a3718")
    _fit(m, scope)
    html = map_html(m, scripts=["js/dashboard_choropleth.js"], styles=["css/dashboard.css"])
    return html, legend(breaks, f.measure)
