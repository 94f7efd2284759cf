"""Reads on the catalogue: the map search and what detail pages and owners see."""

from __future__ import annotations

import datetime as dt
import hashlib
import math

import orjson
import psycopg
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.backends.postgresql.psycopg_any import is_psycopg3
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from catalog.listing import GRID_BASE, GRID_LEVELS
from catalog.models import (
    HOLDING_STATUSES,
    PUBLIC_REVIEW_STATUSES,
    Booking,
    BookingKind,
    BookingStatus,
    ContactRequest,
    Institution,
    Instrument,
    ItemEvent,
    ListingCell,
    ListingKind,
    Rating,
    ReviewStatus,
    Service,
)
from catalog.search_text import normalise_query
from geodata.points import LngLat, sphere_distance_m
from geodata.selectors import RegionEntry, region_directory, regions_under
from workdays.calendar import add_workdays, is_weekday_holiday

# Parameters the cluster grid is keyed on; any other filter means clustering live.
GRID_FILTERS = {"module", "category", "voucher", "region", "bbox"}
SORT_FIELDS = {
    "rating": ("rating_mean", "rating_count"),
    "-rating": ("-rating_mean", "-rating_count"),
    "price": ("price",),
    "-price": ("-price",),
    "popularity": ("-popularity", "-rating_mean"),
    "newest": ("-published_at",),
}
# Cells across the longer side of the view when clustering (≤ 40 × 40 = 1,600 features).
CLUSTER_CELLS_ACROSS = 40
ITEM_URL = {
    ListingKind.INSTITUTION: "/catalog/institutions/{}/",
    ListingKind.INSTRUMENT: "/catalog/instruments/{}/",
    ListingKind.SERVICE: "/catalog/services/{}/",
}


class _Sql:
    """A WHERE clause built from validated parameters: SQL text with %s placeholders only."""

    def __init__(self) -> None:
        self.where: list[str] = []
        self.params: list = []

    def add(self, clause: str, *params) -> None:
        self.where.append(clause)
        self.params.extend(params)

    @property
    def sql(self) -> str:
        return " AND ".join(self.where) if self.where else "TRUE"


def _free_on(day: dt.date, sql: _Sql) -> None:
    """Instruments open on ``day`` (the rule of :func:`instrument_open_on`, in SQL) whose
    held slots do not fill the opening hours."""
    holiday = official_weekday_holiday(day)
    start = dt.datetime.combine(day, dt.time.min)
    end = start + dt.timedelta(days=1)
    tz = settings.TIME_ZONE
    sql.add(
        """l.item_id IN (
            SELECT i.id FROM catalog_instrument i
            WHERE %s = ANY(i.open_weekdays)
              AND (NOT %s OR cardinality(i.open_weekdays) = 7)
              AND COALESCE((
                    SELECT sum(EXTRACT(EPOCH FROM (LEAST(b.ends_at, %s::timestamp AT TIME ZONE %s)
                                                  - GREATEST(b.starts_at, %s::timestamp AT TIME ZONE %s))))
                    FROM catalog_booking b
                    WHERE b.instrument_id = i.id AND b.kind = %s AND b.status = ANY(%s)
                      AND b.starts_at < %s::timestamp AT TIME ZONE %s
                      AND b.ends_at > %s::timestamp AT TIME ZONE %s), 0)
                  < EXTRACT(EPOCH FROM (i.open_until - i.open_from)))""",
        day.isoweekday(),
        holiday,
        end,
        tz,
        start,
        tz,
        BookingKind.SLOT,
        list(HOLDING_STATUSES),
        end,
        tz,
        start,
        tz,
    )


