"""Keeping the search table (``Listing``) and its cluster grid (``ListingCell``) in step.

Every write that changes what the public sees of an item ends with ``listing_sync``. The
grid is updated by deltas in the same transaction, so clustered views never drift from the
rows they summarise; ``rebuild_grid`` recomputes it from scratch after bulk loads.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.db import connection

from accounts.models import ACTIVE_STATUSES
from catalog.models import (
    PUBLIC_REVIEW_STATUSES,
    Institution,
    Instrument,
    Listing,
    ListingKind,
    Service,
)
from catalog.search_text import build_search_text
from geodata.selectors import region_locate

# Grid level L has square cells of GRID_BASE * 2**L degrees (level 0 ≈ 500 m, level 7 ≈ 70 km).
GRID_BASE = 0.005
GRID_LEVELS = 8


@dataclass
class ListingRow:
    kind: str
    item_id: int
    institution_id: int
    name: str
    institution_name: str
    category: str
    price: object
    unit: str
    voucher_eligible: bool
    in_region: bool
    lng: float
    lat: float
    region_id: int | None
    rating_mean: object
    rating_count: int
    popularity: int
    search_text: str


def _institution_listed(inst: Institution) -> bool:
    org = inst.organisation
    return org.status in ACTIVE_STATUSES and org.location is not None


def _row_for_institution(inst: Institution) -> ListingRow | None:
    if not _institution_listed(inst):
        return None
    org = inst.organisation
    return ListingRow(
        kind=ListingKind.INSTITUTION,
        item_id=inst.pk,
        institution_id=inst.pk,
        name=org.name,
        institution_name=org.name,
        category=inst.kind,
        price=None,
        unit="",
        voucher_eligible=True,
        in_region=org.in_region,
        lng=org.location.x,
        lat=org.location.y,
        region_id=org.region_id,
        rating_mean=inst.rating_mean,
        rating_count=inst.rating_count,
        popularity=inst.popularity,
        search_text=build_search_text(org.name, inst.short_name, inst.get_kind_display(), org.registered_address),
    )


def _row_for_item(item: Instrument | Service) -> ListingRow | None:
    inst = item.institution
    if not _institution_listed(inst) or item.review_status not in PUBLIC_REVIEW_STATUSES:
        return None
    org = inst.organisation
    if isinstance(item, Instrument):
        if not item.open_for_sharing:
            return None
        kind, extra = ListingKind.INSTRUMENT, (item.category, item.model_number, item.manufacturer)
        point = item.location or org.location
        region_id = org.region_id if item.location is None else _region_of(item.location)
    else:
        kind, extra = ListingKind.SERVICE, (item.category,)
        point, region_id = org.location, org.region_id
    return ListingRow(
        kind=kind,
        item_id=item.pk,
        institution_id=inst.pk,
        name=item.name,
        institution_name=org.name,
        category=item.category,
        price=item.price,
        unit=item.unit,
        voucher_eligible=item.voucher_eligible,
        in_region=org.in_region,
        lng=point.x,
        lat=point.y,
        region_id=region_id,
        rating_mean=item.rating_mean,
        rating_count=item.rating_count,
        popularity=item.popularity,
        search_text=build_search_text(item.name, item.aliases, org.name, *extra),
    )


def _region_of(point) -> int | None:
    county = region_locate(point=point)
    return county.adcode if county else None


def _grid_delta(row: ListingRow, delta: int) -> None:
    """Add (+1) or remove (-1) one listing from its cell at every grid level.

    Removal is an UPDATE, not an upsert: PostgreSQL checks CHECK constraints on the proposed
    row before ON CONFLICT resolves, so an upsert of -1 would trip ``n >= 0``."""
    params = {
        "lng": row.lng,
        "lat": row.lat,
        "base": GRID_BASE,
        "kind": row.kind,
        "category": row.category,
        "voucher": row.voucher_eligible,
        "region": row.region_id,
        "top": GRID_LEVELS - 1,
    }
    with connection.cursor() as cur:
        if delta > 0:
            cur.execute(
                """
                INSERT INTO catalog_listingcell
                    (level, cx, cy, kind, category, voucher_eligible, region_id, n, sum_lng, sum_lat)
                SELECT l, floor(%(lng)s / (%(base)s * 2 ^ l))::int, floor(%(lat)s / (%(base)s * 2 ^ l))::int,
                       %(kind)s, %(category)s, %(voucher)s, %(region)s, 1, %(lng)s, %(lat)s
                FROM generate_series(0, %(top)s) AS l
                ON CONFLICT (level, cx, cy, kind, category, voucher_eligible, region_id) DO UPDATE
                SET n = catalog_listingcell.n + 1,
                    sum_lng = catalog_listingcell.sum_lng + EXCLUDED.sum_lng,
                    sum_lat = catalog_listingcell.sum_lat + EXCLUDED.sum_lat
                """,
                params,
            )
        else:
            cur.execute(
                """
                UPDATE catalog_listingcell c
                SET n = c.n - 1, sum_lng = c.sum_lng - %(lng)s, sum_lat = c.sum_lat - %(lat)s
                FROM generate_series(0, %(top)s) AS l
                WHERE c.level = l
                  AND c.cx = floor(%(lng)s / (%(base)s * 2 ^ l))::int
                  AND c.cy = floor(%(lat)s / (%(base)s * 2 ^ l))::int
                  AND c.kind = %(kind)s AND c.category = %(category)s
                  AND c.voucher_eligible = %(voucher)s
                  AND c.region_id IS NOT DISTINCT FROM %(region)s
                """,
                params,
            )
            cur.execute("DELETE FROM catalog_listingcell WHERE n = 0")


def _grid_key(row: ListingRow) -> tuple:
    return (row.kind, row.category, row.voucher_eligible, row.region_id, row.lng, row.lat)


def _row_from_listing(listing: Listing) -> ListingRow:
    return ListingRow(
        kind=listing.kind,
        item_id=listing.item_id,
        institution_id=listing.institution_id,
        name=listing.name,
        institution_name=listing.institution_name,
        category=listing.category,
        price=listing.price,
        unit=listing.unit,
        voucher_eligible=listing.voucher_eligible,
        in_region=listing.in_region,
        lng=listing.location.x,
        lat=listing.location.y,
        region_id=listing.region_id,
        rating_mean=listing.rating_mean,
        rating_count=listing.rating_count,
        popularity=listing.popularity,
        search_text=listing.search_text,
    )


def _apply(kind: str, item_id: int, row: ListingRow | None) -> None:
    """Make the Listing for (kind, item_id) equal ``row`` (None = not public)."""
    current = Listing.objects.select_for_update().filter(kind=kind, item_id=item_id).first()
    old = _row_from_listing(current) if current else None
    if old and (row is None or _grid_key(old) != _grid_key(row)):
        _grid_delta(old, -1)
    if row is None:
        if current:
            current.delete()
        return
    if old is None or _grid_key(old) != _grid_key(row):
        _grid_delta(row, +1)
    values = {
        "institution_id": row.institution_id,
        "name": row.name,
        "institution_name": row.institution_name,
        "category": row.category,
        "price": row.price,
        "unit": row.unit,
        "voucher_eligible": row.voucher_eligible,
        "in_region": row.in_region,
        "location": Point(row.lng, row.lat, srid=4326),
        "region_id": row.region_id,
        "rating_mean": row.rating_mean,
        "rating_count": row.rating_count,
        "popularity": row.popularity,
        "search_text": row.search_text,
    }
    if current:
        for field, value in values.items():
            setattr(current, field, value)
        current.save(update_fields=list(values))
    else:
        current = Listing.objects.create(kind=kind, item_id=item_id, **values)
    # why: selectors imports this module (the grid's constants)
    from catalog.selectors import listing_features_fill

    listing_features_fill("l.id = %s", [current.pk])


def listing_sync_item(item: Instrument | Service) -> None:
    kind = ListingKind.INSTRUMENT if isinstance(item, Instrument) else ListingKind.SERVICE
    _apply(kind, item.pk, _row_for_item(item))


def listing_forget_item(item: Instrument | Service) -> None:
    """Remove the item's search row and its map cells (the item is about to be deleted)."""
    kind = ListingKind.INSTRUMENT if isinstance(item, Instrument) else ListingKind.SERVICE
    _apply(kind, item.pk, None)


