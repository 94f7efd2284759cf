"""Services for what happens to an issued voucher (SPEC §5.3–5.4): use, proofs, rating,
redemption, payout batches with public notice and objections, budget, expiry, clawback —
and institutions' annual subsidies (SPEC §5.5), payables paid by the same batches.

A subsidy (``Subsidy``) is granted by the centre (``subsidy_grant``: the amount becomes
payable in the ledger), gathered into a subsidy batch (``batch_create`` with
``kind=subsidies``) and paid by ``batch_pay`` exactly like a redemption: from the province
budget of the batch's year, in order, waiting for budget when it falls short. A batch holds
one kind only (``BatchKind``): redemptions are gathered monthly or quarterly as they are
confirmed, subsidies once a year after the evaluation, and each batch is one bank list.

Statuses move only through the workflows of ``vouchers.transitions`` (one audit row per
move); money only through ``vouchers.ledger.post``, after the rows involved are locked in
the order ``vouchers.ledger`` documents.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import province
from accounts.models import Organisation, OrgKind, Role, User
from catalog import services as catalog_services
from geodata.models import Region
from mapsite import uploads
from mapsite.numbering import save_with_number
from mapsite.workflow import InvalidTransition
from notifications.services import notify, notify_organisation
from vouchers import ledger
from vouchers.ledger import Leg, voucher_value
from vouchers.models import (
    ACTIVE_ITEM_STATUSES,
    LIVE_SUBSIDY_STATUSES,
    BatchItem,
    BatchItemStatus,
    BatchKind,
    BatchStatus,
    IntegrityRecord,
    LedgerAccount,
    LedgerKind,
    Objection,
    ObjectionStatus,
    PayeeChoice,
    PayoutBatch,
    PayoutCycle,
    Proof,
    ProofKind,
    ProofStatus,
    Redemption,
    RedemptionItem,
    RedemptionMode,
    RedemptionStatus,
    Subsidy,
    SubsidyStatus,
    Voucher,
    VoucherStatus,
    VoucherUse,
)
from vouchers.policies import county_topup_rate, province_policy
from vouchers.settlement_selectors import payee_choice_error, payment_preview, redemptions_unbatched
from vouchers.subsidy import compute_subsidy, money
from vouchers.transitions import (
    BATCH,
    BATCH_ITEM,
    OBJECTION,
    PROOF,
    PROOF_DENIED,
    REDEMPTION,
    SUBSIDY,
    VOUCHER,
    proves,
)
from workdays.calendar import add_workdays

ZERO = Decimal("0")
PROOF_EDITABLE = (ProofStatus.NONE, ProofStatus.RETURNED)


# --- Use ------------------------------------------------------------------------------------


@transaction.atomic
def voucher_pay(
    *,
    voucher: Voucher,
    by: User,
    idempotency_key: str,
    completed_on: dt.date | None = None,
    payee_choice: str = "",
    result_confirmed: bool = False,
) -> VoucherUse:
    """Apply the voucher to its contract's service (the use registration). Repeating the
    same key returns the first result instead of paying twice. Who is paid follows the
    scheme (``settlement_selectors.payment_preview``); where the enterprise chooses
    (Zhejiang), ``payee_choice`` is 企业兑付 or 载体兑付. Where the scheme pays after the
    result (``Policy.result_confirmation``, Henan), the institution must have uploaded the
    order result and the applicant confirms it with ``result_confirmed``."""
    key = (idempotency_key or "").strip()
    if not 8 <= len(key) <= 64:
        raise ValidationError({"idempotency_key": ["须提供 8–64 位的幂等键（Idempotency-Key）。"]})
    # Racing spends of one voucher queue on its row; the second sees it already used.
    voucher = ledger.lock_voucher(voucher.pk)
    existing = VoucherUse.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.voucher_id != voucher.pk:
            raise ValidationError({"idempotency_key": ["该幂等键已用于另一张创新券。"]})
        return existing
    try:
        VOUCHER.require(voucher, by, "pay")
    except InvalidTransition:
        raise ValidationError(f"该创新券当前状态为“{VoucherStatus(voucher.status).label}”，不能使用。") from None
    contract = voucher.contract
    choice_error = payee_choice_error(contract.policy, payee_choice)
    if choice_error:
        raise ValidationError({"payee_choice": [choice_error]})
    if contract.policy.result_confirmation:
        if contract.booking is None or not contract.booking.result:
            raise ValidationError(
                {"result_confirmed": ["服务机构上传订单结果后才能支付：本方案为确认结果无误即支付。"]}
            )
        if not result_confirmed:
            raise ValidationError({"result_confirmed": ["请先查看服务机构上传的订单结果，确认无误后支付。"]})
    terms = payment_preview(voucher, payee_choice)
    payee = terms.payee
    today = timezone.localdate()
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
        price=terms.price,
        voucher_applied=terms.applied,
        cash_paid=terms.cash,
        completed_on=done,
        proof_deadline=deadline.value,
        calendar_warning=deadline.warning,
        idempotency_key=key,
        paid_by=by,
        payee_choice=terms.choice,
        result_confirmed_at=timezone.now() if contract.policy.result_confirmation else None,
    )
    ledger.post(
        LedgerKind.USE,
        by=by,
        year=voucher.year,
        note=f"{contract.number} 使用",
        legs=[
            Leg(LedgerAccount.VOUCHER, -terms.value, voucher=voucher, organisation=voucher.applicant),
            Leg(LedgerAccount.VOUCHER, terms.value, voucher=voucher, organisation=payee),
        ],
    )
    voucher.holder = payee
    VOUCHER.move(voucher, VoucherStatus.USED, by=by, note=f"支付 {contract.number}，收款方 {payee.name}")
    voucher.save(update_fields=["holder", "status"])
    if terms.in_region:
        notify_organisation(
            organisation=payee,
            title=f"收到服务券：{voucher.number}",
            body=f"{voucher.applicant.name} 以创新券抵扣 {terms.applied:,.2f} 元，可申请兑付。",
            url=f"/vouchers/{voucher.pk}/",
        )
    elif terms.choice == PayeeChoice.ENTERPRISE:
        notify_organisation(
            organisation=voucher.institution.organisation,
            title=f"待确认用券：{voucher.number}",
            body=f"{voucher.applicant.name} 选择企业兑付，请确认该创新券已用于本机构的服务。",
            url=f"/vouchers/{voucher.pk}/use/",
        )
    return use


@transaction.atomic
def use_confirm(*, use: VoucherUse, by: User, note: str = "") -> VoucherUse:
    """The institution confirms that an enterprise-redeemed voucher (企业兑付) was used for
    its service; until then the enterprise cannot redeem it."""
    use = ledger.lock_use(use.pk)
    if by.role != Role.INSTITUTION or by.organisation_id != use.voucher.institution.organisation_id:
        raise PermissionDenied("只有提供服务的机构可以确认用券。")
    if use.payee_choice != PayeeChoice.ENTERPRISE:
        raise ValidationError("只有选择企业兑付的用券需要服务机构确认。")
    if use.institution_confirmed_at is not None:
        raise ValidationError("该用券已确认。")
    use.institution_confirmed_at = timezone.now()
    use.save(update_fields=["institution_confirmed_at"])
    notify_organisation(
        organisation=use.voucher.applicant,
        title=f"服务机构已确认用券：{use.voucher.number}",
        body=note,
        url=f"/vouchers/{use.voucher_id}/use/",
    )
    return use


def _require_applicant_of(use: VoucherUse, by: User) -> None:
    if by.organisation_id != use.voucher.applicant_id:
        raise PermissionDenied("只有用券企业可以评价服务。")


def _require_prover(use: VoucherUse, by: User) -> None:
    """Who uploads and submits the use proofs is the scheme's (``Policy.proof_by``): the
    enterprise, or the institution (Henan: its test report and invoice)."""
    if not proves(use, by):
        raise PermissionDenied(PROOF_DENIED)


def proof_upload(*, use: VoucherUse, by: User, kind: str, upload, number: str = "", amount=None) -> Proof:
    """One proof file (PDF ≤ 50 MB, JPEG/PNG ≤ 5 MB, checked by content)."""
    mime = uploads.check(upload)
    _require_prover(use, by)
    if kind not in ProofKind.values:
        raise ValidationError({"kind": ["未知的材料类型。"]})
    if kind in (ProofKind.INVOICE, ProofKind.BANK_RECEIPT) and (amount is None or Decimal(amount) <= 0):
        raise ValidationError({"amount": ["发票和银行回单须填写金额。"]})
    if use.proof_status not in PROOF_EDITABLE:
        raise ValidationError("证明材料已提交审核，不能再修改。")
    uploads.rename(upload, mime)
    return Proof.objects.create(
        use=use, kind=kind, number=number, amount=amount, file=upload, content_type=mime, uploaded_by=by
    )


@transaction.atomic
def proof_submit(*, use: VoucherUse, by: User) -> VoucherUse:
    """Submit proofs: an invoice, a bank receipt whose total equals the invoices', and a
    result proof. Submitting after the 10-working-day deadline is allowed but flagged."""
    use = ledger.lock_use(use.pk)
    _require_prover(use, by)
    if use.proof_status not in PROOF_EDITABLE:
        raise ValidationError("证明材料已提交。")
    PROOF.require(use, by, "submit")
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
    use.proof_submitted_at = timezone.now()
    use.proof_late = timezone.localdate() > use.proof_deadline
    PROOF.move(use, ProofStatus.SUBMITTED, by=by, note="提交证明材料" + ("（逾期）" if use.proof_late else ""))
    use.save()
    notify(
        users=User.objects.filter(organisation__kind=OrgKind.OPERATOR),
        title=f"使用证明待审核：{use.voucher.number}" + ("（逾期）" if use.proof_late else ""),
        url=f"/vouchers/{use.voucher_id}/",
    )
    return use


@transaction.atomic
def proof_review(*, use: VoucherUse, by: User, approve: bool, note: str = "") -> VoucherUse:
    use = ledger.lock_use(use.pk)
    try:
        move = PROOF.require(use, by, "approve" if approve else "return")
    except InvalidTransition:
        raise ValidationError("没有待审核的证明材料。") from None
    if not approve and not note.strip():
        raise ValidationError({"note": ["退回须说明原因。"]})
    PROOF.move(use, move.target, by=by, note=note or "审核通过")
    use.proof_note = note
    use.save()
    notify_organisation(
        organisation=use.voucher.applicant,
        title=f"使用证明{'已通过' if approve else '被退回'}：{use.voucher.number}",
        body=note,
        url=f"/vouchers/{use.voucher_id}/",
        sms=True,
    )
    return use


@transaction.atomic
def use_rate(*, use: VoucherUse, by: User | None, score: int, comment: str = "", is_default: bool = False):
    """Rate the institution for the service the voucher paid for (1–5), once per use: the
    rating is linked to the use (offline contracts have no booking to hang it on)."""
    if not is_default:
        _require_applicant_of(use, by)
    # Two rating requests for one use queue here; the second sees the first one's rating.
    use = ledger.lock_use(use.pk)
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


def _number(redemption_or_batch, kind: str) -> None:
    save_with_number(redemption_or_batch, lambda o: province.number(kind, f"{o.year}{o.pk:06d}"))


def _stage_legs(redemption: Redemption, vouchers: dict[int, Voucher], source: str, target: str) -> list[Leg]:
    """Each voucher's value moves from ``source`` to ``target`` (the voucher account is the
    payee's)."""
    legs = []
    for item in redemption.items.order_by("pk"):
        v = vouchers[item.voucher_id]
        for account, amount in ((source, -item.amount), (target, item.amount)):
            org = redemption.payee if account == LedgerAccount.VOUCHER else None
            legs.append(Leg(account, amount, voucher=v, organisation=org))
    return legs


