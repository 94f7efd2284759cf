"""Writes of the annual evaluation: the year-end run, the rules, rectification, suspension,
and paying the subsidies.

A suspension goes through ``accounts.services.listing_suspend`` (which keeps the search index
in step). Subsidies are paid through the voucher services, never by writing money here:
``subsidies_grant`` turns each stored result with a subsidy above zero into a payable
(``vouchers.settlement.subsidy_grant``: the ledger's ``subsidy_payable``), linked from the
result; ``subsidies_batch`` gathers the granted subsidies into a payout batch
(``settlement.batch_create`` with ``kind=subsidies``), which the centre approves and pays on
the batch page like any other — from the province budget, waiting when it falls short.

Granting is idempotent: a result already linked to a live (granted or paid) subsidy is
skipped, so a second run — or a double click — grants nothing more, and the voucher service
refuses a second live subsidy for one institution and year in any case. Granting also fixes
the year: ``evaluation_run`` refuses to recompute a year with a live subsidy (cancel the
unpaid ones first, ``subsidy_cancel``; a paid year stays as it was paid).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.actors import only
from accounts.models import User
from accounts.services import listing_suspend
from evaluation.models import EvaluationResult, EvaluationRule, Grade, Rectification
from evaluation.selectors import RULE_FIELDS, can_evaluate, evaluate, year_is_granted
from vouchers import settlement
from vouchers.models import LIVE_SUBSIDY_STATUSES, BatchKind, PayoutBatch, SubsidyStatus
from vouchers.policies.records import province_policy


def _require_centre(by: User | None, *, command: bool = False) -> None:
    """The centre acts; ``command`` allows ``by=None`` (``manage.py evaluation_run``)."""
    if by is None and command:
        return
    if not can_evaluate(by):
        raise PermissionDenied(only("进行机构年度评价"))


@transaction.atomic
def evaluation_run(*, year: int, by: User | None) -> list[EvaluationResult]:
    """Compute and store the year's results (``by`` None = the management command). Running
    again updates the figures; a rectification already recorded is kept."""
    _require_centre(by, command=True)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": ["年度须在 2000–2100 之间。"]})
    rule, _ = EvaluationRule.objects.get_or_create(year=year)  # defaults applied are kept on record
    outcomes = evaluate(year)
    now = timezone.now()
    existing = {
        r.institution_id: r for r in EvaluationResult.objects.select_for_update().filter(year=year)
    }  # one run at a time per year: a second run (or a grant) waits on these rows
    if year_is_granted(year):
        raise ValidationError(
            f"{year} 年度补助已核定，评价结果已确定，不能重新运行；如需更正，请先撤销未拨付的补助。",
            code="evaluation_final",
        )
    results = []
    for o in outcomes:
        f, s = o.figures, o.subsidy
        result = existing.pop(f.institution_id, None) or EvaluationResult(year=year, institution_id=f.institution_id)
        result.redeemed_count, result.redeemed_amount = f.redeemed_count, f.redeemed_amount
        result.service_income, result.rating_mean, result.rating_count = f.service_income, f.rating_mean, f.rating_count
        result.complaints, result.grade, result.reasons = f.complaints, o.grade, o.reasons
        result.is_public, result.in_region = f.is_public, f.in_region
        result.public_benefit_contracts, result.subsidy_rate = f.public_benefit_contracts, s["rate"]
        result.subsidy_base, result.subsidy_public_benefit = s["base"], s["public_benefit"]
        result.subsidy_uncapped, result.subsidy, result.subsidy_note = s["uncapped"], s["amount"], s["note"]
        result.evaluated_at, result.evaluated_by = now, by
        if o.grade == Grade.POOR and result.rectification == Rectification.NONE:
            result.rectification = Rectification.PENDING
            result.rectify_by = timezone.localdate() + dt.timedelta(days=rule.rectify_days)
        elif o.grade != Grade.POOR and result.rectification == Rectification.PENDING:
            result.rectification, result.rectify_by = Rectification.NONE, None
        result.full_clean(exclude=["institution", "evaluated_by", "payable"])
        result.save()
        results.append(result)
    # Institutions no longer active in that year (e.g. a redemption returned since).
    EvaluationResult.objects.filter(pk__in=[r.pk for r in existing.values()]).exclude(
        rectification=Rectification.SUSPENDED
    ).delete()
    return results


def _locked_result(result: EvaluationResult) -> EvaluationResult:
    return (
        EvaluationResult.objects.select_for_update(of=("self",))
        .select_related("institution__organisation", "payable")
        .get(pk=result.pk)
    )


@transaction.atomic
def evaluation_rectified(*, result: EvaluationResult, by: User, note: str) -> EvaluationResult:
    """The centre records that a poorly rated institution has rectified."""
    _require_centre(by)
    result = _locked_result(result)
    if result.rectification != Rectification.PENDING:
        raise ValidationError("只有限期整改中的机构可以登记整改完成。")
    if not note.strip():
        raise ValidationError({"note": ["请说明整改情况。"]})
    result.rectification, result.rectification_note = Rectification.RECTIFIED, note.strip()[:300]
    result.save(update_fields=["rectification", "rectification_note"])
    return result


@transaction.atomic
def evaluation_suspend(*, result: EvaluationResult, by: User, note: str = "", today: dt.date | None = None):
    """评价差且拒不整改: suspend the listing once the rectification period is over."""
    _require_centre(by)
    result = _locked_result(result)
    today = today or timezone.localdate()
    if result.grade != Grade.POOR or result.rectification != Rectification.PENDING:
        raise ValidationError("只有评价为差且未整改的机构可以暂停入库。")
    if result.rectify_by and today <= result.rectify_by:
        raise ValidationError(f"整改期限至 {result.rectify_by:%Y-%m-%d}，期满仍未整改才能暂停入库。")
    reason = f"{result.year} 年度机构评价为差，逾期未整改（整改期限 {result.rectify_by:%Y-%m-%d}）。" + (
        f" {note.strip()}" if note.strip() else ""
    )
    listing_suspend(org=result.institution.organisation, by=by, reason=reason)
    result.rectification, result.rectification_note = Rectification.SUSPENDED, reason[:300]
    result.save(update_fields=["rectification", "rectification_note"])
    return result


def _year_locked(year: int) -> list[EvaluationResult]:
    """The year's results, locked (the run takes the same rows: grants and runs queue)."""
    return list(
        EvaluationResult.objects.select_for_update(of=("self",))
        .select_related("institution__organisation", "payable")
        .filter(year=year)
        .order_by("-subsidy", "institution_id")
    )


