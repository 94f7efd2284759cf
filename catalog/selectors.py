"""Reads on the catalogue: the map search and what detail pages and owners see."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance, GeometryDistance
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, FloatField, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL

from catalog.listing import GRID_BASE, GRID_LEVELS
from catalog.models import (
    HOLDING_STATUSES,
    PUBLIC_REVIEW_STATUSES,
    Booking,
    BookingKind,
    Institution,
    Instrument,
    Listing,
    ListingCell,
    ListingKind,
    Rating,
    Service,
)
from catalog.search_text import normalise_query
from geodata.selectors import regions_under

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
_X = RawSQL("ST_X(catalog_listing.location::geometry)", [], output_field=FloatField())
_Y = RawSQL("ST_Y(catalog_listing.location::geometry)", [], output_field=FloatField())


@dataclass
class MapSearchResult:
    count: int
    count_exact: bool
    page: int
    page_size: int
    clustered: bool
    features: list[dict] = field(default_factory=list)

    def as_geojson(self) -> dict:
        return {
            "type": "FeatureCollection",
            "count": self.count,
            "count_exact": self.count_exact,
            "page": self.page,
            "page_size": self.page_size,
            "clustered": self.clustered,
            "features": self.features,
        }


def _ewkt(point: Point) -> str:
    return f"SRID={settings.SRID};POINT({point.x!r} {point.y!r})"


def _free_on(day: dt.date) -> RawSQL:
    """Instruments open on ``day`` whose held slots do not fill the opening hours.

    On China's official public holidays an instrument counts as closed unless it opens all
    seven days of the week."""
    import chinese_calendar

    try:
        holiday = chinese_calendar.is_holiday(day) and day.isoweekday() <= 5
    except NotImplementedError:  # beyond the calendar library's known years
        holiday = False
    start = dt.datetime.combine(day, dt.time.min)
    end = start + dt.timedelta(days=1)
    return RawSQL(
        """
        catalog_listing.item_id IN (
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
                  < EXTRACT(EPOCH FROM (i.open_until - i.open_from))
        )
        """,
        [
            day.isoweekday(), holiday, end, settings.TIME_ZONE, start, settings.TIME_ZONE,
            BookingKind.SLOT, list(HOLDING_STATUSES), end, settings.TIME_ZONE, start, settings.TIME_ZONE,
        ],
        output_field=FloatField(),
    )


def _apply_filters(qs: QuerySet[Listing], p: dict) -> QuerySet[Listing]:
    module = p["module"]
    if module == "common":
        qs = qs.filter(kind__in=(ListingKind.INSTRUMENT, ListingKind.SERVICE))
    else:
        qs = qs.filter(kind=module)
    if p["q"]:
        qs = qs.filter(search_text__contains=normalise_query(p["q"]))
    if p.get("region"):
        adcodes = regions_under(int(p["region"]))
        if adcodes is None:
            raise ValidationError({"region": "未知的行政区划代码。"})
        qs = qs.filter(region_id__in=adcodes)
    if p.get("near") is not None and p.get("radius_km") is not None:
        qs = qs.filter(location__dwithin=(p["near"], D(km=float(p["radius_km"]))))
    if p.get("bbox") is not None:
        b = p["bbox"]
        qs = qs.extra(  # noqa: S610 (numbers only, validated by parse_bbox)
            where=["catalog_listing.location::geometry && ST_MakeEnvelope(%s, %s, %s, %s, 4326)"],
            params=[b.west, b.south, b.east, b.north],
        )
    if p.get("date"):
        free = _free_on(p["date"])
        qs = qs.extra(where=[free.sql], params=free.params)  # noqa: S610 (parameterised)
    return qs


def _capped_count(qs: QuerySet) -> tuple[int, bool]:
    cap = settings.MAP_COUNT_CAP
    n = qs.order_by()[: cap + 1].count()
    return (cap, False) if n > cap else (n, True)


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
    cells = cells.filter(kind__in=(ListingKind.INSTRUMENT, ListingKind.SERVICE)) if module == "common" else cells.filter(kind=module)
    if p.get("category"):
        cells = cells.filter(category=p["category"])
    if p.get("voucher") is not None:
        cells = cells.filter(voucher_eligible=p["voucher"])
    if p.get("region"):
        adcodes = regions_under(int(p["region"]))
        if adcodes is None:
            raise ValidationError({"region": "未知的行政区划代码。"})
        cells = cells.filter(region_id__in=adcodes)
    if p.get("bbox") is not None:
        b = p["bbox"]
        cells = cells.filter(
            cx__gte=math.floor(b.west / size), cx__lte=math.floor(b.east / size),
            cy__gte=math.floor(b.south / size), cy__lte=math.floor(b.north / size),
        )
    rows = cells.values("cx", "cy").annotate(n=Sum("n"), sx=Sum("sum_lng"), sy=Sum("sum_lat"))
    return [_cluster_feature(r["n"], r["sx"] / r["n"], r["sy"] / r["n"], size) for r in rows if r["n"]]


def _clusters_live(qs: QuerySet[Listing], p: dict) -> list[dict]:
    _, size = _grid_level(p)
    rows = (
        qs.order_by()
        .annotate(
            cx=RawSQL("floor(ST_X(catalog_listing.location::geometry) / %s)", [size], output_field=FloatField()),
            cy=RawSQL("floor(ST_Y(catalog_listing.location::geometry) / %s)", [size], output_field=FloatField()),
        )
        .values("cx", "cy")
        .annotate(n=Count("id"), lng=Avg(_X), lat=Avg(_Y))
    )
    return [_cluster_feature(r["n"], r["lng"], r["lat"], size) for r in rows]


def _cluster_feature(n: int, lng: float, lat: float, size: float) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
        "properties": {"cluster": True, "count": int(n), "cell_deg": size},
    }


VALUE_FIELDS = (
    "kind", "item_id", "name", "institution_id", "institution_name", "category", "price",
    "unit", "voucher_eligible", "in_region", "rating_mean", "rating_count", "popularity",
    "region__name",
)


def _point_feature(row: dict) -> dict:
    kind, item_id = row["kind"], row["item_id"]
    url = ITEM_URL[kind].format(item_id)
    distance = row.get("distance")
    return {
        "type": "Feature",
        "id": f"{kind}:{item_id}",
        "geometry": {"type": "Point", "coordinates": [round(row["x"], 6), round(row["y"], 6)]},
        "properties": {
            "kind": kind,
            "id": item_id,
            "name": row["name"],
            "institution": row["institution_name"],
            "institution_id": row["institution_id"],
            "institution_url": ITEM_URL[ListingKind.INSTITUTION].format(row["institution_id"]),
            "category": row["category"],
            "price": None if row["price"] is None else str(row["price"]),
            "unit": row["unit"],
            "voucher_eligible": row["voucher_eligible"],
            "in_region": row["in_region"],
            "rating": float(row["rating_mean"]),
            "rating_count": row["rating_count"],
            "popularity": row["popularity"],
            "region": row["region__name"],
            "distance_m": None if distance is None else round(distance.m, 1),
            "url": url,
            "book_url": None if kind == ListingKind.INSTITUTION else url + "book/",
            "contact_url": f"/catalog/contact/?kind={kind}&id={item_id}",
        },
    }


def map_search(*, queryset: QuerySet[Listing], params: dict) -> MapSearchResult:
    """One query for "what is near me / in this county / in this view, of this kind, sorted
    my way". ``queryset`` comes from MapSearchFilter (column filters applied); ``params``
    from ``MapSearchFilter.params``."""
    p = params
    qs = _apply_filters(queryset, p)
    count, exact = _capped_count(qs)
    page, size = p["page"], p["page_size"]
    wants_clusters = p["cluster"] == "1" or (
        p["cluster"] == "auto" and p.get("bbox") is not None and count > settings.MAP_CLUSTER_THRESHOLD
    )
    if wants_clusters:
        used = {k for k, v in p.items() if v not in (None, "", False) and k not in
                {"page", "page_size", "sort", "cluster", "near"}}
        used.discard("module")
        features = _clusters_from_grid(p) if used <= GRID_FILTERS else _clusters_live(qs, p)
        return MapSearchResult(count, exact, 1, len(features), True, features)

    near: Point | None = p.get("near")
    if near is not None:
        qs = qs.annotate(distance=Distance("location", near))
    if p["sort"] == "distance":
        qs = qs.order_by(GeometryDistance("location", near), "id")
    else:
        qs = qs.order_by(*SORT_FIELDS[p["sort"]], "id")
    start = (page - 1) * size
    fields = [*VALUE_FIELDS, *(("distance",) if near is not None else ())]
    rows = qs.annotate(x=_X, y=_Y).values(*fields, "x", "y")[start : start + size]
    return MapSearchResult(count, exact, page, size, False, [_point_feature(r) for r in rows])


# --- Detail pages and owners ----------------------------------------------------------------


def public_instruments() -> QuerySet[Instrument]:
    return Instrument.objects.filter(
        review_status__in=PUBLIC_REVIEW_STATUSES, open_for_sharing=True,
        institution__listings__kind=ListingKind.INSTITUTION,
    ).select_related("institution__organisation")


def public_services() -> QuerySet[Service]:
    return Service.objects.filter(
        review_status__in=PUBLIC_REVIEW_STATUSES, institution__listings__kind=ListingKind.INSTITUTION,
    ).select_related("institution__organisation")


def public_institutions() -> QuerySet[Institution]:
    return Institution.objects.filter(listings__kind=ListingKind.INSTITUTION).select_related(
        "organisation__region"
    )


def ratings_for(*, institution=None, instrument=None, service=None, limit: int = 20) -> QuerySet[Rating]:
    qs = Rating.objects.select_related("enterprise")
    if instrument is not None:
        qs = qs.filter(instrument=instrument)
    elif service is not None:
        qs = qs.filter(service=service)
    else:
        qs = qs.filter(institution=institution)
    return qs[:limit]


def instrument_calendar(instrument: Instrument, start: dt.date, days: int = 14) -> list[dict]:
    """Held slots per day for the next ``days`` days (what the instrument page shows)."""
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    end = begin + dt.timedelta(days=days)
    held = Booking.objects.filter(
        instrument=instrument, kind=BookingKind.SLOT, status__in=HOLDING_STATUSES,
        starts_at__lt=end, ends_at__gt=begin,
    ).order_by("starts_at").values("starts_at", "ends_at")
    by_day: dict[dt.date, list] = {}
    for slot in held:
        by_day.setdefault(timezone.localtime(slot["starts_at"]).date(), []).append(
            (timezone.localtime(slot["starts_at"]).time(), timezone.localtime(slot["ends_at"]).time())
        )
    out = []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        out.append({
            "date": day,
            "open": day.isoweekday() in instrument.open_weekdays,
            "slots": by_day.get(day, []),
        })
    return out


def bookings_for(user) -> QuerySet[Booking]:
    """Bookings the user's organisation made (enterprise) or received (institution)."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Booking.objects.none()
    return Booking.objects.filter(
        Q(enterprise_id=user.organisation_id) | Q(institution_id=user.organisation_id)
    ).select_related("institution__organisation", "enterprise", "instrument", "service")

