"""Contracts through the API: open, pre-check, submit, three-level review, voucher issue."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts.models import Organisation
from notifications.tasks import send_email
from tests import factories
from vouchers import ledger
from vouchers.contracts import services
from vouchers.models import Contract, ContractStatus, IntegrityRecord, LedgerEntry, Voucher, VoucherStatus

pytestmark = pytest.mark.django_db


def review(api_as, user, contract, decision="approve", note=""):
    return api_as(user).post(
        f"/api/contracts/{contract.pk}/review/", {"decision": decision, "note": note}, format="json"
    )


def rule(contract, code):
    contract.refresh_from_db()
    return next(r for r in contract.precheck if r["code"] == code)


def test_the_whole_chain_through_the_api_issues_a_voucher(api_as, policy, alice, ivan_lab, bob, olivia, cecilia):
    booking = factories.accepted_booking(alice, ivan_lab, price="20000", quantity="2")
    client = api_as(alice)
    opened = client.post("/api/contracts/", {"booking": booking.pk}, format="json")
    assert opened.status_code == 201, opened.json()
    body = opened.json()
    cid = body["id"]
    assert body["amount"] == "40000.00" and body["voucher_amount"] == "20000.00"
    assert body["number"].startswith("NXHT") and body["status"] == "draft"
    assert client.post(f"/api/contracts/{cid}/submit/").status_code == 400  # no pledge, no scan
    assert client.post(f"/api/contracts/{cid}/pledge/").status_code == 200
    scan = client.post(f"/api/contracts/{cid}/scan/", {"file": factories.pdf_upload("signed.pdf")}, format="multipart")
    assert scan.status_code == 200 and scan.json()["has_signed_scan"]
    submitted = api_as(alice).post(f"/api/contracts/{cid}/submit/")
    assert submitted.status_code == 200, submitted.json()
    from vouchers.models import Contract

    contract = Contract.objects.get(pk=cid)
    assert review(api_as, bob, contract).json()["status"] == "at_operator"
    assert review(api_as, olivia, contract).json()["status"] == "at_centre"
    final = review(api_as, cecilia, contract, note="同意发券")
    assert final.json()["status"] == "approved" and final.json()["voucher"].startswith("NXCXQ")
    voucher = Voucher.objects.get(contract=contract)
    assert voucher.face_value == Decimal("20000.00") and voucher.status == VoucherStatus.ISSUED
    assert voucher.holder == alice.organisation and voucher.valid_until.year >= voucher.issued_at.year
    # The history names each actor's organisation and role; login names only for the centre.
    events = [
        (e["actor"], e["actor_username"], e["from_status"], e["to_status"])
        for e in api_as(alice).get(f"/api/contracts/{cid}/events/").json()
    ]
    assert events == [
        (f"{alice.organisation.name}（创新主体）", None, "draft", "at_bureau"),
        (f"{bob.organisation.name}（推荐部门）", None, "at_bureau", "at_operator"),
        (f"{olivia.organisation.name}（运营单位）", None, "at_operator", "at_centre"),
        (f"{cecilia.organisation.name}（创业中心）", None, "at_centre", "approved"),
    ]
    seen_by_centre = api_as(cecilia).get(f"/api/contracts/{cid}/events/").json()
    assert [e["actor_username"] for e in seen_by_centre] == ["alice", "bob", "olivia", "cecilia"]
    vouchers = api_as(alice).get("/api/vouchers/").json()["results"]
    assert vouchers[0]["number"] == voucher.number and vouchers[0]["balance"] == "20000.00"
    assert ledger.received_this_year(alice.organisation, policy.year) == Decimal("20000.00")


def test_every_transition_notifies_the_parties_in_the_inbox_and_by_mail(contract, alice, bob, olivia, cecilia):
    services.contract_submit(contract=contract, by=alice)
    assert bob.notifications.filter(title__contains=contract.number).exists()
    services.contract_review(contract=contract, by=bob, approve=True)
    assert olivia.notifications.filter(title__contains=contract.number).exists()
    services.contract_review(contract=contract, by=olivia, approve=True)
    services.contract_review(contract=contract, by=cecilia, approve=True)
    titles = list(alice.notifications.values_list("title", flat=True))
    assert any("推荐部门" in t for t in titles) and any("创新券已生成" in t for t in titles)


def test_mail_is_queued_with_the_change_for_the_worker(contract, alice, bob):
    services.contract_submit(contract=contract, by=alice)
    (notice,) = bob.notifications.all()
    (job,) = ProcrastinateJob.objects.filter(task_name="notifications.send_email", args={"notification_id": notice.pk})
    assert mail.outbox == []
    send_email(**job.args)  # what the worker runs (tests/notifications runs the real worker)
    assert any(contract.number in m.subject for m in mail.outbox)


# --- Pre-check rules ----------------------------------------------------------------------


def test_a_clean_contract_passes_every_rule(contract):
    assert all(r["ok"] for r in contract.precheck), contract.precheck


def test_an_uncertified_applicant_fails_the_certification_rule(contract, alice):
    Organisation.objects.filter(pk=alice.organisation_id).update(status="returned")
    contract = services.contract_update(contract=contract, by=alice, data={})
    assert not rule(contract, "applicant_certified")["ok"]


def test_a_suspended_institution_fails_the_listing_rule(contract, alice, ivan_lab):
    Organisation.objects.filter(pk=ivan_lab.organisation_id).update(status="suspended")
    services.contract_update(contract=contract, by=alice, data={})
    assert not rule(contract, "institution_listed")["ok"]


def test_a_category_outside_the_chosen_use_fails_the_scope_rule(contract, alice):
    services.contract_update(contract=contract, by=alice, data={"scope": "incubation"})
    assert not rule(contract, "scope")["ok"]
    services.contract_update(contract=contract, by=alice, data={"scope": "testing"})
    assert rule(contract, "scope")["ok"]


def test_buying_technology_for_half_a_million_or_more_is_out_of_scope(contract, alice):
    services.contract_update(
        contract=contract,
        by=alice,
        data={"scope": "tech_purchase", "category": "技术成果购买", "amount": Decimal("500000")},
    )
    assert not rule(contract, "scope")["ok"]
    services.contract_update(contract=contract, by=alice, data={"amount": Decimal("499999")})
    assert rule(contract, "scope")["ok"]


@pytest.mark.parametrize(
    "change,reason",
    [({"mandatory_testing": True}, "强制性"), ({"other_public_funding": True}, "财政资金")],
)
def test_declared_exclusions_fail_the_exclusion_rule(contract, alice, change, reason):
    services.contract_update(contract=contract, by=alice, data=change)
    failed = rule(contract, "not_excluded")
    assert not failed["ok"] and reason in failed["message"]


def test_a_service_not_eligible_for_vouchers_is_excluded(policy, alice, ivan_lab):
    """Its booking is an ordinary order: no contract is opened from it, with the reason."""
    booking = factories.accepted_booking(
        alice, ivan_lab, price="1000", voucher_eligible=False, name="强制性产品认证检验"
    )
    with pytest.raises(ValidationError, match="不在创新券支持范围"):
        services.contract_open_from_booking(booking=booking, by=alice)
    assert not Contract.objects.filter(booking=booking).exists()


@pytest.mark.parametrize(
    "field,value",
    [("contact_phone", "0951-8888888"), ("legal_representative", "马明"), ("contact_email", "same@example.com")],
)
def test_related_parties_are_excluded(contract, alice, ivan_lab, field, value):
    Organisation.objects.filter(pk__in=[alice.organisation_id, ivan_lab.organisation_id]).update(**{field: value})
    services.contract_update(contract=contract, by=alice, data={})
    failed = rule(contract, "not_excluded")
    assert not failed["ok"] and "关联交易" in failed["message"]


def test_a_zero_amount_fails(contract, alice):
    services.contract_update(contract=contract, by=alice, data={"amount": Decimal("0")})
    assert not rule(contract, "amount_positive")["ok"]


def test_no_cap_left_fails(contract, alice, olivia):
    from vouchers.models import LedgerAccount, LedgerKind

    LedgerEntry.objects.create(
        kind=LedgerKind.ISSUE,
        account=LedgerAccount.APPLICANT_CAP,
        amount=Decimal("200000"),
        year=contract.policy.year,
        organisation=alice.organisation,
    )
    services.contract_update(contract=contract, by=alice, data={})
    assert not rule(contract, "cap_left")["ok"]
    contract.refresh_from_db()
    assert contract.voucher_amount == 0


def test_a_blacklisted_party_fails_and_a_lifted_record_passes(contract, alice, cecilia):
    from django.utils import timezone

    record = IntegrityRecord.objects.create(organisation=alice.organisation, reason="虚构服务项目", created_by=cecilia)
    services.contract_update(contract=contract, by=alice, data={})
    assert not rule(contract, "integrity")["ok"]
    IntegrityRecord.objects.filter(pk=record.pk).update(lifted_at=timezone.now(), lifted_note="已整改")
    services.contract_update(contract=contract, by=alice, data={})
    assert rule(contract, "integrity")["ok"]


def test_split_contracts_are_flagged_for_reviewers_but_not_refused(policy, alice, ivan_lab, bob):
    first = factories.ready_contract(alice, ivan_lab, price="30000", quantity="3")  # 90,000
    services.contract_submit(contract=first, by=alice)
    second = factories.ready_contract(alice, ivan_lab, price="30000", quantity="1")  # 30,000 → sum 120,000
    flag = rule(second, "split")
    assert not flag["ok"] and not flag["blocking"] and "100,000" in flag["message"]
    submitted = services.contract_submit(contract=second, by=alice)
    assert submitted.status == ContractStatus.AT_BUREAU and submitted.split_suspected


def test_submission_is_blocked_while_a_blocking_rule_fails(contract, alice, api_as):
    services.contract_update(contract=contract, by=alice, data={"mandatory_testing": True})
    response = api_as(alice).post(f"/api/contracts/{contract.pk}/submit/")
    assert response.status_code == 400 and "强制性" in response.json()["detail"]
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def test_a_renamed_executable_is_refused_as_the_signed_scan(policy, alice, ivan_lab, api_as):
    booking = factories.accepted_booking(alice, ivan_lab, price="1000")
    cid = api_as(alice).post("/api/contracts/", {"booking": booking.pk}, format="json").json()["id"]
    response = api_as(alice).post(
        f"/api/contracts/{cid}/scan/", {"file": factories.fake_pdf_executable()}, format="multipart"
    )
    assert response.status_code == 400
    from vouchers.models import Contract

    assert not Contract.objects.get(pk=cid).signed_scan


# --- Review chain -------------------------------------------------------------------------


def test_returned_contracts_can_be_resubmitted_up_to_the_policy_limit(contract, alice, bob, policy):
    assert policy.resubmissions_allowed == 2
    services.contract_submit(contract=contract, by=alice)
    for _ in range(2):
        services.contract_review(contract=contract, by=bob, approve=False, note="请补充检测方案")
        services.contract_submit(contract=contract, by=alice)
    services.contract_review(contract=contract, by=bob, approve=False, note="仍不完整")
    with pytest.raises(Exception, match="重新提交次数"):
        services.contract_submit(contract=contract, by=alice)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.RETURNED and contract.resubmissions == 2


def test_returning_needs_a_reason(contract, alice, bob, api_as):
    services.contract_submit(contract=contract, by=alice)
    assert review(api_as, bob, contract, decision="return").status_code == 400


def test_a_level_cannot_act_out_of_turn(contract, alice, bob, olivia, cecilia, api_as):
    services.contract_submit(contract=contract, by=alice)
    assert review(api_as, olivia, contract).status_code == 403
    assert review(api_as, cecilia, contract).status_code == 403
    services.contract_review(contract=contract, by=bob, approve=True)
    assert review(api_as, bob, contract).status_code == 403  # already past the bureau
    assert review(api_as, cecilia, contract).status_code == 403
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AT_OPERATOR


def test_another_countys_bureau_neither_sees_nor_reviews(contract, alice, charlie, api_as):
    services.contract_submit(contract=contract, by=alice)
    assert api_as(charlie).get(f"/api/contracts/{contract.pk}/").status_code == 404
    assert review(api_as, charlie, contract).status_code == 404
    assert api_as(charlie).get("/api/contracts/").json()["count"] == 0


def test_outsiders_are_refused_on_every_contract_endpoint(contract, mallory, api_as):
    client = api_as(mallory)
    base = f"/api/contracts/{contract.pk}/"
    assert client.get(base).status_code == 404
    assert client.patch(base, {"amount": "1"}, format="json").status_code == 404
    for action in ("submit/", "pledge/", "review/", "events/", "pdf/"):
        method = client.get if action in ("events/", "pdf/") else client.post
        assert method(base + action).status_code == 404, action
    assert client.get("/api/vouchers/").json()["count"] == 0


def test_an_enterprise_cannot_open_a_contract_for_someone_elses_booking(policy, alice, mallory, ivan_lab, api_as):
    booking = factories.accepted_booking(alice, ivan_lab, price="1000")
    assert api_as(mallory).post("/api/contracts/", {"booking": booking.pk}, format="json").status_code == 403


def test_a_requested_booking_cannot_become_a_contract(policy, alice, ivan_lab, olivia, api_as):
    from catalog import services as catalog_services

    service = factories.approved_item(ivan_lab, kind="service", operator=olivia)
    booking = catalog_services.booking_request_quantity(item=service, by=alice, quantity=Decimal("1"))
    response = api_as(alice).post("/api/contracts/", {"booking": booking.pk}, format="json")
    assert response.status_code == 400 and "接受" in response.json()["detail"]


def test_an_offline_agreement_needs_a_listed_institution_and_every_field(policy, alice, ivan_lab, api_as):
    payload = {
        "institution": ivan_lab.organisation_id,
        "title": "新材料工艺设计",
        "content": "设计服务",
        "scope": "testing",
        "category": "设计",
        "amount": "80000",
        "signed_on": "2026-11-20",
        "service_start": "2026-11-21",
        "service_end": "2026-12-31",
    }
    created = api_as(alice).post("/api/contracts/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["voucher_amount"] == "40000.00"
    bad = api_as(alice).post("/api/contracts/", {**payload, "service_end": "2026-11-01"}, format="json")
    assert bad.status_code == 400
    missing = api_as(alice).post("/api/contracts/", {"institution": ivan_lab.organisation_id}, format="json")
    assert missing.status_code == 400 and "amount" in missing.json()


@pytest.mark.parametrize(
    "payload", [{"amount": "-1"}, {"amount": "abc"}, {"scope": "gift"}, {"signed_on": "yesterday"}]
)
def test_bad_edits_are_refused_and_change_nothing(contract, alice, api_as, payload):
    before = contract.amount
    assert api_as(alice).patch(f"/api/contracts/{contract.pk}/", payload, format="json").status_code == 400
    contract.refresh_from_db()
    assert contract.amount == before


def test_a_submitted_contract_cannot_be_edited(contract, alice, api_as):
    services.contract_submit(contract=contract, by=alice)
    assert api_as(alice).patch(f"/api/contracts/{contract.pk}/", {"amount": "1"}, format="json").status_code == 400


def test_a_scheme_without_review_issues_at_submission_from_the_claimed_entitlement(db, alice, ivan_lab):
    from vouchers.entitlements import services as entitlements
    from vouchers.policies.presets import install_preset

    # Zhejiang's claims without its use registration: the platform contract is the way in.
    policy = install_preset(key="zhejiang", year=factories.ningxia_policy().year)
    policy.use_registration = False
    policy.save()
    contract = factories.ready_contract(alice, ivan_lab, price="1000", quantity="3")
    with pytest.raises(ValidationError, match="请先申领"):
        services.contract_submit(contract=contract, by=alice)
    entitlements.claim_amount(by=alice, amount="1000")
    services.contract_submit(contract=contract, by=alice)
    # Half of 3,000 is 1,500, but only the 1,000 claimed is there to use.
    assert Voucher.objects.get(contract=contract).face_value == Decimal("1000.00")
    assert ledger.entitlement_left(alice.organisation, contract.policy.year) == 0


# --- Policies -------------------------------------------------------------------------------


def test_policies_are_readable_by_all_and_written_by_the_centre(policy, client, api_as, alice, cecilia):
    assert client.get("/api/policies/").status_code == 200
    assert (
        api_as(alice).patch(f"/api/policies/{policy.pk}/", {"cap_individual": "60000"}, format="json").status_code
        == 403
    )
    ok = api_as(cecilia).patch(f"/api/policies/{policy.pk}/", {"cap_individual": "60000"}, format="json")
    assert ok.status_code == 200 and ok.json()["cap_individual"] == "60000.00"


@pytest.mark.parametrize(
    "tiers",
    [
        [],
        [["100000", "1.5"], [None, "0.1"]],
        [["500000", "0.5"], ["100000", "0.3"], [None, "0.1"]],
        [["100000", "0.5"]],
    ],
)
def test_bad_tier_tables_are_refused(policy, api_as, cecilia, tiers):
    response = api_as(cecilia).patch(f"/api/policies/{policy.pk}/", {"tiers": tiers}, format="json")
    assert response.status_code == 400
    policy.refresh_from_db()
    assert policy.tiers[0] == ["100000", "0.50"]


# --- Concurrency ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_racing_final_approvals_never_take_the_applicant_past_the_cap(ningxia):
    """Two 600,000-yuan contracts (185,000 each by the tiers) approved at the same moment:
    the applicant may receive 200,000 in all, not 370,000."""
    factories.ningxia_policy()
    alice = factories.applicant_user(username="alice", adcode=640104)
    bob = factories.bureau_user(username="bob", adcode=640104)
    olivia = factories.staff_user(username="olivia", kind="operator")
    cecilia = factories.staff_user(username="cecilia", kind="centre")
    lab = factories.listed_institution(username="lab")
    contracts = []
    for _ in range(2):
        c = factories.ready_contract(alice, lab, price="300000", quantity="2", operator=olivia)
        c = services.contract_submit(contract=c, by=alice)
        c = services.contract_review(contract=c, by=bob, approve=True)
        contracts.append(services.contract_review(contract=c, by=olivia, approve=True))

    barrier = threading.Barrier(2)
    errors = []

    def approve(c):
        try:
            barrier.wait()
            services.contract_review(contract=c, by=cecilia, approve=True)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(c,)) for c in contracts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = sum(v.face_value for v in Voucher.objects.filter(enterprise=alice.organisation))
    assert total == Decimal("200000.00"), (total, errors)
    assert sorted(v.face_value for v in Voucher.objects.all()) == [Decimal("15000.00"), Decimal("185000.00")]
    assert ledger.received_this_year(alice.organisation, contracts[0].policy.year) == Decimal("200000.00")


def test_ledger_entries_cannot_be_changed_or_deleted(contract, alice, bob, olivia, cecilia):
    from django.db import DatabaseError, transaction

    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    entry = LedgerEntry.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1"))
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()


def test_a_service_ending_after_the_vouchers_validity_is_flagged_not_refused(contract, alice, policy):
    """Jiangsu's walk-through: a 40-day service ordered in December ends after the voucher
    (valid to 31 December) would expire; payment waits for the service, so say it before
    submitting — without refusing, since the dates may still move."""
    import datetime as dt

    policy.valid_to_year_end = True
    policy.save()
    year_end = dt.date(policy.year, 12, 31)
    services.contract_update(
        contract=contract, by=alice, data={"service_start": year_end, "service_end": year_end + dt.timedelta(days=16)}
    )
    late = rule(contract, "within_validity")
    assert not late["ok"] and not late["blocking"] and f"晚于创新券有效期 {year_end:%Y-%m-%d}" in late["message"]
    services.contract_update(contract=contract, by=alice, data={"service_end": year_end})
    assert rule(contract, "within_validity")["ok"]
