"""Reads for the dashboards, always through a ``Scope``.

Scope is the one rule of who sees what (SPEC §2, §6): a county bureau sees its county, a
city bureau its counties, the centre and the operator the whole province; enterprises,
institutions and experts see no dashboard. A voucher belongs to the county of its applicant
(the county whose bureau recommended it), wherever the institution is. Every query here
takes the scope and filters on it in SQL — a ``region`` parameter can only narrow the scope,
never widen it (a bureau asking for another county gets ``PermissionDenied``).

Maps and tables read the pre-aggregates (``dashboards.models``); the breakdown, the top
lists and the region totals are cached under the aggregate version (``dashboards.cache``),
names never. Sharing metrics and review times are small and read the catalogue and voucher
tables directly, uncached.
"""

# ruff: noqa: S608 -- SQL text is built from module constants and validated indexes only;
# every value a user can influence is passed as a query parameter.
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from accounts import province
from accounts.actors import only
from accounts.models import Organisation, Role
from accounts.selectors import bureau_region_ids
from catalog.models import InstitutionKind
from dashboards.aggregation import GRID_LEVELS
from dashboards.cache import cached
from dashboards.filters import Filters, month_from_index, month_index, parse_filters
from dashboards.models import CATEGORIES, KINDS, ReviewLevel, Side, Stage
from geodata.models import Region, RegionLevel
from geodata.selectors import RegionEntry, region_directory
from vouchers.contracts.selectors import province_policy
from vouchers.models import Contract, ContractEvent, ContractStatus, RedemptionEvent, RedemptionItem
from vouchers.names import all_with_level_names
from workdays.models import DayException

ZERO = Decimal("0")
DASHBOARD_ROLES = (Role.BUREAU, Role.OPERATOR, Role.CENTRE)
# Views wider than this many degrees read the coarse grid (whole province, a city).
FINE_GRID_MAX_SPAN = 1.2


# --- scope -----------------------------------------------------------------------------------


def province_adcode() -> int:
    """The deployment's province (``settings.PLATFORM_PROVINCE``)."""
    return int(settings.PLATFORM_PROVINCE)


def county_cities(names: dict[int, RegionEntry]) -> dict[int, int]:
    """Each county of the deployment's province → its city. A county-level city under the
    province itself (省直辖县级市, e.g. 济源市 419001) is its own city."""
    province_code = province_adcode()
    out: dict[int, int] = {}
    for adcode, entry in names.items():
        if entry.level != RegionLevel.COUNTY:
            continue
        if entry.parent == province_code:
            out[adcode] = adcode
        elif entry.parent in names and names[entry.parent].parent == province_code:
            out[adcode] = entry.parent
    return out


@dataclass(frozen=True)
class Scope:
    """``counties`` None = the whole province (including vouchers of unknown county)."""

    counties: tuple[int, ...] | None
    label: str
    adcode: int

    def covers(self, county_id: int) -> bool:
        return self.counties is None or county_id in self.counties

    @property
    def is_province(self) -> bool:
        return self.counties is None


def can_view_dashboards(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or getattr(user, "role", None) in DASHBOARD_ROLES)


def _counties_under(adcodes) -> tuple[int, ...]:
    return tuple(
        sorted(Region.objects.filter(adcode__in=adcodes, level=RegionLevel.COUNTY).values_list("adcode", flat=True))
    )


def dashboard_scope(user) -> Scope:
    """What ``user`` may see; PermissionDenied for roles without dashboards."""
    if not can_view_dashboards(user):
        raise PermissionDenied(only("查看数据看板", "市县科技局", "运营单位"))
    if user.is_superuser or user.role in (Role.OPERATOR, Role.CENTRE):
        profile = province.current()
        return Scope(None, f"{profile.province_name}（全{profile.region_word}）", province_adcode())
    region = user.organisation.region
    if region is None:
        raise PermissionDenied("本单位未设置所辖地区。")
    return Scope(_counties_under(bureau_region_ids(user)), region.name, region.adcode)


