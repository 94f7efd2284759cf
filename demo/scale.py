"""Scale data for benchmarks: N synthetic organisations in one SQL pass, N synthetic listings
by COPY (10⁷ in minutes).

Rows are recognisable and removable: synthetic organisations have e-mail addresses under
the reserved ``synthetic.invalid`` domain and names starting with 合成.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from accounts.models import Organisation
from catalog.listing import rebuild_grid
from catalog.models import Institution
from catalog.search_text import build_search_text, join_aliases
from catalog.selectors import feature_parts
from demo.data.catalogue import INSTRUMENT_TEMPLATES, SERVICE_TEMPLATES
from geodata.selectors import region_directory
from geodata.synthetic import TABLE, create_points_table

SYNTHETIC_DOMAIN = "synthetic.invalid"


def clear_synthetic_organisations() -> int:
    with connection.cursor() as cur:
        cur.execute(
            "DELETE FROM accounts_organisation WHERE contact_email LIKE %s AND kind = 'enterprise' "
            "AND NOT EXISTS (SELECT 1 FROM accounts_user u WHERE u.organisation_id = accounts_organisation.id)",
            [f"%@{SYNTHETIC_DOMAIN}"],
        )
        return cur.rowcount


@transaction.atomic
def generate_organisations(*, count: int, seed: float = 0.42) -> dict:
    """Insert ``count`` certified synthetic enterprises at weighted points of the province."""
    started = time.perf_counter()
    create_points_table(total=count, seed=seed)
    points_done = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO accounts_organisation (
                name, kind, credit_code, resident_id, legal_representative, registered_address,
                region_id, location, contact_name, contact_phone, contact_email, licence,
                qualification, qualification_number, status, pending_name, in_region,
                listing_mode, direct_basis, has_management_rules, facilities, zone_level,
                created_at, updated_at)
            SELECT '合成企业' || n, 'enterprise', '', '', '', '', region_id, pt, '', '',
                   'org' || n || '@{SYNTHETIC_DOMAIN}', '', 'other', '', 'certified', '', true,
                   '', '', false, '', '', now(), now()
            FROM {TABLE}
            """
        )
        inserted = cur.rowcount
        cur.execute(f"DROP TABLE {TABLE}")
    return {
        "inserted": inserted,
        "points_seconds": round(points_done - started, 2),
        "total_seconds": round(time.perf_counter() - started, 2),
    }


SYNTHETIC_INSTITUTION = "合成基准机构"


def _synthetic_institution():
    """One certified institution owning every synthetic listing (the FK needs a target)."""
    org, _ = Organisation.objects.get_or_create(
        name=SYNTHETIC_INSTITUTION,
        kind="institution",
        defaults={"status": "certified", "contact_email": f"institution@{SYNTHETIC_DOMAIN}", "in_region": True},
    )
    inst, _ = Institution.objects.get_or_create(organisation=org, defaults={"kind": "other"})
    return inst


def _templates() -> list[tuple[str, str, str, str]]:
    """(kind, name, category, search_text) drawn from the demo catalogue templates."""

    rows = [
        ("instrument", t["name"], t["category"], build_search_text(t["name"], join_aliases(t.get("keywords"))))
        for t in INSTRUMENT_TEMPLATES
    ]
    rows += [("service", t["name"], t["category"], build_search_text(t["name"])) for t in SERVICE_TEMPLATES]
    return rows


def clear_synthetic_listings() -> int:
    with connection.cursor() as cur:
        cur.execute("DELETE FROM catalog_listing WHERE item_id >= %s", [SYNTHETIC_ITEM_BASE])
        removed = cur.rowcount
    rebuild_grid()
    return removed


SYNTHETIC_ITEM_BASE = 10**12
COPY_BATCH = 50_000
# The columns the generator writes (the table's other columns are generated or the id).
COPY_COLUMNS = (
    "kind, item_id, institution_id, name, institution_name, category, price, unit, voucher_eligible, "
    "in_region, location, region_id, rating_mean, rating_count, popularity, search_text, published_at, "
    "feature_head, feature_tail"
)


def _rebuildable() -> list[tuple[str, str]]:
    """(drop, create) statements for ``catalog_listing``'s foreign keys and for its indexes
    that back no constraint: what a bulk load drops first and builds again after."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT format('ALTER TABLE catalog_listing DROP CONSTRAINT %I', conname),
                   format('ALTER TABLE catalog_listing ADD CONSTRAINT %I ', conname) || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE conrelid = 'catalog_listing'::regclass AND contype = 'f'
            UNION ALL
            SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = 'catalog_listing'::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """
        )
        return cur.fetchall()


