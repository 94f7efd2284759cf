"""Ningxia's whole voucher flow through the HTTP API, as its users meet it, with no ORM
shortcut: every step is a request; only time passes by itself (the ``clock`` fixture).

A new enterprise in 兴庆区 registers and is certified by 兴庆区's bureau (Bob); it books two
tests at Ivan's lab (in-region, 西夏区); each booking becomes a contract reviewed by the
bureau, the operator (Olivia) and the centre (Cecilia), and a voucher with 兴庆区's 10 %
top-up; it pays with both vouchers (they pass to the lab), proves and rates both; the lab
redeems each; the operator checks and the centre confirms; the centre batches both and
puts the batch on public notice; Mallory and Charlie object to one item each; the centre
dismisses one objection and upholds the other; after the notice the batch is approved, the
budgets are set and the batch is paid (the upheld item was released); the lab resubmits
the upheld redemption, it is checked, confirmed, batched again and paid.

After every step the ledger's invariants hold (``manage.py vouchers_check_ledger``) and the
balances are what the step says.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests import factories
from vouchers import ledger
from vouchers.models import Voucher
from vouchers.policies.presets import PRESETS

pytestmark = pytest.mark.django_db
D = Decimal
YEAR = 2026
XINGQING = 640104


def login(username: str, password: str = factories.PASSWORD) -> APIClient:
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.content.decode()[:500])
    return response.json() if response.content else {}


def moves(client: APIClient, path: str) -> list[str]:
    return ok(client.get(path))["available_moves"]


def test_ningxia_from_certification_to_the_re_batched_payout(
    ningxia, clock, check_ledger, bob, charlie, olivia, cecilia, ivan_lab, mallory
):
    centre, operator, bureau = login("cecilia"), login("olivia"), login("bob")
    lab, objector, other_objector = login("ivan_lab"), login("mallory"), login("charlie")
    check_ledger()

    # --- The year's policy and 兴庆区's top-up, published by the centre ---------------------------
    preset = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in PRESETS["ningxia"].items()}
    ok(centre.post("/api/policies/", {**preset, "year": YEAR}, format="json"), 201)
    ok(
        centre.post(
            "/api/policies/",
            {**preset, "name": "兴庆区配套", "year": YEAR, "region": XINGQING, "county_topup_rate": "0.10"},
            format="json",
        ),
        201,
    )

    # --- Certification ----------------------------------------------------------------------
    registered = ok(
        APIClient().post(
            "/api/auth/register/",
            {
                "username": "newco",
                "password": "a-long-password-1",
                "email": "newco@example.com",
                "kind": "enterprise",
                "name": "宁夏新材料科技有限公司",
                "region": XINGQING,
                "credit_code": factories.credit_code(7301),
                "registered_address": "宁夏银川市兴庆区解放东街8号",
                "legal_representative": "王新",
                "contact_name": "王新",
                "contact_phone": "0951-5550123",
            },
            format="json",
        ),
        201,
    )
    org = registered["id"]
    enterprise = login("newco", "a-long-password-1")
    ok(enterprise.post(f"/api/organisations/{org}/licence/", {"licence": factories.pdf_upload()}, format="multipart"))
    ok(enterprise.post(f"/api/organisations/{org}/submit/"))
    assert (
        ok(bureau.post(f"/api/organisations/{org}/review/", {"decision": "approve"}, format="json"))["status"]
        == "certified"
    )

    # --- The lab's service on the map; two bookings ----------------------------------------------
    service = ok(
        lab.post(
            "/api/services/",
            {"name": "材料成分全分析", "category": "检验检测", "price": "20000", "unit": "元/样品", "cycle_days": 7},
            format="json",
        ),
        201,
    )["id"]
    ok(operator.post(f"/api/services/{service}/review/", {"decision": "approve"}, format="json"))
    bookings = []
    for quantity in ("2", "1"):  # 40,000 and 20,000 yuan
        booking = ok(enterprise.post("/api/bookings/", {"service": service, "quantity": quantity}, format="json"), 201)
        ok(lab.post(f"/api/bookings/{booking['id']}/accept/", {}, format="json"))
        bookings.append(booking["id"])
    check_ledger()

    # --- Contracts, three reviews each, vouchers --------------------------------------------------
    vouchers = []
    for booking in bookings:
        contract = ok(enterprise.post("/api/contracts/", {"booking": booking}, format="json"), 201)
        path = f"/api/contracts/{contract['id']}/"
        assert contract["available_moves"] == ["submit"]
        ok(enterprise.post(path + "pledge/"))
        ok(enterprise.post(path + "scan/", {"file": factories.pdf_upload("signed.pdf")}, format="multipart"))
        assert ok(enterprise.post(path + "submit/"))["status"] == "at_bureau"
        for reviewer, others in ((bureau, (operator, centre)), (operator, (bureau, centre)), (centre, (bureau,))):
            assert moves(reviewer, path) == ["approve", "return"]
            assert all(moves(other, path) == [] for other in others)
            ok(reviewer.post(path + "review/", {"decision": "approve", "note": "同意"}, format="json"))
            check_ledger()
        contract = ok(enterprise.get(path))
        assert contract["status"] == "approved" and contract["available_moves"] == []
        vouchers.append(
            next(v for v in ok(enterprise.get("/api/vouchers/"))["results"] if v["contract"] == contract["id"])
        )
    a, b = vouchers
    # Marginal tiers: 50 % of 40,000 and of 20,000; 兴庆区 adds 10 % of the contract amount.
    assert (a["face_value"], a["county_topup"], a["balance"]) == ("20000.00", "4000.00", "24000.00")
    assert (b["face_value"], b["county_topup"], b["balance"]) == ("10000.00", "2000.00", "12000.00")
    assert ledger.received_this_year(org_of("newco"), YEAR) == D("30000.00")  # cap use: face values only
    # Nothing to pay before the service is done; the institution has no move on the voucher.
    assert a["available_moves"] == [] and moves(lab, f"/api/vouchers/{a['id']}/") == []
    early = enterprise.post(f"/api/vouchers/{a['id']}/pay/", {}, format="json", HTTP_IDEMPOTENCY_KEY="early-pay-01")
    assert early.status_code == 400 and "服务完成" in early.content.decode()

    # --- The service is done; the enterprise pays with both vouchers, proves and rates -------------
    for booking in bookings:
        ok(lab.post(f"/api/bookings/{booking}/start/"))
        ok(lab.post(f"/api/bookings/{booking}/complete/", {}, format="json"))
    assert ok(enterprise.get(f"/api/vouchers/{a['id']}/"))["available_moves"] == ["pay"]
    for voucher, price in ((a, "40000"), (b, "20000")):
        path = f"/api/vouchers/{voucher['id']}/"
        use = ok(
            enterprise.post(path + "pay/", {}, format="json", HTTP_IDEMPOTENCY_KEY=f"scenario-{voucher['id']:04d}"), 201
        )
        assert use["payee"] == ivan_lab.organisation_id  # in-region: the voucher passes to the lab
        check_ledger()
        assert ledger.held_by(Voucher(pk=voucher["id"]), ivan_lab.organisation) == D(voucher["balance"])
        for kind, amount in (("invoice", price), ("bank_receipt", price), ("result", None)):
            data = {"kind": kind, "number": "NO.1", "file": factories.pdf_upload(f"{kind}.pdf")}
            if amount:
                data["amount"] = amount
            ok(enterprise.post(path + "proofs/", data, format="multipart"), 201)
        assert ok(enterprise.post(path + "submit-proofs/"))["proof_status"] == "submitted"
        assert ok(operator.get(path + "use/"))["available_moves"] == ["approve", "return"]
        ok(operator.post(path + "review-proofs/", {"decision": "approve"}, format="json"))
        rating = {"voucher": voucher["id"], "score": 5, "comment": "报告及时"}
        ok(enterprise.post("/api/ratings/", rating, format="json"), 201)
        assert moves(lab, path) == ["redeem"]
        check_ledger()

    # --- The lab redeems each; the operator checks, the centre confirms -----------------------------
    redemptions = []
    for voucher in (a, b):
        r = ok(lab.post("/api/redemptions/", {"vouchers": [voucher["id"]], "mode": "instant"}, format="json"), 201)
        path = f"/api/redemptions/{r['id']}/"
        assert moves(operator, path) == ["check", "return"] and moves(centre, path) == []
        ok(operator.post(path + "check/", {"decision": "approve"}, format="json"))
        assert moves(centre, path) == ["confirm", "return"]
        assert ok(centre.post(path + "confirm/", {"decision": "approve"}, format="json"))["status"] == "confirmed"
        redemptions.append(r["id"])
        check_ledger()
    assert ledger.balance("payable", voucher_id__in=[a["id"], b["id"]]) == D("36000.00")

    # --- A quarterly batch on public notice; two objections --------------------------------------------
    batch = ok(centre.post("/api/batches/", {"year": YEAR, "cycle": "quarterly"}, format="json"), 201)
    assert batch["available_moves"] == ["notice"]
    batch = ok(centre.post(f"/api/batches/{batch['id']}/notice/"))
    assert batch["status"] == "notice" and batch["available_moves"] == []  # approval waits for the notice
    item_of = {i["redemption"]: i["id"] for i in batch["items"]}
    notice = ok(objector.get(f"/api/batches/{batch['id']}/"))
    assert all(i["available_moves"] == ["object"] for i in notice["items"])
    dismissed = ok(
        objector.post(
            f"/api/batches/{batch['id']}/objections/",
            {"item": item_of[redemptions[0]], "reason": "检测报告疑似重复使用"},
            format="json",
        ),
        201,
    )
    upheld = ok(
        other_objector.post(
            f"/api/batches/{batch['id']}/objections/",
            {"item": item_of[redemptions[1]], "reason": "该样品未实际送检"},
            format="json",
        ),
        201,
    )
    ok(
        centre.post(
            f"/api/objections/{dismissed['id']}/resolve/", {"upheld": False, "resolution": "经核查属实"}, format="json"
        )
    )
    ok(
        centre.post(
            f"/api/objections/{upheld['id']}/resolve/", {"upheld": True, "resolution": "送检记录缺失"}, format="json"
        )
    )
    check_ledger()
    returned = ok(lab.get(f"/api/redemptions/{redemptions[1]}/"))
    assert returned["status"] == "returned" and returned["available_moves"] == ["resubmit", "withdraw"]
    statuses = {i["redemption"]: i["status"] for i in ok(centre.get(f"/api/batches/{batch['id']}/"))["items"]}
    assert statuses == {redemptions[0]: "pending", redemptions[1]: "released"}
    assert ok(enterprise.get(f"/api/vouchers/{b['id']}/"))["status"] == "used"

    # --- The notice runs out; approval; budgets; payout ---------------------------------------------------
    clock.advance(days=6)
    batch = ok(centre.post(f"/api/batches/{batch['id']}/approve/"))
    assert batch["status"] == "approved" and batch["available_moves"] == ["pay"]
    ok(centre.post("/api/budgets/", {"year": YEAR, "amount": "1000000"}, format="json"), 201)
    refused = centre.post(f"/api/batches/{batch['id']}/pay/")
    assert refused.status_code == 400 and "兴庆区" in refused.json()["detail"]  # no county budget yet
    check_ledger()
    ok(centre.post("/api/budgets/", {"year": YEAR, "amount": "50000", "region": XINGQING}, format="json"), 201)
    assert ok(centre.post(f"/api/batches/{batch['id']}/pay/")) == {"paid": 1, "waiting_budget": 0}
    batch = ok(centre.get(f"/api/batches/{batch['id']}/"))
    assert batch["status"] == "paid" and batch["available_moves"] == []  # one item paid, one released
    check_ledger()
    assert ledger.budget_balance(YEAR) == D("980000.00")
    assert ledger.budget_balance(YEAR, XINGQING) == D("46000.00")
    assert ledger.balance("paid", organisation=ivan_lab.organisation) == D("24000.00")

    # --- The upheld redemption: corrected, resubmitted, checked, confirmed, batched again, paid -------
    path = f"/api/redemptions/{redemptions[1]}/"
    assert ok(lab.post(path + "resubmit/"))["status"] == "submitted"
    assert ok(enterprise.get(f"/api/vouchers/{b['id']}/"))["status"] == "redeeming"
    ok(operator.post(path + "check/", {"decision": "approve", "note": "已补充送检记录"}, format="json"))
    ok(centre.post(path + "confirm/", {"decision": "approve"}, format="json"))
    check_ledger()
    second = ok(centre.post("/api/batches/", {"year": YEAR, "cycle": "monthly"}, format="json"), 201)
    assert [i["redemption"] for i in second["items"]] == [redemptions[1]]
    assert second["available_moves"] == ["notice", "approve"]  # monthly: notice is optional
    ok(centre.post(f"/api/batches/{second['id']}/approve/"))
    assert ok(centre.post(f"/api/batches/{second['id']}/pay/")) == {"paid": 1, "waiting_budget": 0}
    assert ok(centre.get(f"/api/batches/{second['id']}/"))["status"] == "paid"
    check_ledger()

    # --- Where the money is now ------------------------------------------------------------------
    for voucher in (a, b):
        assert ok(enterprise.get(f"/api/vouchers/{voucher['id']}/"))["status"] == "redeemed"
    assert ok(lab.get(path))["status"] == "paid"
    assert ledger.balance("paid", organisation=ivan_lab.organisation) == D("36000.00")
    assert ledger.balance("payable", voucher_id__in=[a["id"], b["id"]]) == D("0")
    budgets = ok(centre.get("/api/budgets/", {"year": YEAR}))
    assert (budgets["province_granted"], budgets["paid"], budgets["province_balance"]) == (
        "1000000.00",
        "30000.00",
        "970000.00",
    )
    assert budgets["counties"] == [
        {"region": XINGQING, "name": "兴庆区", "granted": "50000.00", "paid": "6000.00", "balance": "44000.00"}
    ]
    assert ledger.received_this_year(org_of("newco"), YEAR) == D("30000.00")
    history = ok(lab.get(path))
    assert history["resubmissions"] == 1


def org_of(username: str):
    from accounts.models import User

    return User.objects.get(username=username).organisation
