"""Jiangsu's order form through the API (issue #12 gap, seeds/003 lines 440–470):

- ``GET /api/bookings/offer/`` gives the order form's 额度剩余 and 拟兑付创新券金额, from the same
  function as the page, for the item and the quantity (or slot) about to be ordered;
- ``POST /api/bookings/`` does not default ``use_voucher`` to true for an applicant the year's
  scheme gives no voucher (an individual), and refuses an explicit true with the page's words;
- other schemes (Ningxia's contracts) are unchanged.

Personas: ``zhongshan`` a granted 科小; ``geren`` an individual; ``ivan_lab`` the institution.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import OrgKind
from catalog.models import Booking
from tests import factories
from tests.vouchers.test_jiangsu_gaps import granted, offer_box, page
from tests.vouchers.test_ningxia_scenario import login, ok
from tests.vouchers.test_province_schemes import XINGQING, YEAR
from vouchers.models import Policy

pytestmark = pytest.mark.django_db


def offer(client, **query) -> dict:
    return ok(client.get("/api/bookings/offer/", query))


def individual() -> None:
    factories.applicant_user(username="geren", adcode=XINGQING, kind=OrgKind.INDIVIDUAL, credit_code="")


def test_the_api_offers_the_order_forms_figures(olivia, ivan_lab, jiangsu):
    granted()
    service = factories.approved_item(ivan_lab, kind="service", operator=olivia)  # 800 元/样品
    enterprise = login("zhongshan")

    one = offer(enterprise, service=service.pk)  # nothing entered yet: one unit, as on the form
    assert one == {
        "year": YEAR,
        "remaining": "100000.00",
        "rate": "0.3500",
        "amount": "800.00",
        "proposed": "280.00",
        "note": "",
        "closed": False,
        "wallet_url": reverse("vouchers:wallet"),
    }
    # The same figures the page shows for the same order: 1,000 samples, capped by what is left.
    many = offer(enterprise, service=service.pk, quantity="1000")
    assert (many["amount"], many["proposed"]) == ("800000.00", "100000.00")
    url = reverse("catalog:book_service", args=[service.pk])
    refused = page("zhongshan").post(url, {"quantity": "1000", "use_voucher": "maybe"})
    box = offer_box(refused.content.decode())
    assert "800,000.00 元" in box and "<strong>100,000.00 元</strong>" in box.split("拟兑付创新券金额")[1]

    # An enterprise's booking still defaults to the voucher.
    booking = ok(enterprise.post("/api/bookings/", {"service": service.pk, "quantity": "2"}, format="json"), 201)
    assert booking["use_voucher"] is True


def test_an_individual_gets_the_refusal_not_a_voucher_order(olivia, ivan_lab, jiangsu):
    individual()
    service = factories.approved_item(ivan_lab, kind="service", operator=olivia)
    person = login("geren")

    shown = offer(person, service=service.pk, quantity="2")
    assert shown["closed"] is True and shown["proposed"] == "0.00" and "只面向本省企业" in shown["note"]

    # An explicit voucher order is refused in the page's words, and nothing is booked.
    refused = person.post(
        "/api/bookings/", {"service": service.pk, "quantity": "2", "use_voucher": True}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["use_voucher"] == [shown["note"]]
    assert not Booking.objects.exists()
    form = page("geren").get(reverse("catalog:book_service", args=[service.pk])).content.decode()
    assert shown["note"] in form

    # Without the choice it is an ordinary order; so is an explicit false.
    plain = ok(person.post("/api/bookings/", {"service": service.pk, "quantity": "2"}, format="json"), 201)
    assert plain["use_voucher"] is False
    declined = {"service": service.pk, "quantity": "1", "use_voucher": False}
    assert ok(person.post("/api/bookings/", declined, format="json"), 201)["use_voucher"] is False

    # The page says the same when 使用创新券 is posted anyway, and books nothing more.
    posted = page("geren").post(
        reverse("catalog:book_service", args=[service.pk]), {"quantity": "1", "use_voucher": "yes"}
    )
    assert posted.status_code == 400 and "只面向本省企业" in posted.content.decode()
    assert Booking.objects.count() == 2


def test_other_schemes_outsiders_and_bad_input(olivia, ivan_lab, jiangsu):
    individual()
    service = factories.approved_item(ivan_lab, kind="service", operator=olivia)
    slot = factories.approved_item(ivan_lab, kind="instrument", operator=olivia)
    person = login("geren")

    # The institution is not an applicant: no one's entitlement.
    assert login("ivan_lab").get("/api/bookings/offer/", {"service": service.pk}).status_code == 404
    assert login("ivan_lab").get("/api/bookings/offer/", {"service": service.pk}).json()["detail"]
    # Anonymous callers are refused.
    assert APIClient().get("/api/bookings/offer/", {"service": service.pk}).status_code in (401, 403)

    # Bad input is a Chinese 400.
    for query in (
        {},
        {"service": service.pk, "instrument": slot.pk},
        {"service": 999999},
        {"service": service.pk, "quantity": "0"},
        {"instrument": slot.pk, "starts_at": "2026-05-06T10:00:00+08:00"},
        {"instrument": slot.pk, "starts_at": "2026-05-06T10:00:00+08:00", "ends_at": "2026-05-06T09:00:00+08:00"},
    ):
        assert person.get("/api/bookings/offer/", query).status_code == 400, query

    # Ningxia's contract scheme proposes the voucher on the contract: no offer, and an
    # individual's booking defaults to the voucher as before.
    Policy.objects.filter(year=YEAR, region__isnull=True).update(model="contract", entitlement="none")
    assert person.get("/api/bookings/offer/", {"service": service.pk}).status_code == 404
    booking = ok(person.post("/api/bookings/", {"service": service.pk, "quantity": "1"}, format="json"), 201)
    assert booking["use_voucher"] is True