def _lock_vouchers_of(redemption: Redemption) -> dict[int, Voucher]:
    return ledger.lock_vouchers(redemption.items.values_list("voucher_id", flat=True))


def _redeem_vouchers(redemption: Redemption, vouchers: dict[int, Voucher], by: User) -> None:
    """The payee's vouchers go into redemption: each must be a used voucher it holds, with
    its use proofs approved."""
    for v in vouchers.values():
        try:
            VOUCHER.require(v, by, "redeem")
        except (PermissionDenied, InvalidTransition):
            raise ValidationError({"vouchers": [f"{v.number} 不是本单位可兑付的已使用创新券。"]}) from None
        except ValidationError as exc:
            raise ValidationError({"vouchers": exc.messages}) from None
    ledger.post(
        LedgerKind.REDEEM_REQUEST,
        by=by,
        year=redemption.year,
        note=redemption.number,
        legs=_stage_legs(redemption, vouchers, LedgerAccount.VOUCHER, LedgerAccount.REDEEMING),
    )
    for v in vouchers.values():
        VOUCHER.move(v, VoucherStatus.REDEEMING, by=by, note=f"兑付申请 {redemption.number}")
        v.save(update_fields=["status"])


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
    locked = ledger.lock_vouchers(ids)
    year = max(v.year for v in locked.values())
    policy = province_policy(year)  # the redemption's year: its mode and check limit
    if policy.redemption_mode not in (mode, RedemptionMode.BOTH):
        raise ValidationError({"mode": [f"本年度政策只允许{RedemptionMode(policy.redemption_mode).label}。"]})
    today = timezone.localdate()
    redemption = Redemption(
        payee=payee,
        mode=mode,
        amount=sum(voucher_value(v) for v in locked.values()),
        year=year,
        note=note,
        submitted_at=timezone.now(),
        check_deadline=add_workdays(today, policy.check_workdays).value,
        created_by=by,
    )
    _number(redemption, "DF")
    RedemptionItem.objects.bulk_create(
        RedemptionItem(redemption=redemption, voucher=v, amount=voucher_value(v)) for v in locked.values()
    )
    REDEMPTION.created(redemption, by=by, note="提交兑付申请")
    _redeem_vouchers(redemption, locked, by)
    notify(
        users=User.objects.filter(organisation__kind=OrgKind.OPERATOR),
        title=f"新的兑付申请：{redemption.number}",
        body=f"{payee.name} · {redemption.amount:,.2f} 元，{redemption.check_deadline} 前审核",
        url="/vouchers/redemptions/",
    )
    return redemption


