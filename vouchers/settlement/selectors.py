"""Reads for the settlement pages (SPEC §5.3–5.4), scoped to what the viewer may see.

Who sees what:
- a voucher's use and its proof files: the applicant, the payee, the operator and the centre;
- redemptions: the payee, the operator and the centre, and a bureau for payees registered in
  its region (read only);
- payout batches, the work queue and the budget: the operator and the centre (the budget the
  centre only; the views check the role);
- batches on public notice (公示): any signed-in user, with public facts only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import lazy

from accounts.actors import role_name
from accounts.models import Role
from accounts.permissions import is_authority_for
from accounts.selectors import authority_q, bureau_region_ids
from catalog.models import Rating
from vouchers.ledger import BudgetLine, BudgetSummary, budget_summary, voucher_value
from vouchers.models import (
    ACTIVE_ITEM_STATUSES,
    PROOFS_READY,
    BatchItem,
    BatchItemStatus,
    BatchStatus,
    LedgerAccount,
    LedgerEntry,
    Objection,
    ObjectionStatus,
    PayeeChoice,
    PayeeRule,
    PayoutBatch,
    PayoutBatchEvent,
    Proof,
    ProofStatus,
    Redemption,
    RedemptionItem,
    RedemptionStatus,
    Reviewer,
    Voucher,
    VoucherStatus,
    VoucherUse,
)
from vouchers.permissions import ALL_BUDGETS, vouchers_visible_to
from vouchers.policies.records import province_policy

STAFF_ROLES = (Role.OPERATOR, Role.CENTRE)
PAYEE_ROLES = (Role.APPLICANT, Role.INSTITUTION)
ZERO = Decimal("0")


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.organisation_id is not None


# --- Paying with a voucher and its use ------------------------------------------------------


@dataclass(frozen=True)
class PaymentPreview:
    """What paying with a voucher comes to: the pay page shows it before the applicant
    confirms, and ``settlement.voucher_pay`` pays exactly this (read again under its lock).

    Who is paid is the scheme's ``payee_rule``: the institution when it is in the region
    (Ningxia; out-of-region services are paid in full and the enterprise redeems), always
    the institution (Henan), always the enterprise (Jiangsu), or the enterprise's choice per
    use (Zhejiang: 载体兑付 — the voucher is deducted and the institution redeems; 企业兑付 —
    paid in full, the enterprise redeems once the institution confirms the use)."""

    price: Decimal
    value: Decimal
    applied: Decimal
    cash: Decimal
    in_region: bool  # the voucher passes to the institution, which redeems it
    payee_name: str
    payee: object = None
    choice: str = ""
    choices: tuple = ()

    @property
    def deducts(self) -> bool:
        """The voucher is deducted from the fee here (or the enterprise chooses whether)."""
        return self.in_region or bool(self.choices)

    @property
    def action(self) -> str:
        """The step's name: 用券支付 where the voucher is deducted (or the enterprise chooses),
        支付服务费 where the enterprise pays the whole fee and redeems later (Jiangsu; Ningxia's
        out-of-region institutions). The pay page and the order's next step say this."""
        return "用券支付" if self.deducts else "支付服务费"


PAYEE_CHOICES = tuple(PayeeChoice)


def payee_choice_error(policy, choice: str) -> str | None:
    """Why ``choice`` is not a payee choice of the scheme (None when it is fine)."""
    if policy.payee_rule == PayeeRule.CHOSEN:
        if choice not in PayeeChoice.values:
            return "请选择兑付方式：企业兑付或载体兑付。"
        return None
    if choice:
        return "本年度方案不提供兑付方式选择，兑付对象由方案确定。"
    return None


