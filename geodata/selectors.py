"""Reads on regions: locating a point, listing regions by level."""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.db.models import QuerySet

from geodata.models import Region, RegionLevel


def region_locate(*, point: Point) -> Region | None:
    """The county containing ``point`` (boundary points belong to a county that covers them)."""
    return Region.objects.counties().filter(geom__covers=point).select_related("parent").order_by("adcode").first()


def region_list(*, level: str | None = None) -> QuerySet[Region]:
    qs = Region.objects.select_related("parent").defer("geom")
    if level:
        qs = qs.filter(level=level)
    return qs


def county_seat(adcode: int) -> Point | None:
    region = Region.objects.filter(adcode=adcode).only("center").first()
    return region.center if region else None


def regions_under(adcode: int) -> list[int] | None:
    """Adcodes at and below ``adcode``; None when no such region exists."""
    region = Region.objects.filter(adcode=adcode).first()
    return region.self_and_descendant_adcodes() if region else None


LEVELS = [choice for choice, _ in RegionLevel.choices]
