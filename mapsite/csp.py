"""Content-Security-Policy: one small middleware instead of a dependency.

Every script of our pages comes from our own origin (static/js, npm packages served by
WhiteNoise), so the site-wide policy allows scripts from ``'self'`` only, plus — through
``'unsafe-hashes'`` — the few inline event handlers listed in ``INLINE_HANDLERS`` (the
status filters' ``onchange="this.form.submit()"``). Styles may be inline (``style=``
attributes hold computed widths and colours; a style cannot run script).

The folium map documents are the exception: a Leaflet map is an HTML document whose setup is
an inline ``<script>``. They are served at their own URLs inside iframes, or embedded as
``<iframe srcdoc>``, which inherits the embedding page's policy. The views named in
``settings.CSP_MAP_VIEWS`` therefore get the same policy with ``'unsafe-inline'`` scripts;
the map documents contain no user-supplied markup (names are escaped by folium/our code).
So do the admin's add/change pages of models with a geometry (the GIS widget's setup).
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.utils.deprecation import MiddlewareMixin

INLINE_HANDLERS = ["this.form.submit()"]


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def _tiles_origin() -> str:
    parts = urlsplit(settings.MAP_TILES_URL)
    return f"{parts.scheme}://{parts.netloc}".replace("{s}", "*") if parts.netloc else ""


@cache
def policies() -> tuple[str, str]:
    """(site-wide policy, policy of the map views)."""
    images = " ".join(filter(None, ["'self'", "data:", "blob:", _tiles_origin()]))

    def policy(scripts: str, framed_by: str) -> str:
        return "; ".join(
            [
                "default-src 'self'",
                f"script-src {scripts}",
                "style-src 'self' 'unsafe-inline'",
                f"img-src {images}",
                "font-src 'self' data:",
                "connect-src 'self'",
                "frame-src 'self'",
                f"frame-ancestors {framed_by}",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
            ]
        )

    handlers = " ".join(_hash(h) for h in INLINE_HANDLERS)
    # Pages are never framed (as X-Frame-Options: DENY); map documents only by our pages.
    return policy(f"'self' 'unsafe-hashes' {handlers}", "'none'"), policy("'self' 'unsafe-inline'", "'self'")


@cache
def _admin_edits_geometry(view_name: str) -> bool:
    """An admin add/change page of a model with a geometry field: Django's GIS map widget
    (geodata.widgets) starts OpenLayers from an inline script."""

    if not view_name.startswith("admin:") or not view_name.endswith(("_change", "_add")):
        return False
    for model in apps.get_models():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if view_name.startswith(prefix) and view_name[len(prefix) :] in ("change", "add"):
            return any(isinstance(f, GeometryField) for f in model._meta.get_fields())
    return False


def uses_map_policy(view_name: str) -> bool:
    return view_name in settings.CSP_MAP_VIEWS or _admin_edits_geometry(view_name)


class ContentSecurityPolicyMiddleware(MiddlewareMixin):
    """A ``process_response`` hook, so that the map search's fast path sets it too."""

    def process_response(self, request, response):
        header = "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else "Content-Security-Policy"
        if header not in response:  # a view (e.g. a file download) may set a stricter one
            site, maps = policies()
            match = getattr(request, "resolver_match", None)
            response[header] = maps if match and uses_map_policy(match.view_name) else site
        return response
