"""GET /api/map/search/: every filter and sort, text in Chinese and pinyin, clustering, errors."""

from __future__ import annotations

import pytest

from tests.catalog.conftest import set_rating

pytestmark = pytest.mark.django_db
BELL_TOWER = "106.2857,38.4700"


def search(client, **params):
    response = client.get("/api/map/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


def names(body):
    return [f["properties"]["name"] for f in body["features"]]


def test_it_returns_geojson_with_count_and_popup_fields(client, catalogue):
    body = search(client, module="instrument", near=BELL_TOWER)
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 3 and body["count_exact"] is True
    props = body["features"][0]["properties"]
    for key in ("name", "institution", "rating", "price", "unit", "distance_m", "url", "book_url", "contact_url"):
        assert key in props
    assert body["features"][0]["geometry"]["type"] == "Point"


def test_modules_select_institutions_services_instruments_or_both_items(client, catalogue):
    assert search(client, module="institution")["count"] == 3
    assert search(client, module="service")["count"] == 2
    assert search(client, module="instrument")["count"] == 3
    assert search(client)["count"] == 5  # common: instruments and services


def test_nearest_first_orders_by_true_distance_in_metres(client, catalogue):
    body = search(client, module="instrument", near=BELL_TOWER, sort="distance")
    assert names(body) == ["扫描电子显微镜", "场发射扫描电子显微镜", "X射线衍射仪"]
    distances = [f["properties"]["distance_m"] for f in body["features"]]
    assert distances == sorted(distances)
    assert 300 < distances[0] < 600  # ~440 m from the Bell Tower
    assert 260_000 < distances[2] < 280_000  # Guyuan is ~270 km south


def test_radius_keeps_only_what_lies_within_it(client, catalogue):
    body = search(client, near=BELL_TOWER, radius_km=20)
    assert sorted(names(body)) == ["场发射扫描电子显微镜", "扫描电子显微镜", "水质全分析"]
    assert all(f["properties"]["distance_m"] <= 20_000 for f in body["features"])


@pytest.mark.parametrize("q", ["扫描电镜", "saomiao", "smdj", "SEM", "扫描电子"])
def test_text_finds_the_scanning_electron_microscope_in_chinese_pinyin_and_initials(client, catalogue, q):
    assert sorted(names(search(client, q=q))) == ["场发射扫描电子显微镜", "扫描电子显微镜"]


def test_text_matches_institution_names_too(client, catalogue):
    assert names(search(client, q="固原检验")) == ["X射线衍射仪", "食品中农药残留检测"] or sorted(
        names(search(client, q="固原检验"))
    ) == sorted(["X射线衍射仪", "食品中农药残留检测"])


def test_region_at_city_and_county_level(client, catalogue):
    assert search(client, region=640400)["count"] == 2  # 固原市
    assert search(client, region=640402)["count"] == 2  # 原州区
    assert search(client, region=640105, module="instrument")["count"] == 1  # 西夏区
    assert search(client, region=640000)["count"] == 5


def test_category_price_voucher_and_rating_filters(client, catalogue):
    assert names(search(client, module="instrument", category="分析仪器")) == ["X射线衍射仪"]
    assert sorted(names(search(client, min_price=300, max_price=500))) == ["场发射扫描电子显微镜", "扫描电子显微镜"]
    assert "食品中农药残留检测" not in names(search(client, voucher=1))
    set_rating(catalogue["sem_mid"], "4.80", 10)
    assert names(search(client, min_rating=4.5)) == ["场发射扫描电子显微镜"]


def test_bbox_keeps_only_the_view(client, catalogue):
    yinchuan = "105.9,38.3,106.5,38.7"
    assert sorted(names(search(client, bbox=yinchuan, cluster=0))) == [
        "场发射扫描电子显微镜",
        "扫描电子显微镜",
        "水质全分析",
    ]
    assert search(client, bbox=yinchuan, module="institution")["count"] == 2


def test_sorts_by_price_rating_popularity_and_newest(client, catalogue):
    assert names(search(client, module="instrument", sort="price"))[0] == "X射线衍射仪"
    assert names(search(client, module="instrument", sort="-price"))[0] == "场发射扫描电子显微镜"
    set_rating(catalogue["xrd_far"], "4.90", 3, popularity=1)
    set_rating(catalogue["sem_near"], "3.10", 8, popularity=40)
    assert names(search(client, module="instrument", sort="-rating"))[0] == "X射线衍射仪"
    assert names(search(client, module="instrument", sort="rating"))[0] != "X射线衍射仪"
    assert names(search(client, module="instrument", sort="popularity"))[0] == "扫描电子显微镜"
    newest = search(client, sort="newest")
    assert names(newest)[0] == "食品中农药残留检测"  # created last in the fixture


def test_filters_and_sort_combine(client, catalogue):
    body = search(client, q="电镜", near=BELL_TOWER, radius_km=50, max_price=400, voucher=1, sort="distance")
    assert names(body) == ["扫描电子显微镜"]


def test_paging_walks_through_results(client, catalogue):
    first = search(client, sort="price", page_size=2, page=1)
    second = search(client, sort="price", page_size=2, page=2)
    third = search(client, sort="price", page_size=2, page=3)
    assert len(first["features"]) == 2 and len(second["features"]) == 2 and len(third["features"]) == 1
    assert not set(names(first)) & set(names(second))


def test_free_on_date_hides_an_instrument_fully_booked_that_day(client, catalogue, alice):
    import datetime as dt

    from django.utils import timezone

    from catalog import services
    from catalog.models import Instrument

    sem = catalogue["sem_near"]
    Instrument.objects.filter(pk=sem.pk).update(open_weekdays=[1, 2, 3, 4, 5, 6, 7], instant_booking=True)
    sem.refresh_from_db()
    day = timezone.localdate() + dt.timedelta(days=10)
    start = timezone.make_aware(dt.datetime.combine(day, sem.open_from))
    end = timezone.make_aware(dt.datetime.combine(day, sem.open_until))
    services.booking_request_slot(instrument=sem, by=alice, starts_at=start, ends_at=end)
    free = names(search(client, module="instrument", date=day.isoformat()))
    assert "扫描电子显微镜" not in free
    assert "扫描电子显微镜" in names(search(client, module="instrument", date=(day + dt.timedelta(days=1)).isoformat()))


def test_clusters_replace_points_when_the_view_holds_too_many(client, catalogue, settings):
    settings.MAP_CLUSTER_THRESHOLD = 2
    whole = "104.2,35.2,107.7,39.4"
    body = search(client, bbox=whole)
    assert body["clustered"] is True
    assert sum(f["properties"]["count"] for f in body["features"]) == body["count"] == 5
    assert all(f["properties"]["cluster"] for f in body["features"])
    # The same view with a text filter clusters live instead of from the grid, same totals.
    settings.MAP_CLUSTER_THRESHOLD = 1
    live = search(client, bbox=whole, q="电镜")
    assert live["clustered"] is True and sum(f["properties"]["count"] for f in live["features"]) == 2
    assert search(client, bbox=whole, cluster=0)["clustered"] is False
    assert search(client, cluster=1)["clustered"] is True


def test_the_cluster_grid_follows_withdrawals(client, catalogue, settings):
    from catalog import services

    settings.MAP_CLUSTER_THRESHOLD = 1
    services.item_withdraw(item=catalogue["sem_near"], by=catalogue["near"])
    body = search(client, bbox="104.2,35.2,107.7,39.4")
    assert sum(f["properties"]["count"] for f in body["features"]) == 4


@pytest.mark.parametrize(
    "params,field",
    [
        ({"near": "abc"}, "near"),
        ({"near": "200,38"}, "near"),
        ({"near": "106,38", "radius_km": "-1"}, "radius_km"),
        ({"radius_km": "5"}, "radius_km"),
        ({"sort": "cheapest"}, "sort"),
        ({"sort": "distance"}, "sort"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "-200,10,20,30"}, "bbox"),
        ({"bbox": "110,30,100,40"}, "bbox"),
        ({"page_size": "100000"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
        ({"module": "people"}, "module"),
        ({"min_rating": "9"}, "min_rating"),
        ({"min_price": "500", "max_price": "100"}, "min_price"),
        ({"region": "123"}, "region"),
        ({"region": "650100"}, "region"),
        ({"date": "2026-13-01", "module": "instrument"}, "date"),
        ({"date": "2026-12-01", "module": "service"}, "date"),
        ({"voucher": "maybe"}, "voucher"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_parameter(client, catalogue, params, field):
    response = client.get("/api/map/search/", params)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_unreviewed_items_are_not_found(client, catalogue):
    from catalog import services

    services.item_create(
        institution=catalogue["near"].organisation.institution,
        by=catalogue["near"],
        kind="instrument",
        data={"name": "透射电子显微镜", "category": "电子光学仪器", "price": 500, "unit": "元/小时"},
    )
    assert search(client, q="透射")["count"] == 0


@pytest.mark.django_db(transaction=True)  # counts are cached only outside a transaction
def test_point_independent_counts_are_cached_briefly_and_radius_counts_are_not(client, catalogue, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MAP_COUNT_CAP = 500
    with CaptureQueriesContext(connection) as first:
        search(client, near=BELL_TOWER, page_size=1)
    with CaptureQueriesContext(connection) as second:
        search(client, near="106.0,38.0", page_size=1)
    counting = [q for q in second.captured_queries if "count(*)" in q["sql"]]
    assert any("count(*)" in q["sql"] for q in first.captured_queries) and not counting
    with CaptureQueriesContext(connection) as radius:
        search(client, near=BELL_TOWER, radius_km=50, page_size=1)
    assert any("count(*)" in q["sql"] for q in radius.captured_queries)


def test_inside_a_transaction_counts_are_not_cached(client, catalogue, settings):
    """A transaction may count its own uncommitted changes, which no version shows yet."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            search(client, near=BELL_TOWER, page_size=1)
        assert any("count(*)" in q["sql"] for q in queries.captured_queries)
