"""Geocoding institution addresses, with a county-seat fallback that always answers.

The provider is a setting (``GEOCODER``: none | nominatim, through geopy). On this
platform's networks a provider is often unreachable, so any failure — not configured,
timeout, refused, nothing found, or a result outside Ningxia — falls back to the seat of the
county named in the address (e.g. "…西夏区…" → 西夏区's seat), else of the institution's
registered county, else Yinchuan. The note says which happened, and the institution can
always drag its marker to the exact spot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point

from geodata.models import Region, RegionLevel
from geodata.selectors import region_locate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GeocodeResult:
    point: Point
    source: str  # "provider" | "county_seat"
    note: str


def _provider():
    if settings.GEOCODER == "nominatim":
        # why: geopy is slow to import and only the nominatim setting uses it
        from geopy.geocoders import Nominatim

        return Nominatim(
            user_agent=settings.GEOCODER_USER_AGENT,
            domain=settings.GEOCODER_DOMAIN,
            timeout=settings.GEOCODER_TIMEOUT,
        )
    return None


def _county_in_address(address: str) -> Region | None:
    # Longest names first so 青铜峡市 wins over a shorter accidental match.
    counties = sorted(Region.objects.filter(level=RegionLevel.COUNTY), key=lambda r: -len(r.name))
    return next((c for c in counties if c.name in address), None)


def geocode_address(address: str, *, fallback_region: Region | None = None) -> GeocodeResult:
    # why: geopy is slow to import; a geocoding call is rare (an address edit)
    from geopy.exc import GeopyError

    geocoder = _provider()
    if geocoder is not None and address.strip():
        try:
            found = geocoder.geocode(address, language="zh")
        except (GeopyError, OSError) as exc:
            log.warning("geocoder failed for %r: %s", address, exc)
            found = None
        if found is not None:
            point = Point(float(found.longitude), float(found.latitude), srid=settings.SRID)
            if region_locate(point=point) is not None:
                return GeocodeResult(point, "provider", "已按地址定位，可拖动标记微调。")
    county = _county_in_address(address) or (
        fallback_region if fallback_region and fallback_region.level == RegionLevel.COUNTY else None
    )
    if county is None:
        county = Region.objects.get(adcode=640104)
    return GeocodeResult(
        county.center,
        "county_seat",
        f"地址解析服务不可用或未找到结果，已暂定在{county.name}政府驻地，请拖动标记到准确位置。",
    )
