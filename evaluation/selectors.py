"""Reads of the institutions' annual evaluation and subsidy (SPEC §5.5).

Year-end, per institution with any activity in the year:

* figures — redeemed voucher amount (redemptions the centre confirmed in the year; clawed
  back vouchers excluded), service income (completed bookings, plus offline contracts paid
  with a voucher), ratings (mean and count), complaints (ratings at or below the rule's
  complaint score, plus objections upheld against its redemptions);
* grade — excellent / good / poor by the year's ``EvaluationRule`` (data the centre edits),
  with the reasons written out so the centre sees why;
* subsidy — ``Policy.subsidy_rate_public`` (事业单位: universities, research institutes …)
  or ``subsidy_rate_social`` of the redeemed amount, plus ``subsidy_per_public_benefit``
  per public-benefit contract (科技查新, 成果评价) redeemed in the year, capped at
  ``subsidy_cap_institution`` per institution and year (all from the year's policy record).

A poor grade starts a rectification period (``rectify_days``); the centre records the
rectification, or — once the period is over — suspends the listing (评价差且拒不整改) through
``accounts.services.listing_suspend``.

Figures are read from the voucher and catalogue tables themselves, not from the dashboards'
aggregates: the subsidy is money and must not depend on when the aggregates were refreshed.
This module computes (the command's dry run, the page); ``evaluation.services`` stores, and
grants the subsidies as payables of the vouchers app (``vouchers.Subsidy``); the page reads
each one's state here (granted, in which batch, paid, cancelled).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q, Sum
from django.utils import timezone

from accounts.models import Role
from catalog.models import PUBLIC_BENEFIT_CATEGORIES, Booking, BookingStatus, Institution, Rating
from evaluation.models import EvaluationResult, EvaluationRule, Grade
from vouchers.models import (
    ACTIVE_ITEM_STATUSES,
    LIVE_SUBSIDY_STATUSES,
    BatchItem,
    ObjectionStatus,
    Policy,
    RedemptionItem,
    RedemptionStatus,
    Subsidy,
    SubsidyStatus,
    VoucherStatus,
    VoucherUse,
)
from vouchers.policies.records import province_policy, province_policy_exists
from vouchers.policies.value import money

ZERO = Decimal("0")
CENT = Decimal("0.01")
RULE_FIELDS = (
    "excellent_min_rating",
    "excellent_min_ratings",
    "excellent_max_complaints",
    "excellent_min_income",
    "poor_below_rating",
    "poor_min_ratings",
    "poor_min_complaints",
    "complaint_max_score",
    "rectify_days",
    "in_region_only",
    "withhold_when_poor",
)


@dataclass
class Figures:
    institution_id: int
    name: str = ""
    kind: str = ""
    is_public: bool = False
    in_region: bool = True
    redeemed_count: int = 0
    redeemed_amount: Decimal = ZERO
    public_benefit_contracts: int = 0
    service_income: Decimal = ZERO
    rating_mean: Decimal | None = None
    rating_count: int = 0
    low_ratings: int = 0
    upheld_objections: int = 0

    @property
    def complaints(self) -> int:
        return self.low_ratings + self.upheld_objections


@dataclass
class Outcome:
    figures: Figures
    grade: str
    reasons: list[str]
    subsidy: dict = field(default_factory=dict)


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f} 元"


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def rule_for(year: int) -> EvaluationRule:
    """The year's rules; a year without a record gets the defaults, unsaved (the run saves
    them, so the centre sees and edits what was applied; a read never writes)."""
    return EvaluationRule.objects.filter(year=year).first() or EvaluationRule(year=year)


def policy_for(year: int) -> Policy:
    return province_policy(
        year, required=True, refusal=f"{year} 年度没有创新券政策记录，无法计算补助（请先在政策设置中发布）。"
    )


def institution_figures(year: int, *, complaint_max_score: int) -> dict[int, Figures]:
    start, end = _year_bounds(year)
    figures: dict[int, Figures] = {}

    def fig(pk: int) -> Figures:
        return figures.setdefault(pk, Figures(institution_id=pk))

    redeemed = (
        RedemptionItem.objects.filter(
            redemption__status__in=(RedemptionStatus.CONFIRMED, RedemptionStatus.PAID),
            redemption__confirmed_at__gte=start,
            redemption__confirmed_at__lt=end,
        )
        .exclude(voucher__status=VoucherStatus.CLAWED_BACK)
        .values("voucher__institution_id")
        .annotate(
            n=Count("voucher", distinct=True),
            amount=Sum("amount"),
            public_benefit=Count(
                "voucher",
                distinct=True,
                filter=Q(voucher__contract__service__public_benefit=True)
                | Q(voucher__contract__category__in=[c.value for c in PUBLIC_BENEFIT_CATEGORIES]),
            ),
        )
    )
    for row in redeemed:
        f = fig(row["voucher__institution_id"])
        f.redeemed_count, f.redeemed_amount, f.public_benefit_contracts = row["n"], row["amount"], row["public_benefit"]

    bookings = (
        Booking.objects.filter(
            status__in=(BookingStatus.COMPLETED, BookingStatus.RATED), completed_at__gte=start, completed_at__lt=end
        )
        .values("institution_id")
        .annotate(s=Sum("amount"))
    )
    for row in bookings:
        fig(row["institution_id"]).service_income += row["s"]
    # Offline agreements have no booking: what the enterprise paid for the service counts.
    offline = (
        VoucherUse.objects.filter(voucher__contract__booking__isnull=True, paid_at__gte=start, paid_at__lt=end)
        .values("voucher__institution_id")
        .annotate(s=Sum("price"))
    )
    for row in offline:
        fig(row["voucher__institution_id"]).service_income += row["s"]

    ratings = (
        Rating.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("institution_id")
        .annotate(mean=Avg("score"), n=Count("id"), low=Count("id", filter=Q(score__lte=complaint_max_score)))
    )
    for row in ratings:
        f = fig(row["institution_id"])
        f.rating_mean = Decimal(str(row["mean"])).quantize(CENT)
        f.rating_count, f.low_ratings = row["n"], row["low"]

    objections = (
        RedemptionItem.objects.filter(
            redemption__batch_items__objections__status=ObjectionStatus.UPHELD,
            redemption__batch_items__objections__resolved_at__gte=start,
            redemption__batch_items__objections__resolved_at__lt=end,
        )
        .values("voucher__institution_id")
        .annotate(n=Count("redemption__batch_items__objections", distinct=True))
    )
    for row in objections:
        fig(row["voucher__institution_id"]).upheld_objections = row["n"]

    for inst in Institution.objects.filter(pk__in=figures).select_related("organisation"):
        f = figures[inst.pk]
        f.name, f.kind = inst.organisation.name, inst.get_kind_display()
        f.is_public, f.in_region = inst.is_public_institution, inst.organisation.in_region
    return figures


def grade(f: Figures, rule: EvaluationRule) -> tuple[str, list[str]]:
    """Poor if any poor rule holds; excellent if every excellent rule holds; else good.
    The reasons name each rule with the institution's figure and the threshold."""
    poor = []
    if f.rating_count >= rule.poor_min_ratings and f.rating_mean is not None and f.rating_mean < rule.poor_below_rating:
        poor.append(f"平均评分 {f.rating_mean} 低于 {rule.poor_below_rating}（{f.rating_count} 条评价）")
    if f.complaints >= rule.poor_min_complaints:
        poor.append(
            f"投诉 {f.complaints} 件（差评 {f.low_ratings}、公示异议成立 {f.upheld_objections}），"
            f"达到 {rule.poor_min_complaints} 件"
        )
    if poor:
        return Grade.POOR, poor
    mean = f.rating_mean if f.rating_mean is not None else ZERO
    wanted = f"平均评分不低于 {rule.excellent_min_rating}、至少 {rule.excellent_min_ratings} 条评价"
    checks = [
        (
            f.rating_count >= rule.excellent_min_ratings and mean >= rule.excellent_min_rating,
            f"平均评分 {mean}（{f.rating_count} 条评价），达到{wanted}",
            (
                f"平均评分 {mean}（{f.rating_count} 条评价），未达{wanted}"
                if f.rating_count
                else f"暂无评价（须{wanted}）"
            ),
        ),
        (
            f.complaints <= rule.excellent_max_complaints,
            f"投诉 {f.complaints} 件，不超过 {rule.excellent_max_complaints} 件",
            f"投诉 {f.complaints} 件，超过 {rule.excellent_max_complaints} 件",
        ),
        (
            f.service_income >= rule.excellent_min_income,
            f"服务收入 {_yuan(f.service_income)}，达到 {_yuan(rule.excellent_min_income)}",
            f"服务收入 {_yuan(f.service_income)}，未达 {_yuan(rule.excellent_min_income)}",
        ),
    ]
    if all(ok for ok, _, _ in checks):
        return Grade.EXCELLENT, [yes for _, yes, _ in checks]
    return Grade.GOOD, ["未达优秀：" + no for ok, _, no in checks if not ok]


