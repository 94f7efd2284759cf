"""Catalogue pages: detail, booking, contact, bookings, self-service and review.

Personas: Alice (certified enterprise) books from ``lab``; Mallory is another enterprise;
``rival`` is another institution; Olivia is the operator; Charlie a bureau.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import CertStatus
from catalog import services
from catalog.models import (
    Booking,
    BookingStatus,
    ContactRequest,
    ContactStatus,
    Institution,
    Instrument,
    Rating,
    ReviewStatus,
    Service,
)
from tests import factories

pytestmark = pytest.mark.django_db

XSS_NAME = "<script>alert(1)</script>"
XSS_ITEM = "<img src=x onerror=alert(1)>"


# --- Fixtures and helpers --------------------------------------------------------------------


@pytest.fixture
def lab(olivia):
    return factories.listed_institution(username="lab", name="贺兰山分析测试中心")


@pytest.fixture
def rival(olivia):
    return factories.listed_institution(username="rival", name="鼓楼检测所", lng=106.29, lat=38.472)


@pytest.fixture
def sem(lab, olivia):
    """Machine time, Monday to Friday 08:30–17:30, 300 元/小时."""
    return factories.approved_item(lab, name="扫描电子显微镜", operator=olivia)


@pytest.fixture
def xrd(lab, olivia):
    return factories.approved_item(
        lab,
        name="X射线衍射仪",
        booking_mode="sample",
        unit="元/样品",
        price=Decimal("150"),
        operator=olivia,
    )


@pytest.fixture
def water(lab, olivia):
    return factories.approved_item(lab, kind="service", name="水质全分析", operator=olivia)


@pytest.fixture
def pending_item(lab):
    return services.item_create(
        institution=lab.organisation.institution,
        by=lab,
        kind="instrument",
        data={
            "name": "原子力显微镜",
            "category": "电子光学仪器",
            "price": Decimal("500"),
            "unit": "元/小时",
        },
    )


def workday(days_ahead: int = 2) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = map(int, hhmm.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def local_input(day: dt.date, hhmm: str) -> str:
    return f"{day:%Y-%m-%d}T{hhmm}"


def page(response) -> str:
    return response.content.decode()


def login(client, user):
    client.force_login(user)
    return client


def booking_step(client, booking, step: str, **data):
    """POST to the booking step's own view (one URL per action)."""
    return client.post(reverse(f"catalog:booking_{step}", args=[booking.pk]), data)


def manage_post(client, action: str, **data):
    """POST to the manage page action's own view (geocode, move or profile)."""
    return client.post(reverse(f"catalog:manage_{action}"), data)


def slot_booking(sem, alice, day=None, start="09:00", end="11:00"):
    day = day or workday()
    return services.booking_request_slot(
        instrument=sem, by=alice, starts_at=at(day, start), ends_at=at(day, end), note=""
    )


# --- Detail pages ----------------------------------------------------------------------------


def test_the_public_sees_an_institution_with_its_items_and_a_contact_button(client, lab, sem, water):
    inst = lab.organisation.institution
    html = page(client.get(f"/catalog/institutions/{inst.pk}/"))
    assert "贺兰山分析测试中心" in html
    assert "扫描电子显微镜" in html and "水质全分析" in html
    # Anonymous visitors are asked to log in first (tests/catalog/test_request_buttons.py).
    assert f"/accounts/login/?next=/catalog/contact/%3Fkind%3Dinstitution%26id%3D{inst.pk}" in html
    assert f"/accounts/login/?next=/catalog/instruments/{sem.pk}/book/" in html
    assert "宁夏回族自治区银川市西夏区" in html  # region derived from the point


def test_the_instrument_page_shows_price_rating_calendar_and_the_two_buttons(client, lab, sem, alice):
    booking = slot_booking(sem, alice, start="10:00", end="12:00")
    services.booking_answer(booking=booking, by=lab, accept=True)
    client.force_login(alice)  # an applicant: offered 预约 and 对接
    html = page(client.get(f"/catalog/instruments/{sem.pk}/"))
    assert "300.00" in html and "元/小时" in html and "可用创新券" in html
    assert "暂无评分" in html
    assert "预约日历" in html
    assert "10:00–12:00" in html  # the held slot
    assert f'href="/catalog/instruments/{sem.pk}/book/"' in html
    assert f"/catalog/contact/?kind=instrument&amp;id={sem.pk}" in html
    assert '<iframe class="catalog-map' in html  # small offline location map