def _return(redemption: Redemption, by: User | None, note: str) -> None:
    """Back to the payee (the caller holds the redemption's lock): the value returns from
    wherever it sits to the payee's voucher balance, the vouchers are "used" again."""
    if not note.strip():
        raise ValidationError({"note": ["退回须说明原因。"]})
    source = {
        RedemptionStatus.SUBMITTED: LedgerAccount.REDEEMING,
        RedemptionStatus.CHECKED: LedgerAccount.REDEEMING,
        RedemptionStatus.CONFIRMED: LedgerAccount.PAYABLE,
    }[redemption.status]
    vouchers = _lock_vouchers_of(redemption)
    ledger.post(
        LedgerKind.RETURN,
        by=by,
        year=redemption.year,
        note=redemption.number,
        legs=_stage_legs(redemption, vouchers, source, LedgerAccount.VOUCHER),
    )
    REDEMPTION.move(redemption, RedemptionStatus.RETURNED, by=by, note=note)
    redemption.save()
    for v in vouchers.values():
        VOUCHER.move(v, VoucherStatus.USED, by=by, note=f"兑付申请 {redemption.number} 退回")
        v.save(update_fields=["status"])
    notify_organisation(
        organisation=redemption.payee,
        title=f"兑付申请被退回：{redemption.number}",
        body=note,
        url="/vouchers/redemptions/",
        sms=True,
    )


def _invoice_total(voucher: Voucher) -> Decimal | None:
    use = VoucherUse.objects.filter(voucher=voucher).first()
    if use is None:
        return None
    total = sum((p.amount or ZERO for p in use.proofs.filter(kind=ProofKind.INVOICE)), ZERO)
    return total or None


def _approved_amounts(redemption: Redemption, vouchers: dict[int, Voucher], approved: dict, by: User) -> None:
    """Approve the amounts of each voucher (审核认定): the contract amount the reviewer
    approves (never above the contract's), then no more than the final invoices' total; the
    voucher is worth what its rule gives on that base, never more than it was. What it
    loses leaves redemption and returns to the applicant's cap or entitlement (one
    ``adjust`` movement per voucher)."""
    unknown = {int(k) for k in approved} - set(vouchers)
    if unknown:
        raise ValidationError({"approved": ["认定金额中有不属于该申请的创新券。"]})
    policy = province_policy(redemption.year)
    for item in redemption.items.order_by("pk"):
        v = vouchers[item.voucher_id]
        contract = v.contract
        base = contract.amount
        asked = approved.get(v.pk, approved.get(str(v.pk)))
        if asked is not None:
            try:
                asked = money(asked)
            except (ArithmeticError, ValueError, TypeError):
                raise ValidationError({"approved": [f"{v.number} 的认定合同金额不是有效金额。"]}) from None
            if asked < 0 or asked > contract.amount:
                raise ValidationError(
                    {"approved": [f"{v.number} 的认定合同金额须在 0 到合同金额 {contract.amount:,.2f} 元之间。"]}
                )
            base = item.approved_contract_amount = asked
        invoices = _invoice_total(v)
        if invoices is not None and invoices < base:
            base = invoices
        if base >= contract.amount and asked is None:
            continue
        ent = v.applicant
        subsidy = compute_subsidy(
            policy,
            base,
            applicant_kind=ent.kind,
            qualification=ent.qualification,
            city_adcode=ent.region.parent_id if ent.region_id else None,
            topup_rate=county_topup_rate(v.year, ent.region_id),
        )
        face, topup = min(v.face_value, subsidy.amount), min(v.county_topup, subsidy.county_topup)
        less_face, less_topup = v.face_value - face, v.county_topup - topup
        if less_face + less_topup > 0:
            ledger.post(
                LedgerKind.ADJUST,
                by=by,
                year=v.year,
                note=f"{redemption.number} 认定金额 {base:,.2f} 元",
                legs=[
                    Leg(LedgerAccount.REDEEMING, -(less_face + less_topup), voucher=v),
                    *ledger.cap_return_legs(v, less_face),
                ],
            )
            v.face_value, v.county_topup = face, topup
            v.save(update_fields=["face_value", "county_topup"])
            redemption.amount -= less_face + less_topup
        item.amount = voucher_value(v)
        item.save(update_fields=["amount", "approved_contract_amount"])


