"""What the public sees of the catalogue is the same on pages and in the API.

Ivan's lab is listed; Alice is a signed-in applicant; Olivia the operator; Rita runs another
institution (an outsider to Ivan's listings); anonymous visitors see the public listing.
"""

from __future__ import annotations

import pytest

from catalog import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def xrd(ivan_lab, olivia):
    item = factories.approved_item(ivan_lab, operator=olivia, name="X射线衍射仪")
    services.item_update(item=item, by=ivan_lab, data={"name": "X射线衍射仪（升级版）"})
    item.refresh_from_db()
    assert item.pending_changes  # an unreviewed edit waits for the operator
    return item


@pytest.fixture
def rita(db):
    return factories.listed_institution(username="rita", name="六盘山检测所", lng=106.2, lat=36.0)


def test_pending_changes_are_hidden_from_the_public_and_outsiders(api, api_as, xrd, alice, rita):
    assert api.get(f"/api/instruments/{xrd.pk}/").json()["pending_changes"] == {}
    for outsider in (alice, rita):
        body = api_as(outsider).get(f"/api/instruments/{xrd.pk}/").json()
        assert body["pending_changes"] == {} and body["review_note"] == "", outsider
        assert body["name"] == "X射线衍射仪"  # the approved version


def test_the_institution_and_the_operator_see_pending_changes(api_as, xrd, ivan_lab, olivia):
    for insider in (ivan_lab, olivia):
        body = api_as(insider).get(f"/api/instruments/{xrd.pk}/").json()
        assert body["pending_changes"]["name"] == "X射线衍射仪（升级版）", insider


def test_the_public_page_does_not_show_pending_changes_either(client, xrd):
    html = client.get(f"/catalog/instruments/{xrd.pk}/").content.decode()
    assert "X射线衍射仪" in html and "升级版" not in html


def test_contact_person_and_phone_are_for_signed_in_users(api, api_as, client, ivan_lab, alice):
    org = ivan_lab.organisation
    org.contact_name, org.contact_phone = "张工", "0951-1234567"
    org.save()
    anonymous = api.get(f"/api/institutions/{org.pk}/").json()
    assert anonymous["contact_phone"] == "" and anonymous["contact_name"] == ""
    assert anonymous["credit_code"] == org.credit_code  # public register data of an organisation
    listed = api.get("/api/institutions/").json()["results"]
    assert all(row["contact_phone"] == "" for row in listed)
    page = client.get(f"/catalog/institutions/{org.pk}/").content.decode()
    assert "0951-1234567" not in page and "张工" not in page and "登录后查看" in page

    signed_in = api_as(alice).get(f"/api/institutions/{org.pk}/").json()
    assert signed_in["contact_phone"] == "0951-1234567" and signed_in["contact_name"] == "张工"
    client.force_login(alice)
    page = client.get(f"/catalog/institutions/{org.pk}/").content.decode()
    assert "0951-1234567" in page and "张工" in page


def test_item_pages_hide_the_phone_from_anonymous_visitors(client, xrd, alice):
    phone = xrd.institution.organisation.contact_phone
    assert phone not in client.get(f"/catalog/instruments/{xrd.pk}/").content.decode()
    client.force_login(alice)
    assert phone in client.get(f"/catalog/instruments/{xrd.pk}/").content.decode()


def test_ratings_do_not_name_the_enterprise_on_the_api_or_the_page(api, client, ivan_lab, alice):
    services.rating_record(
        enterprise=alice.organisation, institution=ivan_lab.organisation.institution, score=5, comment="报告及时"
    )
    rows = api.get("/api/ratings/").json()["results"]
    assert rows and all("enterprise_name" not in row and "enterprise" not in row for row in rows)
    assert alice.organisation.name not in str(rows)
    page = client.get(f"/catalog/institutions/{ivan_lab.organisation_id}/").content.decode()
    assert "报告及时" in page and alice.organisation.name not in page
