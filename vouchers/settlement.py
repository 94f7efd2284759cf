"""Services for what happens to an issued voucher (SPEC §5.3–5.4): use, proofs, rating,
redemption, payout batches with public notice and objections, budget, expiry, clawback.

Money moves only through ``_move``: each movement is a set of append-only ledger entries,
written after the rows involved are locked (voucher, redemption, budget), and followed by
a check that no touched balance went below zero.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import Organisation, OrgKind, Role, User
from mapsite import uploads
from mapsite.numbering import save_with_number
from mapsite.workflow import move
from notifications.services import notify, notify_organisation
from vouchers.models import (
    BatchItem,
    BatchItemStatus,
    BatchStatus,
    Budget,
    IntegrityRecord,
    LedgerAccount,
    LedgerEntry,
    LedgerKind,
    Objection,
    ObjectionStatus,
    PayoutBatch,
    PayoutCycle,
    Policy,
    Proof,
    ProofKind,
    ProofStatus,
    Redemption,
    RedemptionEvent,
    RedemptionItem,
    RedemptionMode,
    RedemptionStatus,
    Voucher,
    VoucherStatus,
    VoucherUse,
)
from vouchers.selectors import province_policy
from vouchers.subsidy import money
from workdays.calendar import add_workdays

RATING_DAYS = 30
EXPIRY_WARNING_DAYS = 30
RESUBMISSIONS = 1
REDEMPTION_TRANSITIONS = {
    RedemptionStatus.SUBMITTED: (RedemptionStatus.CHECKED, RedemptionStatus.RETURNED),
    RedemptionStatus.RETURNED: (RedemptionStatus.SUBMITTED, RedemptionStatus.WITHDRAWN),
    RedemptionStatus.CHECKED: (RedemptionStatus.CONFIRMED, RedemptionStatus.RETURNED),
    RedemptionStatus.CONFIRMED: (RedemptionStatus.PAID, RedemptionStatus.RETURNED),
}
ZERO = Decimal("0")


# --- Ledger -------------------------------------------------------------------------------


def balance(account: str, **keys) -> Decimal:
    return LedgerEntry.objects.filter(account=account, **keys).aggregate(s=Sum("amount"))["s"] or ZERO


def _move(kind: str, *, by: User | None, year: int, note: str = "", legs: list[dict]) -> None:
    """Write one movement (several entries) and refuse it if any touched balance would be
    negative. Callers hold the locks that make the check-then-write safe."""
    for leg in legs:
        if money(leg["amount"]) == 0:
            continue
        LedgerEntry.objects.create(
            kind=kind, actor=by, year=leg.get("year", year), note=note, **{k: v for k, v in leg.items() if k != "year"}
        )
    for leg in legs:
        if balance(leg["account"], **_balance_keys(leg, year)) < 0:
            raise ValidationError(f"余额不足：{LedgerAccount(leg['account']).label}")


def _balance_keys(leg: dict, year: int) -> dict:
    """Which entries make up the balance a leg touches."""
    account, leg_year = leg["account"], leg.get("year", year)
    if account == LedgerAccount.PROVINCE_BUDGET:
        return {"year": leg_year, "region__isnull": True}
    if account == LedgerAccount.COUNTY_BUDGET:
        return {
            "year": leg_year,
            "region_id": leg.get("region_id") or getattr(leg.get("region"), "pk", leg.get("region")),
        }
    if account == LedgerAccount.APPLICANT_CAP:
        return {"year": leg_year, "organisation": leg["organisation"]}
    keys = {"voucher": leg["voucher"]}
    if account == LedgerAccount.VOUCHER:
        keys["organisation"] = leg["organisation"]
    return keys


def voucher_value(voucher: Voucher) -> Decimal:
    return voucher.face_value + voucher.county_topup


def _lock_voucher(voucher: Voucher) -> Voucher:
    # Every change of a voucher's state starts here: racing spends of one voucher queue on
    # this row and the second sees it already used.
    return (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("contract__booking", "contract__policy", "institution__organisation", "applicant")
        .get(pk=voucher.pk)
    )


# --- Use ------------------------------------------------------------------------------------


@transaction.atomic
def voucher_pay(*, voucher: Voucher, by: User, idempotency_key: str, completed_on: dt.date | None = None) -> VoucherUse:
    """Apply the voucher to its contract's service. Repeating the same key returns the first
    result instead of paying twice."""
    key = (idempotency_key or "").strip()
    if not 8 <= len(key) <= 64:
        raise ValidationError({"idempotency_key": ["须提供 8–64 位的幂等键（Idempotency-Key）。"]})
    voucher = _lock_voucher(voucher)
    existing = VoucherUse.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.voucher_id != voucher.pk:
            raise ValidationError({"idempotency_key": ["该幂等键已用于另一张创新券。"]})
        return existing
    if by.organisation_id != voucher.applicant_id:
        raise PermissionDenied("只能使用本单位申领的创新券；创新券不得转让或赠送。")
    if voucher.status != VoucherStatus.ISSUED or voucher.holder_id != voucher.applicant_id:
        raise ValidationError(f"该创新券当前状态为“{VoucherStatus(voucher.status).label}”，不能使用。")
    today = timezone.localdate()
    if voucher.valid_until < today:
        raise ValidationError("该创新券已过有效期。")
    contract = voucher.contract
    in_region = voucher.institution.organisation.in_region
    payee = voucher.institution.organisation if in_region else voucher.applicant
    value = voucher_value(voucher)
    applied = min(value, contract.amount)
    booking = contract.booking
    done = completed_on or (
        timezone.localtime(booking.completed_at).date()
        if booking and booking.completed_at
        else min(contract.service_end, today)
    )
    deadline = add_workdays(done, province_policy(voucher.year).proof_workdays)
    use = VoucherUse.objects.create(
        voucher=voucher,
        payee=payee,
        price=contract.amount,
        voucher_applied=applied,
        cash_paid=contract.amount - applied if in_region else contract.amount,
        completed_on=done,
        proof_deadline=deadline.value,
        calendar_warning=deadline.warning,
        idempotency_key=key,
        paid_by=by,
    )
    _move(
        LedgerKind.USE,
        by=by,
        year=voucher.year,
        note=f"{contract.number} 使用",
        legs=[
            {"account": LedgerAccount.VOUCHER, "voucher": voucher, "organisation": voucher.applicant, "amount": -value},
            {"account": LedgerAccount.VOUCHER, "voucher": voucher, "organisation": payee, "amount": value},
        ],
    )
    voucher.holder, voucher.status = payee, VoucherStatus.USED
    voucher.save(update_fields=["holder", "status"])
    if in_region:
        notify_organisation(
            organisation=payee,
            title=f"收到服务券：{voucher.number}",
            body=f"{voucher.applicant.name} 以创新券抵扣 {applied:,.2f} 元，可申请兑付。",
            url=f"/vouchers/{voucher.pk}/",
        )
    return use


def _require_applicant_of(use: VoucherUse, by: User) -> None:
    if by.organisation_id != use.voucher.applicant_id:
        raise PermissionDenied("只有用券企业可以提交证明材料。")


def proof_upload(*, use: VoucherUse, by: User, kind: str, upload, number: str = "", amount=None) -> Proof:
    """One proof file (PDF ≤ 50 MB, JPEG/PNG ≤ 5 MB, checked by content)."""
    mime = uploads.check(upload)
    _require_applicant_of(use, by)
    if kind not in ProofKind.values:
        raise ValidationError({"kind": ["未知的材料类型。"]})
    if kind in (ProofKind.INVOICE, ProofKind.BANK_RECEIPT) and (amount is None or Decimal(amount) <= 0):
        raise ValidationError({"amount": ["发票和银行回单须填写金额。"]})
    if use.proof_status in (ProofStatus.SUBMITTED, ProofStatus.APPROVED):
        raise ValidationError("证明材料已提交审核，不能再修改。")
    uploads.rename(upload, mime)
    return Proof.objects.create(
        use=use, kind=kind, number=number, amount=amount, file=upload, content_type=mime, uploaded_by=by
    )


@transaction.atomic
def proof_submit(*, use: VoucherUse, by: User) -> VoucherUse:
    """Submit proofs: an invoice, a bank receipt whose total equals the invoices', and a
    result proof. Submitting after the 10-working-day deadline is allowed but flagged."""
    use = VoucherUse.objects.select_for_update(of=("self",)).select_related("voucher").get(pk=use.pk)
    _require_applicant_of(use, by)
    if use.proof_status in (ProofStatus.SUBMITTED, ProofStatus.APPROVED):
        raise ValidationError("证明材料已提交。")
    proofs = list(use.proofs.all())
    invoices = sum((p.amount for p in proofs if p.kind == ProofKind.INVOICE), ZERO)
    receipts = sum((p.amount for p in proofs if p.kind == ProofKind.BANK_RECEIPT), ZERO)
    problems = []
    if not invoices:
        problems.append("缺少发票")
    if not receipts:
        problems.append("缺少银行回单")
    if invoices and receipts and invoices != receipts:
        problems.append(f"发票合计 {invoices:,.2f} 元与银行回单合计 {receipts:,.2f} 元不一致")
    if not any(p.kind == ProofKind.RESULT for p in proofs):
        problems.append("缺少结果证明（检测报告、解决方案或总结）")
    if problems:
        raise ValidationError("；".join(problems) + "。")
    use.proof_status, use.proof_submitted_at = ProofStatus.SUBMITTED, timezone.now()
    use.proof_late = timezone.localdate() > use.proof_deadline
    use.save()
    notify(
        users=User.objects.filter(organisation__kind=OrgKind.OPERATOR),
        title=f"使用证明待审核：{use.voucher.number}" + ("（逾期）" if use.proof_late else ""),
        url=f"/vouchers/{use.voucher_id}/",
    )
    return use


@transaction.atomic
def proof_review(*, use: VoucherUse, by: User, approve: bool, note: str = "") -> VoucherUse:
    if by.role != Role.OPERATOR:
        raise PermissionDenied("只有运营单位审核使用证明。")
    use = VoucherUse.objects.select_for_update(of=("self",)).select_related("voucher").get(pk=use.pk)
    if use.proof_status != ProofStatus.SUBMITTED:
        raise ValidationError("没有待审核的证明材料。")
    if not approve and not note.strip():
        raise ValidationError({"note": ["退回须说明原因。"]})
    use.proof_status = ProofStatus.APPROVED if approve else ProofStatus.RETURNED
    use.proof_note = note
    use.save()
    notify_organisation(
        organisation=use.voucher.applicant,
        title=f"使用证明{'已通过' if approve else '被退回'}：{use.voucher.number}",
        body=note,
        url=f"/vouchers/{use.voucher_id}/",
    )
    return use


@transaction.atomic
def use_rate(*, use: VoucherUse, by: User | None, score: int, comment: str = "", is_default: bool = False):
    """Rate the institution for the service the voucher paid for (1–5), once per use: the
    rating is linked to the use (offline contracts have no booking to hang it on)."""
    from catalog import services as catalog_services

    if not is_default:
        _require_applicant_of(use, by)
    # Two rating requests for one use queue here; the second sees the first one's rating.
    use = VoucherUse.objects.select_for_update(of=("self",)).select_related("voucher__contract").get(pk=use.pk)
    contract = use.voucher.contract
    if use.rating_id is not None:
        raise ValidationError("该服务已评价。")
    rating = catalog_services.rating_record(
        enterprise=contract.enterprise,
        institution=contract.institution,
        booking=contract.booking,
        instrument=contract.instrument,
        service=contract.service,
        score=score,
        comment=comment,
        is_default=is_default,
        by=by,
    )
    use.rating = rating
    use.save(update_fields=["rating"])
    return rating


# --- Redemption ------------------------------------------------------------------------------


def _audit(redemption: Redemption, to: str, by: User | None, note: str = "") -> None:
    move(
        redemption,
        to,
        table=REDEMPTION_TRANSITIONS,
        labels=RedemptionStatus,
        event=RedemptionEvent,
        subject="兑付申请",
        redemption=redemption,
        actor=by,
        actor_role=(by.role or "") if by else "system",
        note=note,
    )


def _number(redemption_or_batch, prefix: str) -> None:
    save_with_number(redemption_or_batch, lambda o: f"{prefix}{o.year}{o.pk:06d}")


def _move_items(redemption: Redemption, kind: str, source: str, target: str, by: User | None) -> None:
    for item in redemption.items.select_related("voucher"):
        src = {"account": source, "voucher": item.voucher, "amount": -item.amount}
        dst = {"account": target, "voucher": item.voucher, "amount": item.amount}
        for leg in (src, dst):
            if leg["account"] == LedgerAccount.VOUCHER:
                leg["organisation"] = redemption.payee
        _move(kind, by=by, year=redemption.year, note=redemption.number, legs=[src, dst])


@transaction.atomic
def redemption_request(*, by: User, vouchers: list[Voucher], mode: str, note: str = "") -> Redemption:
    """The payee asks for its used vouchers to be paid: one at once (即时) or several together
    (累计). Their use proofs must have been approved."""
    payee = by.organisation
    if by.role not in (Role.APPLICANT, Role.INSTITUTION):
        raise PermissionDenied("只有服务机构或（区外服务的）企业可以申请兑付。")
    ids = sorted({v.pk for v in vouchers})
    if not ids:
        raise ValidationError({"vouchers": ["请选择要兑付的创新券。"]})
    if mode == RedemptionMode.INSTANT and len(ids) != 1:
        raise ValidationError({"mode": ["即时兑付一次只能申请一张创新券。"]})
    if mode == RedemptionMode.CUMULATIVE and len(ids) < 2:
        raise ValidationError({"mode": ["累计兑付须包含两张以上创新券。"]})
    locked = [_lock_voucher(Voucher(pk=pk)) for pk in ids]  # in id order: no deadlock between requests
    years = {v.year for v in locked}
    policy = province_policy(max(years))  # the redemption's year: its mode and check limit
    if policy.redemption_mode not in (mode, RedemptionMode.BOTH):
        raise ValidationError({"mode": [f"本年度政策只允许{RedemptionMode(policy.redemption_mode).label}。"]})
    for v in locked:
        use = getattr(v, "use", None)
        if v.holder_id != payee.pk or v.status != VoucherStatus.USED or use is None:
            raise ValidationError({"vouchers": [f"{v.number} 不是本单位可兑付的已使用创新券。"]})
        if use.proof_status != ProofStatus.APPROVED:
            raise ValidationError({"vouchers": [f"{v.number} 的使用证明尚未通过审核。"]})
    today = timezone.localdate()
    redemption = Redemption(
        payee=payee,
        mode=mode,
        amount=sum(voucher_value(v) for v in locked),
        year=max(years),
        note=note,
        submitted_at=timezone.now(),
        check_deadline=add_workdays(today, policy.check_workdays).value,
        created_by=by,
    )
    _number(redemption, "NXDF")
    for v in locked:
        RedemptionItem.objects.create(redemption=redemption, voucher=v, amount=voucher_value(v))
        v.status = VoucherStatus.REDEEMING
        v.save(update_fields=["status"])
    RedemptionEvent.objects.create(
        redemption=redemption,
        actor=by,
        actor_role=by.role,
        from_status=RedemptionStatus.SUBMITTED,
        to_status=RedemptionStatus.SUBMITTED,
        note="提交兑付申请",
    )
    _move_items(redemption, LedgerKind.REDEEM_REQUEST, LedgerAccount.VOUCHER, LedgerAccount.REDEEMING, by)
    notify(
        users=User.objects.filter(organisation__kind=OrgKind.OPERATOR),
        title=f"新的兑付申请：{redemption.number}",
        body=f"{payee.name} · {redemption.amount:,.2f} 元，{redemption.check_deadline} 前审核",
        url="/vouchers/redemptions/",
    )
    return redemption


def _lock_redemption(redemption: Redemption) -> Redemption:
    return Redemption.objects.select_for_update(of=("self",)).select_related("payee").get(pk=redemption.pk)


def _return(redemption: Redemption, by: User, note: str) -> None:
    """Back to the payee: value returns from wherever it sits to the payee's voucher balance."""
    source = {
        RedemptionStatus.SUBMITTED: LedgerAccount.REDEEMING,
        RedemptionStatus.CHECKED: LedgerAccount.REDEEMING,
        RedemptionStatus.CONFIRMED: LedgerAccount.PAYABLE,
    }[redemption.status]
    if not note.strip():
        raise ValidationError({"note": ["退回须说明原因。"]})
    _move_items(redemption, LedgerKind.RETURN, source, LedgerAccount.VOUCHER, by)
    _audit(redemption, RedemptionStatus.RETURNED, by, note)
    Voucher.objects.filter(redemption_items__redemption=redemption).update(status=VoucherStatus.USED)
    redemption.save()
    notify_organisation(
        organisation=redemption.payee,
        title=f"兑付申请被退回：{redemption.number}",
        body=note,
        url="/vouchers/redemptions/",
    )