def subsidy(f: Figures, rule: EvaluationRule, policy: Policy, result_grade: str) -> dict:
    rate = policy.subsidy_rate_public if f.is_public else policy.subsidy_rate_social
    base = money(f.redeemed_amount * rate)
    public_benefit = money(policy.subsidy_per_public_benefit * f.public_benefit_contracts)
    uncapped = base + public_benefit
    cap = policy.subsidy_cap_institution
    amount, note = min(uncapped, cap), ""
    if rule.in_region_only and not f.in_region:
        amount, note = ZERO, "区外机构不享受补助"
    elif rule.withhold_when_poor and result_grade == Grade.POOR:
        amount, note = ZERO, "评价为差，不予补助"
    elif uncapped > cap:
        note = f"合计 {_yuan(uncapped)} 超过机构年度上限 {_yuan(cap)}，按上限核定"
    return {
        "rate": rate,
        "base": base,
        "public_benefit": public_benefit,
        "uncapped": uncapped,
        "amount": money(amount),
        "note": note,
        "cap": cap,
    }


def evaluate(year: int) -> list[Outcome]:
    """The year's evaluation, computed and not saved (the command's dry run, the preview)."""
    rule = rule_for(year)
    policy = policy_for(year)
    out = []
    for f in institution_figures(year, complaint_max_score=rule.complaint_max_score).values():
        g, reasons = grade(f, rule)
        out.append(Outcome(f, g, reasons, subsidy(f, rule, policy, g)))
    out.sort(key=lambda o: (-o.subsidy["amount"], -o.figures.redeemed_amount, o.figures.institution_id))
    return out


