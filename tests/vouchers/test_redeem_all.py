"""全部提交: the payee submits every voucher it may redeem now in one go (Zhejiang's guide:
"将所有可兑付的创新券一次性提交审批"), as one cumulative redemption, or an instant one when
only one voucher is ready."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from vouchers.contracts import services
from vouchers.models import Redemption

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(db):
    return factories.ningxia_policy(proof_review=False)


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def filed_voucher(n, alice, ivan_lab, reviewers, api_as):
    """A voucher issued through the review chain, paid with and its proofs filed."""
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")
    services.contract_submit(contract=contract, by=alice)
    for reviewer in reviewers:
        services.contract_review(contract=contract, by=reviewer, approve=True)
    contract.refresh_from_db()
    voucher = contract.voucher
    ent = api_as(alice)
    paid = ent.post(f"/api/vouchers/{voucher.pk}/pay/", {}, format="json", HTTP_IDEMPOTENCY_KEY=f"all-pay-{n:04d}")
    assert paid.status_code == 201, paid.content.decode()
    for kind, amount in (("invoice", "40000"), ("bank_receipt", "40000"), ("result", None)):
        data = {"kind": kind, "number": f"NO.{n}", "file": factories.pdf_upload(f"{kind}.pdf")}
        if amount:
            data["amount"] = amount
        assert ent.post(f"/api/vouchers/{voucher.pk}/proofs/", data, format="multipart").status_code == 201
    assert ent.post(f"/api/vouchers/{voucher.pk}/submit-proofs/").json()["proof_status"] == "filed"
    return voucher


def test_all_redeemable_vouchers_go_in_one_cumulative_redemption(
    policy, alice, bob, olivia, cecilia, ivan_lab, mallory, api_as
):
    vouchers = [filed_voucher(n, alice, ivan_lab, (bob, olivia, cecilia), api_as) for n in (1, 2)]
    html = page(ivan_lab).get("/vouchers/redemptions/").content.decode()
    assert "全部可兑付的创新券一次性提交（2 张）" in html

    # An outsider's "all" holds none of these vouchers: a form error, nothing created.
    outsider = page(mallory).post("/vouchers/redemptions/", {"all": "1"})
    assert outsider.status_code == 200 and Redemption.objects.count() == 0

    response = page(ivan_lab).post("/vouchers/redemptions/", {"all": "1"})
    assert response.status_code == 302
    redemption = Redemption.objects.get()
    assert redemption.mode == "cumulative" and redemption.payee == ivan_lab.organisation
    assert sorted(i.voucher_id for i in redemption.items.all()) == sorted(v.pk for v in vouchers)
    html = page(ivan_lab).get("/vouchers/redemptions/").content.decode()
    assert "一次性提交" not in html  # nothing left to redeem


def test_one_ready_voucher_goes_alone_and_an_instant_only_year_refuses_several(
    policy, alice, bob, olivia, cecilia, ivan_lab, api_as
):
    policy.redemption_mode = "instant"
    policy.save()
    first = filed_voucher(1, alice, ivan_lab, (bob, olivia, cecilia), api_as)
    assert "一次性提交（1 张）" in page(ivan_lab).get("/vouchers/redemptions/").content.decode()
    filed_voucher(2, alice, ivan_lab, (bob, olivia, cecilia), api_as)
    assert "一次性提交" not in page(ivan_lab).get("/vouchers/redemptions/").content.decode()
    refused = page(ivan_lab).post("/vouchers/redemptions/", {"all": "1"})
    assert refused.status_code == 200 and "只允许即时兑付" in refused.content.decode()
    assert Redemption.objects.count() == 0

    page(ivan_lab).post("/vouchers/redemptions/", {"vouchers": [first.pk], "mode": "instant"})
    assert page(ivan_lab).post("/vouchers/redemptions/", {"all": "1"}).status_code == 302
    assert [r.mode for r in Redemption.objects.order_by("pk")] == ["instant", "instant"]