@transaction.atomic
def redemption_check(*, redemption: Redemption, by: User, approve: bool, note: str = "") -> Redemption:
    """The operator checks the material (deadline: 7 working days after submission)."""
    if by.role != Role.OPERATOR:
        raise PermissionDenied("只有运营单位审核兑付材料。")
    redemption = _lock_redemption(redemption)
    if redemption.status != RedemptionStatus.SUBMITTED:
        raise ValidationError("该兑付申请不在待审核状态。")
    if approve:
        _audit(redemption, RedemptionStatus.CHECKED, by, note or "材料审核通过")
        redemption.save()
        notify(
            users=User.objects.filter(organisation__kind=OrgKind.CENTRE),
            title=f"兑付待确认：{redemption.number}",
            url="/vouchers/redemptions/",
        )
    else:
        _return(redemption, by, note)
    return redemption


@transaction.atomic
def redemption_resubmit(*, redemption: Redemption, by: User, note: str = "") -> Redemption:
    redemption = _lock_redemption(redemption)
    if by.organisation_id != redemption.payee_id:
        raise PermissionDenied("只能重新提交本单位的兑付申请。")
    if redemption.status != RedemptionStatus.RETURNED:
        raise ValidationError("只有被退回的申请可以重新提交。")
    if redemption.resubmissions >= RESUBMISSIONS:
        raise ValidationError("兑付申请只允许重新提交一次。")
    for item in redemption.items.select_related("voucher"):
        _lock_voucher(item.voucher)
    _move_items(redemption, LedgerKind.REDEEM_REQUEST, LedgerAccount.VOUCHER, LedgerAccount.REDEEMING, by)
    redemption.resubmissions += 1
    redemption.submitted_at = timezone.now()
    redemption.check_deadline = add_workdays(
        timezone.localdate(), province_policy(redemption.year).check_workdays
    ).value
    _audit(redemption, RedemptionStatus.SUBMITTED, by, note or "修改后重新提交")
    redemption.save()
    Voucher.objects.filter(redemption_items__redemption=redemption).update(status=VoucherStatus.REDEEMING)
    return redemption