def narrowed(scope: Scope, adcode: int | None) -> Scope:
    """The scope limited to region ``adcode`` (province, city or county). A region outside
    the scope is refused, not silently emptied."""
    if adcode is None or adcode == scope.adcode:
        return scope
    region = Region.objects.filter(adcode=adcode).only("adcode", "name", "level").first()
    if region is None:
        raise ValidationError({"region": ["没有这个行政区划代码。"]})
    if region.level == RegionLevel.PROVINCE:
        if scope.is_province:
            return scope
        raise PermissionDenied("无权查看全区数据。")
    wanted = _counties_under(region.self_and_descendant_adcodes())
    if scope.counties is not None and not set(wanted) <= set(scope.counties):
        raise PermissionDenied("无权查看该地区的数据。")
    return Scope(wanted, region.name, region.adcode)


def scope_regions(scope: Scope) -> list[dict]:
    """Cities of the deployment's province with their counties inside ``scope`` (for the
    region selector); ``whole_city`` when the scope holds every county of the city. A
    county-level city under the province (济源市) is a group of its own."""
    names = region_directory()
    groups: dict[int, list[int]] = {}
    for county, city in sorted(county_cities(names).items()):
        groups.setdefault(city, []).append(county)
    out = []
    for city, counties in sorted(groups.items()):
        mine = [{"adcode": c, "name": names[c].name} for c in counties if scope.covers(c)]
        if mine:
            out.append(
                {
                    "city": {"adcode": city, "name": names[city].name},
                    "counties": mine,
                    "whole_city": len(mine) == len(counties),
                }
            )
    return out


def _scope_sql(scope: Scope, column: str = "county_id") -> tuple[str, list]:
    if scope.counties is None:
        return "", []
    return f" AND {column} = ANY(%s)", [list(scope.counties)]


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _month_sql(f: Filters) -> tuple[str, list]:
    return " AND month BETWEEN %s AND %s", [f.month_from, f.month_to]


# --- totals from RegionMonth --------------------------------------------------------------------


def _rm_where(scope: Scope, f: Filters, *, stage: bool) -> tuple[str, list]:
    sql, params = " WHERE TRUE", []
    for part, values in (_month_sql(f), _scope_sql(scope)):
        sql += part
        params += values
    if stage:
        sql += " AND stage = %s"
        params.append(f.stage)
    if f.kind:
        sql += " AND institution_kind = %s"
        params.append(f.kind)
    if f.category:
        sql += " AND category = %s"
        params.append(f.category)
    return sql, params


def region_totals(scope: Scope, f: Filters) -> list[dict]:
    """Count and amount of ``f.stage`` per county (or city when ``f.level == 'city'``) of the
    scope, every region listed (zeros included), largest value first."""
    where, params = _rm_where(scope, f, stage=True)
    sql = f"SELECT county_id, sum(n), sum(amount) FROM dashboards_regionmonth{where} GROUP BY county_id"
    data = {c: (n, a) for c, n, a in cached("region_totals", (sql, *params), lambda: _fetch(sql, params))}
    names = region_directory()
    cities = county_cities(names)
    rows: dict[int, dict] = {}
    for county in (c for c in cities if scope.covers(c)):
        city = cities[county]
        key = county if f.level == "county" else city
        row = rows.setdefault(
            key,
            {
                "adcode": key,
                "name": names[key].name,
                "city": names[city].name if f.level == "county" and city != county else "",
                "n": 0,
                "amount": ZERO,
            },
        )
        n, amount = data.get(county, (0, ZERO))
        row["n"] += n
        row["amount"] += amount
    out = list(rows.values())
    for row in out:
        row["value"] = row["amount"] if f.measure == "amount" else row["n"]
    out.sort(key=lambda r: (-r["value"], r["adcode"]))
    return out


def unknown_county_totals(scope: Scope, f: Filters) -> tuple[int, Decimal]:
    """Vouchers whose applicant has no county (only in the province scope)."""
    if not scope.is_province:
        return 0, ZERO
    where, params = _rm_where(scope, f, stage=True)
    row = _fetch(
        f"SELECT coalesce(sum(n), 0), coalesce(sum(amount), 0) FROM dashboards_regionmonth{where} AND county_id = 0",
        params,
    )
    return row[0][0], row[0][1]