def _confirm(redemption: Redemption, vouchers: dict[int, Voucher], by: User, note: str) -> None:
    ledger.post(
        LedgerKind.CONFIRM,
        by=by,
        year=redemption.year,
        note=redemption.number,
        legs=_stage_legs(redemption, vouchers, LedgerAccount.REDEEMING, LedgerAccount.PAYABLE),
    )
    REDEMPTION.move(redemption, RedemptionStatus.CONFIRMED, by=by, note=note or "确认兑付")
    redemption.confirmed_at = timezone.now()
    redemption.save()


@transaction.atomic
def redemption_check(
    *, redemption: Redemption, by: User, approve: bool, note: str = "", approved: dict | None = None
) -> Redemption:
    """The first level of the scheme's redemption review (``Policy.redemption_review``:
    Ningxia's operator, Henan's platform, Jiangsu's and Zhejiang's bureau) checks the
    material within the policy's working days and approves the amounts (``approved``:
    voucher id → approved contract amount; the final invoices cap it anyway). With one
    level its approval confirms the redemption; with two the last level confirms."""
    redemption = ledger.lock_redemption(redemption.pk)
    try:
        move = REDEMPTION.require(redemption, by, "check" if approve else "return")
    except InvalidTransition:
        raise ValidationError("该兑付申请不在待审核状态。") from None
    if not approve:
        _return(redemption, by, note)
        return redemption
    vouchers = _lock_vouchers_of(redemption)
    _approved_amounts(redemption, vouchers, approved or {}, by)
    if move.target == RedemptionStatus.CONFIRMED:
        _confirm(redemption, vouchers, by, note or "审核通过，确认兑付")
        return redemption
    REDEMPTION.move(redemption, RedemptionStatus.CHECKED, by=by, note=note or "材料审核通过")
    redemption.save()
    notify(
        users=User.objects.filter(organisation__kind=OrgKind.CENTRE),
        title=f"兑付待确认：{redemption.number}",
        url="/vouchers/redemptions/",
    )
    return redemption


@transaction.atomic
def redemption_resubmit(*, redemption: Redemption, by: User, note: str = "") -> Redemption:
    """The payee sends a returned redemption back to the operator (the policy says how often)."""
    redemption = ledger.lock_redemption(redemption.pk)
    try:
        REDEMPTION.require(redemption, by, "resubmit")
    except InvalidTransition:
        raise ValidationError("只有被退回的申请可以重新提交。") from None
    redemption.resubmissions += 1
    redemption.submitted_at = timezone.now()
    redemption.check_deadline = add_workdays(
        timezone.localdate(), province_policy(redemption.year).check_workdays
    ).value
    REDEMPTION.move(redemption, RedemptionStatus.SUBMITTED, by=by, note=note or "修改后重新提交")
    redemption.save()
    _redeem_vouchers(redemption, _lock_vouchers_of(redemption), by)
    return redemption


@transaction.atomic
def redemption_withdraw(*, redemption: Redemption, by: User, note: str = "") -> Redemption:
    """The payee gives up a returned redemption; its vouchers are already back in its hands
    and may be asked for again in a new redemption."""
    redemption = ledger.lock_redemption(redemption.pk)
    REDEMPTION.require(redemption, by, "withdraw")
    REDEMPTION.move(redemption, RedemptionStatus.WITHDRAWN, by=by, note=note or "撤回申请")
    redemption.save()
    return redemption


@transaction.atomic
def redemption_confirm(*, redemption: Redemption, by: User, approve: bool = True, note: str = "") -> Redemption:
    """The centre confirms a checked redemption; it then waits for a payout batch."""
    redemption = ledger.lock_redemption(redemption.pk)
    try:
        REDEMPTION.require(redemption, by, "confirm" if approve else "return")
    except InvalidTransition:
        raise ValidationError("该兑付申请尚未通过运营单位审核。") from None
    if not approve:
        _return(redemption, by, note)
        return redemption
    _confirm(redemption, _lock_vouchers_of(redemption), by, note)
    return redemption


# --- Institutions' subsidies (SPEC §5.5) ------------------------------------------------------


def _require_centre_for_subsidy(by: User) -> None:
    if getattr(by, "role", None) != Role.CENTRE:
        raise PermissionDenied("只有创业中心可以核定或撤销机构补助。")


def _subsidies_unbatched():
    """Granted subsidies without an active batch item, in the order a new batch takes them."""
    return (
        Subsidy.objects.filter(status=SubsidyStatus.GRANTED)
        .exclude(batch_items__status__in=ACTIVE_ITEM_STATUSES)
        .order_by("granted_at", "pk")
    )


@transaction.atomic
def subsidy_grant(*, institution: Organisation, year: int, amount: Decimal, note: str = "", by: User) -> Subsidy:
    """The centre grants an institution's annual subsidy: ``amount`` becomes payable in the
    ledger (``subsidy_payable``) until a subsidy batch pays it from the province budget.
    At most one live (granted or paid) subsidy per institution and year, and never more
    than the year's policy cap per institution (``Policy.subsidy_cap_institution``).
    ``note`` says where the amount comes from (the annual evaluation's result). A second
    grant for the same institution and year is refused, so a caller that retries cannot pay
    twice; a cancelled subsidy may be granted again."""
    _require_centre_for_subsidy(by)
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": ["补助金额须大于 0。"]})
    if institution.kind != OrgKind.INSTITUTION:
        raise ValidationError({"institution": ["只有服务机构可以获得机构补助。"]})
    cap = province_policy(year).subsidy_cap_institution
    if amount > cap:
        raise ValidationError({"amount": [f"补助金额超过每家机构每年 {cap:,.2f} 元的上限。"]})
    # Two grants for one institution and year queue on its row; the second sees the first.
    ledger.lock_applicant(institution.pk)
    live = Subsidy.objects.filter(institution=institution, year=year, status__in=LIVE_SUBSIDY_STATUSES).first()
    if live is not None:
        raise ValidationError(f"{institution.name} 的 {year} 年度补助已核定（{live.number}）。", code="subsidy_exists")
    subsidy = Subsidy(
        institution=institution, year=year, amount=amount, note=note[:200], granted_by=by, granted_at=timezone.now()
    )
    save_with_number(subsidy, lambda s: province.number("BZ", f"{s.year}{s.pk:07d}"))
    SUBSIDY.created(subsidy, by=by, note=note or "核定补助")
    ledger.post(
        LedgerKind.SUBSIDY_GRANT,
        by=by,
        year=year,
        note=subsidy.number,
        legs=[Leg(LedgerAccount.SUBSIDY_PAYABLE, amount, subsidy=subsidy, organisation=institution)],
    )
    notify_organisation(
        organisation=institution,
        title=f"机构年度补助已核定：{subsidy.number}",
        body=f"{year} 年度 {amount:,.2f} 元，待拨付。",
    )
    return subsidy


