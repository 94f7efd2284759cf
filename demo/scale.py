"""Scale data for benchmarks: N synthetic organisations (and, later, listings) in one SQL pass.

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
from catalog.selectors import listing_features_fill
from demo.data.catalogue import INSTRUMENT_TEMPLATES, SERVICE_TEMPLATES
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


@transaction.atomic
def generate_listings(*, count: int, seed: float = 0.42) -> dict:
    """Insert ``count`` synthetic public listings (instruments and services, a few
    institutions) at population-weighted points, then rebuild the cluster grid."""
    started = time.perf_counter()
    inst = _synthetic_institution()
    templates = _templates()
    create_points_table(total=count, seed=seed)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT coalesce(max(item_id), %s) FROM catalog_listing WHERE item_id >= %s",
            [SYNTHETIC_ITEM_BASE, SYNTHETIC_ITEM_BASE],
        )
        offset = cur.fetchone()[0]
        cur.execute(
            f"""
            INSERT INTO catalog_listing (kind, item_id, institution_id, name, institution_name,
                category, price, unit, voucher_eligible, in_region, location, region_id,
                rating_mean, rating_count, popularity, search_text, published_at)
            SELECT CASE WHEN p.n %% 50 = 0 THEN 'institution' ELSE (%(kinds)s::text[])[t] END,
                   %(offset)s + p.n, %(inst)s,
                   (%(names)s::text[])[t], '合成机构' || (p.n %% 5000),
                   (%(cats)s::text[])[t],
                   CASE WHEN p.n %% 50 = 0 THEN NULL ELSE round((50 + (p.n * 7919) %% 5000)::numeric, 2) END,
                   CASE WHEN (%(kinds)s::text[])[t] = 'instrument' THEN '元/小时' ELSE '元/样品' END,
                   p.n %% 10 <> 0, true, p.pt::geography, p.region_id,
                   round(((p.n * 31) %% 41)::numeric / 10 + 1, 2) * (p.n %% 3 > 0)::int,
                   (p.n * 13) %% 60, (p.n * 17) %% 200,
                   (%(texts)s::text[])[t], now() - ((p.n %% 900) || ' days')::interval
            FROM (SELECT *, 1 + (n * 7919) %% %(ntemplates)s AS t FROM {TABLE}) p
            """,
            {
                "kinds": [r[0] for r in templates],
                "names": [r[1] for r in templates],
                "cats": [r[2] for r in templates],
                "texts": [r[3] for r in templates],
                "ntemplates": len(templates),
                "offset": offset,
                "inst": inst.pk,
            },
        )
        inserted = cur.rowcount
        cur.execute(f"DROP TABLE {TABLE}")
    listing_features_fill()
    with connection.cursor() as cur:
        cur.execute("ANALYZE catalog_listing")
    inserted_at = time.perf_counter()
    cells = rebuild_grid()
    with connection.cursor() as cur:
        cur.execute("ANALYZE catalog_listingcell")
    return {
        "inserted": inserted,
        "grid_cells": cells,
        "insert_seconds": round(inserted_at - started, 2),
        "total_seconds": round(time.perf_counter() - started, 2),
    }
