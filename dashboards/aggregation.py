"""Keeping the dashboards' facts and pre-aggregates in step with the vouchers tables.

The dashboards read only their own tables (``dashboards.models``). This module writes them:

* :func:`refresh_all` rebuilds every voucher's events from the vouchers tables and every
  aggregate from the events (``manage.py dashboards_refresh --commit``; run it nightly — it
  also picks up what no ledger entry records, such as an institution changing its kind or
  moving its marker).
* :func:`refresh_changed` is the incremental path, run before each dashboard read by
  :func:`ensure_fresh`. Every movement of a voucher's value (issue, use, redemption request,
  confirmation, payout, return, expiry, clawback) writes append-only ledger entries, so the
  entries newer than the last refresh name exactly the vouchers whose events may have
  changed. Their events are recomputed, and the aggregates are rebuilt for the (month,
  county) slices those events were in before and are in now — a few thousand rows at most.

The vouchers layer never imports this module: it does not know dashboards exist.

Concurrency: one refresh at a time, under a transaction-scoped advisory lock. A dashboard
read that finds a refresh already running does not wait; it reads the aggregates as they
were (at most one refresh behind). Ledger ids come from a sequence, so an entry committed
late can carry a lower id than one already seen; the incremental pass therefore also
re-reads entries written in the last ``LATE_COMMIT_WINDOW`` (recomputing a voucher twice is
harmless) and the nightly full refresh is the backstop.
"""

# ruff: noqa: S608 -- SQL text is built from module constants and validated indexes only;
# every value a user can influence is passed as a query parameter.
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import PUBLIC_BENEFIT_CATEGORIES, ServiceCategory
from dashboards.models import CATEGORIES, KINDS, MATRIX, RefreshState, Stage

#: Grid sizes in degrees of the heat cells: level 0 for the province and cities, level 1 for
#: a county or closer. 0.05° ≈ 4.4 km (N–S) × 5.5 km (E–W) in Ningxia; 0.01° ≈ 1 km.
GRID_LEVELS: tuple[float, ...] = (0.05, 0.01)
LOCK_KEY = 640_600_6  # pg_advisory lock id of the dashboards refresh
LATE_COMMIT_WINDOW = dt.timedelta(minutes=10)
OTHER_CATEGORY = ServiceCategory.OTHER.value

EVENT_COLUMNS = (
    "voucher_id, synthetic, stage, at, month, amount, county_id, enterprise_id, institution_id, "
    "institution_kind, institution_public, institution_in_region, category, kc, public_benefit, "
    "ent_point, inst_point"
)

# Events of real vouchers, derived from the vouchers tables. ``%(ids)s`` limits it to some
# vouchers (NULL = all). Amounts: issued = face value + county top-up (the voucher's value);
# used = the amount the voucher paid; redeemed = the redemption item of a redemption the
# centre confirmed (or paid); paid = what the payout moved to PAID. A clawed-back voucher's
# money went back to the budgets, so it counts as issued and used but not redeemed or paid.
_EVENTS_SQL = f"""
WITH base AS (
    SELECT v.id AS voucher_id, v.status, v.issued_at, v.face_value + v.county_topup AS value,
           e.id AS enterprise_id, coalesce(er.adcode, 0) AS county_id,
           coalesce(e.location, er.center) AS ent_point,
           i.organisation_id AS institution_id, i.kind AS institution_kind,
           i.is_public_institution AS institution_public, io.in_region AS institution_in_region,
           coalesce(io.location, ir.center) AS inst_point,
           CASE WHEN c.category = ANY(%(categories)s) THEN c.category ELSE %(other)s END AS category,
           (coalesce(s.public_benefit, false) OR c.category = ANY(%(public_benefit)s)) AS public_benefit
    FROM vouchers_voucher v
    JOIN vouchers_contract c ON c.id = v.contract_id
    JOIN accounts_organisation e ON e.id = v.enterprise_id
    LEFT JOIN geodata_region er ON er.adcode = e.region_id AND er.level = 'county'
    JOIN catalog_institution i ON i.organisation_id = v.institution_id
    JOIN accounts_organisation io ON io.id = i.organisation_id
    LEFT JOIN geodata_region ir ON ir.adcode = io.region_id
    LEFT JOIN catalog_service s ON s.id = c.service_id
    WHERE %(ids)s::bigint[] IS NULL OR v.id = ANY(%(ids)s::bigint[])
), stages AS (
    SELECT voucher_id, 'issued' AS stage, issued_at AS at, value AS amount FROM base
    UNION ALL
    SELECT u.voucher_id, 'used', u.paid_at, u.voucher_applied
    FROM vouchers_voucheruse u JOIN base b ON b.voucher_id = u.voucher_id
    UNION ALL
    (SELECT DISTINCT ON (ri.voucher_id) ri.voucher_id, 'redeemed', r.confirmed_at, ri.amount
     FROM vouchers_redemptionitem ri
     JOIN vouchers_redemption r ON r.id = ri.redemption_id
     JOIN base b ON b.voucher_id = ri.voucher_id
     WHERE r.status IN ('confirmed', 'paid') AND r.confirmed_at IS NOT NULL AND b.status <> 'clawed_back'
     ORDER BY ri.voucher_id, r.confirmed_at DESC)
    UNION ALL
    SELECT l.voucher_id, 'paid', max(l.at), sum(l.amount)
    FROM vouchers_ledgerentry l JOIN base b ON b.voucher_id = l.voucher_id
    WHERE b.status = 'redeemed' AND l.kind = 'pay' AND l.account = 'paid' AND l.amount > 0
    GROUP BY l.voucher_id
)
INSERT INTO dashboards_voucherevent ({EVENT_COLUMNS})
SELECT b.voucher_id, false, s.stage, s.at,
       date_trunc('month', s.at AT TIME ZONE %(tz)s)::date, s.amount, b.county_id,
       b.enterprise_id, b.institution_id, b.institution_kind, b.institution_public,
       b.institution_in_region, b.category,
       (array_position(%(kinds)s, b.institution_kind::text) - 1) * {len(CATEGORIES)}
         + array_position(%(categories)s, b.category::text) - 1,
       b.public_benefit, b.ent_point, b.inst_point
FROM stages s JOIN base b ON b.voucher_id = s.voucher_id
WHERE s.amount > 0
"""