def test_the_service_page_lists_its_instruments_and_latest_ratings(client, lab, sem, water, alice):
    water.instruments.add(sem)
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    services.booking_answer(booking=booking, by=lab, accept=True)
    services.booking_start(booking=booking, by=lab)
    services.booking_complete(booking=booking, by=lab)
    services.booking_rate(booking=booking, by=alice, score=4, comment="报告及时")
    html = page(client.get(f"/catalog/services/{water.pk}/"))
    assert "扫描电子显微镜" in html
    assert "4.0" in html and "1 条评价" in html and "报告及时" in html
    assert f"/catalog/services/{water.pk}/book/" in html


def test_unpublished_items_are_404_for_the_public_alice_and_other_institutions(client, pending_item, alice, rival):
    url = f"/catalog/instruments/{pending_item.pk}/"
    assert client.get(url).status_code == 404
    assert login(client, alice).get(url).status_code == 404
    assert client.get(f"{url}book/").status_code == 404
    assert client.get(f"/catalog/contact/?kind=instrument&id={pending_item.pk}").status_code == 404
    assert login(client, rival).get(url).status_code == 404


def test_the_owner_and_the_operator_preview_an_unpublished_item_with_a_banner(client, pending_item, lab, olivia):
    url = f"/catalog/instruments/{pending_item.pk}/"
    for user in (lab, olivia):
        response = login(client, user).get(url)
        assert response.status_code == 200
        assert "该条目尚未公开" in page(response)


def test_an_institution_without_a_listing_is_hidden_from_the_public(client, olivia):
    ghost = factories.institution_user(username="ghost", adcode=640104, status=CertStatus.SUBMITTED)
    inst = Institution.objects.create(organisation=ghost.organisation, kind="other")
    assert client.get(f"/catalog/institutions/{inst.pk}/").status_code == 404
    response = login(client, ghost).get(f"/catalog/institutions/{inst.pk}/")
    assert response.status_code == 200 and "未在创新地图公开" in page(response)


def test_missing_objects_and_unknown_kinds_are_404(client, sem):
    assert client.get("/catalog/institutions/999999/").status_code == 404
    assert client.get("/catalog/services/999999/").status_code == 404
    assert client.get(f"/catalog/items/robot/{sem.pk}/photo/").status_code == 404


