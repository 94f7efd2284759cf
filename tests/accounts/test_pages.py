"""Pages: log in, register, complete and submit; reviewers act from their queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import CertStatus, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


def test_home_invites_an_anonymous_visitor_to_the_map_and_to_register(client):
    page = client.get("/").content.decode()
    assert "/map/" in page and "/accounts/register/" in page


def test_login_with_the_password_leads_home(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": factories.PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert "alice" in client.get("/").content.decode()


def test_registration_page_creates_a_draft_and_shows_errors_inline(client):
    bad = client.post(
        "/accounts/register/",
        {
            "username": "newco",
            "password": "long-password-1",
            "email": "n@example.com",
            "kind": "enterprise",
            "name": "宁夏枸杞科技有限公司",
            "credit_code": "91110000802100433A",
            "region": 640104,
        },
    )
    assert bad.status_code == 200
    assert "统一社会信用代码无效" in bad.content.decode()
    assert not Organisation.objects.filter(name="宁夏枸杞科技有限公司").exists()
    good = client.post(
        "/accounts/register/",
        {
            "username": "newco",
            "password": "long-password-1",
            "email": "n@example.com",
            "kind": "enterprise",
            "name": "宁夏枸杞科技有限公司",
            "credit_code": factories.credit_code(77),
            "region": 640104,
        },
    )
    assert good.status_code == 302 and good.url == "/accounts/me/"
    assert Organisation.objects.get(name="宁夏枸杞科技有限公司").status == CertStatus.DRAFT


def test_an_applicant_uploads_a_licence_and_submits_from_its_page(client):
    dora = factories.applicant_user(username="dora", adcode=640104, status=CertStatus.DRAFT, licence=None)
    client.force_login(dora)
    refused = client.post(reverse("accounts:me_licence"), {"licence": factories.fake_pdf_executable()})
    assert "文件内容不是允许的类型" in refused.content.decode()
    client.post(reverse("accounts:me_licence"), {"licence": factories.pdf_upload()})
    client.post(reverse("accounts:me_submit"))
    dora.organisation.refresh_from_db()
    assert dora.organisation.status == CertStatus.SUBMITTED


def test_each_action_of_the_own_page_has_its_own_url_and_the_page_takes_no_post(client):
    dora = factories.applicant_user(username="dora", adcode=640104, status=CertStatus.DRAFT, licence=None)
    client.force_login(dora)
    html = client.get("/accounts/me/").content.decode()
    for path in ("/accounts/me/save/", "/accounts/me/licence/", "/accounts/me/submit/"):
        assert f'action="{path}"' in html
    assert 'name="action"' not in html
    assert client.post("/accounts/me/", {"action": "submit"}).status_code == 405
    assert client.get(reverse("accounts:me_submit")).status_code == 405
    client.logout()
    assert client.post(reverse("accounts:me_submit")).status_code == 302  # to the login page
    dora.organisation.refresh_from_db()
    assert dora.organisation.status == CertStatus.DRAFT


def test_a_certified_organisation_cannot_save_or_upload_and_says_so(client, alice):
    client.force_login(alice)
    for name in ("accounts:me_save", "accounts:me_licence"):
        response = client.post(reverse(name), {"name": "新名称"})
        assert response.status_code == 400 and "当前状态下不能执行该操作" in response.content.decode()
    alice.organisation.refresh_from_db()
    assert alice.organisation.name != "新名称"


def test_the_bureau_approves_from_its_queue_page(client, bob):
    dora = factories.applicant_user(username="dora", adcode=640104, status=CertStatus.SUBMITTED)
    client.force_login(bob)
    queue = client.get("/accounts/review/").content.decode()
    assert dora.organisation.name in queue
    response = client.post(f"/accounts/review/{dora.organisation.pk}/", {"decision": "approve", "note": ""})
    assert response.status_code == 302
    dora.organisation.refresh_from_db()
    assert dora.organisation.status == CertStatus.CERTIFIED


def test_another_bureau_does_not_see_the_applicant_in_its_queue_or_detail(client, charlie):
    dora = factories.applicant_user(username="dora", adcode=640104, status=CertStatus.SUBMITTED)
    client.force_login(charlie)
    assert dora.organisation.name not in client.get("/accounts/review/").content.decode()
    assert client.get(f"/accounts/review/{dora.organisation.pk}/").status_code == 404
    assert client.post(f"/accounts/review/{dora.organisation.pk}/", {"decision": "approve"}).status_code == 404
    assert client.get(f"/accounts/org/{dora.organisation.pk}/licence/").status_code == 404


def test_an_enterprise_has_no_review_queue(client, alice):
    client.force_login(alice)
    assert client.get("/accounts/review/").status_code == 403


def test_returning_without_a_reason_shows_a_form_error(client, bob):
    dora = factories.applicant_user(username="dora", adcode=640104, status=CertStatus.SUBMITTED)
    client.force_login(bob)
    response = client.post(f"/accounts/review/{dora.organisation.pk}/", {"decision": "return", "note": ""})
    assert response.status_code == 200
    assert "退回须说明原因" in response.content.decode()


def test_the_inbox_lists_notifications(client, bob):
    dora = factories.applicant_user(username="dora", adcode=640104, status=CertStatus.DRAFT)
    from accounts import services

    services.certification_submit(org=dora.organisation, by=dora)
    client.force_login(bob)
    assert "新的认证申请" in client.get("/inbox/").content.decode()


def test_unknown_api_paths_answer_json_404(client):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_openapi_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/organisations/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower() and "/static/" in docs