def event_params(ids: list[int] | None) -> dict:
    return {
        "ids": ids,
        "categories": list(CATEGORIES),
        "kinds": list(KINDS),
        "other": OTHER_CATEGORY,
        "public_benefit": [c.value for c in PUBLIC_BENEFIT_CATEGORIES],
        "tz": settings.TIME_ZONE,
    }


# --- aggregates ---------------------------------------------------------------------------------

SLICE_TABLE = "dash_slices"


def _slice_join(alias: str = "e") -> str:
    return f" JOIN {SLICE_TABLE} sl ON sl.m = {alias}.month AND sl.c = {alias}.county_id"


def _region_month_sql(sliced: bool) -> str:
    return (
        "INSERT INTO dashboards_regionmonth (month, stage, county_id, institution_kind, category, n, amount) "
        "SELECT e.month, e.stage, e.county_id, e.institution_kind, e.category, count(*), sum(e.amount) "
        "FROM dashboards_voucherevent e" + (_slice_join() if sliced else "") + " GROUP BY 1, 2, 3, 4, 5 ORDER BY 2, 1"
    )


def _org_month_sql(sliced: bool) -> str:
    join = _slice_join() if sliced else ""
    return (
        "INSERT INTO dashboards_orgmonth (month, stage, side, county_id, org_id, institution_kind, n, amount) "
        "SELECT * FROM ("
        "SELECT e.month, e.stage, 'enterprise', e.county_id, e.enterprise_id, '', count(*), sum(e.amount) "
        f"FROM dashboards_voucherevent e{join} GROUP BY 1, 2, 4, 5 "
        "UNION ALL "
        "SELECT e.month, e.stage, 'institution', e.county_id, e.institution_id, e.institution_kind, "
        f"count(*), sum(e.amount) FROM dashboards_voucherevent e{join} GROUP BY 1, 2, 4, 5, 6"
        ") u ORDER BY 2, 3, 1"
    )


def _heat_sql(level: int, sliced: bool) -> str:
    """Voucher use on the level's grid, for both bases, with the kind × category amounts.

    The matrix is built in the same pass with one ``FILTER`` per combination; ``kc`` is a
    small integer, so the 84 filters cost little next to reading the rows."""
    size = GRID_LEVELS[level]

    def sums(condition: str, n: int) -> str:
        return ", ".join(
            f"coalesce(round(sum(e.amount) FILTER (WHERE {condition.format(i)})), 0)::bigint" for i in range(n)
        )

    ncat = len(CATEGORIES)
    matrix = sums("e.kc = {}", MATRIX)
    by_kind = sums(f"e.kc / {ncat} = {{}}", len(KINDS))
    by_category = sums(f"e.kc % {ncat} = {{}}", ncat)
    return (
        "INSERT INTO dashboards_heatcell (level, basis, month, county_id, cx, cy, n, total, sum_lng, sum_lat, "
        "amounts, by_kind, by_category) "
        f"SELECT {level}, b.basis, e.month, e.county_id, "
        f"floor(ST_X(b.pt) / {size!r})::int, floor(ST_Y(b.pt) / {size!r})::int, "
        "count(*), round(sum(e.amount))::bigint, "
        "sum(e.amount::float8 * ST_X(b.pt)), sum(e.amount::float8 * ST_Y(b.pt)), "
        f"ARRAY[{matrix}], ARRAY[{by_kind}], ARRAY[{by_category}] "
        "FROM dashboards_voucherevent e"
        + (_slice_join() if sliced else "")
        + " CROSS JOIN LATERAL (VALUES ('enterprise', e.ent_point), ('institution', e.inst_point)) b(basis, pt) "
        f"WHERE e.stage = '{Stage.USED.value}' AND b.pt IS NOT NULL "
        "GROUP BY 2, 3, 4, 5, 6 ORDER BY 2, 3, 4, 5, 6"
    )


