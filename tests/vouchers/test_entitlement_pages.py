"""The wallet (我的额度) and claims (额度申请) pages and API: each rule's claim through the
page, the bureau's decision, bad input as a form error that changes nothing, and every
endpoint refusing an outsider."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories
from tests.vouchers.test_pages import as_user, page
from vouchers import ledger
from vouchers.models import ClaimStatus, EntitlementClaim
from vouchers.presets import install_preset

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def scheme(clock):
    return lambda key: install_preset(key=key, year=YEAR)


def test_ningxia_wallet_shows_the_annual_cap_and_offers_no_claim(client, clock, alice, scheme):
    scheme("ningxia")
    body = page(as_user(client, alice).get(reverse("vouchers:wallet")))
    assert "年度上限" in body and "200,000.00 元" in body and "确认申领" not in body
    refused = client.post(reverse("vouchers:wallet_claim"), {"amount": "1000"})
    assert refused.status_code == 302 and not EntitlementClaim.objects.exists()


def test_zhejiang_claims_on_the_page_within_the_caps(client, clock, alice, scheme):
    scheme("zhejiang")
    as_user(client, alice)
    body = page(client.get(reverse("vouchers:wallet")))
    assert "申领额度" in body and "单次申领不超过 50,000.00 元" in body
    too_much = client.post(reverse("vouchers:wallet_claim"), {"amount": "60000"})
    assert too_much.status_code == 400 and "单次申领不能超过" in page(too_much)
    assert not EntitlementClaim.objects.exists()
    bad = client.post(reverse("vouchers:wallet_claim"), {"amount": "abc"})
    assert bad.status_code == 400 and not EntitlementClaim.objects.exists()
    done = client.post(reverse("vouchers:wallet_claim"), {"amount": "30000"}, follow=True)
    assert "额度已核定：30,000.00 元" in page(done) and "30,000.00" in page(done)
    assert ledger.entitlement_left(alice.organisation, YEAR) == Decimal("30000.00")


def test_henan_quota_needs_the_pledge(client, clock, scheme):
    scheme("henan")
    user = factories.applicant_user(username="hn", adcode=640104, qualification="tech_sme")
    as_user(client, user)
    unsigned = client.post(reverse("vouchers:wallet_claim"), {})
    assert unsigned.status_code == 400 and "诚信承诺书" in page(unsigned)
    client.post(reverse("vouchers:wallet_claim"), {"pledge": "on"})
    assert EntitlementClaim.objects.get().amount == Decimal("200000.00")
    assert "已获额度" in page(client.get(reverse("vouchers:wallet")))


def test_jiangsu_application_is_decided_by_the_county_bureau_only(client, clock, alice, bob, charlie, olivia, scheme):
    scheme("jiangsu")
    as_user(client, alice)
    form = {"staff": "20", "industry": "软件", "revenue": "8000000", "zone": ""}
    unstamped = client.post(reverse("vouchers:wallet_claim"), form)
    assert unstamped.status_code == 400 and not EntitlementClaim.objects.exists()
    client.post(reverse("vouchers:wallet_claim"), {**form, "stamped_form": factories.pdf_upload("申请表.pdf")})
    claim = EntitlementClaim.objects.get()
    assert claim.status == ClaimStatus.SUBMITTED
    assert client.get(reverse("vouchers:claim_form", args=[claim.pk])).status_code == 200
    assert client.get(reverse("vouchers:claims")).status_code == 403  # applicants have the wallet

    # Another county's bureau neither sees nor decides it; the operator sees it but cannot decide.
    as_user(client, charlie)
    assert claim.number not in page(client.get(reverse("vouchers:claims")))
    assert client.post(reverse("vouchers:claim_grant", args=[claim.pk])).status_code == 404
    assert client.get(reverse("vouchers:claim_form", args=[claim.pk])).status_code == 404
    as_user(client, olivia)
    listing = page(client.get(reverse("vouchers:claims")))
    assert claim.number in listing and "不予通过" not in listing
    client.post(reverse("vouchers:claim_grant", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED

    as_user(client, bob)
    listing = page(client.get(reverse("vouchers:claims")))
    assert claim.number in listing and "不予通过" in listing and "盖章申请表" in listing
    no_reason = client.post(reverse("vouchers:claim_refuse", args=[claim.pk]), {"note": " "}, follow=True)
    assert "须说明原因" in page(no_reason)
    client.post(reverse("vouchers:claim_grant", args=[claim.pk]), {"note": "同意"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.GRANTED
    assert ledger.entitlement_left(alice.organisation, YEAR) == Decimal("100000.00")


def test_the_entitlement_api_refuses_outsiders(api_as, clock, alice, bob, mallory, olivia, scheme):
    scheme("zhejiang")
    assert APIClient().get("/api/wallet/").status_code in (401, 403)
    assert api_as(bob).get("/api/wallet/").status_code == 403
    claim = api_as(alice).post("/api/claims/", {"amount": "1000"}, format="json").json()
    assert APIClient().get("/api/claims/").status_code in (401, 403)
    assert api_as(mallory).get(f"/api/claims/{claim['id']}/").status_code == 404
    assert api_as(mallory).get("/api/claims/").json()["count"] == 0
    assert api_as(mallory).post(f"/api/claims/{claim['id']}/grant/", {}, format="json").status_code == 404
    assert api_as(bob).post(f"/api/claims/{claim['id']}/refuse/", {"note": "x"}, format="json").status_code == 400
    assert api_as(olivia).post("/api/claims/", {"amount": "1000"}, format="json").status_code == 403
    assert api_as(alice).get("/api/wallet/", {"year": "abc"}).status_code == 400
    assert EntitlementClaim.objects.count() == 1
