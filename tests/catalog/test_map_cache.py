"""The map search's response cache (catalog.map_endpoint): a repeated public query is
answered from the cache with the same bytes, every kind of listing change made through the
real services shows in the very next search, 304s answer repeated views, and bad parameters
are never cached.

These tests commit (``transaction=True``): the listings version changes when a change is
committed, as in production, and a search inside a transaction is never served from the
cache."""

from __future__ import annotations

from decimal import Decimal

import orjson
import pytest
from django.contrib.gis.geos import Point
from django.core.cache import caches
from django.db import connection

from accounts import services as account_services
from catalog import services
from catalog.listing import rebuild_grid
from catalog.map_endpoint import CACHE_ALIAS, listings_version
from mapsite.wsgi import application
from tests import factories
from tests.catalog.test_map_search_fast_path import wsgi_get

pytestmark = pytest.mark.django_db(transaction=True)
SEARCH = "/api/map/search/"
BY_PRICE = {"module": "instrument", "sort": "price"}
WHOLE_NINGXIA = {"bbox": "104.2,35.2,107.7,39.4", "cluster": "1", "module": "instrument"}


@pytest.fixture(autouse=True)
def empty_cache(ningxia):
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


@pytest.fixture
def lab(olivia):
    return factories.listed_institution(username="cache_lab", name="缓存检测所", lng=106.2900, lat=38.4720)


@pytest.fixture
def sem(lab, olivia):
    return factories.approved_item(lab, name="扫描电子显微镜", price=Decimal("300"), operator=olivia)


def search(params, **headers):
    return wsgi_get(application, SEARCH, params, **headers)


def names(body: bytes) -> list[str]:
    return [f["properties"]["name"] for f in orjson.loads(body)["features"]]


def cached_entries() -> int:
    return len(caches[CACHE_ALIAS]._cache)


def test_a_repeated_public_query_is_answered_from_the_cache_with_the_same_bytes(sem):
    status, headers, first = search(BY_PRICE)
    assert status == 200 and names(first) == ["扫描电子显微镜"]
    assert cached_entries() == 1
    with_defaults = {**BY_PRICE, "page": "1", "page_size": "20", "cluster": "auto"}
    status, again_headers, again = search(with_defaults)  # the same normalised parameters
    assert status == 200 and again == first
    assert cached_entries() == 1
    assert again_headers["ETag"] == headers["ETag"]
    assert headers["Cache-Control"] == "public, no-cache"


def test_the_cached_answer_is_the_one_the_stack_computes(sem, api):
    search(BY_PRICE)
    _status, _headers, cached = search(BY_PRICE)
    assert api.get(SEARCH, BY_PRICE).content == cached  # the DRF view, inside the test's connection


def test_different_parameters_are_different_entries(sem, lab, olivia):
    factories.approved_item(lab, name="X射线衍射仪", price=Decimal("150"), operator=olivia)
    bodies = {search(params)[2] for params in (BY_PRICE, {**BY_PRICE, "sort": "-price"}, {"module": "service"})}
    assert cached_entries() == 3
    assert len(bodies) == 3


def test_an_approved_new_item_shows_in_the_next_search(sem, lab, olivia):
    search(BY_PRICE)
    factories.approved_item(lab, name="X射线衍射仪", price=Decimal("150"), operator=olivia)
    assert names(search(BY_PRICE)[2]) == ["X射线衍射仪", "扫描电子显微镜"]


def test_an_approved_price_change_reorders_the_next_search(sem, lab, olivia):
    factories.approved_item(lab, name="X射线衍射仪", price=Decimal("150"), operator=olivia)
    assert names(search(BY_PRICE)[2]) == ["X射线衍射仪", "扫描电子显微镜"]
    services.item_update(item=sem, by=lab, data={"price": Decimal("100")})
    # Pending review: the public keeps the approved price, and so does the cache.
    assert names(search(BY_PRICE)[2]) == ["X射线衍射仪", "扫描电子显微镜"]
    services.item_review(item=sem, by=olivia, approve=True)
    assert names(search(BY_PRICE)[2]) == ["扫描电子显微镜", "X射线衍射仪"]


def test_a_self_toggle_and_a_withdrawal_take_the_item_off_the_next_search(sem, lab, olivia):
    factories.approved_item(lab, name="X射线衍射仪", price=Decimal("150"), operator=olivia)
    voucher_only = {**BY_PRICE, "voucher": "1"}
    assert names(search(voucher_only)[2]) == ["X射线衍射仪", "扫描电子显微镜"]
    services.item_update(item=sem, by=lab, data={"voucher_eligible": False})
    assert names(search(voucher_only)[2]) == ["X射线衍射仪"]
    services.item_withdraw(item=sem, by=lab)
    assert names(search(BY_PRICE)[2]) == ["X射线衍射仪"]


def test_a_move_a_rating_and_a_suspension_show_in_the_next_search(sem, lab, olivia):
    in_yinchuan = {"module": "instrument", "region": "640100"}
    assert names(search(in_yinchuan)[2]) == ["扫描电子显微镜"]
    inst = lab.organisation.institution
    services.institution_move(institution=inst, by=lab, point=Point(106.2420, 36.0110, srid=4326))  # 固原
    assert names(search(in_yinchuan)[2]) == []

    rated = {"module": "service", "min_rating": "4"}
    booking = factories.accepted_booking(
        factories.applicant_user(username="cache_rater", adcode=640104), lab, operator=olivia
    )
    assert names(search(rated)[2]) == []
    services.booking_start(booking=booking, by=lab)
    services.booking_complete(booking=booking, by=lab)
    services.booking_rate(booking=booking, by=booking.requested_by, score=5, comment="好")
    assert names(search(rated)[2]) == ["水质全分析"]

    account_services.listing_suspend(org=lab.organisation, by=olivia, reason="评价差且拒不整改")
    assert names(search(BY_PRICE)[2]) == []


