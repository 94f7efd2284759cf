"""High-tech zones as S&T authorities (SPEC §11: 省级以上高新区 act as 科技主管部门 beside the city and
county bureaus): an applicant registered in a zone is certified, reviewed and seen by the
zone's authority, not by its county bureau; a zone must be in the applicant's city."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import zones
from accounts.models import CertStatus, Organisation
from tests import factories
from tests.accounts.test_certification import register_payload
from vouchers.entitlements import services as entitlements
from vouchers.models import ClaimStatus, EntitlementClaim
from vouchers.policies.presets import install_preset

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone(db):
    """银川高新区's authority, hosted in 兴庆区 (640104) — test data, not a claim about the real zone."""
    return factories.zone_authority_user(username="zoe", name="银川高新技术产业开发区", host_adcode=640104)


def zone_member(username: str, zone_user, **org):
    return factories.applicant_user(username=username, adcode=640104, zone=zone_user.organisation, **org)


def test_an_applicant_registers_in_a_zone_of_its_city(api, zone):
    response = api.post("/api/auth/register/", register_payload(zone=zone.organisation_id), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["zone_name"] == "银川高新技术产业开发区"
    far = factories.zone_authority_user(username="zs", name="石嘴山高新技术产业开发区", host_adcode=640202)
    payload = register_payload(username="other", credit_code=factories.credit_code(902), zone=far.organisation_id)
    refused = api.post("/api/auth/register/", payload, format="json")
    assert refused.status_code == 400 and "不在本单位所在地市" in refused.content.decode()
    bob = factories.bureau_user(username="bob", adcode=640104)
    payload = register_payload(username="third", credit_code=factories.credit_code(903), zone=bob.organisation_id)
    assert api.post("/api/auth/register/", payload, format="json").status_code == 400  # a bureau is no zone
    assert Organisation.objects.filter(kind="enterprise").count() == 1


def test_the_registration_page_offers_the_zones(client, zone):
    body = client.get(reverse("accounts:register")).content.decode()
    assert "所在高新区" in body and "银川高新技术产业开发区" in body


def test_the_zone_certifies_its_members_and_the_county_bureau_does_not(api_as, zone, bob):
    member = zone_member("zm", zone, status=CertStatus.SUBMITTED)
    outside = factories.applicant_user(username="plain", adcode=640104, status=CertStatus.SUBMITTED)
    path = f"/api/organisations/{member.organisation_id}/"
    assert api_as(bob).get(path).status_code == 404
    assert api_as(bob).post(path + "review/", {"decision": "approve"}, format="json").status_code in (403, 404)
    assert api_as(zone).get(f"/api/organisations/{outside.organisation_id}/").status_code == 404
    assert (
        api_as(zone).post(path + "review/", {"decision": "approve", "note": "区内企业"}, format="json").status_code
        == 200
    )
    member.organisation.refresh_from_db()
    assert member.organisation.status == CertStatus.CERTIFIED
    other = f"/api/organisations/{outside.organisation_id}/review/"
    assert api_as(bob).post(other, {"decision": "approve"}, format="json").status_code == 200


def test_jiangsus_application_of_a_zone_member_is_decided_by_the_zone(api_as, zone, bob):
    install_preset(key="jiangsu", year=timezone.localdate().year)
    member = zone_member("zm", zone, qualification="high_tech", qualification_date=timezone.localdate())
    form = {**factories.application_data("high_tech", industry="电子信息"), **factories.application_files("high_tech")}
    response = api_as(member).post("/api/claims/", form, format="multipart")
    assert response.status_code == 201, response.content
    claim = EntitlementClaim.objects.get()
    entitlements.record_form_printed(claim=claim, by=member)
    stamped = {"stamped_form": factories.pdf_upload("申请表.pdf")}
    assert api_as(member).post(f"/api/claims/{claim.pk}/stamped-form/", stamped, format="multipart").status_code == 200
    assert claim.form["zone"] == "银川高新技术产业开发区"
    path = f"/api/claims/{claim.pk}/"
    assert api_as(bob).post(path + "grant/", {}, format="json").status_code in (403, 404)
    assert api_as(bob).get(path).status_code == 404
    assert api_as(zone).get(path).json()["available_moves"] == ["grant", "refuse"]
    assert api_as(zone).post(path + "grant/", {}, format="json").status_code == 200
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.GRANTED


def test_the_command_creates_the_shipped_zones_once(monkeypatch, settings):
    monkeypatch.setitem(
        zones.ZONES, 640000, [("银川高新技术产业开发区", "national", 640104), ("无处高新区", "provincial", 649999)]
    )
    call_command("accounts_zone_authorities")  # dry run
    assert not Organisation.objects.exclude(zone_level="").exists()
    call_command("accounts_zone_authorities", "--commit")
    call_command("accounts_zone_authorities", "--commit")
    created = Organisation.objects.exclude(zone_level="").get()
    assert (created.name, created.region_id, created.kind) == ("银川高新技术产业开发区", 640104, "bureau")
    report = zones.zone_authorities_sync(province=640000, commit=False)
    assert (report.present, report.missing_region) == (["银川高新技术产业开发区"], ["无处高新区"])


def test_a_county_keeps_one_bureau_beside_its_zones(zone, bob):
    assert Organisation.objects.filter(kind="bureau", region_id=640104).count() == 2
    assert factories.bureau_user(username="bob2", adcode=640104).organisation_id == bob.organisation_id