@transaction.atomic
def redemption_confirm(*, redemption: Redemption, by: User, approve: bool = True, note: str = "") -> Redemption:
    """The centre confirms a checked redemption; it then waits for a payout batch."""
    if by.role != Role.CENTRE:
        raise PermissionDenied("只有创业中心确认兑付。")
    redemption = _lock_redemption(redemption)
    if redemption.status != RedemptionStatus.CHECKED:
        raise ValidationError("该兑付申请尚未通过运营单位审核。")
    if not approve:
        _return(redemption, by, note)
        return redemption
    _move_items(redemption, LedgerKind.CONFIRM, LedgerAccount.REDEEMING, LedgerAccount.PAYABLE, by)
    _audit(redemption, RedemptionStatus.CONFIRMED, by, note or "确认兑付")
    redemption.confirmed_at = timezone.now()
    redemption.save()
    return redemption


# --- Payout batches, public notice, objections ----------------------------------------------


def _require_centre(by: User) -> None:
    if by.role != Role.CENTRE:
        raise PermissionDenied("只有创业中心可以管理拨付批次。")


@transaction.atomic
def batch_create(*, by: User, year: int, cycle: str) -> PayoutBatch:
    """Gather every confirmed redemption not yet in a batch, oldest confirmation first."""
    _require_centre(by)
    if cycle not in PayoutCycle.values:
        raise ValidationError({"cycle": ["未知的拨付周期。"]})
    waiting = list(
        Redemption.objects.select_for_update(of=("self",))
        .filter(status=RedemptionStatus.CONFIRMED, batch_item__isnull=True)
        .order_by("confirmed_at", "pk")
    )
    if not waiting:
        raise ValidationError("没有待拨付的兑付申请。")
    batch = PayoutBatch(year=year, cycle=cycle, created_by=by)
    _number(batch, "NXPF")
    for r in waiting:
        BatchItem.objects.create(batch=batch, redemption=r, amount=r.amount)
    return batch


