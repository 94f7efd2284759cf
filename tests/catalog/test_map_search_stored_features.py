"""The map search joins each listing's stored feature (``Listing.feature_head``/``feature_tail``,
migration 0008) instead of building JSON per row. Its pages are byte for byte the pages built
from the columns (what the search answered before, and still answers for a row whose feature
is missing), and the stored features follow every change: the listing sync refills them, a
change written past the sync empties them (trigger), and so does renaming a region."""

from __future__ import annotations

import orjson
import pytest
from django.db import connection
from django.http import QueryDict

from catalog import selectors
from catalog.filters import MapSearchForm
from catalog.listing import listing_sync_item
from catalog.models import Listing
from catalog.selectors import map_search
from geodata.models import Region
from tests.catalog.test_map_search_prepared import BELL_TOWER, QUERIES

pytestmark = pytest.mark.django_db

MORE = [
    *QUERIES,
    "near=105.2,37.5&sort=distance&page_size=50",
    "module=common&sort=popularity&page_size=100",
    "module=service&voucher=1&sort=-price",
]


def answer(query: str) -> bytes:
    form = MapSearchForm(QueryDict(query))
    assert form.is_valid(), form.errors
    return map_search(params=form.params)


def from_the_columns(query: str, monkeypatch) -> bytes:
    """The page built per row from the columns (the rows statement before stored features)."""
    with monkeypatch.context() as m:
        m.setattr(selectors, "_fetch_rows", _as_missing(selectors._fetch_rows))
        return answer(query)


def _as_missing(fetch):
    def fetch_rows(statement, *, prepare):
        rows = fetch(statement, prepare=prepare)
        if statement[0].lstrip().startswith("SELECT l.kind"):  # the full rows, as asked
            return rows
        return [(None, *row[1:]) for row in rows]

    return fetch_rows


def stored() -> dict[int, tuple]:
    return {pk: (head, tail) for pk, head, tail in Listing.objects.values_list("pk", "feature_head", "feature_tail")}


@pytest.mark.parametrize("query", MORE)
def test_pages_of_stored_features_are_the_pages_built_from_the_columns(catalogue, query, monkeypatch):
    assert all(head is not None for head, _tail in stored().values())
    fast = answer(query)
    assert fast == from_the_columns(query, monkeypatch)
    assert orjson.loads(fast)["type"] == "FeatureCollection"


def test_a_row_without_its_feature_is_answered_from_the_columns(catalogue):
    before = answer(f"near={BELL_TOWER}&sort=distance")
    with connection.cursor() as cur:
        # A write past the listing sync (no feature written): the trigger empties it.
        cur.execute("UPDATE catalog_listing SET popularity = popularity + 1")
        cur.execute("SELECT count(*) FROM catalog_listing WHERE feature_head IS NOT NULL")
        assert cur.fetchone()[0] == 0
    after = ties_in_id_order(answer(f"near={BELL_TOWER}&sort=distance"))
    expected = ties_in_id_order(before)
    for feature in expected["features"]:
        feature["properties"]["popularity"] += 1
    assert after == expected
    # Filled again (as bulk loads do), the page is the same.
    assert selectors.listing_features_fill() == Listing.objects.count()
    assert ties_in_id_order(answer(f"near={BELL_TOWER}&sort=distance")) == expected


def ties_in_id_order(body: bytes) -> dict:
    """The page with listings at the same distance in id order: nearest-first has no
    tie-breaker (rows_statement), and rewritten rows may come back in another order."""
    page = orjson.loads(body)
    page["features"].sort(key=lambda f: (f["properties"]["distance_m"], f["id"]))
    return page


def test_the_listing_sync_refills_the_feature_of_the_row_it_writes(catalogue):
    listing = Listing.objects.filter(kind="instrument").order_by("pk").first()
    item = listing.institution.instruments.get(pk=listing.item_id)
    others = {pk: parts for pk, parts in stored().items() if pk != listing.pk}

    item.name = "改名的仪器"
    item.save()
    listing_sync_item(item)

    listing.refresh_from_db()
    assert listing.name == "改名的仪器" and b"\\u6539" not in bytes(listing.feature_head)
    assert "改名的仪器" in bytes(listing.feature_head).decode()
    assert {pk: parts for pk, parts in stored().items() if pk != listing.pk} == others


def test_renaming_a_region_empties_the_features_that_print_its_name(catalogue, monkeypatch):
    listing = Listing.objects.exclude(region=None).order_by("pk").first()
    region = Region.objects.get(pk=listing.region_id)
    region.name = "改名区"
    region.save()
    emptied = set(Listing.objects.filter(feature_head=None).values_list("pk", flat=True))
    assert emptied == set(Listing.objects.filter(region=region).values_list("pk", flat=True))
    query = f"near={listing.lng},{listing.lat}&sort=distance"
    page = answer(query)
    assert orjson.loads(page)["features"][0]["properties"]["region"] == "改名区"
    selectors.listing_features_fill()
    assert answer(query) == page == from_the_columns(query, monkeypatch)


def test_a_name_that_spells_the_distance_key_does_not_move_the_split(catalogue, monkeypatch):
    listing = Listing.objects.filter(kind="instrument").order_by("pk").first()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE catalog_listing SET name = %s, institution_name = %s WHERE id = %s",
            ['"distance_m":null,"x', 'a"distance_m":null', listing.pk],
        )
    assert selectors.listing_features_fill() == 1
    query = f"near={listing.lng},{listing.lat}&sort=distance"
    page = answer(query)
    assert page == from_the_columns(query, monkeypatch)
    [feature] = [f for f in orjson.loads(page)["features"] if f["id"] == f"instrument:{listing.item_id}"]
    assert feature["properties"]["name"] == '"distance_m":null,"x' and feature["properties"]["distance_m"] == 0.0
