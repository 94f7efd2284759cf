"""A small world of real vouchers, made through the voucher services, whose dashboard figures
are easy to add up by hand:

=====  ==============  =================  ==========  ========  =======  =================
 no.    applicant       institution        category    contract  voucher  reached
=====  ==============  =================  ==========  ========  =======  =================
 V1     alice 兴庆区     ivan_lab 高校 事业   检验检测     40,000    20,000   paid
 V2     alice 兴庆区     lab2 企业研发 社会   设计         10,000     5,000   redeemed (confirmed)
 V3     mallory 西夏区   ivan_lab           科技查新       3,000     1,500   used
 V4     dave 大武口区    ivan_lab           检验检测     16,000     8,000   issued
=====  ==============  =================  ==========  ========  =======  =================

So: issued 4 / 34,500; used 3 / 26,500; redeemed 2 / 25,000; paid 1 / 20,000. The services
of V1–V3 are completed (service income: ivan_lab 43,000, lab2 10,000).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point

from tests import factories

# The Playwright fixtures of the map's browser tests (Debian's chromium, loopback only,
# console errors recorded), for tests/dashboards/test_dashboard_browser.py.
from tests.browser.conftest import browser, chromium, offline_map, page, watch  # noqa: F401, E402


@dataclass
class World:
    alice: object
    mallory: object
    dave: object
    bob: object
    charlie: object
    dave_bureau: object
    yinchuan_bureau: object
    olivia: object
    cecilia: object
    ivan_lab: object
    lab2: object
    v1: object
    v2: object
    v3: object
    v4: object
    year: int


def issue(
    enterprise_user, institution_user, bureau, olivia, cecilia, *, price: str, quantity: str, served=True, **item
):
    from vouchers.contracts import services

    contract = factories.ready_contract(
        enterprise_user, institution_user, price=price, quantity=quantity, served=served, **item
    )
    services.contract_submit(contract=contract, by=enterprise_user)
    for reviewer in (bureau, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    contract.refresh_from_db()
    return contract.voucher


def use(voucher, enterprise_user, institution_user, olivia, *, key: str):
    """The institution completes the booked service; the enterprise pays with the voucher and
    the operator approves its proofs."""
    from vouchers import settlement

    factories.serve(voucher.contract.booking, institution_user)
    use = settlement.voucher_pay(voucher=voucher, by=enterprise_user, idempotency_key=key)
    amount = use.price
    for kind, value in (("invoice", amount), ("bank_receipt", amount), ("result", None)):
        settlement.proof_upload(
            use=use,
            by=enterprise_user,
            kind=kind,
            upload=factories.pdf_upload(f"{kind}.pdf"),
            number="NO.1",
            amount=value,
        )
    settlement.proof_submit(use=use, by=enterprise_user)
    settlement.proof_review(use=use, by=olivia, approve=True)
    return use


def redeem(voucher, payee_user, olivia, cecilia):
    from vouchers import settlement

    voucher.refresh_from_db()
    redemption = settlement.redemption_request(by=payee_user, vouchers=[voucher], mode="instant")
    settlement.redemption_check(redemption=redemption, by=olivia, approve=True)
    return settlement.redemption_confirm(redemption=redemption, by=cecilia)


def pay_out(year: int, cecilia):
    from vouchers import settlement

    settlement.budget_set(by=cecilia, year=year, amount=Decimal("1000000"))
    batch = settlement.batch_create(by=cecilia, year=year, cycle="monthly")
    settlement.batch_approve(batch=batch, by=cecilia)
    return settlement.batch_pay(batch=batch, by=cecilia)


@pytest.fixture
def world(ningxia, alice, mallory, bob, charlie, yinchuan_bureau, olivia, cecilia, ivan_lab) -> World:
    policy = factories.ningxia_policy()
    dave = factories.applicant_user(username="dave", adcode=640202, location=Point(106.3840, 39.0150, srid=4326))
    dave_bureau = factories.bureau_user(username="dave_bureau", adcode=640202)
    lab2 = factories.listed_institution(
        username="lab2", name="金凤工业设计中心", lng=106.2420, lat=38.4730, kind="enterprise_lab", is_public=False
    )
    v1 = issue(alice, ivan_lab, bob, olivia, cecilia, price="20000", quantity="2")
    v2 = issue(alice, lab2, bob, olivia, cecilia, price="5000", quantity="2", name="工业设计", category="设计")
    v3 = issue(
        mallory, ivan_lab, charlie, olivia, cecilia, price="3000", quantity="1", name="科技查新", category="科技查新"
    )
    v4 = issue(dave, ivan_lab, dave_bureau, olivia, cecilia, price="8000", quantity="2", served=False)
    use(v1, alice, ivan_lab, olivia, key="dash-use-v1")
    use(v2, alice, lab2, olivia, key="dash-use-v2")
    use(v3, mallory, ivan_lab, olivia, key="dash-use-v3")
    redeem(v1, ivan_lab, olivia, cecilia)
    pay_out(policy.year, cecilia)
    redeem(v2, lab2, olivia, cecilia)
    for v in (v1, v2, v3, v4):
        v.refresh_from_db()
    return World(
        alice=alice,
        mallory=mallory,
        dave=dave,
        bob=bob,
        charlie=charlie,
        dave_bureau=dave_bureau,
        yinchuan_bureau=yinchuan_bureau,
        olivia=olivia,
        cecilia=cecilia,
        ivan_lab=ivan_lab,
        lab2=lab2,
        v1=v1,
        v2=v2,
        v3=v3,
        v4=v4,
        year=policy.year,
    )
