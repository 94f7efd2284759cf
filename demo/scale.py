"""Scale data for benchmarks: N synthetic organisations (and, later, listings) in one SQL pass.

Rows are recognisable and removable: synthetic organisations have e-mail addresses under
the reserved ``synthetic.invalid`` domain and names starting with 合成.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from geodata.synthetic import TABLE, create_points_table

SYNTHETIC_DOMAIN = "synthetic.invalid"


def clear_synthetic_organisations() -> int:
    with connection.cursor() as cur:
        cur.execute(
            "DELETE FROM accounts_organisation WHERE contact_email LIKE %s AND NOT EXISTS "
            "(SELECT 1 FROM accounts_user u WHERE u.organisation_id = accounts_organisation.id)",
            [f"%@{SYNTHETIC_DOMAIN}"],
        )
        return cur.rowcount


@transaction.atomic
def generate_organisations(*, count: int, seed: float = 0.42) -> dict:
    """Insert ``count`` certified synthetic enterprises at population-weighted points."""
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
                listing_mode, direct_basis, has_management_rules, facilities, created_at, updated_at)
            SELECT '合成企业' || n, 'enterprise', '', '', '', '', region_id, pt, '', '',
                   'org' || n || '@{SYNTHETIC_DOMAIN}', '', 'other', '', 'certified', '', true,
                   '', '', false, '', now(), now()
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
