"""Reads on regions: locating a point, listing regions by level."""

from __future__ import annotations

import threading
from typing import NamedTuple

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection
from django.db.models import QuerySet

from geodata.models import Region, RegionLevel


def region_locate(*, point: Point) -> Region | None:
    """The county containing ``point`` (boundary points belong to a county that covers them)."""
    return Region.objects.counties().filter(geom__covers=point).select_related("parent").order_by("adcode").first()


def province_name() -> str:
    """The deployment's province as its regions name it (e.g. 河南省), for messages."""
    return region_name(settings.PLATFORM_PROVINCE)


def region_name(adcode: int) -> str:
    entry = region_directory().get(adcode)
    return entry.name if entry else str(adcode)


def region_list(*, level: str | None = None) -> QuerySet[Region]:
    qs = Region.objects.select_related("parent").defer("geom")
    if level:
        qs = qs.filter(level=level)
    return qs


def county_seat(adcode: int) -> Point | None:
    region = Region.objects.filter(adcode=adcode).only("center").first()
    return region.center if region else None


class RegionEntry(NamedTuple):
    name: str
    parent: int | None
    level: str = ""


# Regions are reference data (changed only by ``geodata_import_regions``), read on every map
# search: each process keeps a directory of them (28 rows for Ningxia) instead of reading them
# all. The directory is keyed by ``region_set_version`` (one single-row read per call), so no
# process uses it a moment after a committed change anywhere, whether made through the ORM, a
# bare ``UPDATE`` or another machine.
_directory: tuple[int, dict[int, RegionEntry]] | None = None
_directory_lock = threading.Lock()


def region_directory() -> dict[int, RegionEntry]:
    """adcode → (name, parent adcode, level) for every region, as of the last committed change (and
    this transaction's own)."""
    global _directory
    version = region_set_version()  # before the rows: see its docstring
    current = _directory
    if current is not None and current[0] == version:
        return current[1]
    with _directory_lock:
        rows = Region.objects.values_list("adcode", "name", "parent_id", "level")
        entries = {adcode: RegionEntry(name, parent, level) for adcode, name, parent, level in rows}
        _directory = (version, entries)
        return entries


def forget_region_directory() -> None:
    """Drop this process's directory (tests that compare a load from scratch)."""
    global _directory
    _directory = None


def _known(adcode: int) -> dict[int, RegionEntry] | None:
    directory = region_directory()
    return directory if adcode in directory else None


def region_set_version() -> int:
    """A number that changes with every change to the regions (any statement on
    ``geodata_region``: a trigger draws it from a sequence in the same transaction, migration
    ``geodata.0002_region_set_version``), visible to others when the change commits and never
    reused, even after a rollback. Key caches derived from regions on it, and read it *before*
    the regions: a concurrent change then at worst makes the cache fresher than its key, never
    staler."""
    with connection.cursor() as cur:
        cur.execute("SELECT version FROM geodata_region_version WHERE id = 1")
        row = cur.fetchone()
    return row[0] if row else 0


def regions_under(adcode: int) -> list[int] | None:
    """Adcodes at and below ``adcode`` (itself first); None when no such region exists."""
    directory = _known(adcode)
    if directory is None:
        return None
    found, frontier = [adcode], [adcode]
    while frontier:
        frontier = [code for code, entry in directory.items() if entry.parent in frontier]
        found.extend(frontier)
    return found


LEVELS = [choice for choice, _ in RegionLevel.choices]