def payment_preview(voucher: Voucher, choice: str = "") -> PaymentPreview:
    contract = voucher.contract
    org = voucher.institution.organisation
    policy = contract.policy
    value = voucher_value(voucher)
    applied = min(value, contract.amount)
    rule = policy.payee_rule
    if rule == PayeeRule.CHOSEN:
        to_institution = choice != PayeeChoice.ENTERPRISE
    else:
        to_institution = {
            PayeeRule.IN_REGION: org.in_region,
            PayeeRule.INSTITUTION: True,
            PayeeRule.ENTERPRISE: False,
        }[rule]
    payee = org if to_institution else voucher.enterprise
    return PaymentPreview(
        price=contract.amount,
        value=value,
        applied=applied,
        cash=contract.amount - applied if to_institution else contract.amount,
        in_region=to_institution,
        payee_name=payee.name,
        payee=payee,
        choice=choice if rule == PayeeRule.CHOSEN else "",
        choices=PAYEE_CHOICES if rule == PayeeRule.CHOSEN else (),
    )


def _use_audience_refusal() -> str:
    centre = role_name(Role.CENTRE)
    return f"只有用券双方、运营单位、{centre}和负责兑付审核的科技部门可以查看使用证明。"


# Read when a refusal is shown: the centre in the deployment's words.
USE_AUDIENCE = lazy(_use_audience_refusal, str)()


def use_audience(user, use: VoucherUse) -> bool:
    """The voucher's parties (applicant, payee, institution) and the operator and centre;
    where the scheme's redemption review has the bureau's level (Jiangsu, Zhejiang), the
    bureau of the applicant's region too — it checks the proofs with the redemption."""
    if not _signed_in(user):
        return False
    if user.role in STAFF_ROLES:
        return True
    if user.role == Role.BUREAU:
        voucher = use.voucher
        return Reviewer.BUREAU in (voucher.contract.policy.redemption_review or []) and is_authority_for(
            user, voucher.enterprise
        )
    # The institution that gave the service too: it confirms enterprise-redeemed uses
    # (企业兑付) and, where the scheme says so, uploads the proofs.
    return user.organisation_id in (use.voucher.enterprise_id, use.payee_id, use.voucher.institution.organisation_id)


def get_use_for_user(user, voucher_pk: int) -> tuple[Voucher, VoucherUse | None]:
    """(voucher, its use or None). 404 when the voucher is invisible to ``user``; the view
    decides what a visible voucher without a use, or a non-party, gets."""
    voucher = get_object_or_404(
        vouchers_visible_to(user).select_related("contract__booking", "institution__organisation"),
        pk=voucher_pk,
    )
    use = VoucherUse.objects.select_related("payee", "paid_by").filter(voucher=voucher).first()
    return voucher, use


def get_proof_for_user(user, proof_pk: int) -> Proof:
    """A proof file for the voucher's parties and the operator/centre; 404 for anyone else."""
    proof = get_object_or_404(Proof.objects.select_related("use__voucher"), pk=proof_pk)
    if not use_audience(user, proof.use):
        raise Http404
    return proof


def use_rating(use: VoucherUse) -> Rating | None:
    """The applicant's rating of the service the voucher paid for: the one linked to the use,
    or — when the enterprise rated the booking on the catalogue's booking page instead — the
    booking's rating."""
    if use.rating_id is not None:
        return use.rating
    contract = use.voucher.contract
    if contract.booking_id:
        return Rating.objects.filter(booking_id=contract.booking_id).first()
    return None


def proof_is_late(use: VoucherUse, today: dt.date | None = None) -> bool:
    """Submitted after the deadline, or not submitted and the deadline has passed."""
    if use.proof_late:
        return True
    today = today or timezone.localdate()
    return use.proof_status in (ProofStatus.NONE, ProofStatus.RETURNED) and today > use.proof_deadline


# --- Redemptions ----------------------------------------------------------------------------


def redemptions_visible_to(user) -> QuerySet[Redemption]:
    qs = Redemption.objects.select_related("payee__region")
    if not _signed_in(user):
        return qs.none()
    role = user.role
    if role in STAFF_ROLES:
        return qs
    if role in PAYEE_ROLES:
        return qs.filter(payee_id=user.organisation_id)
    if role == Role.BUREAU:
        # Redemptions of applicants under its authority (a zone's members, or its region's
        # outside any zone), and a region bureau also those paid to payees in its region.
        under = Redemption.objects.filter(authority_q(user, "items__voucher__enterprise__")).values("pk")
        if user.organisation.is_zone_authority:
            return qs.filter(pk__in=under)
        return qs.filter(Q(payee__region_id__in=bureau_region_ids(user)) | Q(pk__in=under))
    return qs.none()