def _subsidy_void(subsidy: Subsidy, by: User | None, note: str) -> None:
    """The payable leaves the ledger and the subsidy is cancelled (the caller holds its lock
    and has asked the workflow)."""
    ledger.post(
        LedgerKind.SUBSIDY_CANCEL,
        by=by,
        year=subsidy.year,
        note=f"{subsidy.number} {note}",
        legs=[Leg(LedgerAccount.SUBSIDY_PAYABLE, -subsidy.amount, subsidy=subsidy, organisation=subsidy.institution)],
    )
    SUBSIDY.move(subsidy, SubsidyStatus.CANCELLED, by=by, note=note)
    subsidy.save(update_fields=["status"])
    notify_organisation(organisation=subsidy.institution, title=f"机构年度补助已撤销：{subsidy.number}", body=note)


@transaction.atomic
def subsidy_cancel(*, subsidy: Subsidy, by: User, note: str) -> Subsidy:
    """The centre cancels a granted subsidy that no batch holds (a correction, with a
    reason); the institution and year may then be granted again."""
    subsidy = ledger.lock_subsidy(subsidy.pk)
    try:
        SUBSIDY.require(subsidy, by, "cancel")
    except InvalidTransition:
        raise ValidationError("只有待拨付的补助可以撤销。") from None
    if not note.strip():
        raise ValidationError({"note": ["撤销须说明原因。"]})
    _subsidy_void(subsidy, by, note.strip())
    return subsidy


# --- Payout batches, public notice, objections ----------------------------------------------


def _require_centre(by: User) -> None:
    if by.role != Role.CENTRE:
        raise PermissionDenied("只有创业中心可以管理拨付批次。")


def _subsidies_to_batch() -> tuple[list[Subsidy], str]:
    locked = ledger.lock_subsidies(_subsidies_unbatched().values_list("pk", flat=True))
    # Re-read under the locks: a batch created meanwhile, or a cancellation, has taken some.
    waiting = list(_subsidies_unbatched().filter(pk__in=list(locked)))
    if not waiting:
        raise ValidationError("没有待拨付的机构补助。")
    return waiting, f"{len(waiting)} 笔机构年度补助"


def _redemptions_to_batch(year: int, cycle: str) -> tuple[list[Redemption], str]:
    locked = ledger.lock_redemptions(redemptions_unbatched().values_list("pk", flat=True))
    # Re-read under the locks: a batch created meanwhile has taken some of them.
    waiting = list(redemptions_unbatched().filter(pk__in=list(locked)))
    note = f"{len(waiting)} 笔兑付申请"
    cutoff = province_policy(year).payout_cutoff_workdays
    if cycle == PayoutCycle.QUARTERLY and cutoff:
        # A quarterly summary (Henan) holds what was confirmed in the quarters before this
        # one; it is due within the scheme's working days after the quarter's end.
        quarter_start = _quarter_start(timezone.localdate())
        waiting = [r for r in waiting if timezone.localtime(r.confirmed_at).date() < quarter_start]
        due = add_workdays(quarter_start - dt.timedelta(days=1), cutoff).value
        note = f"截至 {quarter_start - dt.timedelta(days=1)} 的季度汇总，{len(waiting)} 笔兑付申请，应于 {due} 前完成"
        if not waiting:
            raise ValidationError("上一季度及以前没有待拨付的兑付申请：本季度确认的申请纳入下一季度汇总。")
    if not waiting:
        raise ValidationError("没有待拨付的兑付申请。")
    return waiting, note


@transaction.atomic
def batch_create(*, by: User, year: int, cycle: str, kind: str = BatchKind.REDEMPTIONS) -> PayoutBatch:
    """Gather every confirmed redemption without an active batch item, oldest confirmation
    first (one whose earlier item was released by an upheld objection comes back here).
    With ``kind`` subsidies: every granted subsidy without an active item, oldest grant
    first. ``year`` is the year whose budgets pay the batch."""
    _require_centre(by)
    if cycle not in PayoutCycle.values:
        raise ValidationError({"cycle": ["未知的拨付周期。"]})
    if kind not in BatchKind.values:
        raise ValidationError({"kind": ["未知的批次类型。"]})
    if kind == BatchKind.SUBSIDIES:
        waiting, note = _subsidies_to_batch()
    else:
        waiting, note = _redemptions_to_batch(year, cycle)
    batch = PayoutBatch(year=year, cycle=cycle, kind=kind, created_by=by)
    _number(batch, "PF")
    BATCH.created(batch, by=by, note=note)
    field_name = "subsidy" if kind == BatchKind.SUBSIDIES else "redemption"
    for payable in waiting:
        item = BatchItem.objects.create(batch=batch, amount=payable.amount, **{field_name: payable})
        BATCH_ITEM.created(item, by=by, note=f"纳入批次 {batch.number}")
    return batch


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@transaction.atomic
def batch_step(*, batch: PayoutBatch, by: User, step: str, note: str = "") -> PayoutBatch:
    """The scheme's steps before the public notice (Henan's quarterly summary): the centre
    sends the batch to the experts (``experts``), an expert gives the review opinion
    (``assess``, a note required), the centre records the S&T and finance departments'
    confirmation (``finance``, the document reference as note)."""
    if step not in ("experts", "assess", "finance"):
        raise ValidationError({"step": ["未知的批次环节。"]})
    batch = ledger.lock_batch(batch.pk)
    move = BATCH.require(batch, by, step)
    if step in ("assess", "finance") and not note.strip():
        raise ValidationError({"note": ["请填写评审意见或确认文号。"]})
    BATCH.move(batch, move.target, by=by, note=note or move.label)
    batch.save()
    return batch


