"""The demo's two years of voucher activity in each seed province (``demo.activity``): walked
through the real services, so the ledger holds, nothing is dated in the future, every stage
of the scheme is reached and every role's queue holds something.

Each province's load takes about a minute; Ningxia's is checked by ``test_demo_data`` (which
loads it anyway), the other three here."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import CertStatus, Organisation, OrgKind, User
from catalog.models import Booking
from demo.activity import frozen_now
from demo.loader import PROVINCE_DATA
from vouchers import ledger
from vouchers.models import (
    BatchItem,
    BatchItemStatus,
    BatchKind,
    BatchStatus,
    ClaimStatus,
    Contract,
    ContractStatus,
    EntitlementClaim,
    LedgerAccount,
    LedgerEntry,
    LedgerKind,
    Objection,
    ObjectionStatus,
    PayeeChoice,
    PayoutBatch,
    PayoutBatchEvent,
    PayoutCycle,
    Policy,
    ProjectRegistration,
    ProjectStatus,
    Proof,
    ProofKind,
    ProofStatus,
    Redemption,
    RedemptionItem,
    RedemptionStatus,
    Voucher,
    VoucherStatus,
    VoucherUse,
)
from vouchers.policies.presets import PRESETS

pytestmark = pytest.mark.django_db

APPLICANT_KINDS = (OrgKind.ENTERPRISE, OrgKind.SOCIAL_ORG, OrgKind.INDIVIDUAL)


def check_activity(adcode: int) -> None:
    """What the loaded demo of ``adcode`` must hold (the README's "Other provinces")."""
    key = PROVINCE_DATA[adcode][1]
    scheme = PRESETS[key]
    now, today = timezone.now(), timezone.localdate()

    # The services kept the books: every invariant of the ledger holds.
    assert ledger.ledger_problems() == []

    # Two years of activity: contracts in at least 12 months, nothing dated after now, each
    # year's policy and budget published.
    months = {timezone.localtime(at).strftime("%Y-%m") for at in Contract.objects.values_list("created_at", flat=True)}
    assert len(months) >= 12, months
    for model, name in (
        (Booking, "created_at"),
        (Contract, "created_at"),
        (Voucher, "issued_at"),
        (VoucherUse, "paid_at"),
        (Redemption, "submitted_at"),
        (PayoutBatch, "created_at"),
        (LedgerEntry, "at"),
    ):
        assert not model.objects.filter(**{f"{name}__gt": now}).exists(), (model.__name__, name)
    years = set(Contract.objects.values_list("policy__year", flat=True)) | set(
        PayoutBatch.objects.values_list("year", flat=True)
    )
    assert len(years) >= 2
    for year in years:
        assert Policy.objects.filter(year=year, region=None).exists(), year
        assert LedgerEntry.objects.filter(account=LedgerAccount.PROVINCE_BUDGET, year=year, amount__gt=0).exists()
    assert set(Contract.objects.values_list("policy__year", flat=True)) == set(
        Contract.objects.values_list("signed_on__year", flat=True)
    )

    # Dates agree with each other: used after issue and before the validity ends; the daily
    # job expired what was left unused.
    assert not VoucherUse.objects.filter(paid_at__lt=F("voucher__issued_at")).exists()
    assert not VoucherUse.objects.filter(paid_at__date__gt=F("voucher__valid_until")).exists()
    assert not Voucher.objects.filter(status=VoucherStatus.ISSUED, valid_until__lt=today).exists()
    assert not Redemption.objects.filter(submitted_at__lt=F("items__voucher__use__proof_submitted_at")).exists()

    # Spread over the applicants' counties (a voucher belongs to its applicant's county).
    applicant_counties = set(
        Organisation.objects.filter(kind__in=APPLICANT_KINDS, status=CertStatus.CERTIFIED).values_list(
            "region_id", flat=True
        )
    )
    voucher_counties = set(Voucher.objects.values_list("enterprise__region_id", flat=True))
    assert len(voucher_counties) >= 0.8 * len(applicant_counties), (len(voucher_counties), len(applicant_counties))

    # Paid out: paid batch items, redeemed vouchers; the last batch waits on its public
    # notice — except where the local bureau's approval is the payout (Zhejiang): there each
    # approval made a batch of the bureau's own, paid from the bureau's budget.
    assert BatchItem.objects.filter(status=BatchItemStatus.PAID).count() >= 20
    assert Voucher.objects.filter(status=VoucherStatus.REDEEMED).count() >= 20
    assert PayoutBatch.objects.filter(status=BatchStatus.PAID, cycle=scheme["payout_cycle"]).exists()
    if scheme["payout_cycle"] == PayoutCycle.ON_APPROVAL:
        assert not PayoutBatch.objects.filter(region__isnull=True, kind=BatchKind.REDEMPTIONS).exists()
        assert LedgerEntry.objects.filter(account=LedgerAccount.COUNTY_BUDGET, kind=LedgerKind.PAY).exists()
        assert not LedgerEntry.objects.filter(account=LedgerAccount.PROVINCE_BUDGET, voucher__isnull=False).exists()
    else:
        # the latest batch is left on notice — Henan's quarterly summary with its experts
        waiting = BatchStatus.EXPERTS if scheme.get("expert_review") else BatchStatus.NOTICE
        assert PayoutBatch.objects.filter(status=waiting).exists()
        # and the one before it has seen its notice end, for the centre to approve and pay today
        ended = PayoutBatch.objects.filter(status=BatchStatus.NOTICE, notice_until__lt=timezone.localdate())
        assert ended.count() == 1, list(ended.values_list("number", "notice_until"))
        assert Redemption.objects.filter(status=RedemptionStatus.CONFIRMED).exists()  # the next batch's

    # Something in every role's queue.
    enterprise1 = User.objects.get(username="enterprise1").organisation
    if scheme.get("use_registration"):
        # 使用登记 (Zhejiang): one form makes the voucher, uses it and submits the proofs — the
        # enterprise's own contract among them, no stamped scan of a platform contract.
        assert not Voucher.objects.filter(status=VoucherStatus.ISSUED).exists()
        assert not VoucherUse.objects.filter(proof_status=ProofStatus.NONE).exists()
        assert not Contract.objects.exclude(signed_scan="").exists()
        assert not VoucherUse.objects.exclude(proofs__kind="contract").exists()
        assert VoucherUse.objects.filter(voucher__enterprise=enterprise1).exists()  # its 使用记录
    else:
        assert Voucher.objects.filter(enterprise=enterprise1, status=VoucherStatus.ISSUED).exists()  # to use
        assert Contract.objects.filter(enterprise=enterprise1, status=ContractStatus.DRAFT).exists()
        assert VoucherUse.objects.filter(proof_status=ProofStatus.NONE).exists()  # proofs to upload
    for level in scheme["contract_review"]:  # a contract or order at each review level
        assert Contract.objects.filter(status=f"at_{level}").exists(), level
    if scheme["proof_review"]:
        assert VoucherUse.objects.filter(proof_status=ProofStatus.SUBMITTED).exists()  # for the operator
        assert VoucherUse.objects.filter(proof_status=ProofStatus.RETURNED).exists()  # back to the prover
        assert Voucher.objects.filter(status=VoucherStatus.USED, use__proof_status=ProofStatus.APPROVED).exists()
    else:  # proofs checked with the redemption: filed, never reviewed on their own
        assert not VoucherUse.objects.filter(proof_status__in=(ProofStatus.SUBMITTED, ProofStatus.APPROVED)).exists()
        assert Voucher.objects.filter(status=VoucherStatus.USED, use__proof_status=ProofStatus.FILED).exists()
    assert Redemption.objects.filter(status=RedemptionStatus.SUBMITTED).exists()  # the first level's
    # enterprise1's own, whatever the day and hour of the load (the README names its reviewer)
    assert Redemption.objects.filter(status=RedemptionStatus.SUBMITTED, items__voucher__enterprise=enterprise1).exists()
    assert VoucherUse.objects.filter(rating__is_default=False).exists()

    # The scheme's own steps (SPEC §10).
    paid_to = set(
        LedgerEntry.objects.filter(account=LedgerAccount.PAID, amount__gt=0).values_list(
            "organisation__kind", flat=True
        )
    )
    provers = set(Proof.objects.values_list("uploaded_by__organisation__kind", flat=True))
    if key == "ningxia":
        assert Redemption.objects.filter(status=RedemptionStatus.CHECKED).exists()  # for the centre
        assert Objection.objects.filter(status=ObjectionStatus.OPEN, item__batch__status=BatchStatus.NOTICE).exists()
        assert OrgKind.INSTITUTION in paid_to and provers <= set(APPLICANT_KINDS)
        assert Contract.objects.filter(enterprise=enterprise1, status=ContractStatus.RETURNED).exists()
    if key == "henan":
        assert paid_to == {OrgKind.INSTITUTION} and provers == {OrgKind.INSTITUTION}
        assert not Proof.objects.filter(kind=ProofKind.BANK_RECEIPT).exists()  # not asked of the institution
        assert Contract.objects.filter(status=ContractStatus.ORDINARY).exists()
        assert ProjectRegistration.objects.filter(status=ProjectStatus.SUBMITTED).exists()  # for the platform
        paid = PayoutBatch.objects.filter(status=BatchStatus.PAID).first()
        steps = set(PayoutBatchEvent.objects.filter(batch=paid).values_list("to_status", flat=True))
        assert {BatchStatus.EXPERTS, BatchStatus.REVIEWED, BatchStatus.CONFIRMED, BatchStatus.NOTICE} <= steps
        # the last quarter's summary waits for an expert's opinion: the rest is left to walk
        assert PayoutBatch.objects.filter(status=BatchStatus.EXPERTS).exists()
    if key == "jiangsu":
        assert paid_to <= set(APPLICANT_KINDS)  # paid to the enterprise, which paid in full
        assert EntitlementClaim.objects.filter(status=ClaimStatus.SUBMITTED).exists()  # for its bureau
        # Each application carries the type's fields, the financial report and the stamped 信息表.
        claims = EntitlementClaim.objects.all()
        assert claims.exists() and not claims.filter(Q(financial_report="") | Q(stamped_form="")).exists()
        assert not claims.exclude(form__has_keys=["kind", "revenue", "qualification_number"]).exists()
        # The founding date is the enterprise's record's, and the application printed that one.
        enterprises = Organisation.objects.filter(kind=OrgKind.ENTERPRISE)
        assert enterprises.exists() and not enterprises.filter(founded_on__isnull=True).exists()
        for claim in claims.select_related("organisation"):
            assert claim.form["founded_on"] == claim.organisation.founded_on.isoformat()
        assert RedemptionItem.objects.filter(approved_contract_amount__lt=F("voucher__contract__amount")).exists()
        assert not VoucherUse.objects.exclude(cash_paid=F("price")).exists()
    if key == "zhejiang":
        assert paid_to >= {OrgKind.INSTITUTION} and paid_to & set(APPLICANT_KINDS)  # both payee choices
        assert VoucherUse.objects.filter(
            payee_choice=PayeeChoice.ENTERPRISE, institution_confirmed_at__isnull=True
        ).exists()  # for the institution to confirm
        claims = EntitlementClaim.objects.filter(status=ClaimStatus.GRANTED).values("organisation", "year")
        assert claims.annotate(n=Count("id")).filter(n__gte=2).exists()  # claimed again when an order needed more
        # Each use registered after a booked service names its booking (one booking, one use).
        assert Contract.objects.exists() and not Contract.objects.filter(booking__isnull=True).exists()


def test_the_demo_walks_two_years_of_the_provinces_scheme(other_province, settings):
    settings.PLATFORM_PROVINCE = other_province
    call_command("demo_data", "--commit", stdout=io.StringIO())
    check_activity(other_province)


def test_the_clock_is_the_steps_inside_and_the_real_one_after_even_on_error():
    moment = timezone.make_aware(dt.datetime(2025, 3, 3, 9, 30))
    with frozen_now(moment):
        assert timezone.now() == moment and timezone.localdate() == dt.date(2025, 3, 3)
    assert timezone.now() > moment + dt.timedelta(days=365)
    with pytest.raises(ValueError), frozen_now(moment):
        raise ValueError
    assert timezone.now() > moment + dt.timedelta(days=365)
