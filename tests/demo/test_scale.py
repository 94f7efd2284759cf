"""The scale generator makes exactly N organisations inside Ningxia, where people live."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from accounts.models import Organisation
from catalog.models import Listing
from catalog.selectors import FEATURE_COLUMNS, feature_parts
from demo.scale import _rebuildable
from geodata.models import Region
from geodata.selectors import region_directory
from geodata.synthetic import county_shares

pytestmark = pytest.mark.django_db


def test_county_shares_add_up_exactly_and_follow_population():
    shares = county_shares(1001)
    assert sum(shares.values()) == 1001
    assert shares[640104] > shares[640424]  # 兴庆区 (810k people) over 泾源县 (100k)


def test_it_is_a_dry_run_unless_committed():
    call_command("demo_scale", "--organisations", "50")
    assert not Organisation.objects.filter(contact_email__endswith="synthetic.invalid").exists()


def test_it_creates_exactly_n_organisations_inside_their_counties():
    call_command("demo_scale", "--organisations", "2000", "--commit")
    synthetic = Organisation.objects.filter(contact_email__endswith="synthetic.invalid")
    assert synthetic.count() == 2000
    per_county = dict(synthetic.values_list("region_id").annotate(n=Count("id")))
    assert per_county == {a: n for a, n in county_shares(2000).items() if n}
    province = Region.objects.get(adcode=640000).geom
    for org in synthetic.select_related("region")[:300]:
        assert org.region.geom.covers(org.location)
        assert province.covers(org.location)


def test_clear_removes_only_synthetic_rows(alice):
    call_command("demo_scale", "--organisations", "10", "--commit")
    call_command("demo_scale", "--clear", "--commit")
    assert not Organisation.objects.filter(contact_email__endswith="synthetic.invalid").exists()
    assert Organisation.objects.filter(pk=alice.organisation_id).exists()


def test_listings_are_generated_inside_ningxia_and_cleared_again(client):
    from catalog.models import Listing, ListingCell

    call_command("demo_scale", "--listings", "500", "--commit")
    assert Listing.objects.count() == 500
    assert ListingCell.objects.filter(level=7).exists()
    body = client.get("/api/map/search/", {"near": "106.27,38.47", "sort": "distance", "module": "instrument"}).json()
    assert body["features"] and body["features"][0]["properties"]["distance_m"] is not None
    call_command("demo_scale", "--clear", "--commit")  # twice is harmless
    call_command("demo_scale", "--clear", "--commit")
    assert not Listing.objects.exists() and not ListingCell.objects.exists()


def test_in_another_province_points_are_area_weighted_inside_its_counties(settings):
    """Henan has no population table: its counties share the points by area."""
    from geodata.importer import data_file, read_features, region_values

    Region.objects.bulk_create(
        [Region(adcode=a, **values) for a, values in (region_values(f) for f in read_features(data_file(410000)))]
    )
    settings.PLATFORM_PROVINCE = 410000
    shares = county_shares(1000)
    assert sum(shares.values()) == 1000 and len(shares) == 157
    assert shares[411326] > shares[410104]  # 淅川县 (2,800 km²) over 管城回族区 (200 km²)

    call_command("demo_scale", "--organisations", "400", "--commit")
    synthetic = Organisation.objects.filter(contact_email__endswith="synthetic.invalid").select_related("region")
    assert synthetic.count() == 400
    assert all(410000 < o.region_id < 420000 and o.region.geom.covers(o.location) for o in synthetic)


def test_generated_listings_store_the_features_the_search_would_build():
    """Listings are written by COPY with their features: byte for byte what
    ``feature_parts`` makes of the stored columns, and the indexes and foreign keys dropped
    for the load are all back."""
    before = _rebuildable()
    call_command("demo_scale", "--listings", "700", "--commit")
    assert Listing.objects.count() == 700
    assert _rebuildable() == before and len(before) >= 8  # 6 indexes, 2 foreign keys
    regions = region_directory()
    with connection.cursor() as cur:
        cur.execute(f"SELECT l.feature_head, l.feature_tail, {FEATURE_COLUMNS} FROM catalog_listing l")  # noqa: S608
        rows = cur.fetchall()
    kinds = {row[2] for row in rows}
    assert kinds == {"institution", "instrument", "service"}
    for head, tail, *columns in rows:
        assert (bytes(head), bytes(tail)) == feature_parts(columns, regions)
    # A second load adds to the table (indexes kept: it does not double it) with new ids.
    call_command("demo_scale", "--listings", "300", "--commit")
    assert Listing.objects.count() == 1000
    assert Listing.objects.values("kind", "item_id").distinct().count() == 1000
