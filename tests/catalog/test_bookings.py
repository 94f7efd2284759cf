"""Booking machine time and services: overlap refused (also under racing requests), the
institution answers, states run to rated, outsiders refused."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from catalog import services
from catalog.models import Booking, BookingStatus, Instrument
from tests import factories


def next_weekday_at(hour: int, days_ahead: int = 7) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def after_slot(monkeypatch, end: dt.datetime, minutes: int = 1) -> None:
    """Time moves on to ``minutes`` after a slot's end (the clock, not the booking, moves)."""
    later = end + dt.timedelta(minutes=minutes)
    monkeypatch.setattr(timezone, "now", lambda: later)


@pytest.fixture
def sem(ivan_lab, olivia):
    return factories.approved_item(ivan_lab, operator=olivia, booking_mode="slot")


def book_slot(api, sem, start, hours=2):
    return api.post(
        "/api/bookings/",
        {
            "instrument": sem.pk,
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=hours)).isoformat(),
            "note": "样品为金属粉末",
        },
        format="json",
    )


@pytest.mark.django_db
def test_an_enterprise_books_machine_time_and_the_institution_accepts(api_as, alice, ivan_lab, sem):
    response = book_slot(api_as(alice), sem, next_weekday_at(9))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "requested" and body["number"].startswith("YY")
    assert Decimal(body["amount"]) == Decimal("600.00")  # 2 h × 300 元/小时
    assert body["enterprise"] == alice.organisation_id and body["institution"] == ivan_lab.organisation_id
    accepted = api_as(ivan_lab).post(f"/api/bookings/{body['id']}/accept/", {"note": "请提前10分钟到"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    sem.refresh_from_db()
    assert sem.popularity == 1
    assert alice.notifications.filter(title__contains="预约已确认").exists()


@pytest.mark.django_db
def test_a_slot_overlapping_an_accepted_booking_is_refused(api_as, alice, mallory, ivan_lab, sem):
    first = book_slot(api_as(alice), sem, next_weekday_at(9)).json()
    api_as(ivan_lab).post(f"/api/bookings/{first['id']}/accept/", {}, format="json")
    clash = book_slot(api_as(mallory), sem, next_weekday_at(10))
    assert clash.status_code == 400
    assert "已被预约" in str(clash.json())
    assert book_slot(api_as(mallory), sem, next_weekday_at(11)).status_code == 201  # 11–13 is free


@pytest.mark.django_db
def test_accepting_a_second_overlapping_request_is_refused(api_as, alice, mallory, ivan_lab, sem):
    a = book_slot(api_as(alice), sem, next_weekday_at(9)).json()
    b = book_slot(api_as(mallory), sem, next_weekday_at(10)).json()  # both only requested
    assert api_as(ivan_lab).post(f"/api/bookings/{a['id']}/accept/", {}, format="json").status_code == 200
    refused = api_as(ivan_lab).post(f"/api/bookings/{b['id']}/accept/", {}, format="json")
    assert refused.status_code == 400
    assert Booking.objects.get(pk=b["id"]).status == BookingStatus.REQUESTED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start_hour,hours,message",
    [(7, 2, "开放时间"), (16, 3, "开放时间"), (9, 14, "12"), (9, -1, "晚于")],
)
def test_slots_outside_opening_hours_or_malformed_are_refused(api_as, alice, sem, start_hour, hours, message):
    response = book_slot(api_as(alice), sem, next_weekday_at(start_hour), hours=hours)
    assert response.status_code == 400
    assert message in str(response.json())
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_past_and_weekend_slots_are_refused(api_as, alice, sem):
    past = timezone.now().replace(hour=9, minute=0) - dt.timedelta(days=3)
    assert book_slot(api_as(alice), sem, past).status_code == 400
    saturday = timezone.localdate() + dt.timedelta(days=(6 - timezone.localdate().isoweekday()) % 7 + 7)
    start = timezone.make_aware(dt.datetime.combine(saturday, dt.time(9)))
    assert "不开放" in str(book_slot(api_as(alice), sem, start).json())


@pytest.mark.django_db
def test_a_service_is_booked_by_quantity(api_as, alice, ivan_lab, olivia):
    water = factories.approved_item(ivan_lab, kind="service", operator=olivia)
    response = api_as(alice).post("/api/bookings/", {"service": water.pk, "quantity": "3"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert Decimal(body["amount"]) == Decimal("2400.00") and body["unit"] == "样品"
    assert body["expected_date"] == (timezone.localdate() + dt.timedelta(days=7)).isoformat()


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [{"quantity": "0"}, {"quantity": "-2"}, {"quantity": "abc"}, {}])
def test_bad_quantities_are_refused(api_as, alice, ivan_lab, olivia, payload):
    water = factories.approved_item(ivan_lab, kind="service", operator=olivia)
    response = api_as(alice).post("/api/bookings/", {"service": water.pk, **payload}, format="json")
    assert response.status_code == 400
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_the_full_life_of_a_booking_ends_rated_and_updates_ratings(api_as, alice, ivan_lab, sem, client, monkeypatch):
    start = next_weekday_at(9)
    b = book_slot(api_as(alice), sem, start).json()
    lab = api_as(ivan_lab)
    lab.post(f"/api/bookings/{b['id']}/accept/", {}, format="json")
    assert lab.post(f"/api/bookings/{b['id']}/start/").json()["status"] == "in_service"
    after_slot(monkeypatch, start + dt.timedelta(hours=2))
    assert lab.post(f"/api/bookings/{b['id']}/complete/", {}, format="json").json()["status"] == "completed"
    rated = api_as(alice).post("/api/ratings/", {"booking": b["id"], "score": 4, "comment": "图像清晰"}, format="json")
    assert rated.status_code == 201 and rated.json()["score"] == 4
    assert api_as(alice).get(f"/api/bookings/{b['id']}/").json()["status"] == "rated"
    again = api_as(alice).post("/api/ratings/", {"booking": b["id"], "score": 1}, format="json")
    assert again.status_code == 400 and "该服务已评价" in again.content.decode()
    sem.refresh_from_db()
    assert sem.rating_mean == Decimal("4.00") and sem.rating_count == 1
    feature = client.get("/api/map/search/", {"module": "instrument"}).json()["features"][0]
    assert feature["properties"]["rating"] == 4.0
    ratings = client.get("/api/ratings/", {"instrument": sem.pk}).json()["results"]
    assert ratings[0]["comment"] == "图像清晰"


@pytest.mark.django_db
def test_machine_time_is_completed_only_after_its_slot_has_ended(api_as, alice, ivan_lab, mallory, sem, monkeypatch):
    start = next_weekday_at(9)
    b = book_slot(api_as(alice), sem, start).json()
    path = f"/api/bookings/{b['id']}/"
    lab = api_as(ivan_lab)
    assert lab.get(path).json()["available_moves"] == ["accept", "decline"]
    lab.post(path + "accept/", {}, format="json")
    after_slot(monkeypatch, start, minutes=-30)  # half an hour before the slot: it may start
    assert lab.get(path).json()["available_moves"] == ["start"]
    assert lab.post(path + "start/").json()["status"] == "in_service"

    after_slot(monkeypatch, start, minutes=60)  # in the middle of the 2 h slot
    body = lab.get(path).json()
    assert body["available_moves"] == [] and "预约时段结束" in body["blocked"]["complete"]
    early = lab.post(path + "complete/", {}, format="json")
    assert early.status_code == 400 and "预约时段结束" in early.content.decode()
    assert Booking.objects.get(pk=b["id"]).status == BookingStatus.IN_SERVICE
    assert not Booking.objects.get(pk=b["id"]).events.filter(to_status=BookingStatus.COMPLETED).exists()
    assert api_as(alice).get(path).json()["blocked"] == {}  # the applicant has no such move
    lab = api_as(ivan_lab)
    assert lab.post(path + "complete/", {}, format="json").status_code == 400  # still not over

    after_slot(monkeypatch, start + dt.timedelta(hours=2))
    assert api_as(mallory).post(path + "complete/", {}, format="json").status_code == 404
    assert api_as(alice).post(path + "complete/", {}, format="json").status_code == 403
    lab = api_as(ivan_lab)  # one API client: back to the institution's token
    body = lab.get(path).json()
    assert body["available_moves"] == ["complete"] and body["blocked"] == {}
    done = lab.post(path + "complete/", {}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert done.json()["available_moves"] == []


@pytest.mark.django_db
def test_a_quantity_booking_is_completed_whenever_the_institution_says(api_as, alice, ivan_lab, olivia):
    water = factories.approved_item(ivan_lab, kind="service", operator=olivia)
    b = api_as(alice).post("/api/bookings/", {"service": water.pk, "quantity": "1"}, format="json").json()
    lab = api_as(ivan_lab)
    for step in ("accept", "start", "complete"):
        assert lab.post(f"/api/bookings/{b['id']}/{step}/", {}, format="json").status_code == 200


@pytest.mark.django_db
def test_illegal_booking_moves_are_refused(api_as, alice, ivan_lab, sem):
    b = book_slot(api_as(alice), sem, next_weekday_at(9)).json()
    assert api_as(ivan_lab).post(f"/api/bookings/{b['id']}/complete/", {}, format="json").status_code == 400
    assert api_as(alice).post("/api/ratings/", {"booking": b["id"], "score": 5}, format="json").status_code == 400
    assert api_as(ivan_lab).post(f"/api/bookings/{b['id']}/decline/", {"note": ""}, format="json").status_code == 400


@pytest.mark.django_db
def test_outsiders_cannot_see_or_act_on_a_booking(api_as, alice, mallory, ivan_lab, sem):
    b = book_slot(api_as(alice), sem, next_weekday_at(9)).json()
    other_lab = factories.listed_institution(username="other_lab", lng=106.29, lat=38.47)
    for outsider in (mallory, other_lab):
        client = api_as(outsider)
        assert client.get(f"/api/bookings/{b['id']}/").status_code == 404
        assert client.post(f"/api/bookings/{b['id']}/accept/", {}, format="json").status_code == 404
        assert client.post(f"/api/bookings/{b['id']}/cancel/", {}, format="json").status_code == 404
    # The enterprise itself cannot accept its own request.
    assert api_as(alice).post(f"/api/bookings/{b['id']}/accept/", {}, format="json").status_code == 403
    assert Booking.objects.get(pk=b["id"]).status == BookingStatus.REQUESTED


@pytest.mark.django_db
def test_institutions_and_uncertified_enterprises_cannot_book(api_as, ivan_lab, sem):
    assert book_slot(api_as(ivan_lab), sem, next_weekday_at(9)).status_code == 403
    dora = factories.applicant_user(username="dora", adcode=640104, status="submitted")
    assert book_slot(api_as(dora), sem, next_weekday_at(9)).status_code == 400


@pytest.mark.django_db
def test_contact_requests_reach_the_institution_which_answers(api_as, alice, ivan_lab, mallory, sem):
    sent = api_as(alice).post(
        "/api/contacts/",
        {
            "kind": "instrument",
            "item_id": sem.pk,
            "message": "想了解能否测试陶瓷样品",
            "contact_phone": "13800000000",
        },
        format="json",
    )
    assert sent.status_code == 201, sent.json()
    cid = sent.json()["id"]
    assert api_as(mallory).post(f"/api/contacts/{cid}/answer/", {"answer": "x"}, format="json").status_code == 404
    answered = api_as(ivan_lab).post(f"/api/contacts/{cid}/answer/", {"answer": "可以，请致电"}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "answered"


# --- Races: threads against PostgreSQL ----------------------------------------------------


def _race(n: int, work) -> list:
    results: list = []
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait()
            results.append(("ok", work(i)))
        except Exception as exc:  # noqa: BLE001 (collect every outcome)
            results.append(("error", exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_racing_instant_bookings_for_one_slot_leave_exactly_one_accepted(ningxia):
    operator = factories.staff_user(username="op", kind="operator")
    lab = factories.listed_institution(username="race_lab")
    sem = factories.approved_item(lab, operator=operator, booking_mode="slot", instant_booking=True)
    users = [factories.applicant_user(username=f"ent{i}", adcode=640104) for i in range(8)]
    start = next_weekday_at(9)

    def book(i):
        return services.booking_request_slot(
            instrument=Instrument.objects.get(pk=sem.pk),
            by=users[i],
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
        )

    results = _race(8, book)
    assert sum(1 for kind, _ in results if kind == "ok") == 1
    assert Booking.objects.filter(status=BookingStatus.ACCEPTED).count() == 1
    assert all("已被预约" in str(exc) for kind, exc in results if kind == "error")


@pytest.mark.django_db(transaction=True)
def test_racing_acceptances_of_overlapping_requests_accept_exactly_one(ningxia):
    operator = factories.staff_user(username="op", kind="operator")
    lab = factories.listed_institution(username="race_lab")
    sem = factories.approved_item(lab, operator=operator, booking_mode="slot")
    start = next_weekday_at(9)
    requests = [
        services.booking_request_slot(
            instrument=sem,
            by=factories.applicant_user(username=f"ent{i}", adcode=640104),
            starts_at=start + dt.timedelta(minutes=30 * i),
            ends_at=start + dt.timedelta(hours=2),
        )
        for i in range(3)
    ]

    def accept(i):
        return services.booking_answer(booking=requests[i], by=lab, accept=True)

    results = _race(3, accept)
    assert sum(1 for kind, _ in results if kind == "ok") == 1
    assert Booking.objects.filter(status=BookingStatus.ACCEPTED).count() == 1
