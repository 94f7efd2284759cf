"""Synthetic voucher-use records for the dashboards' scale benchmark, generated in SQL.

``generate_usage(count=N)`` writes N voucher *uses* into the fact table (``VoucherEvent``,
``synthetic = true``) together with the other stages of those vouchers — issued before the
use, most redeemed and then paid afterwards when that date has come — plus 10 % vouchers
issued and never used; then it rebuilds every aggregate. Only the dashboards' own tables
are written: synthetic enterprises and institutions are negative ids (shown as 合成企业 N /
合成机构 N), placed at population-weighted points inside Ningxia with the same generator as
the map benchmark (``geodata.synthetic.create_points_table``).

The uses fall in the dashboards' default window (the twelve calendar months ending with the
current one), so the default view of the whole province shows all of them. Everything is
deterministic for a given seed and day.
"""

# ruff: noqa: S608 -- SQL text is built from module constants and validated indexes only;
# every value a user can influence is passed as a query parameter.
from __future__ import annotations

import datetime as dt
import math
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import PUBLIC_BENEFIT_CATEGORIES
from dashboards.aggregation import rebuild_aggregates
from dashboards.models import CATEGORIES, KINDS
from geodata.synthetic import TABLE as POINTS
from geodata.synthetic import create_points_table

# Service categories in ServiceCategory order, with their share of the uses.
CATEGORY_SHARES = (0.30, 0.04, 0.18, 0.08, 0.05, 0.06, 0.07, 0.06, 0.04, 0.06, 0.04, 0.02)
# Institution kinds in InstitutionKind order: university, research institute, public test
# agency, enterprise lab, incubator, tech transfer, other.
KIND_SHARES = (0.20, 0.20, 0.25, 0.10, 0.10, 0.10, 0.05)
PUBLIC_KINDS = ("university", "research_institute", "public_test_agency")
UNUSED_SHARE = 0.10
REDEEMED_SHARE = 0.85
PAID_SHARE = 0.90

assert len(CATEGORY_SHARES) == len(CATEGORIES) and len(KIND_SHARES) == len(KINDS)


def _thresholds(shares: tuple[float, ...]) -> list[float]:
    """Upper bounds for width_bucket: a uniform r falls in bucket k with probability shares[k]."""
    out, acc = [], 0.0
    for share in shares[:-1]:
        acc += share
        out.append(round(acc, 6))
    return out


def _coprime(n: int, candidates=(7919, 7907, 104729, 104723)) -> int:
    return next(p for p in candidates if math.gcd(p, n) == 1)