@transaction.atomic
def batch_open_notice(*, batch: PayoutBatch, by: User, days: int | None = None) -> PayoutBatch:
    """公示: list the batch publicly for ``days`` (policy notice_days) before it can be approved."""
    _require_centre(by)
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.DRAFT:
        raise ValidationError("只有草拟中的批次可以公示。")
    days = days if days is not None else province_policy(batch.year).notice_days
    today = timezone.localdate()
    batch.status, batch.notice_from, batch.notice_until = BatchStatus.NOTICE, today, today + dt.timedelta(days=days)
    batch.save()
    return batch


@transaction.atomic
def objection_lodge(*, item: BatchItem, by: User, reason: str) -> Objection:
    """Any signed-in user may object to a listed redemption while its batch is on notice; an
    open objection holds that item's payout."""
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied("请先登录。")
    item = BatchItem.objects.select_for_update(of=("self",)).select_related("batch").get(pk=item.pk)
    today = timezone.localdate()
    if item.batch.status != BatchStatus.NOTICE or not (item.batch.notice_from <= today <= item.batch.notice_until):
        raise ValidationError("该批次不在公示期内。")
    if not reason.strip():
        raise ValidationError({"reason": ["请说明异议理由。"]})
    objection = Objection.objects.create(item=item, raised_by=by, reason=reason)
    item.status = BatchItemStatus.HELD
    item.save(update_fields=["status"])
    notify(
        users=User.objects.filter(organisation__kind=OrgKind.CENTRE),
        title=f"拨付公示收到异议：{item.batch.number}",
        body=reason,
        url="/vouchers/batches/",
    )
    return objection


