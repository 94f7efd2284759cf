"""Turning request parameters into geometries without handing user text to GEOS/GDAL.

GDAL on Debian 12 is older than 3.9, so a user-supplied spatial reference could make it
read files or the network (Django's gis.W001). We therefore never parse user WKT/GeoJSON:
coordinates are parsed as plain floats here, range-checked, and the geometry is constructed
in SRID 4326 by our own code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.contrib.gis.geos import Point, Polygon

from mapsite.errors import BadInput


class CoordinateError(BadInput):
    """A coordinate parameter is missing, not a number or out of range (→ HTTP 400)."""


def parse_float(raw: object, name: str) -> float:
    try:
        value = float(str(raw).strip())
    except (TypeError, ValueError) as exc:
        raise CoordinateError(f"{name} 必须是数字（{name} must be a number）。") from exc
    if not math.isfinite(value):
        raise CoordinateError(f"{name} 必须是有限数字（{name} must be finite）。")
    return value


class LngLat(NamedTuple):
    """A checked WGS-84 position as two floats: what a search needs of a point, without the
    cost of a GEOS geometry (``point()`` makes one where a geometry is wanted)."""

    x: float  # longitude
    y: float  # latitude

    def point(self) -> Point:
        return Point(self.x, self.y, srid=settings.SRID)


def make_lng_lat(lng: object, lat: object) -> LngLat:
    x = parse_float(lng, "lng")
    y = parse_float(lat, "lat")
    if not -180 <= x <= 180:
        raise CoordinateError("经度超出范围 [-180, 180]（lng out of range）。")
    if not -90 <= y <= 90:
        raise CoordinateError("纬度超出范围 [-90, 90]（lat out of range）。")
    return LngLat(x, y)


def make_point(lng: object, lat: object) -> Point:
    return make_lng_lat(lng, lat).point()


def parse_lng_lat(raw: str, name: str = "near") -> LngLat:
    """Parse ``"<lng>,<lat>"``."""
    parts = str(raw).split(",")
    if len(parts) != 2:
        raise CoordinateError(f"{name} 应为“经度,纬度”（{name} must be '<lng>,<lat>'）。")
    return make_lng_lat(parts[0], parts[1])


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    def polygon(self) -> Polygon:
        return Polygon.from_bbox((self.west, self.south, self.east, self.north))

    @property
    def polygon_4326(self) -> Polygon:
        poly = self.polygon()
        poly.srid = settings.SRID
        return poly


def parse_bbox(raw: str) -> BBox:
    """Parse ``"<west>,<south>,<east>,<north>"`` in degrees; reject anything off the globe."""
    parts = str(raw).split(",")
    if len(parts) != 4:
        raise CoordinateError("bbox 应为“西,南,东,北”四个数（bbox must be w,s,e,n）。")
    west, south, east, north = (parse_float(p, "bbox") for p in parts)
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise CoordinateError("bbox 超出地球范围（bbox outside the world）。")
    if west >= east or south >= north:
        raise CoordinateError("bbox 需满足 西<东 且 南<北（bbox must have w<e and s<n）。")
    return BBox(west, south, east, north)


# WGS-84's mean radius, (2a + b) / 3: the sphere PostGIS uses for geography distances with
# use_spheroid = false.
SPHERE_RADIUS_M = (2 * 6378137.0 + 6356752.314245179) / 3


def sphere_distance_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle distance in metres, the formula of PostGIS's ``sphere_distance``
    (``ST_Distance(geography, geography, false)``), so Python and SQL agree to the millimetre."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_lng = math.radians(lng2 - lng1)
    cos_phi1, sin_phi1, cos_phi2, sin_phi2 = math.cos(phi1), math.sin(phi1), math.cos(phi2), math.sin(phi2)
    cos_d = math.cos(d_lng)
    a = math.hypot(cos_phi2 * math.sin(d_lng), cos_phi1 * sin_phi2 - sin_phi1 * cos_phi2 * cos_d)
    b = sin_phi1 * sin_phi2 + cos_phi1 * cos_phi2 * cos_d
    return math.atan2(a, b) * SPHERE_RADIUS_M