def get_redemption_for_user(user, pk: int) -> Redemption:
    return get_object_or_404(redemptions_visible_to(user), pk=pk)


def redemption_items(redemption: Redemption, user=None) -> list[RedemptionItem]:
    """The redemption's vouchers, each with ``use``, its ``proofs`` and whether ``user`` may
    see them (``proofs_visible``: the redemption's reviewer checks them here)."""
    items = list(
        redemption.items.select_related(
            "voucher__enterprise",
            "voucher__contract__policy",
            "voucher__use",
            "voucher__institution__organisation",
        )
        .prefetch_related(Prefetch("voucher__use__proofs", queryset=Proof.objects.order_by("kind", "pk")))
        .order_by("pk")
    )
    for item in items:
        item.voucher_use = getattr(item.voucher, "use", None)
        item.proofs_visible = item.voucher_use is not None and use_audience(user, item.voucher_use)
    return items


def redemption_events(redemption: Redemption):
    return redemption.events.select_related("actor__organisation")


def redeemable_vouchers(user) -> QuerySet[Voucher]:
    """The payee's used vouchers whose use proofs are approved (or filed, where the
    redemption's reviewer checks them) and that are not in a
    redemption under way (returned ones go back to ``used`` and may be asked for again)."""
    if not _signed_in(user) or user.role not in PAYEE_ROLES:
        return Voucher.objects.none()
    return (
        Voucher.objects.select_related("enterprise", "contract", "use")
        .filter(
            holder_id=user.organisation_id,
            status=VoucherStatus.USED,
            use__proof_status__in=PROOFS_READY,
        )
        .order_by("issued_at", "pk")
    )


def uses_to_confirm(user) -> QuerySet[VoucherUse]:
    """企业兑付 uses waiting for the user's institution to confirm them (Zhejiang: until it
    does, the enterprise cannot redeem; ``settlement.use_confirm``). The one reading of
    this queue: the home to-do counts it and the voucher list filters and marks its rows
    with it (``/vouchers/?todo=confirm_use``). Nobody else's: empty for other roles."""
    if not _signed_in(user) or user.role != Role.INSTITUTION:
        return VoucherUse.objects.none()
    return VoucherUse.objects.filter(
        voucher__institution__organisation_id=user.organisation_id,
        payee_choice=PayeeChoice.ENTERPRISE,
        institution_confirmed_at__isnull=True,
    )


# The home to-dos the voucher list can show alone (``?todo=``), by the to-do's words.
VOUCHER_TODOS = {"confirm_use": "待确认的企业兑付用券"}


def vouchers_for_todo(vouchers: QuerySet[Voucher], user, todo: str = "") -> tuple[QuerySet[Voucher], str]:
    """``vouchers`` each marked ``to_confirm`` when its use waits for the user's confirmation
    (:func:`uses_to_confirm`); with ``todo="confirm_use"`` (the home to-do's link) only
    those. Returned with the to-do's words when its filter applies ("" otherwise): for a
    user with no such queue the filter leaves nothing, not everything."""
    label = VOUCHER_TODOS.get(todo, "")
    if not _signed_in(user) or user.role != Role.INSTITUTION:
        return (vouchers.none() if label else vouchers), label
    vouchers = vouchers.annotate(to_confirm=Exists(uses_to_confirm(user).filter(voucher=OuterRef("pk"))))
    return (vouchers.filter(to_confirm=True) if label else vouchers), label


# --- Work queue -------------------------------------------------------------------------------


def proofs_to_review() -> QuerySet[VoucherUse]:
    return (
        VoucherUse.objects.filter(proof_status=ProofStatus.SUBMITTED)
        .select_related("voucher__enterprise", "payee")
        .annotate(proof_count=Count("proofs"))
        .order_by("proof_submitted_at", "pk")
    )


