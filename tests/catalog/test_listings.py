"""Catalogue API: owners change only their own items, the public sees only reviewed ones,
the region follows a moved point."""

from __future__ import annotations

import pytest

from catalog.models import Instrument, Listing, ReviewStatus
from tests import factories

pytestmark = pytest.mark.django_db

NEW_INSTRUMENT = {
    "name": "透射电子显微镜",
    "category": "电子光学仪器",
    "price": "600.00",
    "unit": "元/小时",
    "model_number": "Talos F200X",
    "manufacturer": "赛默飞",
}


def test_an_institution_adds_an_instrument_that_waits_for_review(api_as, ivan_lab, api):
    response = api_as(ivan_lab).post("/api/instruments/", NEW_INSTRUMENT, format="json")
    assert response.status_code == 201, response.json()
    item = Instrument.objects.get(name="透射电子显微镜")
    assert item.review_status == ReviewStatus.PENDING
    api.credentials()
    assert api.get(f"/api/instruments/{item.pk}/").status_code == 404
    assert not Listing.objects.filter(kind="instrument", item_id=item.pk).exists()


def test_the_operator_approves_and_the_item_becomes_public(api_as, ivan_lab, olivia, client):
    item_id = api_as(ivan_lab).post("/api/instruments/", NEW_INSTRUMENT, format="json").json()["id"]
    response = api_as(olivia).post(f"/api/instruments/{item_id}/review/", {"decision": "approve"}, format="json")
    assert response.status_code == 200
    assert client.get(f"/api/instruments/{item_id}/").status_code == 200
    assert client.get("/api/map/search/", {"q": "透射电镜"}).json()["count"] == 1


def test_rejection_needs_a_reason_and_only_the_operator_reviews(api_as, ivan_lab, olivia, alice):
    item_id = api_as(ivan_lab).post("/api/instruments/", NEW_INSTRUMENT, format="json").json()["id"]
    assert (
        api_as(olivia).post(f"/api/instruments/{item_id}/review/", {"decision": "reject"}, format="json").status_code
        == 400
    )
    assert (
        api_as(ivan_lab).post(f"/api/instruments/{item_id}/review/", {"decision": "approve"}, format="json").status_code
        == 403
    )
    assert (
        api_as(alice).post(f"/api/instruments/{item_id}/review/", {"decision": "approve"}, format="json").status_code
        == 404
    )


def test_changes_to_a_published_item_wait_while_the_public_keeps_the_old_version(api_as, ivan_lab, olivia, client):
    item = factories.approved_item(ivan_lab, operator=olivia)
    response = api_as(ivan_lab).patch(
        f"/api/instruments/{item.pk}/", {"price": "999.00", "name": "新电镜"}, format="json"
    )
    assert response.status_code == 200
    public = client.get(f"/api/instruments/{item.pk}/").json()
    assert public["price"] == "300.00" and public["name"] == "扫描电子显微镜"
    assert client.get("/api/map/search/", {"q": "新电镜"}).json()["count"] == 0
    api_as(olivia).post(f"/api/instruments/{item.pk}/review/", {"decision": "approve"}, format="json")
    assert client.get(f"/api/instruments/{item.pk}/").json()["price"] == "999.00"
    assert client.get("/api/map/search/", {"q": "新电镜"}).json()["count"] == 1


def test_voucher_and_sharing_toggles_apply_at_once(api_as, ivan_lab, olivia, client):
    item = factories.approved_item(ivan_lab, operator=olivia)
    api_as(ivan_lab).patch(f"/api/instruments/{item.pk}/", {"voucher_eligible": False}, format="json")
    assert client.get("/api/map/search/", {"voucher": 1, "module": "instrument"}).json()["count"] == 0
    api_as(ivan_lab).patch(f"/api/instruments/{item.pk}/", {"open_for_sharing": False}, format="json")
    assert client.get("/api/map/search/", {"module": "instrument"}).json()["count"] == 0
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.APPROVED


