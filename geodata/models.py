"""Administrative regions of the deployment's province (GB/T 2260 adcodes) with WGS-84 boundaries."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "地级市"
    COUNTY = "county", "县级"


class RegionQuerySet(models.QuerySet):
    def counties(self) -> RegionQuerySet:
        return self.filter(level=RegionLevel.COUNTY)

    def within(self, region: Region) -> RegionQuerySet:
        """The region itself and every region below it (adcodes share the prefix)."""
        return self.filter(adcode__in=region.self_and_descendant_adcodes())


class Region(models.Model):
    adcode = models.PositiveIntegerField(primary_key=True, help_text="GB/T 2260 code")
    name = models.CharField("名称", max_length=64)
    level = models.CharField("级别", max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    geom = models.MultiPolygonField("边界", srid=settings.SRID)
    # Simplified copy (about 50 m tolerance) for drawing on the map; lookups use `geom`.
    geom_display = models.MultiPolygonField("显示边界", srid=settings.SRID)
    center = models.PointField("代表点", srid=settings.SRID, help_text="seat of government")

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["adcode"]
        verbose_name = "行政区"
        verbose_name_plural = "行政区"

    def __str__(self) -> str:
        return f"{self.name}（{self.adcode}）"

    @property
    def city(self) -> Region | None:
        if self.level == RegionLevel.COUNTY:
            # A county-level city under the province itself (省直辖, e.g. 济源) has no city.
            return self.parent if self.parent and self.parent.level == RegionLevel.CITY else None
        if self.level == RegionLevel.CITY:
            return self
        return None

    def self_and_descendant_adcodes(self) -> list[int]:
        """Adcodes of this region and all below it.

        GB/T 2260 codes nest by prefix: province 64xxxx, city 6401xx, county 640104.
        """
        if self.level == RegionLevel.COUNTY:
            return [self.adcode]
        if self.level == RegionLevel.CITY:
            low, high = self.adcode, self.adcode + 99
        else:
            low, high = self.adcode, self.adcode + 9999
        return list(Region.objects.filter(adcode__gte=low, adcode__lte=high).values_list("adcode", flat=True))

    def full_name(self) -> str:
        parts = []
        region: Region | None = self
        while region is not None:
            parts.append(region.name)
            region = region.parent
        return "".join(reversed(parts))
