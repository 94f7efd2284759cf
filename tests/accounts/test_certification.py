"""Certification (认证/入库): registration, submission, review by the right reviewer only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import CertificationEvent, CertStatus, Organisation, OrgKind
from mapsite.workflow import InvalidTransition
from tests import factories

pytestmark = pytest.mark.django_db


def register_payload(**overrides):
    payload = {
        "username": "newco",
        "password": "a-long-password-1",
        "email": "newco@example.com",
        "kind": "enterprise",
        "name": "宁夏新材料科技有限公司",
        "region": 640104,
        "credit_code": factories.credit_code(901),
        "qualification": "tech_sme",
        "qualification_number": f"{timezone.localdate().year}6401040123",
    }
    payload.update(overrides)
    return payload


def test_it_registers_an_enterprise_as_a_draft(api):
    response = api.post("/api/auth/register/", register_payload(), format="json")
    assert response.status_code == 201, response.json()
    org = Organisation.objects.get(name="宁夏新材料科技有限公司")
    assert org.status == CertStatus.DRAFT
    assert org.users.get().username == "newco"


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"credit_code": "91110000802100433A"}, "credit_code"),
        ({"kind": "individual", "credit_code": "", "resident_id": "640104199001010011"}, "resident_id"),
        ({"region": 640100}, "region"),  # a city, not a county
        ({"region": 999999}, "region"),
        ({"kind": "operator"}, "kind"),  # nobody registers as the operator
        ({"username": "x"}, "username"),
        ({"prior_year_revenue": "-5"}, "prior_year_revenue"),
    ],
)
def test_registration_with_bad_input_is_refused_and_creates_nothing(api, overrides, field):
    before = Organisation.objects.count()
    response = api.post("/api/auth/register/", register_payload(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Organisation.objects.count() == before


def test_registration_refuses_a_credit_code_already_registered(api, alice):
    response = api.post(
        "/api/auth/register/", register_payload(credit_code=alice.organisation.credit_code), format="json"
    )
    assert response.status_code == 400
    assert "credit_code" in response.json()


def test_an_individual_registers_with_a_resident_id(api):
    rid = factories.resident_id(5, area="640105")
    response = api.post(
        "/api/auth/register/",
        register_payload(kind="individual", credit_code="", resident_id=rid, name="张明创新团队", region=640105),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Organisation.objects.get(resident_id=rid).kind == OrgKind.INDIVIDUAL


def draft_applicant(adcode=640104, **kw):
    return factories.applicant_user(username=kw.pop("username", "dora"), adcode=adcode, status=CertStatus.DRAFT, **kw)


def test_the_county_bureau_certifies_an_applicant_from_its_county(api_as, bob):
    dora = draft_applicant()
    org = dora.organisation
    assert api_as(dora).post(f"/api/organisations/{org.pk}/submit/").status_code == 200
    response = api_as(bob).post(
        f"/api/organisations/{org.pk}/review/", {"decision": "approve", "note": "材料齐全"}, format="json"
    )
    assert response.status_code == 200, response.json()
    org.refresh_from_db()
    assert org.status == CertStatus.CERTIFIED
    events = list(org.certification_events.values_list("from_status", "to_status", "actor__username"))
    assert events == [("draft", "submitted", "dora"), ("submitted", "certified", "bob")]
    assert dora.notifications.filter(title__contains="通过").exists()


def test_a_returned_applicant_corrects_and_resubmits(api_as, bob):
    dora = draft_applicant()
    org = dora.organisation
    api_as(dora).post(f"/api/organisations/{org.pk}/submit/")
    response = api_as(bob).post(
        f"/api/organisations/{org.pk}/review/", {"decision": "return", "note": "营业执照不清晰"}, format="json"
    )
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.status == CertStatus.RETURNED
    assert org.certification_events.last().note == "营业执照不清晰"

    fixed = api_as(dora).patch(
        f"/api/organisations/{org.pk}/", {"registered_address": "宁夏银川市兴庆区新华东街2号"}, format="json"
    )
    assert fixed.status_code == 200
    assert api_as(dora).post(f"/api/organisations/{org.pk}/submit/").status_code == 200
    org.refresh_from_db()
    assert org.status == CertStatus.SUBMITTED


def test_returning_needs_a_reason(api_as, bob):
    dora = draft_applicant()
    services.certification_submit(org=dora.organisation, by=dora)
    response = api_as(bob).post(
        f"/api/organisations/{dora.organisation.pk}/review/", {"decision": "return"}, format="json"
    )
    assert response.status_code == 400
    dora.organisation.refresh_from_db()
    assert dora.organisation.status == CertStatus.SUBMITTED


def test_a_city_bureau_may_review_its_counties_applicants(api_as, yinchuan_bureau):
    dora = draft_applicant()
    services.certification_submit(org=dora.organisation, by=dora)
    response = api_as(yinchuan_bureau).post(
        f"/api/organisations/{dora.organisation.pk}/review/", {"decision": "approve"}, format="json"
    )
    assert response.status_code == 200


def test_another_countys_bureau_can_neither_see_nor_review_the_applicant(api_as, charlie):
    dora = draft_applicant()
    services.certification_submit(org=dora.organisation, by=dora)
    client = api_as(charlie)
    assert client.get(f"/api/organisations/{dora.organisation.pk}/").status_code == 404
    listed = client.get("/api/organisations/").json()["results"]
    assert dora.organisation.pk not in [o["id"] for o in listed]
    response = client.post(f"/api/organisations/{dora.organisation.pk}/review/", {"decision": "approve"}, format="json")
    assert response.status_code == 404
    dora.organisation.refresh_from_db()
    assert dora.organisation.status == CertStatus.SUBMITTED


def test_an_unrelated_enterprise_cannot_see_or_submit_another_organisation(api_as, mallory):
    dora = draft_applicant()
    client = api_as(mallory)
    assert client.get(f"/api/organisations/{dora.organisation.pk}/").status_code == 404
    assert client.post(f"/api/organisations/{dora.organisation.pk}/submit/").status_code == 404
    assert client.patch(f"/api/organisations/{dora.organisation.pk}/", {"name": "x"}, format="json").status_code == 404


def test_the_applicant_cannot_approve_itself(api_as):
    dora = draft_applicant()
    services.certification_submit(org=dora.organisation, by=dora)
    response = api_as(dora).post(
        f"/api/organisations/{dora.organisation.pk}/review/", {"decision": "approve"}, format="json"
    )
    assert response.status_code == 403
    dora.organisation.refresh_from_db()
    assert dora.organisation.status == CertStatus.SUBMITTED


def test_the_operator_does_not_certify_enterprises(api_as, olivia):
    dora = draft_applicant()
    services.certification_submit(org=dora.organisation, by=dora)
    response = api_as(olivia).post(
        f"/api/organisations/{dora.organisation.pk}/review/", {"decision": "approve"}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "start,move",
    [
        (CertStatus.DRAFT, "approve"),
        (CertStatus.CERTIFIED, "approve"),
        (CertStatus.RETURNED, "return"),
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(bob, start, move):
    dora = draft_applicant()
    org = dora.organisation
    Organisation.objects.filter(pk=org.pk).update(status=start)
    org.refresh_from_db()
    with pytest.raises(Exception):  # noqa: B017  (PermissionDenied or InvalidTransition)
        if move == "approve":
            services.certification_approve(org=org, by=bob)
        else:
            services.certification_return(org=org, by=bob, reason="x")
    org.refresh_from_db()
    assert org.status == start
    assert not CertificationEvent.objects.filter(organisation=org).exists()


def test_a_draft_cannot_be_resubmitted_twice():
    dora = draft_applicant()
    services.certification_submit(org=dora.organisation, by=dora)
    with pytest.raises(InvalidTransition):
        services.certification_submit(org=dora.organisation, by=dora)


def test_submission_needs_a_licence(api_as):
    dora = draft_applicant(licence=None)
    response = api_as(dora).post(f"/api/organisations/{dora.organisation.pk}/submit/")
    assert response.status_code == 400
    assert "licence" in response.json()


def test_licence_upload_is_checked_by_content(api_as):
    dora = draft_applicant(licence=None)
    url = f"/api/organisations/{dora.organisation.pk}/licence/"
    bad = api_as(dora).post(url, {"licence": factories.fake_pdf_executable()}, format="multipart")
    assert bad.status_code == 400
    dora.organisation.refresh_from_db()
    assert not dora.organisation.licence
    good = api_as(dora).post(url, {"licence": factories.pdf_upload()}, format="multipart")
    assert good.status_code == 200
    assert api_as(dora).get(url).status_code == 200


def test_an_outsider_cannot_download_a_licence(api_as, mallory):
    dora = draft_applicant()
    assert api_as(mallory).get(f"/api/organisations/{dora.organisation.pk}/licence/").status_code == 404


def test_a_name_change_is_reviewed_and_the_old_name_stays_until_approved(api_as, alice, bob):
    org = alice.organisation
    old = org.name
    response = api_as(alice).post(
        f"/api/organisations/{org.pk}/name-change/", {"new_name": "宁夏爱丽丝新能源有限公司"}, format="json"
    )
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.name == old and org.is_certified and org.status == CertStatus.CHANGE_PENDING
    api_as(bob).post(f"/api/organisations/{org.pk}/review/", {"decision": "approve"}, format="json")
    org.refresh_from_db()
    assert org.name == "宁夏爱丽丝新能源有限公司"
    assert org.status == CertStatus.CERTIFIED


def test_a_rejected_name_change_keeps_the_certificate(alice, bob):
    org = services.name_change_request(org=alice.organisation, by=alice, new_name="别的名字公司")
    services.certification_return(org=org, by=bob, reason="无工商变更证明")
    org.refresh_from_db()
    assert org.status == CertStatus.CERTIFIED
    assert org.pending_name == ""


def test_a_directly_filed_institution_is_listed_by_the_operator(api_as, olivia):
    inst = factories.institution_user(username="lab", adcode=640105, status=CertStatus.DRAFT)
    services.certification_submit(org=inst.organisation, by=inst)
    response = api_as(olivia).post(
        f"/api/organisations/{inst.organisation.pk}/review/", {"decision": "approve"}, format="json"
    )
    assert response.status_code == 200
    inst.organisation.refresh_from_db()
    assert inst.organisation.status == CertStatus.CERTIFIED


def test_a_reviewed_listing_needs_ten_staff_rules_and_an_expert_score(api_as, olivia, eve):
    inst = factories.institution_user(
        username="lab",
        adcode=640105,
        status=CertStatus.DRAFT,
        listing_mode="reviewed",
        direct_basis="",
        service_staff=6,
        has_management_rules=True,
    )
    org = inst.organisation
    services.certification_submit(org=org, by=inst)
    # Cannot be approved straight away, nor sent to experts with only 6 staff.
    assert (
        api_as(olivia).post(f"/api/organisations/{org.pk}/review/", {"decision": "approve"}, format="json").status_code
        == 400
    )
    assert (
        api_as(olivia).post(f"/api/organisations/{org.pk}/review/", {"decision": "experts"}, format="json").status_code
        == 400
    )
    Organisation.objects.filter(pk=org.pk).update(service_staff=12)
    assert (
        api_as(olivia).post(f"/api/organisations/{org.pk}/review/", {"decision": "experts"}, format="json").status_code
        == 200
    )
    # No score yet: cannot approve.
    assert (
        api_as(olivia).post(f"/api/organisations/{org.pk}/review/", {"decision": "approve"}, format="json").status_code
        == 400
    )
    assert (
        api_as(eve)
        .post(f"/api/organisations/{org.pk}/score/", {"score": 86, "comment": "条件具备"}, format="json")
        .status_code
        == 201
    )
    assert (
        api_as(olivia).post(f"/api/organisations/{org.pk}/review/", {"decision": "approve"}, format="json").status_code
        == 200
    )
    org.refresh_from_db()
    assert org.status == CertStatus.CERTIFIED


def test_experts_cannot_score_outside_expert_review_nor_can_others_score(api_as, olivia, eve, alice):
    inst = factories.institution_user(username="lab", adcode=640105, status=CertStatus.SUBMITTED)
    org = inst.organisation
    assert api_as(eve).post(f"/api/organisations/{org.pk}/score/", {"score": 80}, format="json").status_code == 404
    Organisation.objects.filter(pk=org.pk).update(status=CertStatus.EXPERT_REVIEW)
    assert api_as(alice).post(f"/api/organisations/{org.pk}/score/", {"score": 80}, format="json").status_code == 404
    assert api_as(eve).post(f"/api/organisations/{org.pk}/score/", {"score": 101}, format="json").status_code == 400


def test_the_operator_suspends_and_reinstates_a_listing(api_as, olivia, ivan, alice):
    org = ivan.organisation
    assert (
        api_as(alice).post(f"/api/organisations/{org.pk}/suspend/", {"note": "差评"}, format="json").status_code == 404
    )
    assert api_as(olivia).post(f"/api/organisations/{org.pk}/suspend/", {"note": ""}, format="json").status_code == 400
    assert (
        api_as(olivia)
        .post(f"/api/organisations/{org.pk}/suspend/", {"note": "评价差且拒不整改"}, format="json")
        .status_code
        == 200
    )
    org.refresh_from_db()
    assert org.status == CertStatus.SUSPENDED and not org.is_certified
    assert api_as(olivia).post(f"/api/organisations/{org.pk}/reinstate/", {}, format="json").status_code == 200


def test_events_show_the_history_to_the_member(api_as, bob):
    dora = draft_applicant()
    services.certification_submit(org=dora.organisation, by=dora)
    services.certification_approve(org=dora.organisation, by=bob)
    events = api_as(dora).get(f"/api/organisations/{dora.organisation.pk}/events/").json()
    assert [e["to_status"] for e in events] == ["submitted", "certified"]


def test_organisation_update_refuses_edits_once_certified(alice):
    with pytest.raises(ValidationError):
        services.organisation_update(org=alice.organisation, by=alice, fields={"name": "偷偷改名"})


def test_a_high_tech_certificate_must_be_less_than_three_years_old(api):
    import datetime as dt

    today = timezone.localdate()
    old = today.replace(year=today.year - 3) - dt.timedelta(days=1)
    response = api.post(
        "/api/auth/register/",
        register_payload(
            qualification="high_tech", qualification_number="GR202364000123", qualification_date=old.isoformat()
        ),
        format="json",
    )
    assert response.status_code == 400 and "qualification_date" in response.json()
    recent = today.replace(year=today.year - 2)
    response = api.post(
        "/api/auth/register/",
        register_payload(
            qualification="high_tech", qualification_number="GR202464000123", qualification_date=recent.isoformat()
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_a_tech_sme_needs_this_years_library_number(api):
    last_year = str(timezone.localdate().year - 1)
    response = api.post(
        "/api/auth/register/", register_payload(qualification_number=last_year + "6401040123"), format="json"
    )
    assert response.status_code == 400 and "qualification_number" in response.json()