@transaction.atomic
def batch_open_notice(*, batch: PayoutBatch, by: User, days: int | None = None) -> PayoutBatch:
    """公示: list the batch publicly for ``days`` (policy notice_days) before it can be approved."""
    batch = ledger.lock_batch(batch.pk)
    try:
        BATCH.require(batch, by, "notice")
    except InvalidTransition:
        raise ValidationError("该批次当前不能公示。") from None
    days = days if days is not None else province_policy(batch.year).notice_days
    today = timezone.localdate()
    batch.notice_from, batch.notice_until = today, today + dt.timedelta(days=days)
    BATCH.move(batch, BatchStatus.NOTICE, by=by, note=f"公示至 {batch.notice_until}")
    batch.save()
    return batch


def batch_settle(batch: PayoutBatch, *, by: User | None) -> None:
    """An approved batch becomes paid once every item is paid or released (carried to a
    later batch); the caller holds the batch's lock."""
    if batch.status != BatchStatus.APPROVED:
        return
    if batch.items.exclude(status__in=(BatchItemStatus.PAID, BatchItemStatus.RELEASED)).exists():
        return
    batch.paid_at = timezone.now()
    BATCH.move(batch, BatchStatus.PAID, by=by, note="全部条目已拨付或移出")
    batch.save()


@transaction.atomic
def batch_approve(*, batch: PayoutBatch, by: User) -> PayoutBatch:
    batch = ledger.lock_batch(batch.pk)
    try:
        BATCH.require(batch, by, "approve")
    except InvalidTransition:
        raise ValidationError("该批次不能批准。") from None
    BATCH.move(batch, BatchStatus.APPROVED, by=by, note="批准拨付")
    batch.save()
    batch_settle(batch, by=by)
    return batch


@transaction.atomic
def objection_lodge(*, item: BatchItem, by: User, reason: str) -> Objection:
    """Any signed-in user may object to a listed redemption while its batch is on notice; an
    open objection holds that item's payout."""
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied("请先登录。")
    ledger.lock_batch(item.batch_id)
    item = ledger.lock_item(item.pk)
    try:
        BATCH_ITEM.require(item, by, "object")
    except InvalidTransition:
        raise ValidationError("该条目已不在待拨付状态，不能提出异议。") from None
    if not reason.strip():
        raise ValidationError({"reason": ["请说明异议理由。"]})
    objection = Objection.objects.create(item=item, raised_by=by, reason=reason)
    OBJECTION.created(objection, by=by, note=reason)
    BATCH_ITEM.move(item, BatchItemStatus.HELD, by=by, note=f"异议：{reason}")
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
    """Upheld: the redemption goes back to its payee and its item leaves the batch (once
    resubmitted and confirmed again it enters a later batch); a subsidy is cancelled (the
    centre may grant it again, corrected). Dismissed: once no objection is open, the item
    is pending again and is paid with its batch."""
    item_pk = Objection.objects.values_list("item_id", flat=True).get(pk=objection.pk)
    batch = ledger.lock_batch(BatchItem.objects.values_list("batch_id", flat=True).get(pk=item_pk))
    item = ledger.lock_item(item_pk)
    objection = ledger.lock_objection(objection.pk)
    try:
        OBJECTION.require(objection, by, "uphold" if upheld else "dismiss")
    except InvalidTransition:
        raise ValidationError("该异议已处理。") from None
    if not resolution.strip():
        raise ValidationError({"resolution": ["请填写处理意见。"]})
    objection.resolution, objection.resolved_by, objection.resolved_at = resolution, by, timezone.now()
    OBJECTION.move(objection, ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED, by=by, note=resolution)
    objection.save()
    if upheld:
        if item.status == BatchItemStatus.HELD:
            if item.subsidy_id is not None:
                subsidy = ledger.lock_subsidy(item.subsidy_id)
                _subsidy_void(subsidy, by, f"公示异议成立：{resolution}")
            else:
                redemption = ledger.lock_redemption(item.redemption_id)
                _return(redemption, by, f"公示异议成立：{resolution}")
            BATCH_ITEM.move(item, BatchItemStatus.RELEASED, by=by, note=f"异议成立，移出批次：{resolution}")
            item.save(update_fields=["status"])
    elif item.status == BatchItemStatus.HELD and not item.objections.filter(status=ObjectionStatus.OPEN).exists():
        BATCH_ITEM.move(item, BatchItemStatus.PENDING, by=by, note="异议不成立，恢复待拨付")
        item.save(update_fields=["status"])
    batch_settle(batch, by=by)
    return objection