# --- Photos ----------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_public_items_photo_is_streamed_and_a_missing_one_is_404(client, media, sem, water):
    Instrument.objects.get(pk=sem.pk).photo.save("sem.png", ContentFile(factories.PNG_BYTES))
    response = client.get(f"/catalog/items/instrument/{sem.pk}/photo/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.PNG_BYTES
    assert client.get(f"/catalog/items/service/{water.pk}/photo/").status_code == 404


def test_an_unpublished_items_photo_is_only_for_the_owner_and_the_operator(
    client, media, pending_item, lab, olivia, alice
):
    Instrument.objects.get(pk=pending_item.pk).photo.save("afm.png", ContentFile(factories.PNG_BYTES))
    url = f"/catalog/items/instrument/{pending_item.pk}/photo/"
    assert client.get(url).status_code == 404
    assert login(client, alice).get(url).status_code == 404
    assert login(client, lab).get(url).status_code == 200
    assert login(client, olivia).get(url).status_code == 200


# --- Booking ---------------------------------------------------------------------------------


def test_booking_pages_send_anonymous_visitors_to_log_in(client, sem, water):
    for url in (
        f"/catalog/instruments/{sem.pk}/book/",
        f"/catalog/services/{water.pk}/book/",
        "/catalog/bookings/",
        f"/catalog/contact/?kind=service&id={water.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_slot_form_has_the_agreed_inputs_open_hours_and_calendar(client, sem, alice):
    html = page(login(client, alice).get(f"/catalog/instruments/{sem.pk}/book/"))
    assert re.search(r'<input type="datetime-local" name="starts_at"', html)
    assert re.search(r'<input type="datetime-local" name="ends_at"', html)
    assert '<textarea name="note"' in html
    assert "提交预约</button>" in html
    assert "08:30–17:30" in html and "周一、周二、周三、周四、周五" in html
    assert "预约日历" in html
    assert 'name="quantity"' not in html


def test_sample_instruments_and_services_ask_for_a_quantity(client, xrd, water, alice):
    login(client, alice)
    for url in (f"/catalog/instruments/{xrd.pk}/book/", f"/catalog/services/{water.pk}/book/"):
        html = page(client.get(url))
        assert 'name="quantity"' in html and '<textarea name="note"' in html
        assert 'name="starts_at"' not in html
        assert "提交预约</button>" in html


def test_alice_books_machine_time_and_lands_on_the_booking_page(client, sem, alice):
    day = workday()
    response = login(client, alice).post(
        f"/catalog/instruments/{sem.pk}/book/",
        {
            "starts_at": local_input(day, "09:00"),
            "ends_at": local_input(day, "11:30"),
            "note": "观察断口形貌",
        },
    )
    booking = Booking.objects.get()
    assert response.status_code == 302 and response.url == f"/catalog/bookings/{booking.pk}/"
    assert booking.starts_at == at(day, "09:00") and booking.ends_at == at(day, "11:30")
    assert booking.amount == Decimal("750.00") and booking.note == "观察断口形貌"
    html = page(client.get(response.url))
    assert booking.number.startswith("YY") and booking.number in html
    assert "待确认" in html


def test_alice_books_a_service_by_quantity(client, water, alice):
    response = login(client, alice).post(f"/catalog/services/{water.pk}/book/", {"quantity": "3", "note": ""})
    booking = Booking.objects.get()
    assert response.status_code == 302 and response.url == f"/catalog/bookings/{booking.pk}/"
    assert booking.quantity == 3 and booking.amount == Decimal("2400.00") and booking.service == water


def test_alice_books_sample_testing_on_an_instrument_by_quantity(client, xrd, alice):
    response = login(client, alice).post(f"/catalog/instruments/{xrd.pk}/book/", {"quantity": "2"})
    assert response.status_code == 302
    assert Booking.objects.get().instrument == xrd


def test_an_overlapping_slot_shows_a_form_error_and_creates_nothing(client, lab, sem, alice, mallory):
    day = workday()
    services.booking_answer(booking=slot_booking(sem, mallory, day, "09:00", "11:00"), by=lab, accept=True)
    before = Booking.objects.count()
    response = login(client, alice).post(
        f"/catalog/instruments/{sem.pk}/book/",
        {
            "starts_at": local_input(day, "10:00"),
            "ends_at": local_input(day, "12:00"),
        },
    )
    assert response.status_code == 400
    assert "该时段已被预约" in page(response)
    assert Booking.objects.count() == before


@pytest.mark.parametrize(
    "start,end,message",
    [
        ("07:00", "09:00", "开放时间"),
        ("11:00", "10:00", "结束时间须晚于开始时间"),
        ("nonsense", "10:00", "有效的日期/时间"),
    ],
)
def test_a_bad_slot_is_a_form_error_and_creates_nothing(client, sem, alice, start, end, message):
    day = workday()
    starts = local_input(day, start) if ":" in start else start
    response = login(client, alice).post(
        f"/catalog/instruments/{sem.pk}/book/",
        {
            "starts_at": starts,
            "ends_at": local_input(day, end),
        },
    )
    assert response.status_code == 400
    assert message in page(response)
    assert not Booking.objects.exists()


@pytest.mark.parametrize("quantity", ["abc", "-1", "0", "1e9", ""])
def test_a_bad_quantity_is_a_form_error_and_creates_nothing(client, water, alice, quantity):
    response = login(client, alice).post(f"/catalog/services/{water.pk}/book/", {"quantity": quantity})
    assert response.status_code == 400
    assert 'class="errorlist' in page(response)
    assert not Booking.objects.exists()


def test_an_uncertified_enterprise_is_told_to_certify_first_and_nothing_is_booked(client, water):
    dora = factories.applicant_user(username="dora", adcode=640104, status=CertStatus.DRAFT)
    login(client, dora)
    assert "尚未完成认证" in page(client.get(f"/catalog/services/{water.pk}/book/"))
    response = client.post(f"/catalog/services/{water.pk}/book/", {"quantity": "1"})
    assert response.status_code == 400 and "请先完成认证后再预约" in page(response)
    assert not Booking.objects.exists()


def test_institutions_operators_and_bureaus_cannot_book(client, sem, water, rival, olivia, charlie):
    day = workday()
    for user in (rival, olivia, charlie):
        login(client, user)
        response = client.post(
            f"/catalog/instruments/{sem.pk}/book/",
            {
                "starts_at": local_input(day, "09:00"),
                "ends_at": local_input(day, "10:00"),
            },
        )
        assert response.status_code == 403 and "只有创新主体" in page(response)
        assert client.post(f"/catalog/services/{water.pk}/book/", {"quantity": "1"}).status_code == 403
    assert not Booking.objects.exists()


# --- Contact (对接) -----------------------------------------------------------------------------


def test_alice_asks_for_contact_and_the_institution_answers_on_its_bookings_page(client, lab, sem, alice):
    login(client, alice)
    form = page(client.get(f"/catalog/contact/?kind=instrument&id={sem.pk}"))
    assert "扫描电子显微镜" in form and 'name="message"' in form and 'name="contact_phone"' in form
    response = client.post(
        "/catalog/contact/",
        {
            "kind": "instrument",
            "id": sem.pk,
            "message": "想了解能谱分析",
            "contact_phone": "13800000000",
        },
    )
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert request.institution_id == lab.organisation_id and request.item_name == "扫描电子显微镜"

    login(client, lab)
    assert "想了解能谱分析" in page(client.get("/catalog/bookings/"))
    client.post("/catalog/bookings/", {"contact": request.pk, "answer": "可以，明天联系您"})
    request.refresh_from_db()
    assert request.status == ContactStatus.ANSWERED and request.answer == "可以，明天联系您"
    assert "可以，明天联系您" in page(login(client, alice).get("/catalog/bookings/"))


def test_contact_needs_a_message_and_a_phone(client, lab, alice):
    inst = lab.organisation.institution
    response = login(client, alice).post(
        "/catalog/contact/",
        {
            "kind": "institution",
            "id": inst.pk,
            "message": "",
            "contact_phone": "",
        },
    )
    assert response.status_code == 200 and 'class="errorlist' in page(response)
    assert not ContactRequest.objects.exists()


@pytest.mark.parametrize("query", ["kind=robot&id=1", "kind=service&id=abc", "kind=instrument&id=999999", ""])
def test_contact_for_an_unknown_target_is_404(client, alice, query):
    assert login(client, alice).get(f"/catalog/contact/?{query}").status_code == 404


def test_an_answer_to_someone_elses_contact_request_is_404_and_changes_nothing(client, lab, sem, alice, rival):
    request = services.contact_request(by=alice, kind="instrument", item_id=sem.pk, message="你好", contact_phone="1")
    assert login(client, rival).post("/catalog/bookings/", {"contact": request.pk, "answer": "x"}).status_code == 404
    assert login(client, alice).post("/catalog/bookings/", {"contact": request.pk, "answer": "x"}).status_code == 404
    request.refresh_from_db()
    assert request.status == ContactStatus.SENT


def test_an_empty_answer_is_a_form_error(client, lab, sem, alice):
    request = services.contact_request(by=alice, kind="instrument", item_id=sem.pk, message="你好", contact_phone="1")
    response = login(client, lab).post("/catalog/bookings/", {"contact": request.pk, "answer": ""})
    assert response.status_code == 200 and 'class="errorlist' in page(response)
    request.refresh_from_db()
    assert request.status == ContactStatus.SENT


# --- Bookings list and detail ----------------------------------------------------------------


def test_alice_sees_the_bookings_she_made_and_lab_those_it_received(client, lab, rival, water, alice, mallory):
    mine = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    theirs = services.booking_request_quantity(item=water, by=mallory, quantity=Decimal("2"))
    html = page(login(client, alice).get("/catalog/bookings/"))
    assert mine.number in html and theirs.number not in html
    html = page(login(client, lab).get("/catalog/bookings/"))
    assert mine.number in html and theirs.number in html
    assert mine.number not in page(login(client, rival).get("/catalog/bookings/"))


def test_the_institution_accepts_starts_and_completes_then_alice_rates(client, lab, water, alice):
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    url = f"/catalog/bookings/{booking.pk}/"
    login(client, lab)
    assert "接受</button>" in page(client.get(url))
    for step in ("accept", "start", "complete"):
        assert booking_step(client, booking, step, note="").status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED

    login(client, alice)
    assert "提交评价</button>" in page(client.get(url))
    assert booking_step(client, booking, "rate", score="5", comment="很专业").status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RATED
    assert Rating.objects.get(booking=booking).score == 5
    html = page(client.get(url))
    for label in ("已接受", "服务中", "已完成", "已评价"):
        assert label in html  # the event history


def test_declining_without_a_note_is_a_form_error_and_with_a_note_declines(client, lab, water, alice):
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    response = booking_step(login(client, lab), booking, "decline", note="")
    assert response.status_code == 400 and "拒绝须说明原因" in page(response)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    booking_step(client, booking, "decline", note="设备检修")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED and booking.answer_note == "设备检修"


def test_alice_cancels_her_own_booking(client, water, alice):
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    booking_step(login(client, alice), booking, "cancel", note="计划有变")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


@pytest.mark.parametrize("score", ["0", "6", "abc"])
def test_a_bad_score_is_a_form_error(client, lab, water, alice, score):
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    services.booking_answer(booking=booking, by=lab, accept=True)
    services.booking_start(booking=booking, by=lab)
    services.booking_complete(booking=booking, by=lab)
    response = booking_step(login(client, alice), booking, "rate", score=score)
    assert response.status_code == 400 and 'class="errorlist' in page(response)
    assert not Rating.objects.exists()


def test_another_enterprise_can_neither_see_nor_cancel_alices_booking(client, water, alice, mallory):
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    url = f"/catalog/bookings/{booking.pk}/"
    login(client, mallory)
    assert client.get(url).status_code == 404
    assert booking_step(client, booking, "cancel", note="").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_another_institution_can_neither_see_nor_answer_the_booking(client, water, alice, rival, olivia):
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    url = f"/catalog/bookings/{booking.pk}/"
    for user in (rival, olivia):
        login(client, user)
        assert client.get(url).status_code == 404
        assert booking_step(client, booking, "accept", note="").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_alice_cannot_accept_her_own_booking_and_lab_cannot_cancel_it(client, lab, water, alice):
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    assert booking_step(login(client, alice), booking, "accept", note="").status_code == 403
    assert booking_step(login(client, lab), booking, "cancel", note="").status_code == 403
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_an_impossible_step_is_a_form_error_not_a_500(client, lab, water, alice):
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    response = booking_step(login(client, lab), booking, "complete", note="")
    assert response.status_code == 400 and "预约当前为“待确认”，不能确认服务完成" in page(response)


def test_each_booking_step_has_its_own_url_and_the_page_takes_no_post(client, lab, water, alice):
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    html = page(login(client, lab).get(f"/catalog/bookings/{booking.pk}/"))
    assert f'formaction="/catalog/bookings/{booking.pk}/accept/"' in html
    assert f'formaction="/catalog/bookings/{booking.pk}/decline/"' in html
    assert 'name="action"' not in html
    assert client.post(f"/catalog/bookings/{booking.pk}/", {"action": "accept", "note": ""}).status_code == 405
    assert client.get(reverse("catalog:booking_accept", args=[booking.pk])).status_code == 405
    client.logout()
    assert booking_step(client, booking, "accept", note="").status_code == 302  # to the login page
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


# --- Institution self-service ----------------------------------------------------------------


def test_the_manage_page_lists_the_institutions_items_with_review_status(client, lab, sem, pending_item):
    html = page(login(client, lab).get("/catalog/manage/"))
    assert "扫描电子显微镜" in html and "原子力显微镜" in html
    assert "已发布" in html and "待审核" in html
    assert f"/catalog/manage/instrument/{sem.pk}/edit/" in html
    assert f"/catalog/manage/instrument/{sem.pk}/withdraw/" in html
    assert "按地址定位" in html and 'id="map-lng"' in html and 'name="lng"' in html


def test_the_manage_page_creates_a_missing_institution_profile(client, olivia):
    newlab = factories.institution_user(username="newlab", adcode=640104)
    assert login(client, newlab).get("/catalog/manage/").status_code == 200
    assert Institution.objects.filter(pk=newlab.organisation_id).exists()


def test_only_institutions_manage_a_catalogue(client, alice, olivia, charlie):
    for user in (alice, olivia, charlie):
        login(client, user)
        assert client.get("/catalog/manage/").status_code == 403
        assert client.get("/catalog/manage/instrument/new/").status_code == 403
    client.logout()
    assert client.get("/catalog/manage/").status_code == 302


def test_the_institution_edits_its_profile(client, lab):
    manage_post(
        login(client, lab),
        "profile",
        short_name="贺兰山中心",
        kind="research_institute",
        is_public_institution="on",
        description="分析测试",
        website="https://example.com",
        contact_phone="0951-7654321",
        registered_address="宁夏银川市西夏区文萃北街",
    )
    inst = Institution.objects.select_related("organisation").get(pk=lab.organisation_id)
    assert inst.short_name == "贺兰山中心" and inst.kind == "research_institute"
    assert inst.organisation.contact_phone == "0951-7654321"


def test_a_bad_website_is_a_form_error_and_changes_nothing(client, lab):
    response = manage_post(login(client, lab), "profile", kind="university", website="javascript:alert(1)")
    assert response.status_code == 400 and 'class="errorlist' in page(response)
    assert Institution.objects.get(pk=lab.organisation_id).website == ""


def test_moving_the_marker_updates_the_location_and_the_county(client, lab):
    response = manage_post(login(client, lab), "move", lng="106.2857", lat="38.4700")
    assert response.status_code == 302
    lab.organisation.refresh_from_db()
    assert (round(lab.organisation.location.x, 4), round(lab.organisation.location.y, 4)) == (
        106.2857,
        38.47,
    )
    assert lab.organisation.region_id == 640104  # 兴庆区


@pytest.mark.parametrize(
    "lng,lat,message",
    [
        ("abc", "38.47", "lng 必须是数字"),
        ("200", "38.47", "经度超出范围"),
        ("nan", "38.47", "有限数字"),
        ("", "", "该字段是必填项"),
        ("116.40", "39.90", "区内单位的位置必须在宁夏境内"),  # Beijing
    ],
)
def test_bad_coordinates_are_form_errors_and_leave_the_marker(client, lab, lng, lat, message):
    before = lab.organisation.location
    response = manage_post(login(client, lab), "move", lng=lng, lat=lat)
    assert response.status_code == 400
    assert message in page(response)
    lab.organisation.refresh_from_db()
    assert lab.organisation.location == before


@pytest.mark.parametrize("action", ["geocode", "move", "profile"])
def test_only_institutions_post_to_the_manage_actions(client, lab, alice, olivia, charlie, action):
    before = lab.organisation.location
    for user in (alice, olivia, charlie):
        assert manage_post(login(client, user), action, lng="106.2857", lat="38.4700").status_code == 403
    client.logout()
    assert manage_post(client, action, lng="106.2857", lat="38.4700").status_code == 302  # to the login page
    assert login(client, lab).get(reverse(f"catalog:manage_{action}")).status_code == 405
    lab.organisation.refresh_from_db()
    assert lab.organisation.location == before


def test_the_manage_page_posts_each_action_to_its_own_url(client, lab):
    html = page(login(client, lab).get("/catalog/manage/"))
    for path in ("/catalog/manage/geocode/", "/catalog/manage/move/", "/catalog/manage/profile/"):
        assert f'action="{path}"' in html
    assert 'name="action"' not in html
    assert client.post("/catalog/manage/", {"action": "move", "lng": "106.2857", "lat": "38.4700"}).status_code == 405


def test_geocoding_without_a_provider_falls_back_to_the_county_seat_and_says_so(client, lab, settings):
    settings.GEOCODER = "none"
    response = login(client, lab).post(reverse("catalog:manage_geocode"), follow=True)
    assert response.status_code == 200
    assert "政府驻地" in page(response)
    assert "政府驻地" in Institution.objects.get(pk=lab.organisation_id).geocode_note


def test_an_institution_adds_an_instrument_that_waits_for_review(client, lab):
    response = login(client, lab).post(
        "/catalog/manage/instrument/new/",
        {
            "name": "透射电子显微镜",
            "category": "电子光学仪器",
            "price": "800",
            "unit": "元/小时",
            "booking_mode": "slot",
            "open_weekdays": ["1", "3", "5"],
            "open_from": "09:00",
            "open_until": "17:00",
            "service_cycle_days": "5",
            "voucher_eligible": "on",
            "open_for_sharing": "on",
        },
    )
    assert response.status_code == 302
    item = Instrument.objects.get(name="透射电子显微镜")
    assert item.review_status == ReviewStatus.PENDING and item.open_weekdays == [1, 3, 5]
    assert item.institution_id == lab.organisation_id


def test_an_institution_adds_a_service(client, lab):
    response = login(client, lab).post(
        "/catalog/manage/service/new/",
        {
            "name": "科技查新（国内）",
            "category": "科技查新",
            "price": "880",
            "unit": "元/项",
            "cycle_days": "10",
        },
    )
    assert response.status_code == 302
    assert Service.objects.get(name="科技查新（国内）").public_benefit is True


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"price": "-5"}, "确保该值大于或等于0"),
        ({"price": "abc"}, "输入一个数字"),
        ({"open_from": "18:00"}, "开放结束时间须晚于开始时间"),
        ({"name": ""}, "该字段是必填项"),
    ],
)
def test_bad_item_input_is_a_form_error_and_creates_nothing(client, lab, overrides, message):
    data = {
        "name": "透射电子显微镜",
        "category": "电子光学仪器",
        "price": "800",
        "unit": "元/小时",
        "booking_mode": "slot",
        "open_from": "09:00",
        "open_until": "17:00",
        "service_cycle_days": "5",
    }
    response = login(client, lab).post("/catalog/manage/instrument/new/", {**data, **overrides})
    assert response.status_code == 400
    assert message in page(response)
    assert not Instrument.objects.filter(institution_id=lab.organisation_id).exists()


