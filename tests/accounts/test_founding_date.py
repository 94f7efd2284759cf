"""The founding date (注册成立时间) is a fact of the organisation's record: the enterprise
enters it in its certification form (draft or returned), a certified one adds it once when
its record lacks it, reviewers read it on the review page and in the API — and nobody else
reads or writes it.

Personas: Dora drafts her enterprise's certification in 兴庆区; Alice's enterprise is
certified there; Bob is 兴庆区's bureau; Mallory another enterprise in 西夏区.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import CertStatus, OrgKind
from tests import factories

pytestmark = pytest.mark.django_db

FOUNDED = dt.date(2015, 6, 18)


def tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


@pytest.fixture
def dora(db):
    return factories.applicant_user(username="dora", adcode=640104, status=CertStatus.DRAFT)


def draft_form(org, **changes) -> dict:
    """What the certification form posts back for ``org`` (every field it shows)."""
    data = {
        "name": org.name,
        "credit_code": org.credit_code,
        "region": org.region_id,
        "registered_address": org.registered_address,
        "contact_phone": org.contact_phone,
        "contact_email": org.contact_email,
        "founded_on": "",
    }
    return {**data, **changes}


# --- The certification form (draft or returned) ------------------------------------------------


def test_the_certification_form_takes_the_founding_date_and_refuses_a_future_one(client, dora):
    client.force_login(dora)
    page = client.get(reverse("accounts:me")).content.decode()
    assert 'name="founded_on"' in page and "注册成立时间" in page and 'type="date"' in page

    refused = client.post(reverse("accounts:me_save"), draft_form(dora.organisation, founded_on=tomorrow()))
    assert refused.status_code == 400 and "注册成立时间不能晚于今天" in refused.content.decode()
    dora.organisation.refresh_from_db()
    assert dora.organisation.founded_on is None

    saved = client.post(reverse("accounts:me_save"), draft_form(dora.organisation, founded_on="2015-06-18"))
    assert saved.status_code == 302
    dora.organisation.refresh_from_db()
    assert dora.organisation.founded_on == FOUNDED
    assert "2015-06-18" in client.get(reverse("accounts:me")).content.decode()


def test_the_founding_date_is_optional_at_certification(client, dora):
    client.force_login(dora)
    assert client.post(reverse("accounts:me_save"), draft_form(dora.organisation)).status_code == 302
    client.post(reverse("accounts:me_submit"))
    dora.organisation.refresh_from_db()
    assert dora.organisation.status == CertStatus.SUBMITTED and dora.organisation.founded_on is None


def test_the_api_patch_takes_the_date_and_refuses_a_future_one_in_chinese(api_as, dora):
    api = api_as(dora)
    path = f"/api/organisations/{dora.organisation_id}/"
    refused = api.patch(path, {"founded_on": tomorrow()}, format="json")
    assert refused.status_code == 400 and "注册成立时间不能晚于今天" in refused.json()["founded_on"][0]
    garbled = api.patch(path, {"founded_on": "2015-13-45"}, format="json")
    assert garbled.status_code == 400 and "founded_on" in garbled.json()
    dora.organisation.refresh_from_db()
    assert dora.organisation.founded_on is None
    assert api.patch(path, {"founded_on": "2015-06-18"}, format="json").json()["founded_on"] == "2015-06-18"
    assert api.get("/api/me/").json()["organisation"]["founded_on"] == "2015-06-18"


def test_an_individual_has_no_founding_date(client, api_as):
    person = factories.applicant_user(
        username="geren", adcode=640104, kind=OrgKind.INDIVIDUAL, credit_code="", status=CertStatus.DRAFT
    )
    client.force_login(person)
    assert 'name="founded_on"' not in client.get(reverse("accounts:me")).content.decode()
    refused = api_as(person).patch(
        f"/api/organisations/{person.organisation_id}/", {"founded_on": "2015-06-18"}, format="json"
    )
    assert refused.status_code == 400 and "个人/团队不填写注册成立时间" in refused.json()["founded_on"][0]


# --- A certified record without one adds it once ------------------------------------------------


def test_a_certified_organisation_adds_a_missing_founding_date_once(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:me")).content.decode()
    assert f'action="{reverse("accounts:me_founded_on")}"' in page and "未填写" in page

    for bad, words in ((tomorrow(), "注册成立时间不能晚于今天"), ("", "")):
        refused = client.post(reverse("accounts:me_founded_on"), {"founded_on": bad})
        assert refused.status_code == 400 and words in refused.content.decode()
    alice.organisation.refresh_from_db()
    assert alice.organisation.founded_on is None

    assert client.post(reverse("accounts:me_founded_on"), {"founded_on": "2015-06-18"}).status_code == 302
    alice.organisation.refresh_from_db()
    assert alice.organisation.founded_on == FOUNDED
    # Now a certified fact: no form to change it, and a second post changes nothing.
    assert reverse("accounts:me_founded_on") not in client.get(reverse("accounts:me")).content.decode()
    again = client.post(reverse("accounts:me_founded_on"), {"founded_on": "2016-01-01"})
    assert again.status_code == 400
    alice.organisation.refresh_from_db()
    assert alice.organisation.founded_on == FOUNDED


def test_the_api_adds_it_once_and_names_the_date_held_when_another_comes(api_as, alice):
    api = api_as(alice)
    path = f"/api/organisations/{alice.organisation_id}/founded-on/"
    assert api.post(path, {"founded_on": tomorrow()}, format="json").status_code == 400
    assert api.post(path, {}, format="json").status_code == 400
    assert api.post(path, {"founded_on": "2015-06-18"}, format="json").json()["founded_on"] == "2015-06-18"
    assert api.post(path, {"founded_on": "2015-06-18"}, format="json").status_code == 200  # the same: nothing new
    other = api.post(path, {"founded_on": "2016-01-01"}, format="json")
    assert other.status_code == 400 and "以单位信息为准（2015-06-18）" in other.json()["founded_on"][0]
    # The certification PATCH stays closed to a certified organisation.
    closed = api.patch(f"/api/organisations/{alice.organisation_id}/", {"founded_on": "2016-01-01"}, format="json")
    assert closed.status_code == 400
    alice.organisation.refresh_from_db()
    assert alice.organisation.founded_on == FOUNDED


# --- Who reads it, and who may not write it ----------------------------------------------------


def test_the_reviewer_reads_it_on_the_review_page_and_in_the_api(client, api_as, bob):
    dora = factories.applicant_user(username="dora", adcode=640104, status=CertStatus.SUBMITTED, founded_on=FOUNDED)
    client.force_login(bob)
    page = client.get(reverse("accounts:review_detail", args=[dora.organisation_id])).content.decode()
    assert "注册成立时间" in page and "2015-06-18" in page
    assert api_as(bob).get(f"/api/organisations/{dora.organisation_id}/").json()["founded_on"] == "2015-06-18"


def test_outsiders_neither_read_nor_write_another_organisations_founding_date(api_as, alice, bob, mallory):
    services.founding_date_record(org=alice.organisation, by=alice, founded_on=FOUNDED)
    detail = f"/api/organisations/{alice.organisation_id}/"
    outsider = api_as(mallory)
    assert outsider.get(detail).status_code == 404
    assert outsider.patch(detail, {"founded_on": "2001-01-01"}, format="json").status_code == 404
    assert outsider.post(detail + "founded-on/", {"founded_on": "2001-01-01"}, format="json").status_code == 404
    anonymous = APIClient()
    assert anonymous.get(detail).status_code == 401
    assert anonymous.post(detail + "founded-on/", {"founded_on": "2001-01-01"}, format="json").status_code == 401
    # The reviewer reads it but never writes it for the enterprise.
    dora = factories.applicant_user(username="dora", adcode=640104, status=CertStatus.CERTIFIED)
    refused = api_as(bob).post(
        f"/api/organisations/{dora.organisation_id}/founded-on/", {"founded_on": "2001-01-01"}, format="json"
    )
    assert refused.status_code == 403
    # The own-page form writes the caller's own record only.
    client = page_client(mallory)
    client.post(reverse("accounts:me_founded_on"), {"founded_on": "2001-01-01"})
    for org in (alice.organisation, dora.organisation, mallory.organisation):
        org.refresh_from_db()
    assert (alice.organisation.founded_on, dora.organisation.founded_on) == (FOUNDED, None)
    assert mallory.organisation.founded_on == dt.date(2001, 1, 1)


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