@dataclass
class _Payout:
    """Pays items in order from one year's budgets, all rows locked beforehand (ledger's
    lock order: items, redemptions, subsidies, vouchers, budgets). Order is kept: once the
    province budget falls short, every later item waits too; a short county budget holds
    only the items that need it. A subsidy item draws on the province budget only."""

    year: int
    by: User | None
    items: list[BatchItem]
    also_lock: tuple[int, ...] = ()  # a county whose budget is being set
    redemptions: dict[int, Redemption] = field(default_factory=dict)
    subsidies: dict[int, Subsidy] = field(default_factory=dict)
    vouchers: dict[int, Voucher] = field(default_factory=dict)
    budgets: dict = field(default_factory=dict)
    province_short: bool = False
    short_counties: set = field(default_factory=set)

    def __post_init__(self) -> None:
        self.redemptions = ledger.lock_redemptions(i.redemption_id for i in self.items if i.redemption_id)
        self.subsidies = ledger.lock_subsidies(i.subsidy_id for i in self.items if i.subsidy_id)
        voucher_ids = RedemptionItem.objects.filter(redemption__in=list(self.redemptions)).values_list(
            "voucher_id", flat=True
        )
        self.vouchers = ledger.lock_vouchers(voucher_ids)
        self.budgets = ledger.lock_budgets(self.year, [*self.counties_needed(), *self.also_lock])

    def vouchers_of(self, item: BatchItem) -> list[Voucher]:
        if item.redemption_id is None:
            return []
        return [self.vouchers[i.voucher_id] for i in self.redemptions[item.redemption_id].items.order_by("pk")]

    def topups(self, item: BatchItem) -> dict[int, Decimal]:
        need: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for v in self.vouchers_of(item):
            if v.county_topup:
                need[v.applicant.region_id] += v.county_topup
        return dict(need)

    def counties_needed(self) -> dict[int, Decimal]:
        need: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for item in self.items:
            for region_id, amount in self.topups(item).items():
                need[region_id] += amount
        return dict(need)

    def counties_without_budget(self) -> dict[int, Decimal]:
        return {r: a for r, a in self.counties_needed().items() if r not in self.budgets}

    def pay(self, item: BatchItem) -> bool:
        """Pay ``item``, or False (nothing written) when a budget it needs falls short."""
        if item.subsidy_id is not None:
            return self.pay_subsidy(item)
        vouchers = self.vouchers_of(item)
        face = sum((v.face_value for v in vouchers), ZERO)
        topups = self.topups(item)
        if self.province_short or ledger.budget_balance(self.year) < face:
            self.province_short = True
            return False
        short = {r for r, a in topups.items() if r not in self.budgets or ledger.budget_balance(self.year, r) < a}
        short |= set(topups) & self.short_counties
        if short:
            self.short_counties |= short
            return False
        redemption = self.redemptions[item.redemption_id]
        legs = []
        for v in vouchers:
            value = voucher_value(v)
            legs += [
                Leg(LedgerAccount.PAYABLE, -value, voucher=v),
                Leg(LedgerAccount.PAID, value, voucher=v, organisation=redemption.payee),
                Leg(LedgerAccount.PROVINCE_BUDGET, -v.face_value, voucher=v),
                Leg(LedgerAccount.COUNTY_BUDGET, -v.county_topup, voucher=v, region_id=v.applicant.region_id),
            ]
        ledger.post(LedgerKind.PAY, by=self.by, year=self.year, note=redemption.number, legs=legs)
        for v in vouchers:
            VOUCHER.move(v, VoucherStatus.REDEEMED, by=self.by, note=f"批次 {item.batch.number} 拨付")
            v.save(update_fields=["status"])
        REDEMPTION.move(redemption, RedemptionStatus.PAID, by=self.by, note=f"批次 {item.batch.number} 拨付")
        redemption.save()
        self.item_paid(item)
        notify_organisation(
            organisation=redemption.payee,
            title=f"创新券兑付款已拨付：{redemption.number}",
            body=f"{redemption.amount:,.2f} 元",
            url="/vouchers/redemptions/",
            sms=True,
        )
        return True

    def pay_subsidy(self, item: BatchItem) -> bool:
        """An institution's subsidy: from payable to paid, funded by the province budget."""
        subsidy = self.subsidies[item.subsidy_id]
        if self.province_short or ledger.budget_balance(self.year) < subsidy.amount:
            self.province_short = True
            return False
        institution = subsidy.institution
        ledger.post(
            LedgerKind.PAY,
            by=self.by,
            year=self.year,
            note=subsidy.number,
            legs=[
                Leg(LedgerAccount.SUBSIDY_PAYABLE, -subsidy.amount, subsidy=subsidy, organisation=institution),
                Leg(LedgerAccount.SUBSIDY_PAID, subsidy.amount, subsidy=subsidy, organisation=institution),
                Leg(LedgerAccount.PROVINCE_BUDGET, -subsidy.amount, subsidy=subsidy),
            ],
        )
        subsidy.paid_at = timezone.now()
        SUBSIDY.move(subsidy, SubsidyStatus.PAID, by=self.by, note=f"批次 {item.batch.number} 拨付")
        subsidy.save(update_fields=["status", "paid_at"])
        self.item_paid(item)
        notify_organisation(
            organisation=institution,
            title=f"机构年度补助已拨付：{subsidy.number}",
            body=f"{subsidy.year} 年度 {subsidy.amount:,.2f} 元",
            sms=True,
        )
        return True

    def item_paid(self, item: BatchItem) -> None:
        item.paid_at = timezone.now()
        BATCH_ITEM.move(item, BatchItemStatus.PAID, by=self.by, note=f"{self.year} 年度预算拨付")
        item.save(update_fields=["status", "paid_at"])


def _missing_county_budgets(year: int, missing: dict[int, Decimal]) -> ValidationError:
    names = Region.objects.in_bulk(list(missing))
    parts = [f"{names[r].name if r in names else r}（需 {a:,.2f} 元）" for r, a in sorted(missing.items())]
    return ValidationError(
        f"{'、'.join(parts)}尚未下达 {year} 年度区县配套预算，不能拨付含区县配套的创新券："
        "请先在预算页面下达该区县预算。",
        code="county_budget_missing",
    )


@transaction.atomic
def batch_pay(*, batch: PayoutBatch, by: User) -> dict:
    """Pay every pending item, in the order redemptions were confirmed. Items the year's
    budgets cannot cover wait for budget in the same order; held items wait for their
    objection. The batch is paid once every item is paid or released.

    Refused (nothing paid) while a county whose vouchers carry a top-up has no budget of
    the year at all: that is a budget to set first, not a shortfall to queue behind."""
    batch = ledger.lock_batch(batch.pk)
    try:
        BATCH.require(batch, by, "pay")
    except InvalidTransition:
        raise ValidationError("批次须先批准。") from None
    pending = batch.items.filter(status=BatchItemStatus.PENDING).order_by("redemption__confirmed_at", "pk")
    order = list(pending.values_list("pk", flat=True))
    locked = ledger.lock_items(order)
    payout = _Payout(year=batch.year, by=by, items=[locked[pk] for pk in order])
    missing = payout.counties_without_budget()
    if missing:
        raise _missing_county_budgets(batch.year, missing)
    paid = waiting = 0
    for item in payout.items:
        if payout.pay(item):
            paid += 1
        else:
            item.queued_at = timezone.now()
            BATCH_ITEM.move(item, BatchItemStatus.WAITING_BUDGET, by=by, note=f"{batch.year} 年度预算不足")
            item.save(update_fields=["status", "queued_at"])
            waiting += 1
    batch_settle(batch, by=by)
    return {"paid": paid, "waiting_budget": waiting}