def test_a_photo_that_is_not_an_image_is_refused(client, lab):
    response = login(client, lab).post(
        "/catalog/manage/service/new/",
        {
            "name": "水质全分析",
            "category": "检验检测",
            "price": "800",
            "unit": "元/样品",
            "cycle_days": "7",
            "photo": factories.fake_pdf_executable("photo.png"),
        },
    )
    assert response.status_code == 400 and "文件内容不是允许的类型" in page(response)
    assert not Service.objects.exists()


def _edit_data(item, **overrides):
    data = {
        "name": item.name,
        "category": item.category,
        "price": str(item.price),
        "unit": item.unit,
        "booking_mode": item.booking_mode,
        "open_weekdays": [str(d) for d in item.open_weekdays],
        "open_from": "08:30",
        "open_until": "17:30",
        "service_cycle_days": "5",
        "model_number": item.model_number,
        "manufacturer": item.manufacturer,
        "voucher_eligible": "on",
        "open_for_sharing": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_editing_a_published_item_waits_for_review_but_toggles_apply_at_once(client, lab, sem):
    url = f"/catalog/manage/instrument/{sem.pk}/edit/"
    html = page(login(client, lab).get(url))
    assert "待平台运营单位审核" in html and "无需审核" in html
    response = client.post(url, _edit_data(sem, price="350", voucher_eligible=None))
    assert response.status_code == 302
    sem.refresh_from_db()
    assert sem.price == Decimal("300.00")  # the public keeps the approved price
    assert sem.voucher_eligible is False  # the toggle applied at once
    assert sem.review_status == ReviewStatus.CHANGES_PENDING
    assert sem.pending_changes == {"price": "350.00"}
    assert "350.00" in page(client.get(url))  # the form shows what waits for review


def test_a_negative_price_on_edit_is_a_form_error_and_changes_nothing(client, lab, sem):
    response = login(client, lab).post(f"/catalog/manage/instrument/{sem.pk}/edit/", _edit_data(sem, price="-1"))
    assert response.status_code == 400 and 'class="errorlist' in page(response)
    sem.refresh_from_db()
    assert sem.price == Decimal("300.00") and sem.pending_changes == {}
    assert sem.review_status == ReviewStatus.APPROVED


def test_the_institution_withdraws_its_item(client, lab, sem):
    response = login(client, lab).post(f"/catalog/manage/instrument/{sem.pk}/withdraw/")
    assert response.status_code == 302
    sem.refresh_from_db()
    assert sem.review_status == ReviewStatus.WITHDRAWN
    assert client.logout() is None and client.get(f"/catalog/instruments/{sem.pk}/").status_code == 404


def test_another_institution_cannot_edit_or_withdraw_the_item(client, sem, rival, alice, olivia):
    for user in (rival, alice, olivia):
        login(client, user)
        assert client.get(f"/catalog/manage/instrument/{sem.pk}/edit/").status_code == 404
        assert client.post(f"/catalog/manage/instrument/{sem.pk}/edit/", _edit_data(sem, price="1")).status_code == 404
        assert client.post(f"/catalog/manage/instrument/{sem.pk}/withdraw/").status_code == 404
    sem.refresh_from_db()
    assert sem.review_status == ReviewStatus.APPROVED and sem.pending_changes == {}


def test_withdrawing_needs_a_post(client, lab, sem):
    assert login(client, lab).get(f"/catalog/manage/instrument/{sem.pk}/withdraw/").status_code == 405


def test_unknown_item_kinds_are_404(client, lab, sem):
    login(client, lab)
    assert client.get("/catalog/manage/robot/new/").status_code == 404
    assert client.get(f"/catalog/manage/robot/{sem.pk}/edit/").status_code == 404
    assert client.post(f"/catalog/manage/institution/{sem.pk}/withdraw/").status_code == 404


# --- Operator review -------------------------------------------------------------------------


def test_the_operator_sees_waiting_items_oldest_first(client, lab, olivia, pending_item, sem):
    services.item_update(item=sem, by=lab, data={"price": Decimal("350")})
    html = page(login(client, olivia).get("/catalog/review/"))
    assert html.index("原子力显微镜") < html.index("扫描电子显微镜")
    assert f"/catalog/review/instrument/{pending_item.pk}/" in html


def test_the_operator_approves_a_new_item_and_it_becomes_public(client, olivia, pending_item):
    url = f"/catalog/review/instrument/{pending_item.pk}/"
    assert login(client, olivia).get(url).status_code == 200
    assert client.post(url, {"decision": "approve", "note": ""}).status_code == 302
    pending_item.refresh_from_db()
    assert pending_item.review_status == ReviewStatus.APPROVED
    client.logout()
    assert client.get(f"/catalog/instruments/{pending_item.pk}/").status_code == 200


def test_the_review_page_shows_pending_changes_before_and_after(client, lab, olivia, sem):
    services.item_update(item=sem, by=lab, data={"price": Decimal("350"), "name": "场发射扫描电镜"})
    html = page(login(client, olivia).get(f"/catalog/review/instrument/{sem.pk}/"))
    assert "待审核的修改" in html
    assert re.search(r"价格（元）</td><td class=\"before\">300.00</td><td class=\"after\">350", html)
    assert "场发射扫描电镜" in html
    client.post(f"/catalog/review/instrument/{sem.pk}/", {"decision": "approve"})
    sem.refresh_from_db()
    assert sem.price == Decimal("350.00") and sem.name == "场发射扫描电镜"


def test_rejecting_without_a_reason_is_a_form_error(client, olivia, pending_item):
    response = login(client, olivia).post(
        f"/catalog/review/instrument/{pending_item.pk}/", {"decision": "reject", "note": ""}
    )
    assert response.status_code == 200 and "驳回须说明原因" in page(response)
    pending_item.refresh_from_db()
    assert pending_item.review_status == ReviewStatus.PENDING


def test_only_the_operator_reviews_items(client, lab, alice, charlie, pending_item):
    url = f"/catalog/review/instrument/{pending_item.pk}/"
    for user in (lab, alice, charlie):
        login(client, user)
        assert client.get("/catalog/review/").status_code == 403
        assert client.get(url).status_code == 403
        assert client.post(url, {"decision": "approve"}).status_code == 403
    pending_item.refresh_from_db()
    assert pending_item.review_status == ReviewStatus.PENDING


# --- Escaping --------------------------------------------------------------------------------


def test_hostile_names_are_escaped_on_detail_list_manage_and_review_pages(client, olivia, alice):
    evil = factories.listed_institution(username="evil", name=XSS_NAME)
    item = factories.approved_item(evil, name=XSS_ITEM, operator=olivia)
    services.item_create(
        institution=evil.organisation.institution,
        by=evil,
        kind="service",
        data={
            "name": XSS_ITEM + "服务",
            "category": "检验检测",
            "price": Decimal("1"),
            "unit": "元/项",
        },
    )
    booking = services.booking_request_quantity(
        item=factories.approved_item(evil, kind="service", name=XSS_ITEM, operator=olivia),
        by=alice,
        quantity=Decimal("1"),
    )
    pages = [
        (None, f"/catalog/institutions/{evil.organisation_id}/"),
        (None, f"/catalog/instruments/{item.pk}/"),
        (alice, f"/catalog/instruments/{item.pk}/book/"),
        (alice, "/catalog/bookings/"),
        (alice, f"/catalog/bookings/{booking.pk}/"),
        (evil, "/catalog/manage/"),
        (evil, "/catalog/bookings/"),
        (evil, f"/catalog/manage/instrument/{item.pk}/edit/"),
        (olivia, "/catalog/review/"),
    ]
    for user, url in pages:
        client.logout()
        if user:
            login(client, user)
        response = client.get(url)
        assert response.status_code == 200, url
        html = page(response)
        assert XSS_NAME not in html and XSS_ITEM not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;img src=x onerror=alert(1)&gt;" in html, url