def _where(p: dict) -> _Sql:
    """Every filter of the search as SQL over ``catalog_listing l``."""
    sql = _Sql()
    if p["module"] == "common":
        sql.add("l.kind IN (%s, %s)", ListingKind.INSTRUMENT, ListingKind.SERVICE)
    else:
        sql.add("l.kind = %s", p["module"])
    if p["q"]:
        # search_text is lower-case; LIKE on it is served by the trigram GIN index.
        pattern = "%" + normalise_query(p["q"]).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql.add("l.search_text LIKE %s", pattern)
    if p.get("region"):
        adcodes = regions_under(int(p["region"]))
        if adcodes is None:
            raise ValidationError({"region": "未知的行政区划代码。"})
        sql.add("l.region_id = ANY(%s)", adcodes)
    if p.get("category"):
        sql.add("l.category = %s", p["category"])
    if p.get("voucher") is not None:
        sql.add("l.voucher_eligible = %s", p["voucher"])
    if p.get("min_rating") is not None:
        sql.add("l.rating_mean >= %s", p["min_rating"])
    if p.get("min_price") is not None:
        sql.add("l.price >= %s", p["min_price"])
    if p.get("max_price") is not None:
        sql.add("l.price <= %s", p["max_price"])
    near: LngLat | None = p.get("near")
    if near is not None and p.get("radius_km") is not None:
        # ST_DWithin on geography: metres, served by the column's GiST index.
        sql.add(
            "ST_DWithin(l.location, ST_MakePoint(%s, %s)::geography, %s)", near.x, near.y, float(p["radius_km"]) * 1000
        )
    if p.get("bbox") is not None:
        b = p["bbox"]
        sql.add("l.location::geometry && ST_MakeEnvelope(%s, %s, %s, %s, 4326)", b.west, b.south, b.east, b.north)
    if p.get("date"):
        _free_on(p["date"], sql)
    return sql


ORDER_BY = {
    "rating": "l.rating_mean, l.rating_count, l.id",
    "-rating": "l.rating_mean DESC, l.rating_count DESC, l.id",
    "price": "l.price NULLS LAST, l.id",
    "-price": "l.price DESC NULLS LAST, l.id",
    "popularity": "l.popularity DESC, l.rating_mean DESC, l.id",
    "newest": "l.published_at DESC, l.id",
}
URL_PREFIX = {str(kind): url.split("{}")[0] for kind, url in ITEM_URL.items()}
INSTITUTION = str(ListingKind.INSTITUTION)  # plain str: compared and looked up per row
INSTITUTION_URL = URL_PREFIX[INSTITUTION]

# Plain columns only. The region's name comes from the process's region directory and the
# distance is computed in Python from the stored lng/lat (same sphere formula as PostGIS):
# a join and three PostGIS calls per row were together half the statement's time.
# The columns a feature is made of (``_feature``'s row).
FEATURE_COLUMNS = """l.kind, l.item_id, l.name, l.institution_id, l.institution_name, l.category,
       l.price::text, l.unit, l.voucher_eligible, l.in_region, l.rating_mean::float8,
       l.rating_count, l.popularity, l.region_id, l.lng, l.lat"""
# The page's rows as stored features (``feature_parts``): the JSON before and after the
# distance, the point the distance is computed from, and the listings version the rows were
# read at (the same snapshot; an InitPlan read once per statement, NULL in a flushed test
# database), which keys the count cache without a round trip of its own.
ROWS_SQL = """
SELECT l.feature_head, l.feature_tail, l.lng, l.lat, (SELECT version FROM catalog_listingsversion)
FROM catalog_listing l
WHERE {where}
ORDER BY {order}
LIMIT %s OFFSET %s
"""
# The same page built from the columns, for a page holding a row whose stored feature is
# missing (a bulk insert or a direct UPDATE not filled yet: see ``listing_features_fill``).
FULL_ROWS_SQL = ROWS_SQL.replace("l.feature_head, l.feature_tail, l.lng, l.lat", FEATURE_COLUMNS)
assert FULL_ROWS_SQL != ROWS_SQL