def window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The dashboards' default range: first day of the month eleven months back → the first
    day of the current month (both inclusive, as months)."""
    today = today or timezone.localdate()
    months = today.year * 12 + today.month - 1 - 11
    return dt.date(months // 12, months % 12 + 1, 1), today.replace(day=1)


def clear_synthetic() -> int:
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("DELETE FROM dashboards_voucherevent WHERE synthetic")
            removed = cur.rowcount
        rebuild_aggregates(None)
    return removed


@transaction.atomic
def generate_usage(
    *, count: int, enterprises: int | None = None, institutions: int | None = None, seed: float = 0.42
) -> dict:
    if count < 1:
        raise ValueError("count must be ≥ 1")
    started = time.perf_counter()
    n_ent = enterprises or max(50, min(10_000, count // 100))
    n_inst = institutions or max(10, min(300, count // 2000))
    start_month, _ = window()
    start = timezone.make_aware(dt.datetime.combine(start_month, dt.time()))
    now = timezone.now()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT coalesce(min(enterprise_id), 0), coalesce(min(institution_id), 0) FROM dashboards_voucherevent"
        )
        ent_offset, inst_offset = (-v for v in cur.fetchone())  # keep ids of earlier runs distinct

        create_points_table(total=n_ent, seed=seed)
        cur.execute(f"CREATE TEMP TABLE dash_ent ON COMMIT DROP AS SELECT n, region_id, pt FROM {POINTS}")
        create_points_table(total=n_inst, seed=(seed + 0.31) % 1)
        cur.execute(
            f"""CREATE TEMP TABLE dash_inst ON COMMIT DROP AS
                SELECT n, region_id, pt, (%(kinds)s::text[])[1 + width_bucket(random(), %(kind_t)s::float8[])] AS kind
                FROM {POINTS}""",
            {"kinds": list(KINDS), "kind_t": _thresholds(KIND_SHARES)},
        )
        cur.execute(f"DROP TABLE {POINTS}")
        cur.execute("CREATE UNIQUE INDEX ON dash_ent (n)")
        cur.execute("CREATE UNIQUE INDEX ON dash_inst (n)")
        cur.execute("SELECT setseed(%s)", [seed])
        # One row per voucher: who, what, how much, and the random draws of every stage.
        # Enterprises and institutions are picked with a skew (a few use vouchers a lot),
        # through a multiplicative permutation so the skew does not follow the adcodes.
        cur.execute(
            """
            CREATE TEMP TABLE dash_use ON COMMIT DROP AS
            SELECT g,
                   1 + (floor(%(n_ent)s * power(random(), 2))::bigint * %(p_ent)s) %% %(n_ent)s AS e,
                   1 + (floor(%(n_inst)s * power(random(), 1.5))::bigint * %(p_inst)s) %% %(n_inst)s AS i,
                   (%(cats)s::text[])[1 + width_bucket(random(), %(cat_t)s::float8[])] AS category,
                   least(200000, greatest(500, round(exp(ln(15000) + 0.9 * sqrt(-2 * ln(1 - random()))
                         * cos(2 * pi() * random()))::numeric, 2))) AS amount,
                   g <= %(count)s AS used,
                   %(start)s::timestamptz + random() * (%(now)s::timestamptz - %(start)s::timestamptz) AS used_at,
                   random() AS r_issue, random() AS r_redeem, random() AS r_pay, random() AS d_redeem, random() AS d_pay
            FROM generate_series(1, %(total)s) g
            """,
            {
                "n_ent": n_ent,
                "p_ent": _coprime(n_ent),
                "n_inst": n_inst,
                "p_inst": _coprime(n_inst),
                "cats": list(CATEGORIES),
                "cat_t": _thresholds(CATEGORY_SHARES),
                "count": count,
                "total": count + round(count * UNUSED_SHARE),
                "start": start,
                "now": now,
            },
        )
        cur.execute(
            """
            CREATE TEMP TABLE dash_stage ON COMMIT DROP AS
            SELECT u.*, ent.region_id AS county_id, ent.pt AS ent_pt, inst.pt AS inst_pt, inst.kind,
                   u.used_at - (1 + u.r_issue * 59) * interval '1 day' AS issued_at,
                   u.used_at + (10 + u.d_redeem * 30) * interval '1 day' AS redeemed_at,
                   u.used_at + (25 + u.d_redeem * 30 + u.d_pay * 30) * interval '1 day' AS paid_at
            FROM dash_use u JOIN dash_ent ent ON ent.n = u.e JOIN dash_inst inst ON inst.n = u.i
            """
        )
        cur.execute(
            f"""
            INSERT INTO dashboards_voucherevent (voucher_id, synthetic, stage, at, month, amount, county_id,
                enterprise_id, institution_id, institution_kind, institution_public, institution_in_region,
                category, kc, public_benefit, ent_point, inst_point)
            SELECT NULL, true, x.stage, x.at, date_trunc('month', x.at AT TIME ZONE %(tz)s)::date, s.amount,
                   s.county_id, -(s.e + %(ent_offset)s), -(s.i + %(inst_offset)s), s.kind,
                   s.kind = ANY(%(public)s), true, s.category,
                   (array_position(%(kinds)s::text[], s.kind) - 1) * {len(CATEGORIES)}
                     + array_position(%(cats)s::text[], s.category) - 1,
                   s.category = ANY(%(public_benefit)s), s.ent_pt, s.inst_pt
            FROM dash_stage s
            CROSS JOIN LATERAL (VALUES
                ('issued', CASE WHEN s.used THEN s.issued_at
                                ELSE %(start)s::timestamptz
                                     + s.r_issue * (%(now)s::timestamptz - %(start)s::timestamptz) END,
                 true),
                ('used', s.used_at, s.used),
                ('redeemed', s.redeemed_at, s.used AND s.r_redeem < %(redeemed)s AND s.redeemed_at <= %(now)s),
                ('paid', s.paid_at, s.used AND s.r_redeem < %(redeemed)s AND s.r_pay < %(paid)s
                                    AND s.paid_at <= %(now)s)
            ) x(stage, at, happened)
            WHERE x.happened
            """,
            {
                "tz": settings.TIME_ZONE,
                "ent_offset": ent_offset,
                "inst_offset": inst_offset,
                "public": list(PUBLIC_KINDS),
                "kinds": list(KINDS),
                "cats": list(CATEGORIES),
                "public_benefit": [c.value for c in PUBLIC_BENEFIT_CATEGORIES],
                "start": start,
                "now": now,
                "redeemed": REDEEMED_SHARE,
                "paid": PAID_SHARE,
            },
        )
        events = cur.rowcount
    inserted = time.perf_counter()
    rebuild_aggregates(None)
    with connection.cursor() as cur:
        cur.execute("SELECT stage, count(*) FROM dashboards_voucherevent WHERE synthetic GROUP BY stage")
        by_stage = dict(cur.fetchall())
    return {
        "uses": count,
        "events": events,
        "by_stage": by_stage,
        "enterprises": n_ent,
        "institutions": n_inst,
        "insert_seconds": round(inserted - started, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
    }
