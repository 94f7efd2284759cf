"""Which bookings lead to a voucher, and how the pages say it (issue #12, the new-user walk):

- A booking leads to a voucher only in the policy year it was requested in: a 2025 booking
  (served, even rated) is not offered for a 2026 voucher — not on the contracts page, the
  home to-do, the booking page or list, the use registration — and opening one is refused
  in Chinese with nothing written.
- Jiangsu's individuals may not hold a voucher this year: the order form starts at
  不使用创新券 with the reason beside it, a voucher booking offers no voucher step, and
  opening a contract from it is refused with the reason.
- Zhejiang registers uses after the service: the closed contract route is not offered and
  the booking page speaks of the use registration.
- Henan: the proof hint names the scheme's proofs, and no payee confirmation tile.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import OrgKind, User
from catalog.models import Booking
from tests import factories
from tests.vouchers.test_booking_hooks import todo_line
from tests.vouchers.test_ningxia_scenario import login, ok
from tests.vouchers.test_province_schemes import XINGQING, booked, publish, service_of
from tests.vouchers.test_use_registration import URL as REGISTER_URL
from tests.vouchers.test_use_registration import form as registration_form
from vouchers.models import Contract, Voucher

pytestmark = pytest.mark.django_db


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def made_last_year(booking: int) -> None:
    """The booking was requested in 2025 (its timestamp only; its status came by its steps)."""
    Booking.objects.filter(pk=booking).update(
        created_at=dt.datetime(2025, 2, 15, 10, 0, tzinfo=timezone.get_current_timezone())
    )


def served(enterprise, lab, service: int) -> int:
    booking = booked(enterprise, lab, service)
    ok(lab.post(f"/api/bookings/{booking}/start/"))
    ok(lab.post(f"/api/bookings/{booking}/complete/", {}, format="json"))
    return booking


# --- 3. The year rule ------------------------------------------------------------------------


def test_a_past_year_booking_is_not_offered_for_this_years_voucher(
    ningxia, clock, alice, olivia, cecilia, ivan_lab, mallory
):
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login("alice")
    publish(centre, "ningxia")
    service = service_of(lab, operator)
    old = served(enterprise, lab, service)
    made_last_year(old)
    new = booked(enterprise, lab, service)
    old_number, new_number = (Booking.objects.get(pk=pk).number for pk in (old, new))

    listed = page(alice).get("/vouchers/contracts/").content.decode()
    assert new_number in listed and old_number not in listed
    assert 'data-count="1">' in todo_line(alice, "已受理、可申领创新券的预约")

    html = page(alice).get(f"/catalog/bookings/{old}/").content.decode()
    assert "该预约于 2025 年提交" in html and f"/vouchers/contracts/from-booking/{old}/" not in html
    assert "2025 年提交" not in page(alice).get(f"/catalog/bookings/{new}/").content.decode()

    before = Contract.objects.count()
    refused = enterprise.post("/api/contracts/", {"booking": old}, format="json")
    assert refused.status_code == 400 and "只能按 2025 年度的创新券政策办理" in refused.content.decode()
    assert Contract.objects.count() == before
    shown = page(alice).post(f"/vouchers/contracts/from-booking/{old}/", follow=True).content.decode()
    assert "只能按 2025 年度的创新券政策办理" in shown and Contract.objects.count() == before
    # An outsider cannot open one from someone else's booking either.
    assert login("mallory").post("/api/contracts/", {"booking": new}, format="json").status_code in (403, 404)
    assert Contract.objects.count() == before
    ok(enterprise.post("/api/contracts/", {"booking": new}, format="json"), 201)  # this year's: fine


def test_the_booking_list_offers_the_voucher_step_once_and_only_this_year(
    ningxia, clock, alice, olivia, cecilia, ivan_lab
):
    centre, operator, lab, enterprise = login("cecilia"), login("olivia"), login("ivan_lab"), login("alice")
    publish(centre, "ningxia")
    service = service_of(lab, operator)
    fresh, ordered, old = (booked(enterprise, lab, service) for _ in range(3))
    made_last_year(old)
    ok(enterprise.post("/api/contracts/", {"booking": ordered}, format="json"), 201)
    listed = page(alice).get("/catalog/bookings/").content.decode()
    assert f'href="/catalog/bookings/{fresh}/#next-step"' in listed
    assert f'href="/catalog/bookings/{ordered}/#next-step"' not in listed  # it has its contract
    assert f'href="/catalog/bookings/{old}/#next-step"' not in listed


def test_a_past_year_booking_cannot_be_registered(ningxia, clock, bob, charlie, olivia, cecilia, ivan_lab, mallory):
    factories.applicant_user(username="qianjiang", adcode=XINGQING)
    centre, operator, lab = login("cecilia"), login("olivia"), login("ivan_lab")
    publish(centre, "zhejiang")
    enterprise = login("qianjiang")
    ok(enterprise.post("/api/claims/", {"amount": "50000"}, format="json"), 201)
    service = service_of(lab, operator)
    institution = ivan_lab.organisation.institution.pk
    old = served(enterprise, lab, service)
    made_last_year(old)
    client = page(User.objects.get(username="qianjiang"))
    choices = client.get("/vouchers/uses/").content.decode()
    assert Booking.objects.get(pk=old).number not in choices
    before = (Contract.objects.count(), Voucher.objects.count())
    refused = enterprise.post(REGISTER_URL, registration_form(institution, service, booking=old), "multipart")
    assert refused.status_code == 400 and "2025 年提交" in "".join(refused.json()["booking"])
    assert (Contract.objects.count(), Voucher.objects.count()) == before


# --- 4. Jiangsu's individuals ------------------------------------------------------------------


def test_a_jiangsu_individual_books_without_the_voucher_and_is_offered_no_voucher_step(
    ningxia, clock, cecilia, olivia, ivan_lab
):
    publish(login("cecilia"), "jiangsu")
    person = factories.applicant_user(username="geren", adcode=XINGQING, kind=OrgKind.INDIVIDUAL, credit_code="")
    lab, operator, api = login("ivan_lab"), login("olivia"), login("geren")
    service = service_of(lab, operator)
    client = page(person)
    form = client.get(f"/catalog/services/{service}/book/").content.decode()
    no = form[form.rfind("<input", 0, form.index('value="no"')) :].split(">")[0]
    assert "checked" in no  # 不使用创新券 is preselected
    assert "只面向本省企业" in form and 'id="voucher-offer"' not in form

    # The API books without the voucher by default for an applicant that cannot hold one,
    # and refuses the voucher when asked for it, with the order form's reason.
    asked = api.post("/api/bookings/", {"service": service, "quantity": "1", "use_voucher": True}, format="json")
    assert asked.status_code == 400 and "只面向本省企业" in asked.content.decode()
    booking = booked(api, lab, service)
    assert Booking.objects.get(pk=booking).use_voucher is False
    html = client.get(f"/catalog/bookings/{booking}/").content.decode()
    assert f"/vouchers/contracts/from-booking/{booking}/" not in html
    before = Contract.objects.count()
    refused = api.post("/api/contracts/", {"booking": booking}, format="json")
    assert refused.status_code == 400
    assert Contract.objects.count() == before
    listed = client.get("/vouchers/contracts/").content.decode()
    assert "登记线下签订的合同" not in listed and "不能申请额度或使用创新券" in listed
    assert 'data-count="0">' in todo_line(person, "已受理、可使用创新券的预约")


# --- 9. Zhejiang's closed contract route -------------------------------------------------------


def test_zhejiang_pages_speak_of_the_use_registration(ningxia, clock, olivia, cecilia, ivan_lab):
    enterprise_user = factories.applicant_user(username="qianjiang", adcode=XINGQING)
    centre, operator, lab = login("cecilia"), login("olivia"), login("ivan_lab")
    publish(centre, "zhejiang")
    enterprise = login("qianjiang")
    service = service_of(lab, operator)
    waiting = ok(enterprise.post("/api/bookings/", {"service": service, "quantity": "1"}, format="json"), 201)
    accepted = booked(enterprise, lab, service)
    done = served(enterprise, lab, service)
    client = page(enterprise_user)

    listed = client.get("/vouchers/contracts/").content.decode()
    assert "登记线下签订的合同" not in listed and "机构接受后即可在此申领创新券" not in listed
    assert "创新券使用登记" in listed
    home = client.get("/").content.decode()
    assert "已受理、可申领创新券的预约" not in home and "尚未提交的合同草稿" not in home

    html = client.get(f"/catalog/bookings/{waiting['id']}/").content.decode()
    assert "接受后即可在此申领" not in html and "服务完成后即可在此进行创新券使用登记" in html
    html = client.get(f"/catalog/bookings/{accepted}/").content.decode()
    assert "服务完成后即可进行" in html and "/vouchers/uses/?booking=" not in html
    html = client.get(f"/catalog/bookings/{done}/").content.decode()
    assert "服务已完成，现在可以进行" in html and f"/vouchers/uses/?booking={done}" in html
    assert "机构已接受预约，现在可以" not in html

    for _ in range(2):
        ok(enterprise.post("/api/claims/", {"amount": "50000"}, format="json"), 201)
    institution = ivan_lab.organisation.institution.pk
    use = ok(enterprise.post(REGISTER_URL, registration_form(institution, service, booking=done), "multipart"), 201)
    html = client.get(f"/catalog/bookings/{done}/").content.decode()
    assert "本预约已登记使用" in html and use["voucher_number"] in html
    assert "请在合同页面继续办理" not in html and "/vouchers/uses/?booking=" not in html


# --- 12. Henan's institution prover ------------------------------------------------------------


def test_henan_institution_home_names_the_schemes_proofs_and_no_payee_confirmation(ningxia, clock, cecilia, ivan_lab):
    publish(login("cecilia"), "henan")
    home = page(ivan_lab).get("/").content.decode()
    assert "待确认的企业兑付用券" not in home
    assert "付款凭证" not in home


def test_zhejiang_institution_home_keeps_the_payee_confirmation(ningxia, clock, cecilia, ivan_lab):
    publish(login("cecilia"), "zhejiang")
    assert "待确认的企业兑付用券" in page(ivan_lab).get("/").content.decode()