@transaction.atomic
def objection_resolve(*, objection: Objection, by: User, upheld: bool, resolution: str) -> Objection:
    """Upheld: the redemption goes back to its payee. Dismissed: once no objection is open,
    the item may be paid."""
    _require_centre(by)
    objection = (
        Objection.objects.select_for_update(of=("self",)).select_related("item__redemption").get(pk=objection.pk)
    )
    if objection.status != ObjectionStatus.OPEN:
        raise ValidationError("该异议已处理。")
    if not resolution.strip():
        raise ValidationError({"resolution": ["请填写处理意见。"]})
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.resolution, objection.resolved_by, objection.resolved_at = resolution, by, timezone.now()
    objection.save()
    item = BatchItem.objects.select_for_update().get(pk=objection.item_id)
    if upheld:
        redemption = _lock_redemption(item.redemption)
        _return(redemption, by, f"公示异议成立：{resolution}")
        item.status = BatchItemStatus.HELD  # stays out of this batch's payment
        item.save(update_fields=["status"])
    elif not item.objections.filter(status=ObjectionStatus.OPEN).exists():
        item.status = BatchItemStatus.PENDING
        item.save(update_fields=["status"])
    return objection


@transaction.atomic
def batch_approve(*, batch: PayoutBatch, by: User) -> PayoutBatch:
    _require_centre(by)
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    today = timezone.localdate()
    if batch.status == BatchStatus.NOTICE and today <= batch.notice_until:
        raise ValidationError(f"公示期至 {batch.notice_until}，期满后才能批准。")
    if batch.status == BatchStatus.DRAFT and batch.cycle == PayoutCycle.QUARTERLY:
        raise ValidationError("按季度拨付的批次须先公示。")
    if batch.status not in (BatchStatus.DRAFT, BatchStatus.NOTICE):
        raise ValidationError("该批次不能批准。")
    batch.status = BatchStatus.APPROVED
    batch.save()
    return batch


