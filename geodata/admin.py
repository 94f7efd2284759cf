from django.contrib import admin

from geodata.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Boundaries are loaded by `geodata_import_regions`; the admin shows them read-only."""

    list_display = ("adcode", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name", "adcode")
    readonly_fields = ("geom", "geom_display", "center")