def test_a_staff_deletion_and_a_grid_rebuild_change_the_clustered_view(sem, lab, olivia, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-root-123")

    def clustered_count():
        body = orjson.loads(search(WHOLE_NINGXIA)[2])
        return sum(f["properties"]["count"] for f in body["features"])

    other = factories.approved_item(lab, name="X射线衍射仪", price=Decimal("150"), operator=olivia)
    assert clustered_count() == 2
    services.item_delete_by_staff(item=other, by=root)
    assert clustered_count() == 1
    before = listings_version()
    rebuild_grid()  # bulk loads end with it, outside any service
    assert listings_version() > before


def test_a_search_inside_a_transaction_sees_its_own_changes_not_the_cache(sem, lab, olivia):
    from django.db import transaction

    search(BY_PRICE)
    with transaction.atomic():
        services.item_withdraw(item=sem, by=lab)
        assert names(search(BY_PRICE)[2]) == []
        transaction.set_rollback(True)
    assert names(search(BY_PRICE)[2]) == ["扫描电子显微镜"]


def test_a_repeated_view_gets_304_with_no_body(sem):
    _status, headers, body = search(BY_PRICE)
    status, not_modified, empty = search(BY_PRICE, HTTP_IF_NONE_MATCH=headers["ETag"])
    assert status == 304 and empty == b""
    assert not_modified["ETag"] == headers["ETag"]
    assert not_modified["Cache-Control"] == "public, no-cache"
    assert search(BY_PRICE, HTTP_IF_NONE_MATCH='"something-else"')[0] == 200


def test_after_a_change_the_old_etag_gets_the_new_answer(sem, lab):
    _status, headers, _body = search(BY_PRICE)
    services.item_withdraw(item=sem, by=lab)
    status, _headers, body = search(BY_PRICE, HTTP_IF_NONE_MATCH=headers["ETag"])
    assert status == 200 and names(body) == []


def test_nearest_first_searches_get_an_etag_but_are_not_kept(sem):
    near = {"near": "106.2857,38.4700", "sort": "distance"}
    _status, headers, _body = search(near)
    assert cached_entries() == 0
    assert search(near, HTTP_IF_NONE_MATCH=headers["ETag"])[0] == 304


def test_a_nearest_first_count_is_shared_and_follows_every_committed_change(sem, lab, olivia, settings):
    """The count of a full page is cached per process under the listings version the page
    was read at: a change committed by any process (here through the services, no cache is
    cleared) gives the very next search a new count."""
    settings.MAP_COUNT_CACHE_SECONDS = 300
    near = {"near": "106.2857,38.4700", "sort": "distance", "module": "instrument", "page_size": "1"}

    def count(params=near):
        body = orjson.loads(search(params)[2])
        return body["count"], [f["properties"]["name"] for f in body["features"]]

    factories.approved_item(lab, name="X射线衍射仪", price=Decimal("150"), operator=olivia)
    assert count() == (2, ["扫描电子显微镜"])
    assert count({**near, "near": "106.3000,38.5000"})[0] == 2
    assert count_entries() == 1  # another point, the same filters and version: one count
    services.item_withdraw(item=sem, by=lab)
    assert count() == (1, ["X射线衍射仪"])
    factories.approved_item(lab, name="气相色谱仪", price=Decimal("90"), operator=olivia)
    assert count()[0] == 2
    assert count_entries() == 3


def count_entries() -> int:
    return sum(":mapcount:" in key for key in caches["default"]._cache)


def test_free_on_date_searches_are_not_kept(sem):
    search({"module": "instrument", "date": "2030-06-03"})
    assert cached_entries() == 0


@pytest.mark.parametrize(
    "params, field",
    [({"page_size": "100000"}, "page_size"), ({"region": "110000"}, "region"), ({"sort": "distance"}, "sort")],
)
def test_bad_parameters_are_not_cached_and_stay_400_in_chinese(sem, params, field):
    for _ in range(2):
        status, headers, body = search(params)
        assert status == 400
        assert "ETag" not in headers
        message = orjson.loads(body)[field][0]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert cached_entries() == 0


def test_a_signed_in_user_gets_the_public_answer_and_nothing_personal_is_cached(sem, alice, client):
    """The search reads no session or token, so the public entry is right for everyone; the
    response says so (no Vary: Cookie), and nothing about the user is stored."""
    _status, _headers, public = search(BY_PRICE)
    client.force_login(alice)
    session = client.cookies["sessionid"].value
    status, headers, body = search(BY_PRICE, HTTP_COOKIE=f"sessionid={session}")
    assert status == 200 and body == public
    assert "Vary" not in headers and "Set-Cookie" not in headers
    assert b"alice" not in body
    assert cached_entries() == 1


def test_the_version_changes_only_when_a_change_is_committed(sem, lab):
    from django.db import transaction

    before = listings_version()
    with transaction.atomic():
        services.item_update(item=sem, by=lab, data={"voucher_eligible": False})
        transaction.set_rollback(True)
    assert listings_version() == before
    services.item_update(item=sem, by=lab, data={"voucher_eligible": False})
    assert listings_version() > before
    assert connection.in_atomic_block is False