def _budget_lock(year: int, region=None) -> Budget:
    budget, _ = Budget.objects.get_or_create(year=year, region=region)
    return Budget.objects.select_for_update().get(pk=budget.pk)


def _pay_item(item: BatchItem, *, by: User, year: int) -> bool:
    """Pay one item from ``year``'s budgets; False (and nothing written) when they fall short."""
    redemption = _lock_redemption(item.redemption)
    vouchers = [i.voucher for i in redemption.items.select_related("voucher__applicant__region")]
    face = sum(v.face_value for v in vouchers)
    _budget_lock(year)
    if balance(LedgerAccount.PROVINCE_BUDGET, year=year, region__isnull=True) < face:
        return False
    topups: dict = {}
    for v in vouchers:
        if v.county_topup:
            topups[v.applicant.region_id] = topups.get(v.applicant.region_id, ZERO) + v.county_topup
    for region_id, amount in sorted(topups.items()):
        _budget_lock(year, region_id)
        if balance(LedgerAccount.COUNTY_BUDGET, year=year, region_id=region_id) < amount:
            return False
    for v in vouchers:
        value = voucher_value(v)
        legs = [
            {"account": LedgerAccount.PAYABLE, "voucher": v, "amount": -value},
            {"account": LedgerAccount.PAID, "voucher": v, "organisation": redemption.payee, "amount": value},
            {"account": LedgerAccount.PROVINCE_BUDGET, "voucher": v, "amount": -v.face_value, "year": year},
        ]
        if v.county_topup:
            legs.append(
                {
                    "account": LedgerAccount.COUNTY_BUDGET,
                    "voucher": v,
                    "region_id": v.applicant.region_id,
                    "amount": -v.county_topup,
                    "year": year,
                }
            )
        _move(LedgerKind.PAY, by=by, year=year, note=redemption.number, legs=legs)
    Voucher.objects.filter(pk__in=[v.pk for v in vouchers]).update(status=VoucherStatus.REDEEMED)
    _audit(redemption, RedemptionStatus.PAID, by, f"批次 {item.batch.number} 拨付")
    redemption.save()
    item.status, item.paid_at = BatchItemStatus.PAID, timezone.now()
    item.save(update_fields=["status", "paid_at"])
    notify_organisation(
        organisation=redemption.payee,
        title=f"创新券兑付款已拨付：{redemption.number}",
        body=f"{redemption.amount:,.2f} 元",
        url="/vouchers/redemptions/",
    )
    return True


@transaction.atomic
def batch_pay(*, batch: PayoutBatch, by: User) -> dict:
    """Pay every item not held, in the order redemptions were confirmed. Items the year's
    budget cannot cover wait for the next budget in the same order."""
    _require_centre(by)
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.APPROVED:
        raise ValidationError("批次须先批准。")
    paid = waiting = 0
    for item in (
        batch.items.filter(status=BatchItemStatus.PENDING)
        .select_related("redemption")
        .order_by("redemption__confirmed_at", "pk")
    ):
        if _pay_item(item, by=by, year=batch.year):
            paid += 1
        else:
            item.status, item.queued_at = BatchItemStatus.WAITING_BUDGET, timezone.now()
            item.save(update_fields=["status", "queued_at"])
            waiting += 1
    batch.status, batch.paid_at = BatchStatus.PAID, timezone.now()
    batch.save()
    return {"paid": paid, "waiting_budget": waiting}