def _feature(row, near: LngLat | None, regions: dict[int, RegionEntry]) -> dict:
    (
        kind,
        item_id,
        name,
        inst_id,
        inst_name,
        category,
        price,
        unit,
        voucher,
        in_region,
        rating,
        rating_count,
        popularity,
        region,
        x,
        y,
    ) = row
    url = f"{URL_PREFIX[kind]}{item_id}/"
    distance = None if near is None else round(sphere_distance_m(near.x, near.y, x, y), 1)
    return {
        "type": "Feature",
        "id": f"{kind}:{item_id}",
        "geometry": {"type": "Point", "coordinates": [round(x, 6), round(y, 6)]},
        "properties": {
            "kind": kind,
            "id": item_id,
            "name": name,
            "institution": inst_name,
            "institution_id": inst_id,
            "institution_url": f"{INSTITUTION_URL}{inst_id}/",
            "category": category,
            "price": price,
            "unit": unit,
            "voucher_eligible": voucher,
            "in_region": in_region,
            "rating": rating,
            "rating_count": rating_count,
            "popularity": popularity,
            "region": regions[region].name if region in regions else None,
            "distance_m": distance,
            "url": url,
            "book_url": None if kind == INSTITUTION else url + "book/",
            "contact_url": f"/catalog/contact/?kind={kind}&id={item_id}",
        },
    }


DISTANCE_KEY = b'"distance_m":'


def feature_parts(row, regions: dict[int, RegionEntry]) -> tuple[bytes, bytes]:
    """A listing's feature as orjson writes it, split around the distance's value: a page
    is then its stored parts joined with each row's distance, byte for byte what
    ``_feature`` and orjson make of the columns (tested)."""
    body = orjson.dumps(_feature(row, None, regions))
    at = body.index(DISTANCE_KEY + b"null") + len(DISTANCE_KEY)
    return body[:at], body[at + 4 :]


def listing_features_fill(
    where: str = "l.feature_head IS NULL",
    params: list | tuple = (),
    regions: dict[int, RegionEntry] | None = None,
) -> int:
    """Store the feature parts of the listings matching ``where`` (by default every row
    without them). The listing sync calls it for the row it wrote, bulk loads for all;
    ``regions`` (default: the region directory) lets a migration pass its own."""
    if regions is None:
        regions = region_directory()
    filled = 0
    with connection.cursor() as cur:
        cur.execute(f"SELECT l.id, {FEATURE_COLUMNS} FROM catalog_listing l WHERE {where} ORDER BY l.id", params)
        while batch := cur.fetchmany(5000):
            ids, heads, tails = [], [], []
            for pk, *row in batch:
                head, tail = feature_parts(row, regions)
                ids.append(pk)
                heads.append(head)
                tails.append(tail)
            with connection.cursor() as out:  # one statement per batch
                out.execute(
                    """
                    UPDATE catalog_listing l SET feature_head = f.head, feature_tail = f.tail
                    FROM unnest(%s::bigint[], %s::bytea[], %s::bytea[]) AS f(id, head, tail)
                    WHERE l.id = f.id
                    """,
                    [ids, heads, tails],
                )
            filled += len(ids)
    return filled


def rows_statement(p: dict, sql: _Sql | None = None, *, full: bool = False) -> tuple[str, list]:
    """The one statement that fetches a page of listings for validated search ``params``:
    (SQL with ``%s`` placeholders, parameters). The benchmark times this very statement as
    the "raw SQL" the API is compared with."""
    if sql is None:
        sql = _where(p)
    if p["sort"] == "distance":
        # KNN (<->) served by the GiST index. No tie-breaker: a second sort key makes the
        # planner give up the index-ordered scan and sort the whole table.
        order, order_params = "l.location <-> ST_MakePoint(%s, %s)::geography", [p["near"].x, p["near"].y]
    else:
        order, order_params = ORDER_BY[p["sort"]], []
    size, page = p["page_size"], p["page"]
    statement = FULL_ROWS_SQL if full else ROWS_SQL
    return statement.format(where=sql.sql, order=order), [*sql.params, *order_params, size, (page - 1) * size]