def redemptions_to_check(role: str | None = None) -> QuerySet[Redemption]:
    """Redemptions waiting for their first review level; with ``role``, only those whose
    year's scheme puts that role first (the operator does not see Zhejiang's, which the
    bureau checks)."""
    waiting = Redemption.objects.filter(status=RedemptionStatus.SUBMITTED)
    if role is not None:
        years = [
            y
            for y in waiting.values_list("year", flat=True).distinct()
            if (province_policy(y).redemption_review or [None])[0] == role
        ]
        waiting = waiting.filter(year__in=years)
    return waiting.select_related("payee").order_by("check_deadline", "submitted_at", "pk")


def redemptions_to_confirm() -> QuerySet[Redemption]:
    return (
        Redemption.objects.filter(status=RedemptionStatus.CHECKED)
        .select_related("payee")
        .order_by("submitted_at", "pk")
    )


def active_batch_item(redemption: Redemption) -> BatchItem | None:
    """The batch item that holds the redemption now (released ones are history)."""
    return redemption.batch_items.filter(status__in=ACTIVE_ITEM_STATUSES).select_related("batch").first()


def redemptions_unbatched() -> QuerySet[Redemption]:
    """Confirmed and waiting for a payout batch (no active item: never batched, or its item
    was released by an upheld objection), in the order a new batch would take them."""
    return (
        Redemption.objects.filter(status=RedemptionStatus.CONFIRMED)
        .exclude(batch_items__status__in=ACTIVE_ITEM_STATUSES)
        .select_related("payee")
        .order_by("confirmed_at", "pk")
    )


def open_objections() -> QuerySet[Objection]:
    return (
        Objection.objects.filter(status=ObjectionStatus.OPEN)
        .select_related("item__batch", "item__redemption__payee", "raised_by__organisation")
        .order_by("created_at", "pk")
    )


# --- Batches and public notice ----------------------------------------------------------------


def expert_batch_q(user) -> Q:
    """The batches an expert sees: the quarterly summaries sent to the experts, and those it
    gave its review opinion on (read-only, with the steps that followed), so that after
    提交评审意见 it comes back to the batch and its next step."""
    opinions = PayoutBatchEvent.objects.filter(
        batch=OuterRef("pk"), actor=user, from_status=BatchStatus.EXPERTS, to_status=BatchStatus.REVIEWED
    )
    return Q(status=BatchStatus.EXPERTS) | Q(Exists(opinions))


