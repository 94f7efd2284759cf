"""The one place that builds folium map documents for our pages — and keeps them offline.

Why this module exists
----------------------
The product must work with no internet: every script and style sheet a map page loads has
to come from this application. Folium, however, writes CDN URLs (jsdelivr, cdnjs,
code.jquery.com, bootstrapcdn …) into every document it renders. Here we:

* serve the front-end libraries from ``node_modules/`` (installed from the npm registry with
  ``npm ci`` at set-up, pinned by ``package.json``/``package-lock.json``, never committed)
  through Django's staticfiles finders — see :func:`vendor_static_dirs`, which settings adds to
  ``STATICFILES_DIRS``. One asset is the exception: folium's HeatMap is written against the
  patched ``leaflet_heat.min.js`` that ships *inside the folium wheel* (it fixes point weights
  — the npm ``leaflet.heat`` 0.2.0 scales intensity by ``2**(zoom - maxZoom)``, so at our
  province zoom every point is drawn at the minimum opacity). We serve that file from the
  installed folium package (``vendor/folium/``), so it always matches folium's template;
* rewrite, at render time, each element's ``default_js``/``default_css`` (folium's list of
  ``(name, url)`` pairs) to ``/static/vendor/...`` URLs built with
  ``django.templatetags.static.static()`` — so ``STATIC_URL`` and manifest hashing are
  honoured. This happens in :class:`OfflineFigure.render`, i.e. as a final pass over the
  whole element tree just before any rendering (``map_html()``, ``m.get_root().render()``,
  ``m.save()``, notebooks). Plugins added to the map after :func:`base_map` returned are
  therefore covered too; there is nothing to remember at construction time;
* fail loudly instead of leaking a CDN URL: an element whose asset name is not in
  :data:`ASSETS` raises :class:`OfflineAssetError` (add the npm package and a mapping), and
  the rendered HTML is checked once more for any absolute URL in ``<script src>`` or
  ``<link href>``.

What is dropped: folium's Map also pulls in Bootstrap 5 (JS + CSS), Bootstrap 3 glyphicons,
Leaflet.awesome-markers (+ its rotate CSS) and Font Awesome. They only serve
``folium.Icon``; our pages use plain markers, GeoJSON layers, clusters and the heatmap, so
those links are simply not emitted. ``folium.Icon`` therefore raises
:class:`OfflineAssetError` (use the default marker, ``folium.DivIcon`` or ``folium.CustomIcon``
with a ``static()`` URL). jQuery is *kept*: ``folium.Popup`` renders its content with
``$(`...`)[0]`` and ``GeoJson(embed=False)`` uses ``$.ajax``.

Tiles: ``base_map(tiles_url="")`` adds no tile layer and no attribution control (Leaflet's
control carries a link to leafletjs.com); GeoJSON, markers, clusters and heat still draw on
the plain background. The URL comes from ``settings.MAP_TILES_URL``.

Embedding and the map's JS variable
-----------------------------------
:func:`map_html` returns a *complete* HTML document. Serve it in an ``<iframe srcdoc>``::

    <iframe srcdoc="{{ map_document }}" title="…" class="map-frame"></iframe>

with Django's autoescaping ON (never ``|safe``: the document must be attribute-escaped).
A ``srcdoc`` document resolves ``/static/...`` against the parent page, is same-origin with
it, and is not subject to ``X-Frame-Options`` (a separate URL would need
``@xframe_options_sameorigin``). The document sets ``window.NX_MAP`` to the Leaflet map
object (folium's own variable is ``map_<random hex>``, see ``m.get_name()``). Our own
scripts get hold of it in one of two ways:

* inside the map document: ``map_html(m, scripts=["js/ourmap.js"])`` adds
  ``<script defer src="/static/js/ourmap.js">``; deferred scripts run after the map and all
  its layers exist, so the script can use ``window.NX_MAP`` directly;
* from the parent page: the document posts ``"nx-map-ready"`` (:data:`MAP_READY_MESSAGE`) to
  its parent as soon as ``NX_MAP`` exists — listen for that ``message`` (check
  ``event.source === iframe.contentWindow``) rather than for the iframe's ``load`` event,
  which waits for every tile image.

Escaping — folium does NOT escape popup or tooltip HTML
-------------------------------------------------------
``folium.Popup(text)`` and ``folium.Tooltip(text)`` / ``Marker(tooltip=text)`` paste ``text``
as raw HTML into a JavaScript template literal (only unescaped backticks are escaped, and
``Tooltip`` escapes nothing), and ``GeoJsonTooltip``/``GeoJsonPopup`` put feature property
values into ``innerHTML``. Any user-supplied text (institution names, addresses …) MUST go
through :func:`escape_popup` first — ``django.utils.html.escape`` alone is not enough
because ``${...}`` would still run as JavaScript inside the template literal.

This module is imported by settings (for :func:`vendor_static_dirs`), so it must stay light:
no Django models, and folium/Django helpers are imported inside the functions that use them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.templatetags.static import static
from django.utils.html import escape

if TYPE_CHECKING:  # type hints only: see the functions below for why folium is imported late
    import folium
    from branca.element import Element, Figure

BASE_DIR = Path(__file__).resolve().parent.parent

#: Static prefix → directory inside ``node_modules`` (one entry per npm package we serve).
NPM_VENDOR_DIRS: list[tuple[str, str]] = [
    ("vendor/leaflet", "leaflet/dist"),
    ("vendor/leaflet.markercluster", "leaflet.markercluster/dist"),
    ("vendor/jquery", "jquery/dist"),
]
#: Single npm files under a static name, for packages whose two useful files sit among a
#: thousand modules: OpenLayers, for the admin's map widget (geodata.widgets).
NPM_VENDOR_FILES: dict[str, str] = {
    "vendor/ol/ol.js": "ol/dist/ol.js",
    "vendor/ol/ol.css": "ol/ol.css",
}
#: Static prefix for the assets shipped inside the installed folium package.
FOLIUM_VENDOR_PREFIX = "vendor/folium"

#: folium asset name (first item of a ``default_js``/``default_css`` pair) → static path, or
#: ``None`` for assets we deliberately do not load. Any other name raises OfflineAssetError.
ASSETS: dict[str, str | None] = {
    # folium.Map
    "leaflet": "vendor/leaflet/leaflet.js",
    "leaflet_css": "vendor/leaflet/leaflet.css",
    "jquery": "vendor/jquery/jquery.min.js",
    "bootstrap": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers": None,
    "awesome_markers_font_css": None,
    "awesome_markers_css": None,
    "awesome_rotate_css": None,
    # folium.plugins.MarkerCluster
    "markerclusterjs": "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "markerclustercss": "vendor/leaflet.markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "vendor/leaflet.markercluster/MarkerCluster.Default.css",
    # folium.plugins.HeatMap (folium's patched copy, see module docstring)
    "leaflet-heat.js": f"{FOLIUM_VENDOR_PREFIX}/leaflet_heat.min.js",
}

#: Leaflet's default marker images (L.Icon.Default), set explicitly so that hashed file
#: names (manifest storage) work — Leaflet otherwise guesses the folder from leaflet.css.
DEFAULT_ICON_IMAGES = {
    "iconUrl": "vendor/leaflet/images/marker-icon.png",
    "iconRetinaUrl": "vendor/leaflet/images/marker-icon-2x.png",
    "shadowUrl": "vendor/leaflet/images/marker-shadow.png",
}

#: The Leaflet map's maxZoom unless ``base_map(max_zoom=...)`` says otherwise.
DEFAULT_MAX_ZOOM = 18

#: The global our scripts use to reach the Leaflet map object.
MAP_GLOBAL = "NX_MAP"
#: Posted to the parent window as soon as ``window.NX_MAP`` exists (before tiles load).
MAP_READY_MESSAGE = "nx-map-ready"

_EXTERNAL_URL = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
_ASSET_REF = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)


class OfflineAssetError(ValueError):
    """A map element needs a script/style sheet we do not serve ourselves."""


# --- static files ---------------------------------------------------------------------------


def _folium_assets_dir() -> Path:
    # find_spec locates the installed package without importing it (settings stay fast).
    spec = find_spec("folium")
    if spec is None or spec.origin is None:  # pragma: no cover - folium is a dependency
        raise OfflineAssetError("folium is not installed")
    return Path(spec.origin).parent / "templates"


def vendor_static_dirs(base_dir: Path) -> list[tuple[str, Path]]:
    """``STATICFILES_DIRS`` entries ``(prefix, directory)`` for the map's front-end assets.

    The npm directories exist once ``npm ci`` has run; until then Django's check framework
    reports them (staticfiles.W004) and the finders do not find the files.
    """
    node_modules = Path(base_dir) / "node_modules"
    dirs = [(prefix, node_modules / sub) for prefix, sub in NPM_VENDOR_DIRS]
    dirs.append((FOLIUM_VENDOR_PREFIX, _folium_assets_dir()))
    return dirs


STATIC_VENDOR_DIRS: list[tuple[str, Path]] = vendor_static_dirs(BASE_DIR)


def _static(path: str) -> str:
    return static(path)


# --- localisation ---------------------------------------------------------------------------


def _walk(element: Element) -> Iterator[Element]:
    """Every element below ``element``: children and the header/html/script containers
    that Figure and Popup keep outside ``_children``."""
    # why: branca (folium's) is as slow to import; settings import this module
    from branca.element import Element

    seen: set[int] = set()
    stack = [element]
    while stack:
        el = stack.pop()
        if id(el) in seen:
            continue
        seen.add(id(el))
        yield el
        for attr in ("header", "html", "script"):
            sub = getattr(el, attr, None)
            if isinstance(sub, Element):
                stack.append(sub)
        stack.extend(getattr(el, "_children", {}).values())


def _localised_links(element: Element, links: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for name, url in links:
        if name not in ASSETS:
            raise OfflineAssetError(
                f"{type(element).__name__} wants {name!r} from {url}; we serve nothing under "
                f"that name. Add the npm package to package.json, its folder to "
                f"NPM_VENDOR_DIRS and the file to ASSETS in geodata/mapdoc.py."
            )
        path = ASSETS[name]
        if path is not None:
            out.append((name, _static(path)))
    return out


def localise(root: Element) -> None:
    """Point every script and style sheet of the element tree under ``root`` at our static
    files. Idempotent. Assigns *instance* attributes, so folium's class-level (shared) lists
    stay untouched."""
    # why: folium takes seconds to import; only pages that draw a map pay for it (settings import this module)
    import folium
    from branca.element import CssLink, JavascriptLink

    for el in _walk(root):
        if isinstance(el, folium.Icon):
            raise OfflineAssetError(
                "folium.Icon needs Leaflet.awesome-markers and Font Awesome, which we do not "
                "ship; use the default marker, folium.DivIcon or folium.CustomIcon with a "
                "static() URL."
            )
        for attr in ("default_js", "default_css"):
            links = getattr(el, attr, None)
            if links:
                setattr(el, attr, _localised_links(el, links))
    # Links left in the header by an earlier, non-localised render of this tree.
    header = getattr(root, "header", None)
    if header is not None:
        for key, child in list(header._children.items()):
            if isinstance(child, JavascriptLink | CssLink) and _EXTERNAL_URL.match(child.url):
                del header._children[key]


def external_asset_urls(html: str) -> list[str]:
    """Absolute URLs (``http:``, ``https:``, ``//host``, ``data:`` …) used by ``<script src>``
    or ``<link href>`` in ``html``."""
    return [url for url in _ASSET_REF.findall(html) if _EXTERNAL_URL.match(url)]


# --- the document ---------------------------------------------------------------------------


def _offline_figure_class() -> type[Figure]:
    """Build the Figure subclass on first use (keeps folium out of settings-time imports)."""
    global _OfflineFigure
    if _OfflineFigure is not None:
        return _OfflineFigure

    # why: branca and jinja2 are slow to import; settings import this module
    import branca.element
    from branca.element import Element, Figure, MacroElement
    from jinja2 import Template

    _plain_element_templates(branca.element)

    class RawHtml(Element):
        """Markup rendered as it is. ``Element(text)`` would compile ``text`` as a Jinja
        template for every document (milliseconds each, and the text is per request)."""

        def __init__(self, text: str):
            super().__init__()
            self._name = "RawHtml"
            self.text = text

        def render(self, **kwargs: Any) -> str:
            return self.text

    class ExposeMap(MacroElement):
        """``window.NX_MAP = map_<hash>;`` after every layer has been added."""

        _template = Template(
            "{% macro script(this, kwargs) %}"
            "window." + MAP_GLOBAL + " = {{ this.leaflet_map.get_name() }};"
            # Tell an embedding page at once: its load event waits for every tile image,
            # which offline or on a slow tile server is seconds (or never).
            'if (window.parent !== window) window.parent.postMessage("' + MAP_READY_MESSAGE + '", "*");'
            "{% endmacro %}"
        )

        def __init__(self, leaflet_map: folium.Map):
            super().__init__()
            self._name = "ExposeMap"
            self.leaflet_map = leaflet_map

    class OfflineFigure(Figure):
        """A Figure that localises all assets of its tree whenever it renders."""

        def __init__(self, leaflet_map: folium.Map, **kwargs: Any):
            super().__init__(**kwargs)
            self.add_child(leaflet_map)
            self.expose = ExposeMap(leaflet_map)
            self.html.add_child(RawHtml(_default_icon_script()), name="nx_default_icon")

        def render(self, **kwargs: Any) -> str:
            localise(self)
            # Keep the NX_MAP assignment after every script of the map, even for layers
            # added between two renders: re-append it to both orderings.
            self.script._children.pop(self.expose.get_name(), None)
            self._children.pop(self.expose.get_name(), None)
            self.add_child(self.expose)
            html = super().render(**kwargs)
            leaked = external_asset_urls(html)
            if leaked:
                raise OfflineAssetError(f"map document would load external assets: {leaked}")
            return html

    global _RawHtml
    _OfflineFigure, _RawHtml = OfflineFigure, RawHtml
    return OfflineFigure


_OfflineFigure: type[Figure] | None = None
_RawHtml: type[Element] | None = None


def raw_html(text: str) -> Element:
    """An element for a map document's header or body that renders ``text`` unchanged (no
    template compiled): use it for markup built per document."""
    _offline_figure_class()
    return _RawHtml(text)


class _PlainText:
    """What Jinja compiles markup without template syntax to: the text itself (less one
    trailing newline, as Jinja drops it)."""

    def __init__(self, source: str):
        self.source = source[:-1] if source.endswith("\n") else source

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self.source


def _plain_element_templates(module) -> None:
    """Skip the Jinja compiler for ``branca.element.Element(template)`` markup that holds no
    template syntax.

    folium creates about ten such elements for every map (the map's style sheet and meta
    tags, each holding the map's random id, so no cache would help), and compiling each took
    a few milliseconds: ≈ 15 % of a dashboard map document on this machine. Markup with
    ``{{``, ``{%``, ``{#`` or a carriage return still goes to Jinja."""
    if getattr(module.Template, "nx_plain", False):
        return
    compile_template = module.Template

    def template(source, *args, **kwargs):
        if (
            args
            or kwargs
            or not isinstance(source, str)
            or "\r" in source
            or any(mark in source for mark in ("{{", "{%", "{#"))
        ):
            return compile_template(source, *args, **kwargs)
        return _PlainText(source)

    template.nx_plain = True
    module.Template = template


def _default_icon_script() -> str:
    urls = {key: _static(path) for key, path in DEFAULT_ICON_IMAGES.items()}
    # json.dumps output is safe in <script> as long as no "</" appears; static URLs have none.
    return f'<script>L.Icon.Default.imagePath = "";L.Icon.Default.mergeOptions({json.dumps(urls)});</script>'


def base_map(
    *,
    tiles_url: str,
    attribution: str,
    center: Sequence[float] = (37.3, 106.2),
    zoom: int = 7,
    **kwargs: Any,
) -> folium.Map:
    """A folium Map whose document loads everything from ``/static/vendor/``.

    ``tiles_url`` is an XYZ URL template (normally ``settings.MAP_TILES_URL``); ``""`` means
    no tile layer and no attribution control at all. ``attribution`` (HTML, from settings) is
    required with tiles. Other keyword arguments go to ``folium.Map`` (not ``tiles``/``attr``).
    Add layers and plugins as usual — ``folium.GeoJson``, ``folium.Marker``,
    ``folium.plugins.MarkerCluster``, ``folium.plugins.HeatMap`` — then call :func:`map_html`.
    """
    # why: folium takes seconds to import; only pages that draw a map pay for it (settings import this module)
    import folium

    if not tiles_url:
        kwargs.setdefault("attribution_control", False)
    m = folium.Map(
        location=list(center),
        zoom_start=zoom,
        tiles=tiles_url or None,
        attr=(attribution or None) if tiles_url else None,
        **kwargs,
    )
    # Leaflet.markercluster throws "Map has no maxZoom specified" unless the map (or a tile
    # layer) has one; folium's own max_zoom only reaches the tile layer.
    m.options.setdefault("max_zoom", kwargs.get("max_zoom", DEFAULT_MAX_ZOOM))
    _offline_figure_class()(m)
    return m


def map_html(m: folium.Map, *, scripts: Sequence[str] = (), styles: Sequence[str] = ()) -> str:
    """The complete HTML document of ``m`` (built by :func:`base_map`), for ``<iframe srcdoc>``.

    ``scripts``/``styles`` are static paths of our own files (e.g. ``"js/innovation_map.js"``)
    loaded by the document: scripts with ``defer``, so they run after the map exists and can
    use ``window.NX_MAP``. Raises :class:`OfflineAssetError` if anything would be loaded from
    outside this application.
    """
    root = m.get_root()
    if not isinstance(root, _offline_figure_class()):
        raise TypeError("map_html() renders maps made by geodata.mapdoc.base_map() only")
    for path in styles:
        root.header.add_child(raw_html(f'<link rel="stylesheet" href="{_static(path)}"/>'), name=f"nx_css:{path}")
    for path in scripts:
        root.header.add_child(raw_html(f'<script defer src="{_static(path)}"></script>'), name=f"nx_js:{path}")
    return root.render()


def escape_popup(text: object) -> str:
    """HTML-escape ``text`` for folium popups, tooltips and GeoJSON popup/tooltip properties.

    Beyond ``django.utils.html.escape`` it turns ``$``, backtick and backslash into character
    references: folium pastes popup/tooltip HTML into a JavaScript template literal, where
    ``${…}`` would execute and ``\\``/backtick could end the literal. The result displays the
    original text unchanged.
    """
    return escape(str(text)).replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def add_region_outlines(m: folium.Map, *, around: Any, margin_deg: float = 0.3, filled: bool = True) -> None:
    """Draw the county (and city) boundaries near ``around`` (a Point in EPSG:4326) on ``m``,
    so a small map without tiles shows where the point is rather than a pin on grey.

    Only the regions whose display boundary meets a box of ``margin_deg`` around the point are
    embedded (a few KB), not the province's ~300 KB. ``filled=False`` (over tiles) draws the
    lines only."""
    # why: settings import this module (vendor_static_dirs), before the app registry is ready:
    # models and GIS functions load here, and folium takes seconds to import
    import folium
    from django.contrib.gis.db.models.functions import AsGeoJSON
    from django.contrib.gis.geos import Polygon

    from geodata.models import RegionLevel
    from geodata.selectors import region_list

    box = Polygon.from_bbox(
        (around.x - margin_deg, around.y - margin_deg, around.x + margin_deg, around.y + margin_deg)
    )
    box.srid = around.srid or 4326
    rows = (
        region_list()
        .filter(level__in=(RegionLevel.CITY, RegionLevel.COUNTY), geom_display__intersects=box)
        .select_related(None)
        .only("adcode", "name", "level")
        .annotate(shape=AsGeoJSON("geom_display", precision=4))
        .order_by("level", "adcode")
    )
    for level, style in (
        (
            RegionLevel.COUNTY,
            {"color": "#9a7b4f", "weight": 1, "fillColor": "#fdf6e3", "fillOpacity": 0.5 if filled else 0},
        ),
        (RegionLevel.CITY, {"color": "#7a5a2e", "weight": 2.5, "fill": False}),
    ):
        features = [
            {"type": "Feature", "geometry": json.loads(r.shape), "properties": {"name": escape_popup(r.name)}}
            for r in rows
            if r.level == level
        ]
        if features:
            folium.GeoJson(
                {"type": "FeatureCollection", "features": features},
                style_function=lambda _, style=style: style,
                interactive=False,
                smooth_factor=0.5,
            ).add_to(m)
