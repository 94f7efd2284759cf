"""Each role's home is a to-do list whose counts are what the linked queue pages show.

Personas (tests/conftest.py): Alice, an enterprise in 兴庆区; Bob, 兴庆区's bureau; Charlie,
西夏区's bureau (an outsider to Alice); Olivia the operator; Cecilia the centre; Eve an expert;
ivan_lab, a listed institution in 西夏区; Mallory an unrelated enterprise.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from catalog import services as catalog_services
from tests import factories
from vouchers import settlement
from vouchers.contracts import services as contract_services
from vouchers.models import ProofKind, RedemptionMode

pytestmark = pytest.mark.django_db

TASK = re.compile(
    r'<li class="todo-item[^"]*" data-count="(\d+)">\s*<a href="([^"]+)">.*?<strong>([^<]+)</strong>(.*?)</a>', re.S
)


def tasks(client, user=None) -> dict[str, tuple[int, str, str]]:
    """{label: (count, url, rest of the line)} of the to-do list on ``/``."""
    if user is not None:
        client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return {label: (int(n), url, rest) for n, url, label, rest in TASK.findall(response.content.decode())}


def rows_linking(client, url: str, pattern: str) -> int:
    """How many distinct objects the queue page at ``url`` links to (``pattern`` a regex)."""
    response = client.get(url)
    assert response.status_code == 200
    return len(set(re.findall(pattern, response.content.decode())))


def submitted(alice, ivan_lab, **kw):
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="2", **kw)
    return contract_services.contract_submit(contract=contract, by=alice)


# --- Reviewers ----------------------------------------------------------------------------------


def test_the_bureau_sees_the_contracts_at_its_level_and_the_outsider_bureau_none(
    client, policy, alice, bob, charlie, ivan_lab
):
    submitted(alice, ivan_lab)
    submitted(alice, ivan_lab)
    todo = tasks(client, bob)
    count, url, _ = todo["待审核的创新券合同"]
    assert count == 2
    assert url == reverse("vouchers:review")
    assert rows_linking(client, url, r'href="/vouchers/contracts/(\d+)/"') == 2
    assert "待审核的创新券合同" not in tasks(client, charlie)  # nothing waits for 西夏区


def test_a_contract_waiting_past_the_review_time_limit_is_marked_overdue(
    client, policy, alice, bob, ivan_lab, monkeypatch
):
    submitted(alice, ivan_lab)
    count, _, rest = tasks(client, bob)["待审核的创新券合同"]
    assert count == 1 and "已超期" not in rest
    later = timezone.now() + dt.timedelta(days=20)  # > 5 working days whatever the holidays
    monkeypatch.setattr(timezone, "now", lambda: later)
    count, _, rest = tasks(client, bob)["待审核的创新券合同"]
    assert count == 1 and "已超期 1" in rest


def test_the_operator_sees_every_queue_not_only_one_count(client, policy, alice, bob, olivia, ivan_lab):
    # Two contracts at the operator's level, one catalogue item and one listing to review.
    for _ in range(2):
        contract = submitted(alice, ivan_lab)
        contract_services.contract_review(contract=contract, by=bob, approve=True)
    catalog_services.item_create(
        institution=ivan_lab.organisation.institution,
        by=ivan_lab,
        kind="instrument",
        data={"name": "激光共聚焦显微镜", "category": "光学仪器", "price": Decimal("200"), "unit": "元/小时"},
    )
    todo = tasks(client, olivia)
    assert todo["待审核的创新券合同"][0] == 2
    assert rows_linking(client, todo["待审核的创新券合同"][1], r'href="/vouchers/contracts/(\d+)/"') == 2
    count, url, _ = todo["待审核的仪器和服务条目"]
    assert count == 1 and url == reverse("catalog:review")
    assert rows_linking(client, url, r'href="/catalog/review/(\w+/\d+)/"') == 1
    for _label, (_, url, _) in todo.items():
        assert resolve(url.split("?")[0].split("#")[0])  # every link leads to a page


def test_the_operators_proofs_and_the_centres_redemptions_match_the_work_queue(
    client, issued, alice, olivia, cecilia, ivan_lab
):
    use = settlement.voucher_pay(voucher=issued, by=alice, idempotency_key=uuid.uuid4().hex)
    for kind, amount in ((ProofKind.INVOICE, "40000"), (ProofKind.BANK_RECEIPT, "40000"), (ProofKind.RESULT, None)):
        settlement.proof_upload(use=use, by=alice, kind=kind, upload=factories.pdf_upload(), amount=amount)
    settlement.proof_submit(use=use, by=alice)
    assert tasks(client, olivia)["待审核的使用证明"][0] == 1
    assert issued.number in client.get(reverse("vouchers:queue")).content.decode()

    settlement.proof_review(use=use, by=olivia, approve=True)
    issued.refresh_from_db()
    assert tasks(client, ivan_lab)["可申请兑付的创新券"][0] == 1  # the lab holds the 服务券
    redemption = settlement.redemption_request(by=ivan_lab, vouchers=[issued], mode=RedemptionMode.INSTANT)
    assert tasks(client, olivia)["待审核的兑付申请"][0] == 1
    settlement.redemption_check(redemption=redemption, by=olivia, approve=True)
    todo = tasks(client, cecilia)
    assert todo["待确认的兑付申请"][0] == 1
    assert redemption.number in client.get(todo["待确认的兑付申请"][1]).content.decode()
    settlement.redemption_confirm(redemption=redemption, by=cecilia)
    assert tasks(client, cecilia)["已确认、待纳入拨付批次的兑付"][0] == 1


def test_the_expert_home_lists_its_review_queue(client, eve):
    client.force_login(eve)
    body = client.get("/").content.decode()
    assert "待评审的机构入库申请" in body  # an empty queue is shown among the links


# --- Applicants and institutions ---------------------------------------------------------------


def test_alice_sees_her_returned_contract_a_booking_ready_for_a_voucher_and_her_balance(
    client, issued, alice, bob, ivan_lab, mallory
):
    returned = submitted(alice, ivan_lab)
    contract_services.contract_review(contract=returned, by=bob, approve=False, note="请补充盖章页")
    factories.accepted_booking(alice, ivan_lab, price="1000")
    todo = tasks(client, alice)
    count, url, _ = todo["被退回待修改的合同"]
    assert count == 1 and url == reverse("vouchers:contracts") + "?status=returned"
    assert rows_linking(client, url, r'href="/vouchers/contracts/(\d+)/"') == 1
    count, url, _ = todo["已受理、可申领创新券的预约"]
    assert count == 1
    assert todo["待使用的创新券"][0] == 1
    body = client.get("/").content.decode()
    assert "创新券余额" in body and "20,000.00 元" in body
    assert "年度额度" in body
    # Mallory, an unrelated enterprise, sees none of it.
    other = tasks(client, mallory)
    assert "被退回待修改的合同" not in other and "待使用的创新券" not in other
    assert "20,000.00" not in client.get("/").content.decode()


def test_a_voucher_close_to_expiry_is_flagged(client, issued, alice, monkeypatch):
    later = timezone.now() + dt.timedelta(days=350)  # valid 365 days, warned 30 days ahead
    monkeypatch.setattr(timezone, "now", lambda: later)
    count, _, rest = tasks(client, alice)["待使用的创新券"]
    assert count == 1 and "30 天内到期 1" in rest


def test_the_institution_sees_bookings_to_accept_matching_its_booking_list(client, policy, alice, ivan_lab):
    service = factories.approved_item(ivan_lab, kind="service")
    for _ in range(2):
        catalog_services.booking_request_quantity(item=service, by=alice, quantity=Decimal("1"))
    count, url, _ = tasks(client, ivan_lab)["待受理的预约"]
    assert count == 2 and url == reverse("catalog:bookings") + "?status=requested"
    assert rows_linking(client, url, r'href="/catalog/bookings/(\d+)/"') == 2


# --- Outsiders and cost ---------------------------------------------------------------------------


def test_anonymous_visitors_get_the_landing_page_without_any_private_count(client, policy, alice, ivan_lab):
    submitted(alice, ivan_lab)
    body = client.get("/").content.decode()
    assert "待办事项" not in body and "todo-item" not in body
    assert 'action="/map/"' in body and "服务机构" in body and "拨付公示" in body


def test_a_home_costs_the_same_queries_however_long_its_queue(client, policy, alice, bob, ivan_lab):
    submitted(alice, ivan_lab)
    client.force_login(bob)
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for _ in range(3):
        submitted(alice, ivan_lab)
    with CaptureQueriesContext(connection) as four:
        client.get("/")
    assert tasks(client)["待审核的创新券合同"][0] == 4
    assert len(four) == len(one) and len(one) < 40


@pytest.mark.parametrize("persona", ["alice", "bob", "olivia", "cecilia", "eve", "ivan_lab"])
def test_every_role_home_opens_and_every_link_resolves(client, policy, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    for href in re.findall(r'<a class="card[^"]*" href="([^"]+)"', response.content.decode()):
        assert resolve(href.split("?")[0].split("#")[0])