@transaction.atomic
def generate_listings(*, count: int, seed: float = 0.42) -> dict:
    """Insert ``count`` synthetic public listings (instruments and services, a few
    institutions) at population-weighted points, then rebuild the cluster grid.

    Built for 10⁷ rows: the column values are computed set-based in SQL from the points
    table, each row's stored feature by ``feature_parts`` (the one writer of the format) as
    the rows stream through, and everything is written with COPY in batches, so no row is
    written twice. When the load at least doubles the table, the indexes that back no
    constraint, and its foreign keys, are dropped first and built again after (far quicker
    than keeping them up to date row by row; the table is locked until the transaction ends:
    a benchmark tool)."""
    started = time.perf_counter()
    inst = _synthetic_institution()
    templates = _templates()
    create_points_table(total=count, seed=seed)
    regions = region_directory()
    with connection.cursor() as cur:
        cur.execute(f"CREATE INDEX ON {TABLE} (n)")
        cur.execute(
            "SELECT coalesce(max(item_id), %s) FROM catalog_listing WHERE item_id >= %s",
            [SYNTHETIC_ITEM_BASE, SYNTHETIC_ITEM_BASE],
        )
        offset = cur.fetchone()[0]
        cur.execute("SELECT reltuples FROM pg_class WHERE oid = 'catalog_listing'::regclass")
        existing = max(0, cur.fetchone()[0])
        rebuild = _rebuildable() if count >= existing else []
        # Deferred row triggers would queue an event per row, checked one by one at commit:
        # the listings version (off for the load: the grid's TRUNCATE below bumps it anyway)
        # and the foreign keys (dropped with the indexes when the load is big, and validated
        # again in one pass when re-added). Events already pending (the institution's own
        # listing) fire now, so the table may be altered.
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("ALTER TABLE catalog_listing DISABLE TRIGGER catalog_listing_version")
        for drop, _ in rebuild:
            cur.execute(drop)
    points_done = time.perf_counter()
    params = {
        "kinds": [r[0] for r in templates],
        "names": [r[1] for r in templates],
        "cats": [r[2] for r in templates],
        "texts": [r[3] for r in templates],
        "ntemplates": len(templates),
        "offset": offset,
        "inst": inst.pk,
    }
    raw = connection.connection  # psycopg 3: COPY
    inserted = 0
    with raw.cursor() as cur:
        for low in range(1, count + 1, COPY_BATCH):
            cur.execute(ROWS_SQL, {**params, "low": low, "high": low + COPY_BATCH - 1})
            rows = cur.fetchall()
            with cur.copy(f"COPY catalog_listing ({COPY_COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    # kind … lat as FEATURE_COLUMNS reads them back (price as text, rating as float8)
                    (
                        kind,
                        item_id,
                        name,
                        inst_name,
                        category,
                        price,
                        unit,
                        voucher,
                        rating_text,
                        rating,
                        rating_count,
                        popularity,
                        region,
                        lng,
                        lat,
                        location,
                        text,
                        published,
                    ) = row
                    head, tail = feature_parts(
                        (
                            kind,
                            item_id,
                            name,
                            inst.pk,
                            inst_name,
                            category,
                            price,
                            unit,
                            voucher,
                            True,
                            rating,
                            rating_count,
                            popularity,
                            region,
                            lng,
                            lat,
                        ),
                        regions,
                    )
                    copy.write_row(
                        (
                            kind,
                            item_id,
                            inst.pk,
                            name,
                            inst_name,
                            category,
                            price,
                            unit,
                            voucher,
                            True,
                            location,
                            region,
                            rating_text,
                            rating_count,
                            popularity,
                            text,
                            published,
                            head,
                            tail,
                        )
                    )
            inserted += len(rows)
    copied = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE {TABLE}")
        cur.execute("ALTER TABLE catalog_listing ENABLE TRIGGER catalog_listing_version")
        if rebuild:
            cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for _, create in rebuild:
                cur.execute(create)
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
        cur.execute("ANALYZE catalog_listing")
        # The grid's aggregate over every row and level: in memory rather than spilled.
        cur.execute("SET LOCAL work_mem = '256MB'")
    inserted_at = time.perf_counter()
    cells = rebuild_grid()
    with connection.cursor() as cur:
        cur.execute("ANALYZE catalog_listingcell")
    return {
        "inserted": inserted,
        "grid_cells": cells,
        "points_seconds": round(points_done - started, 2),
        "copy_seconds": round(copied - points_done, 2),
        "index_seconds": round(inserted_at - copied, 2),
        "rebuilt": len(rebuild),
        "insert_seconds": round(inserted_at - started, 2),
        "total_seconds": round(time.perf_counter() - started, 2),
    }


# One batch of synthetic rows, n in [low, high]: the values every column gets (as text where
# COPY reads them as text anyway), plus the rating as float8 and the point's coordinates as
# the generated ``lng``/``lat`` columns will hold them, for the stored feature.
ROWS_SQL = f"""
SELECT kind, %(offset)s + n, (%(names)s::text[])[t], '合成机构' || (n %% 5000), (%(cats)s::text[])[t],
       price::text, CASE WHEN (%(kinds)s::text[])[t] = 'instrument' THEN '元/小时' ELSE '元/样品' END, n %% 10 <> 0,
       rating::text, rating::float8, (n * 13) %% 60, (n * 17) %% 200, region_id,
       ST_X(pt), ST_Y(pt), pt::geography::text, (%(texts)s::text[])[t],
       (now() - ((n %% 900) || ' days')::interval)::text
FROM (
    SELECT n, t, pt, region_id,
           CASE WHEN n %% 50 = 0 THEN 'institution' ELSE (%(kinds)s::text[])[t] END AS kind,
           CASE WHEN n %% 50 = 0 THEN NULL
                ELSE round((50 + (n * 7919) %% 5000)::numeric, 2)::numeric(14, 2) END AS price,
           (round(((n * 31) %% 41)::numeric / 10 + 1, 2) * (n %% 3 > 0)::int)::numeric(3, 2) AS rating
    FROM (SELECT *, 1 + (n * 7919) %% %(ntemplates)s AS t FROM {TABLE}
          WHERE n BETWEEN %(low)s AND %(high)s) p
) s
ORDER BY n
"""
