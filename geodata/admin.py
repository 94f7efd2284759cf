from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from geodata.models import Region
from geodata.widgets import OfflineMapWidget


class MapAdmin(GISModelAdmin):
    """Admin for models with geometry: the map widget is served by this app (no CDN)."""

    gis_widget = OfflineMapWidget


@admin.register(Region)
class RegionAdmin(MapAdmin):
    """Boundaries are loaded by `geodata_import_regions`; the admin shows them read-only."""

    list_display = ("adcode", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name", "adcode")
    readonly_fields = ("geom", "geom_display", "center")
