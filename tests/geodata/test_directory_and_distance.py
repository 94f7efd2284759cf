"""The per-process region directory, and distances computed in Python the way PostGIS does."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from geodata.models import Region
from geodata.points import sphere_distance_m
from geodata.selectors import forget_region_directory, region_directory, regions_under

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_directory():
    forget_region_directory()
    yield
    forget_region_directory()


def test_regions_under_a_province_city_or_county_follow_the_tree():
    assert len(regions_under(640000)) == 28
    assert sorted(regions_under(640100)) == [640100, 640104, 640105, 640106, 640121, 640122, 640181]
    assert regions_under(640104) == [640104]
    assert regions_under(110000) is None  # Beijing is not in the table


def test_a_rename_through_the_orm_is_seen_at_once():
    assert region_directory()[640522].name == "海原县"
    region = Region.objects.get(adcode=640522)
    region.name = "海原"
    region.save()
    assert region_directory()[640522].name == "海原"


def test_changes_that_send_no_signal_are_seen_at_once():
    region_directory()  # loaded before the changes
    Region.objects.filter(adcode=640522).update(name="海原（新）")  # no signal: as from another process
    assert region_directory()[640522].name == "海原（新）"
    newcomer = Region.objects.get(adcode=640104)
    newcomer.pk = 640199
    Region.objects.bulk_create([newcomer])  # no signal either
    assert regions_under(640199) == [640199]
    with connection.cursor() as cur:  # raw SQL, as an import on another machine would write
        cur.execute("UPDATE geodata_region SET parent_id = 640500 WHERE adcode = 640199")
    assert 640199 in regions_under(640500)
    assert 640199 not in regions_under(640100)


def test_the_directory_is_kept_while_the_regions_do_not_change():
    first = region_directory()
    assert region_directory() is first  # the same object: no reload without a change
    Region.objects.filter(adcode=640522).update(name="海原")
    assert region_directory() is not first


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_python_distances_agree_with_postgis_on_the_sphere_to_the_millimetre(seed):
    rng = random.Random(seed)
    pairs = [
        (rng.uniform(104, 108), rng.uniform(35, 40), rng.uniform(-180, 180), rng.uniform(-89, 89)) for _ in range(50)
    ]
    pairs += [(106.2857, 38.47, 106.29, 38.472), (106.0, 38.0, 106.0, 38.0)]  # 440 m; zero
    with connection.cursor() as cur:
        for lng1, lat1, lng2, lat2 in pairs:
            cur.execute(
                "SELECT ST_Distance(ST_MakePoint(%s, %s)::geography, ST_MakePoint(%s, %s)::geography, false)",
                [lng1, lat1, lng2, lat2],
            )
            assert sphere_distance_m(lng1, lat1, lng2, lat2) == pytest.approx(cur.fetchone()[0], abs=0.001)