AGGREGATE_TABLES = ("dashboards_regionmonth", "dashboards_orgmonth", "dashboards_heatcell")


def rebuild_aggregates(slices: Iterable[tuple[dt.date, int]] | None = None) -> None:
    """Rebuild the aggregates from the events: all of them, or only the given (month,
    county) slices. Call inside a transaction holding the refresh lock."""
    with connection.cursor() as cur:
        if slices is None:
            cur.execute(f"TRUNCATE {', '.join(AGGREGATE_TABLES)}")
            sliced = False
        else:
            slices = sorted(set(slices))
            if not slices:
                return
            cur.execute(f"DROP TABLE IF EXISTS {SLICE_TABLE}")
            cur.execute(f"CREATE TEMP TABLE {SLICE_TABLE} (m date, c int, PRIMARY KEY (m, c)) ON COMMIT DROP")
            cur.executemany(f"INSERT INTO {SLICE_TABLE} VALUES (%s, %s)", slices)
            for table in AGGREGATE_TABLES:
                cur.execute(f"DELETE FROM {table} t USING {SLICE_TABLE} sl WHERE t.month = sl.m AND t.county_id = sl.c")
            sliced = True
        cur.execute(_region_month_sql(sliced))
        cur.execute(_org_month_sql(sliced))
        for level in range(len(GRID_LEVELS)):
            cur.execute(_heat_sql(level, sliced))
        if not sliced:
            for table in ("dashboards_voucherevent", *AGGREGATE_TABLES):
                cur.execute(f"ANALYZE {table}")


# --- refresh ------------------------------------------------------------------------------------


def _lock(*, wait: bool) -> bool:
    with connection.cursor() as cur:
        if wait:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            return True
        cur.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        return cur.fetchone()[0]


def _ledger_max() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM vouchers_ledgerentry")
        return cur.fetchone()[0]


def _state() -> RefreshState:
    state, _ = RefreshState.objects.get_or_create(pk=1)
    return state


@transaction.atomic
def refresh_all() -> dict:
    """Rebuild every real voucher's events and all aggregates (synthetic events are kept)."""
    started = time.perf_counter()
    _lock(wait=True)
    # Read the watermark first: whatever is written after it is picked up next time.
    ledger_max = _ledger_max()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM dashboards_voucherevent WHERE NOT synthetic")
        cur.execute(_EVENTS_SQL, event_params(None))
        events = cur.rowcount
    rebuild_aggregates(None)
    now = timezone.now()
    RefreshState.objects.update_or_create(pk=1, defaults={"ledger_id": ledger_max, "refreshed_at": now, "full_at": now})
    return {"events": events, "seconds": round(time.perf_counter() - started, 2)}


def _slices_of(cur, ids: list[int]) -> set[tuple[dt.date, int]]:
    cur.execute(
        "SELECT DISTINCT month, county_id FROM dashboards_voucherevent WHERE voucher_id = ANY(%s::bigint[])", [ids]
    )
    return {(m, c) for m, c in cur.fetchall()}


def refresh_changed() -> dict | None:
    """Recompute the events of vouchers with new ledger entries and the slices they touch.
    ``None`` when another refresh holds the lock (the caller reads what is there)."""
    with transaction.atomic():
        if not _lock(wait=False):
            return None
        state = _state()
        ledger_max = _ledger_max()
        if ledger_max <= state.ledger_id:
            return {"vouchers": 0}
        since = (state.refreshed_at - LATE_COMMIT_WINDOW) if state.refreshed_at else None
        with connection.cursor() as cur:
            cur.execute(
                "SELECT DISTINCT voucher_id FROM vouchers_ledgerentry WHERE voucher_id IS NOT NULL "
                "AND (id > %s OR (%s::timestamptz IS NOT NULL AND at >= %s::timestamptz))",
                [state.ledger_id, since, since],
            )
            ids = [r[0] for r in cur.fetchall()]
            slices = _slices_of(cur, ids)
            cur.execute("DELETE FROM dashboards_voucherevent WHERE voucher_id = ANY(%s::bigint[])", [ids])
            if ids:
                cur.execute(_EVENTS_SQL, event_params(ids))
            slices |= _slices_of(cur, ids)
        rebuild_aggregates(slices)
        state.ledger_id, state.refreshed_at = ledger_max, timezone.now()
        state.save(update_fields=["ledger_id", "refreshed_at"])
        return {"vouchers": len(ids), "slices": len(slices)}


def ensure_fresh() -> None:
    """Bring the dashboards up to date with the ledger before a read (cheap when nothing
    changed: two indexed lookups)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT coalesce((SELECT max(id) FROM vouchers_ledgerentry), 0) "
            "> coalesce((SELECT ledger_id FROM dashboards_refreshstate WHERE id = 1), 0)"
        )
        stale = cur.fetchone()[0]
    if stale:
        refresh_changed()