# A statement the process sends often is prepared on its connection: PostgreSQL parses and
# plans it once, and each search sends only the parameters (server-side binding; Django's
# own cursors bind on the client and never prepare). `make bench` measures ≈ 20 % less
# PostgreSQL CPU per nearest-first search. Only shapes without a text or date filter are
# prepared, so a generic plan never has to guess a LIKE pattern's selectivity.
# psycopg prepares only on a connection with a threshold: this one is never reached, so
# nothing but an explicit ``prepare=True`` is prepared (Django sets none: its cursors bind
# on the client and are never prepared).
NEVER_BY_COUNT = 2**62


def fetch_rows_on(raw, statement: tuple[str, list], *, prepare: bool) -> list[tuple]:
    """Run a search statement on a psycopg 3 connection as the API sends it (server-side
    binding, prepared once per connection when ``prepare``, rows in binary) and return its rows. The
    benchmark's "raw round trip" calls this very function."""
    sql, params = statement
    if prepare and raw.prepare_threshold is None:
        raw.prepare_threshold = NEVER_BY_COUNT
    params = [str(v) if isinstance(v, str) else v for v in params]  # TextChoices → str
    with psycopg.Cursor(raw) as cur:
        # Rows in binary: the same values (float8 exactly as sent), about a fifth less
        # Python time to read than text.
        cur.execute(sql, params, prepare=prepare, binary=True)
        return cur.fetchall()


def _fetch_rows(statement: tuple[str, list], *, prepare: bool) -> list[tuple]:
    """``fetch_rows_on`` on ``django.db.connection`` (the replica's inside ``on_replica``).
    Through Django's own cursor while queries are recorded (DEBUG, ``CaptureQueriesContext``)
    so that they show there."""
    if connection.queries_logged or not is_psycopg3:
        with connection.cursor() as cur:
            cur.execute(*statement)
            return cur.fetchall()
    with connection.wrap_database_errors:  # Django's exceptions, as from its own cursors
        connection.ensure_connection()
        return fetch_rows_on(connection.connection, statement, prepare=prepare)


def _points_json(p: dict, sql: _Sql) -> bytes:
    near: LngLat | None = p.get("near")
    size, page = p["page_size"], p["page"]
    prepare = not p["q"] and not p.get("date")
    rows = _fetch_rows(rows_statement(p, sql), prepare=prepare)
    if page == 1 and len(rows) < size:
        count, exact = len(rows), True  # everything is on this page
    else:
        version = rows[0][-1] if rows and p.get("radius_km") is None else None
        count, exact = _count(sql, version=version)
    head = orjson.dumps(
        {
            "type": "FeatureCollection",
            "count": count,
            "count_exact": exact,
            "page": page,
            "page_size": size,
            "clustered": False,
            "features": [],
        }
    )
    if any(row[0] is None for row in rows):
        # A row without its stored feature: this page from the columns (rare, see FULL_ROWS_SQL).
        regions = region_directory()
        rows = _fetch_rows(rows_statement(p, sql, full=True), prepare=prepare)
        features = [orjson.dumps(_feature(r[:-1], near, regions)) for r in rows]
    elif near is None:
        features = [b"".join((before, b"null", after)) for before, after, _x, _y, _v in rows]
    else:
        nx, ny = near.x, near.y
        features = [
            b"".join((before, orjson.dumps(round(sphere_distance_m(nx, ny, x, y), 1)), after))
            for before, after, x, y, _v in rows
        ]
    # ``head`` ends with the empty list and the closing brace: `[]}`.
    return b"".join((head[:-3], b"[", b",".join(features), b"]}"))


def _count(sql: _Sql, *, version: int | None = None) -> tuple[int, bool]:
    """How many listings match, exact up to MAP_COUNT_CAP.

    Given the listings ``version`` its page was read at (counts that do not depend on the
    reference point: no radius), the count is cached per process for MAP_COUNT_CACHE_SECONDS
    under that version: every "nearest to me" search with the same filters shares one count,
    and a committed change to the listings, made by any process, starts new keys at once.
    Not cached inside a transaction, which may count its own uncommitted changes."""
    cap = settings.MAP_COUNT_CAP
    key = None
    if version is not None and settings.MAP_COUNT_CACHE_SECONDS and not connection.in_atomic_block:
        digest = hashlib.blake2b(repr((version, sql.sql, sql.params, cap)).encode(), digest_size=16)
        key = "mapcount:" + digest.hexdigest()
        hit = cache.get(key)
        if hit is not None:
            return hit
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM catalog_listing l WHERE {sql.sql} LIMIT %s) c",
            [*sql.params, cap + 1],
        )
        n = cur.fetchone()[0]
    result = (cap, False) if n > cap else (n, True)
    if key:
        cache.set(key, result, settings.MAP_COUNT_CACHE_SECONDS)
    return result