def test_another_institution_cannot_change_or_withdraw_the_item(api_as, ivan_lab, olivia):
    item = factories.approved_item(ivan_lab, operator=olivia)
    other = factories.listed_institution(username="other_lab", lng=106.29, lat=38.47)
    client = api_as(other)
    assert client.patch(f"/api/instruments/{item.pk}/", {"price": "1.00"}, format="json").status_code == 403
    assert client.post(f"/api/instruments/{item.pk}/withdraw/").status_code == 403
    item.refresh_from_db()
    assert item.price == 300 and item.review_status == ReviewStatus.APPROVED and not item.pending_changes


def test_an_enterprise_cannot_publish_items(api_as, alice):
    assert api_as(alice).post("/api/instruments/", NEW_INSTRUMENT, format="json").status_code == 403
    assert not Instrument.objects.exists()


@pytest.mark.parametrize(
    "patch",
    [{"price": "-5"}, {"price": "abc"}, {"open_weekdays": [0, 9]}, {"unit": ""}, {"open_from": "25:00"}],
)
def test_bad_item_input_is_refused_and_changes_nothing(api_as, ivan_lab, olivia, patch):
    item = factories.approved_item(ivan_lab, operator=olivia)
    response = api_as(ivan_lab).patch(f"/api/instruments/{item.pk}/", patch, format="json")
    assert response.status_code == 400, response.content
    item.refresh_from_db()
    assert item.pending_changes == {} and item.price == 300