@dataclass
class Breakdown:
    """Per-stage (n, amount) by county, kind, category and month, and the totals."""

    totals: dict[str, tuple[int, Decimal]]
    by_county: dict[int, dict[str, tuple[int, Decimal]]]
    by_kind: dict[str, dict[str, tuple[int, Decimal]]]
    by_category: dict[str, dict[str, tuple[int, Decimal]]]
    by_month: dict[dt.date, dict[str, tuple[int, Decimal]]]


def breakdown(scope: Scope, f: Filters) -> Breakdown:
    """One scan of the month × county × kind × category table, grouped two ways — (county,
    month) and (kind, category), per stage: a few hundred rows each — and rolled up from
    those into the five breakdowns in Python (sums of Decimal sums, exact). Grouping the scan
    five ways in SQL hashed every row five times (≈ 3× slower at 10⁶ uses)."""
    return cached(
        "breakdown", (scope.counties, f.month_from, f.month_to, f.kind, f.category), lambda: _breakdown(scope, f)
    )


def _breakdown(scope: Scope, f: Filters) -> Breakdown:
    where, params = _rm_where(scope, f, stage=False)
    rows = _fetch(
        "SELECT county_id, month, institution_kind, category, stage, GROUPING(county_id), sum(n), sum(amount) "
        f"FROM dashboards_regionmonth{where} "
        "GROUP BY GROUPING SETS ((county_id, month, stage), (institution_kind, category, stage))",
        params,
    )
    out = Breakdown({}, defaultdict(dict), defaultdict(dict), defaultdict(dict), defaultdict(dict))

    def add(into: dict, stage: str, n: int, amount: Decimal) -> None:
        had = into.get(stage)
        into[stage] = (n, amount) if had is None else (had[0] + n, had[1] + amount)

    for county, month, kind, category, stage, by_item, n, amount in rows:
        if by_item:  # county and month rolled up: a (kind, category) row
            add(out.by_kind[kind], stage, n, amount)
            add(out.by_category[category], stage, n, amount)
            add(out.totals, stage, n, amount)
        else:
            add(out.by_county[county], stage, n, amount)
            add(out.by_month[month], stage, n, amount)
    return out


def warm_defaults() -> int:
    """Compute the figures the statistics, heatmap and choropleth pages show by default (no
    filter) for the whole province and for each city, into the shared cache
    (``dashboards.cache``): the worker calls it after a refresh that changed the aggregates,
    so the first page after a voucher movement reads them instead of grouping. County
    scopes are small enough to compute on demand. Returns the number of scopes warmed."""
    names = region_directory()
    cities = county_cities(names)
    scopes = [Scope(None, "", province_adcode())]
    for city in sorted(set(cities.values())):
        scopes.append(Scope(tuple(sorted(c for c, of in cities.items() if of == city)), names[city].name, city))
    f = parse_filters({})
    for scope in scopes:
        breakdown(scope, f)
        for side in (Side.INSTITUTION, Side.ENTERPRISE):
            top_organisations(scope, f, side)
        region_totals(scope, f)
        region_totals(scope, replace(f, stage=Stage.USED, level="county"))  # the heatmap page's table
    return len(scopes)


def months_of(f: Filters) -> list[dt.date]:
    return [month_from_index(i) for i in range(month_index(f.month_from), month_index(f.month_to) + 1)]


# --- heatmap ------------------------------------------------------------------------------------


def _weight_sql(f: Filters) -> str:
    """The SQL expression of a cell's weight under the kind/category filters: one element of
    the pre-summed arrays (1-based in SQL), built from validated indexes only."""
    if f.kind and f.category:
        return f"amounts[{KINDS.index(f.kind) * len(CATEGORIES) + CATEGORIES.index(f.category) + 1}]"
    if f.kind:
        return f"by_kind[{KINDS.index(f.kind) + 1}]"
    if f.category:
        return f"by_category[{CATEGORIES.index(f.category) + 1}]"
    return "total"