def _grid_level(p: dict) -> tuple[int, float]:
    b = p.get("bbox")
    span = max(b.east - b.west, b.north - b.south) if b else 5.0
    wanted = span / CLUSTER_CELLS_ACROSS
    level = max(0, min(GRID_LEVELS - 1, math.ceil(math.log2(max(wanted, GRID_BASE) / GRID_BASE))))
    return level, GRID_BASE * 2**level


def _clusters_from_grid(p: dict) -> list[dict]:
    level, size = _grid_level(p)
    cells = ListingCell.objects.filter(level=level, n__gt=0)
    module = p["module"]
    if module == "common":
        cells = cells.filter(kind__in=(ListingKind.INSTRUMENT, ListingKind.SERVICE))
    else:
        cells = cells.filter(kind=module)
    if p.get("category"):
        cells = cells.filter(category=p["category"])
    if p.get("voucher") is not None:
        cells = cells.filter(voucher_eligible=p["voucher"])
    if p.get("region"):
        cells = cells.filter(region_id__in=regions_under(int(p["region"])))
    if p.get("bbox") is not None:
        b = p["bbox"]
        cells = cells.filter(
            cx__gte=math.floor(b.west / size),
            cx__lte=math.floor(b.east / size),
            cy__gte=math.floor(b.south / size),
            cy__lte=math.floor(b.north / size),
        )
    rows = cells.values("cx", "cy").annotate(n=Sum("n"), sx=Sum("sum_lng"), sy=Sum("sum_lat"))
    return [_cluster_feature(r["n"], r["sx"] / r["n"], r["sy"] / r["n"], size) for r in rows if r["n"]]


def _clusters_live(p: dict, sql: _Sql) -> list[dict]:
    _, size = _grid_level(p)
    with connection.cursor() as cur:
        cur.execute(
            f"""
            SELECT count(*), avg(l.lng), avg(l.lat) FROM catalog_listing l WHERE {sql.sql}
            GROUP BY floor(l.lng / %s), floor(l.lat / %s)
            """,
            [*sql.params, size, size],
        )
        return [_cluster_feature(n, lng, lat, size) for n, lng, lat in cur.fetchall()]


def _cluster_feature(n: int, lng: float, lat: float, size: float) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
        "properties": {"cluster": True, "count": int(n), "cell_deg": size},
    }


def map_search(*, params: dict) -> bytes:
    """One answer to "what is near me / in this county / in this view, of this kind, sorted
    my way", as GeoJSON (UTF-8 bytes). ``params`` come validated from ``MapSearchForm.params``.

    With a bbox holding more than MAP_CLUSTER_THRESHOLD results (or ``cluster=1``) the
    features are grid clusters: from the pre-aggregated grid when only grid-keyed filters
    are used, otherwise aggregated live over the filtered rows."""
    p = params
    sql = _where(p)
    if p["cluster"] != "0" and (p["cluster"] == "1" or p.get("bbox") is not None):
        count, exact = _count(sql)
        if p["cluster"] == "1" or count > settings.MAP_CLUSTER_THRESHOLD:
            used = {k for k, v in p.items() if v not in (None, "", False)} - {
                "page",
                "page_size",
                "sort",
                "cluster",
                "near",
                "q",
            }
            grid_ok = used <= GRID_FILTERS and not p["q"]
            features = _clusters_from_grid(p) if grid_ok else _clusters_live(p, sql)
            return orjson.dumps(
                {
                    "type": "FeatureCollection",
                    "count": count,
                    "count_exact": exact,
                    "page": 1,
                    "page_size": len(features),
                    "clustered": True,
                    "features": features,
                }
            )
    return _points_json(p, sql)