@transaction.atomic
def budget_set(*, by: User, year: int, amount: Decimal, region=None, note: str = "") -> Decimal:
    """Add to a year's budget (the province's, or a county's top-up budget), then pay items
    waiting for budget in the order they started waiting. Returns the new balance."""
    _require_centre(by)
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": ["预算金额须大于 0。"]})
    _budget_lock(year, region)
    account = LedgerAccount.COUNTY_BUDGET if region else LedgerAccount.PROVINCE_BUDGET
    _move(
        LedgerKind.BUDGET,
        by=by,
        year=year,
        note=note or "预算下达",
        legs=[{"account": account, "region": region, "amount": amount, "year": year}],
    )
    for item in (
        BatchItem.objects.filter(status=BatchItemStatus.WAITING_BUDGET)
        .select_related("batch")
        .order_by("queued_at", "pk")
    ):
        if _pay_item(item, by=by, year=year):
            continue
        break  # keep the order: later items wait behind the first that cannot be paid
    keys = {"year": year, "region": region} if region else {"year": year, "region__isnull": True}
    return balance(account, **keys)


# --- Expiry and clawback -----------------------------------------------------------------------


def vouchers_expire(*, today: dt.date | None = None) -> dict:
    """Expire unused vouchers past valid-until (their amount returns to the applicant's annual
    cap) and warn holders 30 days ahead. Each voucher in its own transaction."""
    today = today or timezone.localdate()
    expired = warned = 0
    for pk in Voucher.objects.filter(status=VoucherStatus.ISSUED, valid_until__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            v = _lock_voucher(Voucher(pk=pk))
            if v.status != VoucherStatus.ISSUED:
                continue
            _move(
                LedgerKind.EXPIRE,
                by=None,
                year=v.year,
                note="过期未使用",
                legs=[
                    {
                        "account": LedgerAccount.VOUCHER,
                        "voucher": v,
                        "organisation": v.holder,
                        "amount": -voucher_value(v),
                    },
                    {
                        "account": LedgerAccount.APPLICANT_CAP,
                        "voucher": v,
                        "organisation": v.applicant,
                        "amount": -v.face_value,
                    },
                ],
            )
            v.status = VoucherStatus.EXPIRED
            v.save(update_fields=["status"])
            notify_organisation(
                organisation=v.holder, title=f"创新券已过期：{v.number}", body="未使用的额度已退回本年度额度。"
            )
            expired += 1
    soon = Voucher.objects.filter(
        status=VoucherStatus.ISSUED,
        expiry_warned_at__isnull=True,
        valid_until__lte=today + dt.timedelta(days=EXPIRY_WARNING_DAYS),
        valid_until__gte=today,
    )
    for v in soon.select_related("holder"):
        with transaction.atomic():
            if Voucher.objects.filter(pk=v.pk, expiry_warned_at__isnull=True).update(expiry_warned_at=timezone.now()):
                notify_organisation(
                    organisation=v.holder,
                    title=f"创新券即将过期：{v.number}",
                    body=f"有效期至 {v.valid_until}，请尽快使用。",
                    url=f"/vouchers/{v.pk}/",
                )
                warned += 1
    return {"expired": expired, "warned": warned}


def default_ratings(*, today: dt.date | None = None) -> int:
    """Record a default good rating (marked as default) for uses not rated within 30 days,
    with or without a booking. A booking the enterprise rated on the catalogue's booking page
    counts as rated."""
    today = today or timezone.localdate()
    made = 0
    cutoff = today - dt.timedelta(days=RATING_DAYS)
    unrated = VoucherUse.objects.filter(completed_on__lt=cutoff, rating__isnull=True).exclude(
        voucher__contract__booking__rating__isnull=False
    )
    for use in unrated:
        use_rate(use=use, by=None, score=5, comment="默认好评：服务完成后30日内未评价。", is_default=True)
        made += 1
    return made


@transaction.atomic
def voucher_clawback(*, voucher: Voucher, by: User, reason: str) -> Voucher:
    """Recover a paid voucher for fraud: the money goes back to the budgets it came from, the
    applicant gets an integrity record that blocks new applications. Nothing is deleted."""
    _require_centre(by)
    if not reason.strip():
        raise ValidationError({"reason": ["须说明追回原因。"]})
    v = _lock_voucher(voucher)
    if v.status != VoucherStatus.REDEEMED:
        raise ValidationError("只能追回已拨付的创新券。")
    paid_to = LedgerEntry.objects.filter(account=LedgerAccount.PAID, voucher=v, amount__gt=0).first().organisation
    pay_year = (
        LedgerEntry.objects.filter(account=LedgerAccount.PROVINCE_BUDGET, voucher=v, kind=LedgerKind.PAY).first().year
    )
    legs = [
        {"account": LedgerAccount.PAID, "voucher": v, "organisation": paid_to, "amount": -voucher_value(v)},
        {"account": LedgerAccount.PROVINCE_BUDGET, "voucher": v, "amount": v.face_value, "year": pay_year},
    ]
    if v.county_topup:
        legs.append(
            {
                "account": LedgerAccount.COUNTY_BUDGET,
                "voucher": v,
                "region_id": v.applicant.region_id,
                "amount": v.county_topup,
                "year": pay_year,
            }
        )
    _move(LedgerKind.CLAWBACK, by=by, year=pay_year, note=reason, legs=legs)
    v.status = VoucherStatus.CLAWED_BACK
    v.save(update_fields=["status"])
    IntegrityRecord.objects.create(
        organisation=v.applicant, reason=f"创新券 {v.number} 被追回：{reason}", voucher=v, created_by=by
    )
    notify_organisation(organisation=v.applicant, title=f"创新券被追回：{v.number}", body=reason)
    return v


# --- Invariants ----------------------------------------------------------------------------------


def ledger_problems() -> list[str]:
    """Every invariant of the ledger; an empty list means it is consistent."""
    from django.db import connection

    problems: list[str] = []
    with connection.cursor() as cur:
        # Budgets per year and region; the applicant's cap use per organisation and year.
        cur.execute("""SELECT account, region_id, year, sum(amount) FROM vouchers_ledgerentry
                       WHERE account IN ('province_budget', 'county_budget')
                       GROUP BY 1, 2, 3 HAVING sum(amount) < 0""")
        problems += [f"negative {a} region={r} year={y}: {t}" for a, r, y, t in cur.fetchall()]
        cur.execute("""SELECT organisation_id, year, sum(amount) FROM vouchers_ledgerentry
                       WHERE account = 'applicant_cap' GROUP BY 1, 2 HAVING sum(amount) < 0""")
        problems += [f"negative cap use org={o} year={y}: {t}" for o, y, t in cur.fetchall()]
    expected = {
        VoucherStatus.ISSUED: LedgerAccount.VOUCHER,
        VoucherStatus.USED: LedgerAccount.VOUCHER,
        VoucherStatus.REDEEMING: None,
        VoucherStatus.REDEEMED: LedgerAccount.PAID,
        VoucherStatus.EXPIRED: None,
        VoucherStatus.CLAWED_BACK: None,
    }
    for v in Voucher.objects.all():
        sums = {
            a: balance(a, voucher=v)
            for a in (LedgerAccount.VOUCHER, LedgerAccount.REDEEMING, LedgerAccount.PAYABLE, LedgerAccount.PAID)
        }
        if any(s < 0 for s in sums.values()):
            problems.append(f"{v.number}: negative stage balance {sums}")
        total = sum(sums.values())
        live = v.status not in (VoucherStatus.EXPIRED, VoucherStatus.CLAWED_BACK)
        if total != (voucher_value(v) if live else ZERO):
            problems.append(f"{v.number}: value {total} in the ledger, expected {voucher_value(v) if live else 0}")
        account = expected[v.status]
        if account and sums[account] != voucher_value(v):
            problems.append(f"{v.number} ({v.status}): {account} holds {sums[account]}")
        holder = balance(LedgerAccount.VOUCHER, voucher=v, organisation=v.holder)
        if v.status in (VoucherStatus.ISSUED, VoucherStatus.USED) and holder != voucher_value(v):
            problems.append(f"{v.number}: its holder holds {holder}")
    for org_id, year, total in (
        LedgerEntry.objects.filter(account=LedgerAccount.APPLICANT_CAP)
        .values_list("organisation", "year")
        .annotate(s=Sum("amount"))
        .values_list("organisation", "year", "s")
    ):
        org = Organisation.objects.get(pk=org_id)
        policy = Policy.objects.filter(year=year, region__isnull=True).first()
        if policy is None:
            continue
        from vouchers.subsidy import annual_cap

        cap = annual_cap(
            policy,
            applicant_kind=org.kind,
            qualification=org.qualification,
            city_adcode=org.region.parent_id if org.region_id else None,
        )
        if total > cap:
            problems.append(f"{org.name} {year}: {total} issued over the cap {cap}")
    return problems