def test_the_region_follows_a_moved_point(api_as, ivan_lab, olivia):
    item = factories.approved_item(ivan_lab, operator=olivia)
    inst_id = ivan_lab.organisation_id
    assert Listing.objects.get(kind="instrument", item_id=item.pk).region_id == 640105
    # Move the lab from 西夏区 to 金凤区 (阅海湾).
    response = api_as(ivan_lab).post(
        f"/api/institutions/{inst_id}/move/", {"lng": 106.2256, "lat": 38.5233}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["region"] == 640106
    moved = Listing.objects.get(kind="instrument", item_id=item.pk)
    assert moved.region_id == 640106
    assert (moved.lng, moved.lat) == pytest.approx((106.2256, 38.5233))  # kept by PostgreSQL
    assert Listing.objects.get(kind="institution", item_id=inst_id).region_id == 640106


def test_an_in_region_institution_cannot_move_outside_ningxia_or_to_bad_numbers(api_as, ivan_lab):
    inst_id = ivan_lab.organisation_id
    client = api_as(ivan_lab)
    assert (
        client.post(f"/api/institutions/{inst_id}/move/", {"lng": 116.4, "lat": 39.9}, format="json").status_code == 400
    )
    assert (
        client.post(f"/api/institutions/{inst_id}/move/", {"lng": "x", "lat": 39.9}, format="json").status_code == 400
    )
    assert (
        client.post(f"/api/institutions/{inst_id}/move/", {"lng": 500, "lat": 39.9}, format="json").status_code == 400
    )
    ivan_lab.organisation.refresh_from_db()
    assert ivan_lab.organisation.region_id == 640105


def test_only_members_move_their_institution(api_as, ivan_lab, alice):
    inst_id = ivan_lab.organisation_id
    assert (
        api_as(alice).post(f"/api/institutions/{inst_id}/move/", {"lng": 106.2, "lat": 38.5}, format="json").status_code
        == 404
    )


def test_geocoding_without_a_provider_falls_back_to_the_county_seat(api_as, ivan_lab):
    from accounts.models import Organisation

    Organisation.objects.filter(pk=ivan_lab.organisation_id).update(registered_address="宁夏银川市贺兰县习岗镇某路1号")
    response = api_as(ivan_lab).post(f"/api/institutions/{ivan_lab.organisation_id}/geocode/")
    assert response.status_code == 200
    body = response.json()
    assert body["region"] == 640122
    assert "贺兰县" in body["geocode_note"]


def test_geocoding_with_an_unreachable_provider_also_falls_back(api_as, ivan_lab, settings):
    settings.GEOCODER = "nominatim"
    settings.GEOCODER_DOMAIN = "127.0.0.1:9"  # nothing listens on the discard port
    settings.GEOCODER_TIMEOUT = 1
    response = api_as(ivan_lab).post(f"/api/institutions/{ivan_lab.organisation_id}/geocode/")
    assert response.status_code == 200
    assert "政府驻地" in response.json()["geocode_note"]


def test_suspending_an_institution_removes_its_listings(api_as, ivan_lab, olivia, client):
    factories.approved_item(ivan_lab, operator=olivia)
    org_id = ivan_lab.organisation_id
    api_as(olivia).post(f"/api/organisations/{org_id}/suspend/", {"note": "评价差且拒不整改"}, format="json")
    assert client.get("/api/map/search/", {"module": "instrument"}).json()["count"] == 0
    assert client.get("/api/map/search/", {"module": "institution"}).json()["count"] == 0
    api_as(olivia).post(f"/api/organisations/{org_id}/reinstate/", {}, format="json")
    assert client.get("/api/map/search/", {"module": "instrument"}).json()["count"] == 1


def test_a_name_change_renames_the_listing_once_approved(api_as, ivan_lab, olivia, client):
    factories.approved_item(ivan_lab, operator=olivia)
    org_id = ivan_lab.organisation_id
    api_as(ivan_lab).post(f"/api/organisations/{org_id}/name-change/", {"new_name": "西夏分析测试中心"}, format="json")
    assert client.get("/api/map/search/", {"q": "西夏分析"}).json()["count"] == 0
    api_as(olivia).post(f"/api/organisations/{org_id}/review/", {"decision": "approve"}, format="json")
    assert client.get("/api/map/search/", {"q": "西夏分析"}).json()["count"] == 1


def test_setting_a_field_back_withdraws_the_pending_change(api_as, ivan_lab, olivia):
    item = factories.approved_item(ivan_lab, operator=olivia)
    api_as(ivan_lab).patch(f"/api/instruments/{item.pk}/", {"price": "999.00"}, format="json")
    item.refresh_from_db()
    assert item.review_status == ReviewStatus.CHANGES_PENDING
    api_as(ivan_lab).patch(f"/api/instruments/{item.pk}/", {"price": "300.00"}, format="json")
    item.refresh_from_db()
    assert item.pending_changes == {} and item.review_status == ReviewStatus.APPROVED


def test_a_service_names_only_its_own_institutions_instruments(ivan_lab, olivia):
    from django.core.exceptions import ValidationError

    from catalog import services

    sem = factories.approved_item(ivan_lab, operator=olivia)
    other = factories.listed_institution(username="other_lab", lng=106.29, lat=38.47)
    foreign = factories.approved_item(other, operator=olivia, name="X射线衍射仪")
    water = factories.approved_item(ivan_lab, kind="service", operator=olivia)
    services.item_update(item=water, by=ivan_lab, data={"instruments": [sem.pk]})
    assert list(water.instruments.all()) == [sem]
    with pytest.raises(ValidationError):
        services.item_update(item=water, by=ivan_lab, data={"instruments": [foreign.pk]})


def test_a_photo_is_stored_when_it_is_an_image_and_refused_otherwise(ivan_lab, olivia, client):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from catalog import services

    item = factories.approved_item(ivan_lab, operator=olivia)
    with pytest.raises(ValidationError):
        services.item_set_photo(item=item, by=ivan_lab, upload=factories.fake_pdf_executable("x.png"))
    services.item_set_photo(
        item=item, by=ivan_lab, upload=SimpleUploadedFile("sem.png", factories.PNG_BYTES, content_type="image/png")
    )
    response = client.get(f"/catalog/items/instrument/{item.pk}/photo/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_an_instrument_is_closed_on_a_weekday_public_holiday_unless_open_every_day(ivan_lab, olivia):
    import datetime as dt

    from catalog.selectors import instrument_open_on

    item = factories.approved_item(ivan_lab, operator=olivia)
    national_day = dt.date(2026, 10, 1)  # a Thursday, official holiday
    swapped_workday = dt.date(2026, 10, 10)  # a Saturday; weekday-only instruments stay closed
    assert not instrument_open_on(item, national_day)
    assert instrument_open_on(item, dt.date(2026, 10, 13))
    assert not instrument_open_on(item, swapped_workday)
    item.open_weekdays = [1, 2, 3, 4, 5, 6, 7]
    assert instrument_open_on(item, national_day)