# --- Detail pages and owners ----------------------------------------------------------------


def public_instruments() -> QuerySet[Instrument]:
    return Instrument.objects.filter(
        review_status__in=PUBLIC_REVIEW_STATUSES,
        open_for_sharing=True,
        institution__listings__kind=ListingKind.INSTITUTION,
    ).select_related("institution__organisation")


def instrument_categories() -> list[str]:
    """Instrument categories present among public instruments (they are free text)."""
    return [c for c in public_instruments().order_by("category").values_list("category", flat=True).distinct() if c]


def public_services() -> QuerySet[Service]:
    return Service.objects.filter(
        review_status__in=PUBLIC_REVIEW_STATUSES,
        institution__listings__kind=ListingKind.INSTITUTION,
    ).select_related("institution__organisation")


def public_institutions() -> QuerySet[Institution]:
    return Institution.objects.filter(listings__kind=ListingKind.INSTITUTION).select_related("organisation__region")


def ratings_for(*, institution=None, instrument=None, service=None, limit: int = 20) -> QuerySet[Rating]:
    qs = Rating.objects.select_related("enterprise")
    if instrument is not None:
        qs = qs.filter(instrument=instrument)
    elif service is not None:
        qs = qs.filter(service=service)
    else:
        qs = qs.filter(institution=institution)
    return qs[:limit]


