"""The admin's map widget, offline: Django's OpenStreetMap widget with OpenLayers served by
this application (npm package ``ol``, the version Django's widget script is written for)
instead of a CDN, and the base layer from ``MAP_TILES_URL`` like the innovation map.
Without tiles the widget still shows and edits the geometry on a blank background."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.forms.widgets import OSMWidget

# Ningxia's middle, and a zoom that shows the whole region.
NINGXIA_CENTRE = (106.2, 37.5)


class OfflineMapWidget(OSMWidget):
    template_name = "gis/offline-osm.html"
    default_lon, default_lat = NINGXIA_CENTRE
    default_zoom = 7

    class Media:
        extend = False
        css = {"all": ("vendor/ol/ol.css", "gis/css/ol3.css")}
        js = ("vendor/ol/ol.js", "gis/js/OLMapWidget.js")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # OpenLayers writes Leaflet's {s} subdomains as {a-c}.
        context["tiles_url"] = settings.MAP_TILES_URL.replace("{s}", "{a-c}")
        return context