def batches_with_totals() -> QuerySet[PayoutBatch]:
    """Batches with their totals, newest first. The order is explicit: a grouped query drops
    the model's ``Meta.ordering``, which once listed the oldest first."""
    return (
        PayoutBatch.objects.select_related("created_by")
        .annotate(
            item_count=Count("items", distinct=True),
            total=Sum("items__amount"),
            open_objections=Count(
                "items__objections",
                filter=Q(items__objections__status=ObjectionStatus.OPEN),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")
    )


def _items_with_vouchers(qs: QuerySet[BatchItem]) -> QuerySet[BatchItem]:
    """Items with what they pay: a redemption's payee and vouchers, or a subsidy's institution."""
    return (
        qs.select_related("redemption__payee__bank_account", "subsidy__institution__bank_account", "batch")
        .prefetch_related(
            Prefetch(
                "redemption__items",
                queryset=RedemptionItem.objects.select_related("voucher").order_by("pk"),
            ),
        )
        .order_by("redemption__confirmed_at", "pk")
    )


def batch_items(batch: PayoutBatch) -> QuerySet[BatchItem]:
    return _items_with_vouchers(batch.items.all()).prefetch_related(
        Prefetch(
            "objections",
            queryset=Objection.objects.select_related("raised_by__organisation", "resolved_by").order_by(
                "created_at", "pk"
            ),
        ),
    )


def batches_on_notice(today: dt.date | None = None) -> QuerySet[PayoutBatch]:
    today = today or timezone.localdate()
    return PayoutBatch.objects.filter(
        status=BatchStatus.NOTICE, notice_from__lte=today, notice_until__gte=today
    ).order_by("notice_until", "pk")


def notice_items(today: dt.date | None = None) -> QuerySet[BatchItem]:
    """Items of batches on public notice today: the public facts (payee, amount, vouchers)."""
    return _items_with_vouchers(BatchItem.objects.filter(batch__in=batches_on_notice(today)))


def get_notice_item(pk: int) -> BatchItem:
    return get_object_or_404(notice_items(), pk=pk)


@dataclass(frozen=True)
class ExportRow:
    payee: str
    credit_code: str
    amount: Decimal
    redemption: str
    vouchers: str
    status: str
    bank_name: str = ""
    bank_code: str = ""
    account_name: str = ""
    account_number: str = ""


def _bank_columns(payee) -> dict:
    """The payee's bank account for the transfer list; empty (and visible as missing) when
    the payee has not set one."""
    account = getattr(payee, "bank_account", None)
    if account is None:
        return {}
    return {
        "bank_name": account.bank_name,
        "bank_code": account.bank_code,
        "account_name": account.account_name,
        "account_number": account.account_number,
    }


def batch_export_rows(batch: PayoutBatch) -> list[ExportRow]:
    """The bank's transfer list: every item except those held by an objection or released
    from the batch by an upheld one. A subsidy item names its subsidy where a redemption
    item names the redemption and its vouchers."""
    rows = []
    for item in _items_with_vouchers(batch.items.exclude(status__in=(BatchItemStatus.HELD, BatchItemStatus.RELEASED))):
        if item.subsidy_id is not None:
            payee, reference = item.subsidy.institution, item.subsidy.number
            detail = f"{item.subsidy.year} 年度机构补助"
        else:
            payee, reference = item.redemption.payee, item.redemption.number
            detail = ";".join(i.voucher.number for i in item.redemption.items.all())
        rows.append(
            ExportRow(
                payee=payee.name,
                credit_code=payee.credit_code or payee.resident_id,
                amount=item.amount,
                redemption=reference,
                vouchers=detail,
                status=BatchItemStatus(item.status).label,
                **_bank_columns(payee),
            )
        )
    return rows


# --- Budget ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetOverview:
    """A year's budgets (``ledger.budget_summary``) and the items waiting for budget: what
    the budget page and ``GET /api/budgets/`` both show."""

    summary: BudgetSummary
    waiting: list[BatchItem]
    waiting_total: Decimal

    @property
    def year(self) -> int:
        return self.summary.year

    @property
    def province(self) -> BudgetLine:
        return self.summary.province

    @property
    def counties(self) -> list[BudgetLine]:
        return self.summary.counties


def waiting_for_budget() -> QuerySet[BatchItem]:
    """Items no budget could cover yet, in the order new budget pays them (first come, first
    served, whatever year their batch was)."""
    return _items_with_vouchers(BatchItem.objects.filter(status=BatchItemStatus.WAITING_BUDGET)).order_by(
        "queued_at", "pk"
    )


def budget_overview(year: int, scope: str | int = ALL_BUDGETS) -> BudgetOverview:
    """``year``'s budgets and the items waiting for budget; a bureau's scope (its region,
    ``permissions.budget_scope``) shows its own budget and the items of its own batches."""
    summary = budget_summary(year)
    waiting = waiting_for_budget()
    if scope != ALL_BUDGETS:
        summary = replace(summary, counties=[c for c in summary.counties if c.region.pk == scope])
        waiting = waiting.filter(batch__region_id=scope)
    waiting = list(waiting)
    return BudgetOverview(summary=summary, waiting=waiting, waiting_total=sum((i.amount for i in waiting), ZERO))


def budget_years() -> list[int]:
    """Years that have a budget or a batch, newest first."""
    years = set(
        LedgerEntry.objects.filter(account__in=(LedgerAccount.PROVINCE_BUDGET, LedgerAccount.COUNTY_BUDGET))
        .values_list("year", flat=True)
        .distinct()
    )
    years |= set(PayoutBatch.objects.values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)