def bookings_for(user) -> QuerySet[Booking]:
    """Bookings the user's organisation made (enterprise) or received (institution)."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Booking.objects.none()
    return Booking.objects.filter(
        Q(enterprise_id=user.organisation_id) | Q(institution_id=user.organisation_id)
    ).select_related("institution__organisation", "enterprise", "instrument", "service")


def accepted_by_system(booking: Booking) -> bool:
    """Whether the booking was accepted by the system rather than by the institution: a free
    slot of an instrument that offers instant booking (``services.booking_request_slot``).
    Only the slot is confirmed so: where the scheme's order is accepted by the institution
    (Henan's 受理), the booking page and the order page say the order still waits for it."""
    return booking.events.filter(to_status=BookingStatus.ACCEPTED, actor__isnull=True).exists()


def items_of(institution: Institution) -> dict[str, QuerySet]:
    """All of an institution's instruments and services, published or not (owner's view)."""
    return {
        "instruments": Instrument.objects.filter(institution=institution).order_by("-updated_at", "-id"),
        "services": Service.objects.filter(institution=institution).order_by("-updated_at", "-id"),
    }


def contacts_for(user) -> QuerySet[ContactRequest]:
    """Contact requests the user's organisation sent (enterprise) or received (institution)."""
    org = getattr(user, "organisation_id", None)
    if org is None:
        return ContactRequest.objects.none()
    return ContactRequest.objects.filter(Q(institution_id=org) | Q(enterprise_id=org))


def item_history(kind: str, item) -> QuerySet[ItemEvent]:
    return ItemEvent.objects.filter(item_kind=kind, item_id=item.pk).select_related("actor")


def item_review_queue() -> list[dict]:
    """Items waiting for the operator (new or with pending changes), oldest first."""
    waiting = (ReviewStatus.PENDING, ReviewStatus.CHANGES_PENDING)
    rows = []
    for kind, model in ((ListingKind.INSTRUMENT, Instrument), (ListingKind.SERVICE, Service)):
        for item in model.objects.filter(review_status__in=waiting).select_related("institution__organisation"):
            rows.append({"kind": kind, "kind_label": ListingKind(kind).label, "item": item})
    return sorted(rows, key=lambda r: (r["item"].updated_at, r["item"].pk))


def instrument_open_on(instrument: Instrument, day: dt.date, *, holiday: bool | None = None) -> bool:
    """One rule for "is the instrument open that day", used by booking checks, calendars
    and the map's free-on-date filter: its weekly opening days, and on China's official
    public holidays (a weekday off) only if it opens all seven days of the week. ``holiday``
    is :func:`official_weekday_holiday` of the day when the caller has it already."""
    if day.isoweekday() not in instrument.open_weekdays:
        return False
    if holiday is None:
        holiday = official_weekday_holiday(day)
    return not holiday or len(set(instrument.open_weekdays)) == 7


def official_weekday_holiday(day: dt.date) -> bool:
    """A Monday–Friday that China's official calendar gives off (e.g. National Day), from
    the editable calendar table; in years it does not know, no day counts as a holiday."""
    return is_weekday_holiday(day)


# --- Slot grid and booking queue -------------------------------------------------------------

# The grid's step. The instrument model has no slot length of its own, so the grid uses half
# an hour: it divides the whole and half hours institutions publish as opening times, and is
# the default step of the booking systems users know (PPMS, LibreBooking). A booking may span
# several steps; the form still takes any minute for times the grid cannot draw.
SLOT_STEP_MINUTES = 30
# The grid shows at least 08:00–18:00, so hours outside the opening time are drawn closed.
GRID_DAY_FROM = dt.time(8, 0)
GRID_DAY_UNTIL = dt.time(18, 0)
# How long an institution has to accept or decline a booking request. Neither SPEC nor the
# policy record names a limit for it (the policy's limits are about contracts and
# redemptions), so the queue uses two working days: a request not answered by the end of the
# second working day after the day it came in is flagged overdue.
BOOKING_ANSWER_WORKDAYS = 2


class SlotState:
    FREE = "free"
    BUSY = "busy"
    CLOSED = "closed"  # not an opening day, a holiday, or outside the opening hours
    PAST = "past"


def _grid_times(instrument: Instrument, step: int) -> list[tuple[dt.time, dt.time]]:
    """The rows: steps from the earlier of 08:00 and the opening (on the hour) to the later
    of 18:00 and the closing."""
    first = min(GRID_DAY_FROM, instrument.open_from.replace(minute=0, second=0, microsecond=0))
    last = max(GRID_DAY_UNTIL, instrument.open_until)
    base = dt.date(2000, 1, 3)
    at, end = dt.datetime.combine(base, first), dt.datetime.combine(base, last)
    rows = []
    while at < end:
        nxt = min(at + dt.timedelta(minutes=step), end)
        # The last step ends at 23:59 at most (a row never crosses midnight).
        rows.append((at.time(), nxt.time() if nxt.date() == base else dt.time(23, 59)))
        at = nxt
        if at.date() != base:
            break
    return rows


def held_slots(instrument: Instrument, start: dt.date, days: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """(starts_at, ends_at) of the held slots meeting the ``days`` days from ``start``."""
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=timezone.get_current_timezone())
    return list(
        Booking.objects.filter(
            instrument=instrument,
            kind=BookingKind.SLOT,
            status__in=HOLDING_STATUSES,
            starts_at__lt=begin + dt.timedelta(days=days),
            ends_at__gt=begin,
        )
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")
    )


def slot_grid(instrument: Instrument, start: dt.date, days: int = 7, *, step: int = SLOT_STEP_MINUTES) -> dict:
    """The booking grid: ``days`` columns from ``start`` × steps of ``step`` minutes.

    Each cell is free (bookable: an opening day, inside the opening hours, not past, not
    held), busy (a held booking overlaps it), closed (not an opening day — official holidays
    included, see :func:`instrument_open_on` — or outside the opening hours) or past. The
    booking service checks the same rules again when the form is submitted."""
    tz = timezone.get_current_timezone()
    now = timezone.now()
    held = held_slots(instrument, start, days)
    times = _grid_times(instrument, step)
    columns = []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        holiday = official_weekday_holiday(day)
        columns.append({"date": day, "open": instrument_open_on(instrument, day, holiday=holiday), "holiday": holiday})
    rows = []
    for t_from, t_until in times:
        cells = []
        for col in columns:
            s = dt.datetime.combine(col["date"], t_from, tzinfo=tz)
            e = dt.datetime.combine(col["date"], t_until, tzinfo=tz)
            if not col["open"] or t_from < instrument.open_from or t_until > instrument.open_until:
                state = SlotState.CLOSED
            elif s < now:
                state = SlotState.PAST
            elif any(h_start < e and h_end > s for h_start, h_end in held):
                state = SlotState.BUSY
            else:
                state = SlotState.FREE
            cells.append({"state": state, "starts_at": s, "ends_at": e})
        rows.append({"starts": t_from, "ends": t_until, "cells": cells})
    return {"days": columns, "rows": rows, "step": step}


def expected_completion(item: Instrument | Service, on: dt.date) -> dt.date:
    """When a quantity booking made on ``on`` is expected done: the item's service cycle in
    calendar days, as the institution publishes it (the rule ``booking_request_quantity``
    stores in ``expected_date``)."""
    cycle = item.service_cycle_days if isinstance(item, Instrument) else item.cycle_days
    return on + dt.timedelta(days=cycle)


# Statuses in which a booking waits for the institution (answer, start, complete).
INSTITUTION_TODO = (BookingStatus.REQUESTED, BookingStatus.ACCEPTED, BookingStatus.IN_SERVICE)


def booking_answer_due(created: dt.date) -> dt.date:
    """The last day an institution has to answer a request that came in on ``created``."""
    return add_workdays(created, BOOKING_ANSWER_WORKDAYS).value


def _overdue_reason(booking: Booking, due: dt.date, now: dt.datetime, today: dt.date) -> str:
    if booking.kind == BookingKind.SLOT and booking.starts_at and booking.starts_at <= now:
        return "时段已开始仍未确认"
    if today > due:
        return f"超过 {BOOKING_ANSWER_WORKDAYS} 个工作日未答复"
    return ""


def booking_deadline(booking: Booking) -> tuple[dt.date | None, str]:
    """(answer due date, overdue reason or "") of one booking; (None, "") unless it waits
    for the institution's answer."""
    if booking.status != BookingStatus.REQUESTED:
        return None, ""
    due = booking_answer_due(timezone.localtime(booking.created_at).date())
    return due, _overdue_reason(booking, due, timezone.now(), timezone.localdate())


def booking_queue(user, bookings: QuerySet[Booking] | None = None, *, limit: int = 200) -> dict:
    """The user's bookings split for the list page: ``open`` (waiting for an institution's
    step: answer, start, complete), ``other`` (declined, cancelled, completed, rated) and
    their counts. An open request is overdue when it is still unanswered after
    ``BOOKING_ANSWER_WORKDAYS`` working days, or when its slot has already begun; each row
    gets ``overdue`` (a Chinese reason, or "") and requests ``answer_due``."""
    qs = bookings_for(user) if bookings is None else bookings
    now = timezone.now()
    today = timezone.localdate()
    open_rows = list(qs.filter(status__in=INSTITUTION_TODO).order_by("created_at", "id")[:limit])
    other_qs = qs.exclude(status__in=INSTITUTION_TODO)
    due_by_day: dict[dt.date, dt.date] = {}
    overdue = 0
    for b in open_rows:
        b.overdue = ""
        if b.status == BookingStatus.REQUESTED:
            created = timezone.localtime(b.created_at).date()
            if created not in due_by_day:
                due_by_day[created] = booking_answer_due(created)
            b.answer_due = due_by_day[created]
            b.overdue = _overdue_reason(b, b.answer_due, now, today)
        overdue += bool(b.overdue)
    # Overdue first, then the oldest: what to do next is at the top.
    open_rows.sort(key=lambda b: (not b.overdue, b.created_at, b.pk))
    return {
        "open": open_rows,
        "open_count": len(open_rows),
        "overdue_count": overdue,
        "other": list(other_qs[:limit]),
        "other_count": other_qs.count(),
        "answer_workdays": BOOKING_ANSWER_WORKDAYS,
    }
