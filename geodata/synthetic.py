"""Synthetic locations inside the deployment's province, weighted to where people live,
generated in PostGIS.

Used by the scale generator for benchmarks. Each county of ``settings.PLATFORM_PROVINCE`` gets
a share of the points in proportion to its 2020 population where ``county_facts`` has it
(Ningxia), else in proportion to its area (the other provinces: no population table yet);
within a county, three quarters cluster around the county
seat (a normal spread of ~4 km, kept only where the county polygon covers them) and the rest
(plus whatever the clustered draw lost at the border) are spread uniformly over the county
with ``ST_GeneratePoints``. Everything happens in SQL, so a million points take seconds.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from geodata.county_facts import COUNTY_FACTS

TABLE = "synthetic_points"
URBAN_SHARE = 0.75
SIGMA_DEG = 0.04


def county_weights(province: int | None = None) -> dict[int, tuple[float, float, float]]:
    """``adcode -> (weight, lng, lat)`` for every county of ``province`` (default: the
    deployment's): population and seat from ``COUNTY_FACTS`` when it has the province, else
    the county's area (km², on the spheroid) and its representative point from the database."""
    province = province or settings.PLATFORM_PROVINCE
    facts = {a: f for a, f in COUNTY_FACTS.items() if province <= a < province + 10000}
    if facts:
        return {a: (float(f[3]), f[1], f[2]) for a, f in facts.items()}
    with connection.cursor() as cur:
        cur.execute(
            "SELECT adcode, ST_Area(geom::geography) / 1e6, ST_X(center), ST_Y(center) FROM geodata_region "
            "WHERE level = 'county' AND adcode >= %s AND adcode < %s",
            [province, province + 10000],
        )
        return {a: (area, lng, lat) for a, area, lng, lat in cur.fetchall()}


def county_shares(total: int, province: int | None = None) -> dict[int, int]:
    """Split ``total`` over the province's counties by weight (largest remainders, exact sum)."""
    weight = {a: w for a, (w, _, _) in county_weights(province).items()}
    whole = sum(weight.values())
    raw = {a: total * w / whole for a, w in weight.items()}
    shares = {a: int(v) for a, v in raw.items()}
    left = total - sum(shares.values())
    for adcode in sorted(raw, key=lambda a: raw[a] - shares[a], reverse=True)[:left]:
        shares[adcode] += 1
    return shares


def create_points_table(*, total: int, seed: float = 0.42) -> None:
    """Create the temporary table ``synthetic_points(n, region_id, pt)`` with ``total`` rows.

    ``n`` numbers the rows 1..total (handy for names); ``pt`` is a 4326 Point covered by the
    county ``region_id``. Deterministic for a given seed."""
    weights = county_weights()
    shares = county_shares(total)
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cur.execute(f"CREATE TEMP TABLE {TABLE} (n bigserial, region_id int, pt geometry(Point, 4326))")
        cur.execute("SELECT setseed(%s)", [seed])
        cur.execute("CREATE TEMP TABLE synthetic_quota (region_id int PRIMARY KEY, want int, lng float8, lat float8)")
        cur.executemany(
            "INSERT INTO synthetic_quota VALUES (%s, %s, %s, %s)",
            [(a, shares[a], weights[a][1], weights[a][2]) for a in shares],
        )
        # Urban draw: Box–Muller normal offsets around the seat, kept where the county covers.
        cur.execute(
            f"""
            INSERT INTO {TABLE} (region_id, pt)
            SELECT region_id, pt FROM (
                SELECT q.region_id, p.pt,
                       row_number() OVER (PARTITION BY q.region_id) AS k,
                       ceil(q.want * %s) AS keep
                FROM synthetic_quota q
                JOIN geodata_region r ON r.adcode = q.region_id
                CROSS JOIN LATERAL (
                    SELECT ST_SetSRID(ST_MakePoint(
                        q.lng + %s * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()),
                        q.lat + %s * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())
                    ), 4326) AS pt
                    FROM generate_series(1, ceil(q.want * %s * 1.1)::int)
                ) p
                WHERE ST_Covers(r.geom, p.pt)
            ) s WHERE k <= keep
            """,
            [URBAN_SHARE, SIGMA_DEG, SIGMA_DEG, URBAN_SHARE],
        )
        # Uniform draw for the rest of each county's share. ST_GeneratePoints on a
        # MultiPolygon splits the count by part area and can round one point short, so
        # repeat until every county has its share.
        for attempt in range(10):
            cur.execute(
                f"""
                INSERT INTO {TABLE} (region_id, pt)
                SELECT q.region_id,
                       (ST_Dump(ST_GeneratePoints(r.geom, (q.want - c.have)::int, %s))).geom
                FROM synthetic_quota q
                JOIN geodata_region r ON r.adcode = q.region_id
                JOIN (SELECT q2.region_id, count(t.region_id) AS have
                      FROM synthetic_quota q2 LEFT JOIN {TABLE} t ON t.region_id = q2.region_id
                      GROUP BY q2.region_id) c ON c.region_id = q.region_id
                WHERE q.want - c.have > 0
                """,
                [int(seed * 1000) + 1 + attempt],
            )
            if cur.rowcount == 0:
                break
        # ST_GeneratePoints may also round one over: trim every county to its share.
        cur.execute(
            f"""
            DELETE FROM {TABLE} t USING (
                SELECT s.n FROM (SELECT n, region_id, row_number() OVER (PARTITION BY region_id ORDER BY n) AS k
                                 FROM {TABLE}) s
                JOIN synthetic_quota q ON q.region_id = s.region_id WHERE s.k > q.want
            ) extra WHERE t.n = extra.n
            """
        )
        # Renumber 1..total in a stable order.
        cur.execute(
            f"CREATE TEMP TABLE {TABLE}_sorted AS "
            f"SELECT row_number() OVER (ORDER BY region_id, n) AS n, region_id, pt FROM {TABLE}"
        )
        cur.execute(f"DROP TABLE {TABLE}")
        cur.execute(f"ALTER TABLE {TABLE}_sorted RENAME TO {TABLE}")
        cur.execute("DROP TABLE synthetic_quota")
