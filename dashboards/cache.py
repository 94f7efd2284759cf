"""Caching what the dashboards compute from their pre-aggregates.

The statistics pages group tens of thousands of pre-aggregate rows per request (the top
lists group the ``OrgMonth`` rows of a year into one row per organisation; the breakdown
scans ``RegionMonth``). Those results depend only on the aggregate tables and on the
request's scope and filters, so they are cached under the **aggregate version**: a number
that a trigger on ``dashboards_regionmonth``, ``dashboards_orgmonth`` and
``dashboards_heatcell`` draws from a sequence in every transaction that writes them
(migration ``dashboards.0005_aggregate_version``) — the incremental refresh before each
dashboard read, the nightly full refresh, the benchmark's generator, any raw SQL.

The version is read from the database at every cached call, *before* the aggregates: a
refresh committing in between makes a result at worst fresher than its key, never staler,
and every process sees a new version the moment the change commits. So the cache may be
per process (``CACHES["dashboards"]``, local memory); its timeout only bounds memory, never
correctness. Only aggregate figures are cached: names (organisations, regions, the
province's words) are looked up per request.

Behind each process's memory sits a shared cache (``CACHES["dashboards_shared"]``, a
database table every process and machine reads): a figure is computed once per version by whichever
process asks first — or before anyone asks, by the worker (``dashboards.tasks``: after each
refresh that changed the aggregates, ``warm_defaults`` computes the default views of the
province and of each city), so the first page after a voucher movement reads figures
instead of grouping the aggregates in the request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db import connection

CACHE_ALIAS = "dashboards"
SHARED_ALIAS = "dashboards_shared"
T = TypeVar("T")


def aggregate_version() -> int:
    """The current aggregate version (0 when the version table is missing)."""
    with connection.cursor() as cur:
        cur.execute("SELECT version FROM dashboards_aggregate_version WHERE id = 1")
        row = cur.fetchone()
    return row[0] if row else 0


def cached(name: str, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, or its cached result for ``name`` and ``key`` (plain values: ints,
    strings, dates, tuples of them) under the current aggregate version."""
    version = aggregate_version()
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    cache_key = f"dash:{name}:{version}:{digest}"
    local = caches[CACHE_ALIAS]
    hit = local.get(cache_key)
    if hit is not None:
        return hit
    if local.default_timeout == 0:  # DASHBOARD_CACHE_SECONDS=0: no cache at all
        return compute()
    shared = caches[SHARED_ALIAS]
    value = shared.get(cache_key)
    if value is None:
        value = compute()
        shared.set(cache_key, value)
    local.set(cache_key, value)
    return value