def _needs_grant(result: EvaluationResult) -> bool:
    return result.subsidy > 0 and (result.payable is None or result.payable.status not in LIVE_SUBSIDY_STATUSES)


@transaction.atomic
def subsidies_grant(*, year: int, by: User) -> list[EvaluationResult]:
    """The centre grants the year's subsidies as computed by the stored run: each result
    with a subsidy above zero and no live payable gets one (``settlement.subsidy_grant``,
    the amount and grade in its note). Returns the results granted now — empty when the
    year was granted already (idempotent: see the module docstring)."""
    _require_centre(by)
    results = _year_locked(year)
    if not results:
        raise ValidationError(f"{year} 年度尚未运行评价，不能核定补助。")
    grades = dict(Grade.choices)
    granted = []
    for result in results:
        if not _needs_grant(result):
            continue
        result.payable = settlement.subsidy_grant(
            institution=result.institution.organisation,
            year=year,
            amount=result.subsidy,
            note=f"{year} 年度服务机构评价（{grades[result.grade]}）补助",
            by=by,
        )
        result.save(update_fields=["payable"])
        granted.append(result)
    return granted


@transaction.atomic
def subsidy_cancel(*, result: EvaluationResult, by: User, note: str) -> EvaluationResult:
    """The centre cancels the unpaid subsidy granted from ``result`` (a correction): the
    voucher service takes the payable out of the ledger; the year may then be run again
    and granted anew."""
    _require_centre(by)
    result = _locked_result(result)
    if result.payable is None or result.payable.status != SubsidyStatus.GRANTED:
        raise ValidationError("该机构没有待拨付的补助。")
    settlement.subsidy_cancel(subsidy=result.payable, by=by, note=note)
    return result


def subsidies_batch(*, by: User, budget_year: int) -> PayoutBatch:
    """A payout batch of every granted subsidy not yet in one, paid from ``budget_year``'s
    province budget, on that year's payout cycle; the centre approves and pays it on the
    batch page."""
    _require_centre(by)
    if not 2000 <= budget_year <= 2100:
        raise ValidationError({"budget_year": ["预算年度须在 2000–2100 之间。"]})
    cycle = province_policy(budget_year).payout_cycle
    return settlement.batch_create(by=by, year=budget_year, cycle=cycle, kind=BatchKind.SUBSIDIES)


@transaction.atomic
def rule_save(*, by: User, year: int, data: dict) -> EvaluationRule:
    _require_centre(by)
    rule = EvaluationRule.objects.select_for_update().filter(year=year).first() or EvaluationRule(year=year)
    for name in RULE_FIELDS:
        if name in data:
            setattr(rule, name, data[name])
    rule.full_clean()
    rule.save()
    return rule