def listing_sync_institution(inst: Institution, *, with_items: bool = True) -> None:
    """Sync the institution's own listing and, by default, every item it owns."""
    inst = Institution.objects.select_related("organisation").get(pk=inst.pk)
    _apply(ListingKind.INSTITUTION, inst.pk, _row_for_institution(inst))
    if with_items:
        for item in inst.instruments.all():
            item.institution = inst
            listing_sync_item(item)
        for item in inst.services.all():
            item.institution = inst
            listing_sync_item(item)


def rebuild_grid() -> int:
    """Recompute every grid cell from ``Listing`` (after bulk loads). Returns the row count."""
    with connection.cursor() as cur:
        # The listings-version trigger on the cells is deferred to commit; rows changed earlier
        # in this transaction leave events pending, and PostgreSQL refuses to TRUNCATE under
        # them. Firing them now (the version is bumped once per transaction anyway) allows it.
        cur.execute("SET CONSTRAINTS catalog_listingcell_version IMMEDIATE")
        cur.execute("TRUNCATE catalog_listingcell")
        cur.execute("SET CONSTRAINTS catalog_listingcell_version DEFERRED")
        cur.execute(
            """
            INSERT INTO catalog_listingcell
                (level, cx, cy, kind, category, voucher_eligible, region_id, n, sum_lng, sum_lat)
            SELECT l, floor(x / (%(base)s * 2 ^ l))::int, floor(y / (%(base)s * 2 ^ l))::int,
                   kind, category, voucher_eligible, region_id, count(*), sum(x), sum(y)
            FROM (SELECT kind, category, voucher_eligible, region_id, lng AS x, lat AS y
                  FROM catalog_listing) s
            CROSS JOIN generate_series(0, %(top)s) AS l
            GROUP BY 1, 2, 3, 4, 5, 6, 7
            """,
            {"base": GRID_BASE, "top": GRID_LEVELS - 1},
        )
        return cur.rowcount


def on_certification_changed(sender, organisation, **kwargs) -> None:
    """A listed institution appears, disappears or is renamed on the map with its status."""
    inst = Institution.objects.filter(pk=organisation.pk).first()
    if inst is not None:
        listing_sync_institution(inst)