def heat_level(f: Filters) -> int:
    if f.bbox is None:
        return 0
    span = max(f.bbox.east - f.bbox.west, f.bbox.north - f.bbox.south)
    return 0 if span > FINE_GRID_MAX_SPAN else 1


def heat_points(scope: Scope, f: Filters) -> dict:
    """Voucher use as weighted points ``[lat, lng, yuan]`` on the grid that suits the view:
    each cell is drawn at the amount-weighted centre of what it holds."""
    level = heat_level(f)
    size = GRID_LEVELS[level]
    # The weight is picked out of the arrays in a fenced subquery (OFFSET 0): otherwise the
    # planner carries the whole 700-byte matrix into the aggregate, estimates wide rows and
    # sorts them on disk instead of hashing a few narrow columns (4× slower at 1M uses).
    sql = (
        f"SELECT cx, cy, sum_lng, sum_lat, total, {_weight_sql(f)} AS w "
        "FROM dashboards_heatcell WHERE level = %s AND basis = %s AND month BETWEEN %s AND %s"
    )
    params: list = [level, f.basis, f.month_from, f.month_to]
    part, values = _scope_sql(scope)
    sql += part
    params += values
    if f.bbox is not None:
        pad = size
        sql += " AND cx BETWEEN %s AND %s AND cy BETWEEN %s AND %s"
        params += [
            int((f.bbox.west - pad) // size),
            int((f.bbox.east + pad) // size),
            int((f.bbox.south - pad) // size),
            int((f.bbox.north + pad) // size),
        ]
    sql = (
        "SELECT cx, cy, sum(sum_lng), sum(sum_lat), sum(total)::float8, sum(w)::bigint "
        f"FROM ({sql} OFFSET 0) cells GROUP BY cx, cy HAVING sum(w) > 0"
    )
    points, total = [], 0
    for cx, cy, sum_lng, sum_lat, cell_total, w in _fetch(sql, params):
        if cell_total:
            lng, lat = sum_lng / cell_total, sum_lat / cell_total
        else:
            lng, lat = (cx + 0.5) * size, (cy + 0.5) * size
        points.append([round(lat, 5), round(lng, 5), int(w)])
        total += int(w)
    points.sort(key=lambda p: -p[2])
    return {"level": level, "cell_deg": size, "basis": f.basis, "points": points, "total_yuan": total}


def heat_scale(points: list[list]) -> float:
    """The weight drawn at full colour: the 95th percentile cell, so one very large cell
    does not leave the rest of the province invisible."""
    if not points:
        return 1.0
    weights = sorted(p[2] for p in points)
    return float(max(1, weights[int(0.95 * (len(weights) - 1))]))


# --- top lists ----------------------------------------------------------------------------------


def top_organisations(scope: Scope, f: Filters, side: str, limit: int = 20) -> list[dict]:
    """Enterprises or institutions with the largest amount at ``f.stage`` in the months and
    scope. Institutions can be filtered by their kind; the table is not split by service
    category (nor enterprises by the kind of institution they used) — that would multiply
    its rows by twelve — so those filters do not apply to the top lists."""
    part, values = _scope_sql(scope)
    month, mparams = _month_sql(f)
    sql = (
        "SELECT org_id, max(county_id), max(institution_kind), sum(n), sum(amount) FROM dashboards_orgmonth "
        f"WHERE stage = %s AND side = %s{month}{part}"
    )
    params: list = [f.stage, side, *mparams, *values]
    if f.kind and side == Side.INSTITUTION:
        sql += " AND institution_kind = %s"
        params.append(f.kind)
    sql += " GROUP BY org_id ORDER BY 5 DESC, 1 LIMIT %s"
    params.append(limit)
    # Only the figures are cached (dashboards.cache): names are read below, per request.
    rows = cached("top", (sql, *params), lambda: _fetch(sql, params))
    orgs = {
        o["pk"]: o
        for o in Organisation.objects.filter(pk__in=[r[0] for r in rows if r[0] > 0]).values("pk", "name", "region_id")
    }
    regions = region_directory()
    kinds = dict(InstitutionKind.choices)
    out = []
    for rank, (org_id, county, kind, n, amount) in enumerate(rows, start=1):
        org = orgs.get(org_id)
        if side == Side.INSTITUTION:
            # The institution's own county (the data's county is its clients').
            county = org["region_id"] if org else None
        if org_id < 0:
            name = f"{'合成企业' if side == Side.ENTERPRISE else '合成机构'} {-org_id}"
        else:
            name = org["name"] if org else "（已删除）"
        out.append(
            {
                "rank": rank,
                "org_id": org_id,
                "name": name,
                "county": regions.get(county, ("—", None))[0] if county else "—",
                "kind": kinds.get(kind, "") if side == Side.INSTITUTION else "",
                "n": n,
                "amount": amount,
            }
        )
    return out


# --- review times ---------------------------------------------------------------------------------


class _WorkdayCalendar:
    """Working days between two dates with the centre's holiday table (same rule as
    ``workdays.calendar``: the table's exceptions, otherwise Monday–Friday), loaded once."""

    def __init__(self, start: dt.date, end: dt.date):
        self.exceptions = dict(
            DayException.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday")
        )

    def is_workday(self, day: dt.date) -> bool:
        return self.exceptions.get(day, day.isoweekday() <= 5)

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count


# Which status a level works on, and the statuses that end its turn (any other: the next
# level depends on the scheme's chain).
def _exits(status: str) -> tuple[str, ...]:
    return tuple(s for s in ContractStatus.values if s != status)


CONTRACT_LEVELS = {
    ReviewLevel.BUREAU: (ContractStatus.AT_BUREAU, _exits(ContractStatus.AT_BUREAU)),
    ReviewLevel.OPERATOR: (ContractStatus.AT_OPERATOR, _exits(ContractStatus.AT_OPERATOR)),
    ReviewLevel.CENTRE: (ContractStatus.AT_CENTRE, _exits(ContractStatus.AT_CENTRE)),
}
REDEMPTION_LEVELS = {
    ReviewLevel.REDEMPTION_CHECK: ("submitted", ("checked", "returned")),
    ReviewLevel.REDEMPTION_CONFIRM: ("checked", ("confirmed", "returned")),
}


def _turns(events: list[tuple], levels: dict, now: dt.datetime) -> tuple[dict, dict]:
    """From one object's ordered (at, from, to) events: finished turns per level as
    (start, end) and the open turn, if the object still waits at some level."""
    done: dict[str, list] = defaultdict(list)
    waiting: dict[str, list] = defaultdict(list)
    entered: dict[str, dt.datetime] = {}
    for at, from_status, to_status in events:
        if from_status != to_status or to_status not in entered:
            for level, (status, exits) in levels.items():
                if from_status == status and to_status in exits and status in entered:
                    done[level].append((entered.pop(status), at))
        entered[to_status] = at
    if events:
        last = events[-1][2]
        for level, (status, _) in levels.items():
            if last == status and status in entered:
                waiting[level].append((entered[status], now))
    return done, waiting


def review_deadlines(year: int) -> dict[str, int]:
    """Working days each review level has, from the province's voucher policy of ``year``."""
    policy = province_policy(year)
    return {
        ReviewLevel.BUREAU: policy.review_workdays,
        ReviewLevel.OPERATOR: policy.review_workdays,
        ReviewLevel.CENTRE: policy.review_workdays,
        ReviewLevel.REDEMPTION_CHECK: policy.check_workdays,
        ReviewLevel.REDEMPTION_CONFIRM: policy.confirm_workdays,
    }


def review_times(scope: Scope, f: Filters) -> list[dict]:
    """Average working days per review level for turns that ended in the date range,
    against the level's deadline; and what waits now and is already late."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(f.month_from, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(month_from_index(month_index(f.month_to) + 1), dt.time(), tzinfo=tz)
    now = timezone.now()
    deadlines = review_deadlines(f.month_to.year)

    contracts = Contract.objects.all()
    if scope.counties is not None:
        contracts = contracts.filter(enterprise__region_id__in=scope.counties)
    contract_events: dict[int, list] = defaultdict(list)
    for cid, at, fr, to in (
        ContractEvent.objects.filter(contract__in=contracts.values("pk"))
        .order_by("contract_id", "at", "id")
        .values_list("contract_id", "at", "from_status", "to_status")
    ):
        contract_events[cid].append((at, fr, to))

    items = RedemptionItem.objects.all()
    if scope.counties is not None:
        items = items.filter(voucher__enterprise__region_id__in=scope.counties)
    redemption_events: dict[int, list] = defaultdict(list)
    for rid, at, fr, to in (
        RedemptionEvent.objects.filter(redemption_id__in=items.values("redemption_id"))
        .order_by("redemption_id", "at", "id")
        .values_list("redemption_id", "at", "from_status", "to_status")
    ):
        redemption_events[rid].append((at, fr, to))

    finished: dict[str, list] = defaultdict(list)
    open_turns: dict[str, list] = defaultdict(list)
    for groups, levels in ((contract_events, CONTRACT_LEVELS), (redemption_events, REDEMPTION_LEVELS)):
        for events in groups.values():
            done, waiting = _turns(events, levels, now)
            for level, turns in done.items():
                finished[level] += [t for t in turns if start <= t[1] < end]
            for level, turns in waiting.items():
                open_turns[level] += turns
    all_dates = [t for turns in (*finished.values(), *open_turns.values()) for pair in turns for t in pair]
    first = min((timezone.localtime(t).date() for t in all_dates), default=f.month_from)
    calendar = _WorkdayCalendar(first, timezone.localdate() + dt.timedelta(days=1))

    def days(pair) -> int:
        return calendar.between(timezone.localtime(pair[0]).date(), timezone.localtime(pair[1]).date())

    rows = []
    labels = all_with_level_names([str(level.label) for level in ReviewLevel])  # 推荐部门 → the province's word
    for level, label in zip(ReviewLevel, labels, strict=True):
        limit = deadlines.get(level.value)
        durations = [days(p) for p in finished.get(level.value, [])]
        waiting = [days(p) for p in open_turns.get(level.value, [])]
        late = sum(1 for d in durations if limit is not None and d > limit)
        rows.append(
            {
                "level": level.value,
                "label": label,
                "count": len(durations),
                "average": round(sum(durations) / len(durations), 1) if durations else None,
                "longest": max(durations) if durations else None,
                "deadline": limit,
                "late": late,
                "late_share": round(100 * late / len(durations), 1) if durations else None,
                "waiting": len(waiting),
                "waiting_late": sum(1 for d in waiting if limit is not None and d > limit),
            }
        )
    return rows


# --- instrument sharing ------------------------------------------------------------------------

SHARING_STATUSES = ("in_service", "completed", "rated")


def _open_day_counts(start: dt.date, end: dt.date) -> tuple[dict[int, int], dict[int, int]]:
    """Per ISO weekday, the days in [start, end] that are ordinary and that are official
    weekday holidays (an instrument open all week opens on those too)."""
    holidays = set(
        DayException.objects.filter(date__gte=start, date__lte=end, is_workday=False).values_list("date", flat=True)
    )
    ordinary, holiday = defaultdict(int), defaultdict(int)
    day = start
    while day <= end:
        weekday = day.isoweekday()
        if weekday <= 5 and day in holidays:
            holiday[weekday] += 1
        else:
            ordinary[weekday] += 1
        day += dt.timedelta(days=1)
    return ordinary, holiday


def sharing_by_instrument(scope: Scope, f: Filters) -> list[dict]:
    """The national sharing evaluation's figures per instrument, for the date range:

    * 有效机时 — hours of machine-time bookings that took place (in service, completed or
      rated), whoever booked them;
    * 对外服务机时 — those booked by organisations other than the instrument's owner;
    * 共享率 — 对外服务机时 ÷ 有效机时;
    * 开放机时 — the hours it was offered (opening days and hours, official holidays off
      unless it opens all week), up to today; 利用率 — 有效机时 ÷ 开放机时;
    * 送样 — completed sample bookings (counted, not hours).

    The instrument is in the scope when its institution is in the scope's counties."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(f.month_from, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(month_from_index(month_index(f.month_to) + 1), dt.time(), tzinfo=tz)
    part, values = _scope_sql(scope, "o.region_id")
    rows = _fetch(
        f"""
        SELECT ins.id, ins.name, ins.category, ins.open_weekdays, ins.open_from, ins.open_until,
               ins.open_for_sharing, o.id, o.name, o.region_id,
               coalesce(sum(extract(epoch FROM b.ends_at - b.starts_at)) FILTER (WHERE b.kind = 'slot'), 0) / 3600,
               coalesce(sum(extract(epoch FROM b.ends_at - b.starts_at))
                        FILTER (WHERE b.kind = 'slot' AND b.enterprise_id <> o.id), 0) / 3600,
               count(b.id) FILTER (WHERE b.kind = 'sample')
        FROM catalog_instrument ins
        JOIN accounts_organisation o ON o.id = ins.institution_id
        LEFT JOIN catalog_booking b ON b.instrument_id = ins.id AND b.status = ANY(%s)
             AND coalesce(b.starts_at, b.completed_at) >= %s AND coalesce(b.starts_at, b.completed_at) < %s
        WHERE ins.review_status IN ('approved', 'changes_pending'){part}
        GROUP BY ins.id, o.id
        ORDER BY 11 DESC, ins.id
        """,
        [list(SHARING_STATUSES), start, end, *values],
    )
    last_day = min(timezone.localdate(), (end - dt.timedelta(days=1)).date())
    ordinary, holiday = _open_day_counts(f.month_from, last_day) if last_day >= f.month_from else ({}, {})
    names = region_directory()
    out = []
    for (
        iid,
        name,
        category,
        weekdays,
        open_from,
        open_until,
        sharing,
        oid,
        org,
        county,
        hours,
        outside,
        samples,
    ) in rows:
        daily = max(
            0.0,
            (dt.datetime.combine(dt.date.min, open_until) - dt.datetime.combine(dt.date.min, open_from)).total_seconds()
            / 3600,
        )
        days = sum(ordinary.get(d, 0) for d in set(weekdays))
        if len(set(weekdays)) == 7:
            days += sum(holiday.values())
        open_hours = round(days * daily, 1)
        hours, outside = float(hours), float(outside)
        out.append(
            {
                "instrument_id": iid,
                "name": name,
                "category": category,
                "institution_id": oid,
                "institution": org,
                "county": names.get(county, ("—", None))[0] if county else "区外",
                "open_for_sharing": sharing,
                "hours": round(hours, 1),
                "outside_hours": round(outside, 1),
                "sharing_rate": round(100 * outside / hours, 1) if hours else None,
                "open_hours": open_hours,
                "utilisation": round(100 * hours / open_hours, 1) if open_hours else None,
                "samples": samples,
            }
        )
    return out


def sharing_by_institution(instruments: list[dict]) -> list[dict]:
    rows: dict[int, dict] = {}
    for i in instruments:
        row = rows.setdefault(
            i["institution_id"],
            {
                "institution_id": i["institution_id"],
                "institution": i["institution"],
                "county": i["county"],
                "instruments": 0,
                "hours": 0.0,
                "outside_hours": 0.0,
                "open_hours": 0.0,
                "samples": 0,
            },
        )
        row["instruments"] += 1
        for key in ("hours", "outside_hours", "open_hours", "samples"):
            row[key] += i[key]
    out = []
    for row in rows.values():
        row["hours"], row["outside_hours"], row["open_hours"] = (
            round(row["hours"], 1),
            round(row["outside_hours"], 1),
            round(row["open_hours"], 1),
        )
        row["sharing_rate"] = round(100 * row["outside_hours"] / row["hours"], 1) if row["hours"] else None
        row["utilisation"] = round(100 * row["hours"] / row["open_hours"], 1) if row["open_hours"] else None
        out.append(row)
    out.sort(key=lambda r: (-r["hours"], r["institution_id"]))
    return out


def stage_label(stage: str) -> str:
    return Stage(stage).label
