"""The seed provinces' regions for the demo tests: Ningxia's are in the test database for the
whole session; another province's are loaded beside them (their adcodes differ) for the
tests of one module that ask for it, and removed again before the next province."""

from __future__ import annotations

import pytest

from demo.loader import PROVINCE_DATA
from geodata.importer import data_file, read_features, region_values
from geodata.models import Region, RegionLevel

PROVINCES = sorted(PROVINCE_DATA)


def _regions_of(adcode: int, django_db_blocker):
    """Yields with ``adcode``'s regions present (Ningxia's always are)."""
    if adcode == 640000:
        yield adcode
        return
    with django_db_blocker.unblock():
        rows = [region_values(f) for f in read_features(data_file(adcode))]
        Region.objects.bulk_create([Region(adcode=a, **values) for a, values in rows])
        yield adcode
        for level in (RegionLevel.COUNTY, RegionLevel.CITY, RegionLevel.PROVINCE):
            Region.objects.filter(level=level, adcode__gte=adcode, adcode__lt=adcode + 10000).delete()


@pytest.fixture(scope="module", params=PROVINCES, ids=str)
def province(request, django_db_setup, django_db_blocker):
    """Each seed province in turn (pytest groups a module's tests by it)."""
    yield from _regions_of(request.param, django_db_blocker)


@pytest.fixture(scope="module", params=[p for p in PROVINCES if p != 640000], ids=str)
def other_province(request, django_db_setup, django_db_blocker):
    """Henan, Jiangsu and Zhejiang in turn (Ningxia's demo has tests of its own)."""
    yield from _regions_of(request.param, django_db_blocker)