@transaction.atomic
def budget_set(*, by: User, year: int, amount: Decimal, region=None, note: str = "") -> Decimal:
    """Add to a year's budget (the province's, or a county's top-up budget), then pay items
    waiting for budget in the order they started waiting. Returns the new balance."""
    _require_centre(by)
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": ["预算金额须大于 0。"]})
    region_id = region.pk if region is not None else None
    waiting = list(
        BatchItem.objects.filter(status=BatchItemStatus.WAITING_BUDGET)
        .order_by("queued_at", "pk")
        .values_list("pk", "batch_id")
    )
    batches = ledger.lock_batches(batch_id for _, batch_id in waiting)
    locked = ledger.lock_items(pk for pk, _ in waiting)
    ledger.ensure_budget(year, region_id)  # the row that says this budget was set
    still_waiting = [locked[pk] for pk, _ in waiting if locked[pk].status == BatchItemStatus.WAITING_BUDGET]
    payout = _Payout(year=year, by=by, items=still_waiting, also_lock=(region_id,) if region_id else ())
    account = LedgerAccount.COUNTY_BUDGET if region_id else LedgerAccount.PROVINCE_BUDGET
    ledger.post(
        LedgerKind.BUDGET, by=by, year=year, note=note or "预算下达", legs=[Leg(account, amount, region_id=region_id)]
    )
    for item in payout.items:
        payout.pay(item)
    for batch in batches.values():
        batch_settle(batch, by=by)
    return ledger.budget_balance(year, region_id)


# --- Expiry, warnings, default ratings, clawback ---------------------------------------------------


def vouchers_expire(*, today: dt.date | None = None) -> dict:
    """Expire unused vouchers past valid-until (their amount returns to the applicant's annual
    cap) and warn holders ahead (the policy's warning days). Each voucher in its own
    transaction."""
    today = today or timezone.localdate()
    expired = warned = 0
    for pk in Voucher.objects.filter(status=VoucherStatus.ISSUED, valid_until__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            v = ledger.lock_voucher(pk)
            if v.status != VoucherStatus.ISSUED:
                continue
            ledger.post(
                LedgerKind.EXPIRE,
                year=v.year,
                note="过期未使用",
                legs=[
                    Leg(LedgerAccount.VOUCHER, -voucher_value(v), voucher=v, organisation=v.holder),
                    *ledger.cap_return_legs(v, v.face_value),
                ],
            )
            VOUCHER.move(v, VoucherStatus.EXPIRED, by=None, note=f"有效期至 {v.valid_until}，过期未使用")
            v.save(update_fields=["status"])
            notify_organisation(
                organisation=v.holder, title=f"创新券已过期：{v.number}", body="未使用的额度已退回本年度额度。"
            )
            expired += 1
    unwarned = Voucher.objects.filter(
        status=VoucherStatus.ISSUED, expiry_warned_at__isnull=True, valid_until__gte=today
    )
    for year in unwarned.values_list("year", flat=True).distinct():
        days = province_policy(year).expiry_warning_days
        for v in unwarned.filter(year=year, valid_until__lte=today + dt.timedelta(days=days)).select_related("holder"):
            with transaction.atomic():
                # Not a status: a stamp so that each holder is warned once.
                if Voucher.objects.filter(pk=v.pk, expiry_warned_at__isnull=True).update(
                    expiry_warned_at=timezone.now()
                ):
                    notify_organisation(
                        organisation=v.holder,
                        title=f"创新券即将过期：{v.number}",
                        body=f"有效期至 {v.valid_until}，请尽快使用。",
                        url=f"/vouchers/{v.pk}/",
                    )
                    warned += 1
    return {"expired": expired, "warned": warned}


def default_ratings(*, today: dt.date | None = None) -> int:
    """Record a default good rating (marked as default) for uses not rated within the
    policy's rating days, with or without a booking. A booking the enterprise rated on the
    catalogue's booking page counts as rated."""
    today = today or timezone.localdate()
    made = 0
    unrated = VoucherUse.objects.filter(rating__isnull=True).exclude(voucher__contract__booking__rating__isnull=False)
    for year in unrated.values_list("voucher__year", flat=True).distinct():
        days = province_policy(year).rating_days
        cutoff = today - dt.timedelta(days=days)
        for use in unrated.filter(voucher__year=year, completed_on__lt=cutoff):
            use_rate(use=use, by=None, score=5, comment=f"默认好评：服务完成后{days}日内未评价。", is_default=True)
            made += 1
    return made


@transaction.atomic
def voucher_clawback(*, voucher: Voucher, by: User, reason: str) -> Voucher:
    """Recover a paid voucher for fraud: the money goes back to the budgets it came from, the
    applicant gets an integrity record that blocks new applications. Nothing is deleted."""
    v = ledger.lock_voucher(voucher.pk)
    try:
        VOUCHER.require(v, by, "clawback")
    except InvalidTransition:
        raise ValidationError("只能追回已拨付的创新券。") from None
    if not reason.strip():
        raise ValidationError({"reason": ["须说明追回原因。"]})
    paid = ledger.payout_legs(v)
    years = {e.year for e in paid}
    for year in sorted(years):
        ledger.lock_budgets(year, [e.region_id for e in paid if e.region_id and e.year == year])
    legs = [Leg(LedgerAccount.PAID, -voucher_value(v), voucher=v, organisation=ledger.paid_to(v))]
    legs += [Leg(e.account, -e.amount, voucher=v, region_id=e.region_id, year=e.year) for e in paid]
    ledger.post(LedgerKind.CLAWBACK, by=by, year=min(years), note=reason, legs=legs)
    VOUCHER.move(v, VoucherStatus.CLAWED_BACK, by=by, note=reason)
    v.save(update_fields=["status"])
    IntegrityRecord.objects.create(
        organisation=v.applicant, reason=f"创新券 {v.number} 被追回：{reason}", voucher=v, created_by=by
    )
    notify_organisation(organisation=v.applicant, title=f"创新券被追回：{v.number}", body=reason)
    return v