def can_evaluate(user) -> bool:
    """Only the centre evaluates institutions."""
    return getattr(user, "is_authenticated", False) and getattr(user, "role", None) == Role.CENTRE


def results_of(year: int):
    """The year's stored results with each one's granted subsidy and, on it, the batch item
    that holds it now (``payable.active_items``: at most one)."""
    return (
        EvaluationResult.objects.filter(year=year)
        .select_related("institution__organisation", "payable")
        .prefetch_related(
            Prefetch(
                "payable__batch_items",
                queryset=BatchItem.objects.filter(status__in=ACTIVE_ITEM_STATUSES).select_related("batch"),
                to_attr="active_items",
            )
        )
        .order_by("-subsidy", "institution_id")
    )


def year_is_granted(year: int) -> bool:
    """A live subsidy was granted from the year's results: they are final (see services)."""
    return EvaluationResult.objects.filter(year=year, payable__status__in=LIVE_SUBSIDY_STATUSES).exists()


@dataclass(frozen=True)
class PayoutState:
    """Where a result's subsidy stands, as the page and the export say it."""

    code: str  # none | to_grant | granted | in_batch | waiting_budget | held | paid | cancelled
    label: str
    batch: object = None


def payout_state(result: EvaluationResult) -> PayoutState:
    """``result`` read with :func:`results_of`."""
    subsidy = result.payable
    if subsidy is None or subsidy.status == SubsidyStatus.CANCELLED:
        if result.subsidy <= 0:
            return PayoutState("none", "")
        if subsidy is not None:
            return PayoutState("cancelled", "已撤销，待重新核定")
        return PayoutState("to_grant", "待核定")
    items = getattr(subsidy, "active_items", None)
    if items is None:
        items = list(subsidy.batch_items.filter(status__in=ACTIVE_ITEM_STATUSES).select_related("batch"))
    item = items[0] if items else None
    if subsidy.status == SubsidyStatus.PAID:
        return PayoutState("paid", f"已拨付（{subsidy.number}）", item.batch if item else None)
    if item is None:
        return PayoutState("granted", f"已核定，待纳入拨付批次（{subsidy.number}）")
    code = {"waiting_budget": "waiting_budget", "held": "held"}.get(item.status, "in_batch")
    label = {
        "waiting_budget": "批次中，等待预算",
        "held": "批次中，公示异议暂缓",
        "in_batch": "已纳入拨付批次",
    }[code]
    return PayoutState(code, f"{label}（{item.batch.number}）", item.batch)


def subsidies_unbatched_count() -> int:
    """Granted subsidies (of any year) that no batch holds yet: what a subsidy batch takes."""
    return (
        Subsidy.objects.filter(status=SubsidyStatus.GRANTED)
        .exclude(batch_items__status__in=ACTIVE_ITEM_STATUSES)
        .count()
    )


def has_policy(year: int) -> bool:
    return province_policy_exists(year)
