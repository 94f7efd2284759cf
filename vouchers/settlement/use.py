"""Using an issued voucher (SPEC §5.3): pay with it (the use registration, with the payee
the scheme names), the institution's confirmation, use proofs and their review, the rating."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import OrgKind, Role, User
from catalog import services as catalog_services
from catalog.services import BookingRater
from mapsite import uploads
from mapsite.workflow import InvalidTransition
from notifications.services import notify, notify_organisation
from vouchers import ledger
from vouchers.ledger import Leg
from vouchers.models import (
    LedgerAccount,
    LedgerKind,
    PayeeChoice,
    Proof,
    ProofBy,
    ProofKind,
    ProofStatus,
    Voucher,
    VoucherStatus,
    VoucherUse,
)
from vouchers.policies.records import province_policy
from vouchers.settlement.selectors import payee_choice_error, payment_preview
from vouchers.transitions import (
    PROOF,
    PROOF_DENIED,
    VOUCHER,
    proves,
)
from workdays.calendar import add_workdays

__all__ = [
    "voucher_pay",
    "use_confirm",
    "proof_upload",
    "proof_delete",
    "proof_submit",
    "proof_review",
    "proofs_reopen",
    "use_rate",
]

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
            Leg(LedgerAccount.VOUCHER, -terms.value, voucher=voucher, organisation=voucher.enterprise),
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
            body=f"{voucher.enterprise.name} 以创新券抵扣 {terms.applied:,.2f} 元，可申请兑付。",
            url=f"/vouchers/{voucher.pk}/",
        )
    elif terms.choice == PayeeChoice.ENTERPRISE:
        notify_organisation(
            organisation=voucher.institution.organisation,
            title=f"待确认用券：{voucher.number}",
            body=f"{voucher.enterprise.name} 选择企业兑付，请确认该创新券已用于本机构的服务。",
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
        organisation=use.voucher.enterprise,
        title=f"服务机构已确认用券：{use.voucher.number}",
        body=note,
        url=f"/vouchers/{use.voucher_id}/use/",
    )
    return use


def _require_applicant_of(use: VoucherUse, by: User) -> None:
    if by.organisation_id != use.voucher.enterprise_id:
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
def proof_delete(*, proof: Proof, by: User) -> None:
    """Remove one uploaded proof while the proofs can still be edited (not yet submitted, or
    sent back for correction: a returned review or redemption), so that a wrong invoice or
    an unclear result can be replaced before the proofs are submitted again. Only the
    scheme's prover may; the stored file goes once the deletion is committed, and the use's
    proof history keeps a row saying what was removed."""
    use = ledger.lock_use(proof.use_id)
    _require_prover(use, by)
    if use.proof_status not in PROOF_EDITABLE:
        raise ValidationError("证明材料已提交，不能删除；被退回补正后方可删除或更换。")
    proof = Proof.objects.filter(pk=proof.pk, use=use).first()
    if proof is None:  # a second click, or a parallel request, removed it already
        raise ValidationError("该证明材料已删除。")
    storage, name = proof.file.storage, proof.file.name
    amount = f"，{proof.amount:,.2f} 元" if proof.amount is not None else ""
    number = f" {proof.number}" if proof.number else ""
    proof.delete()
    # No status changes: the row only records the removal in the proofs' history.
    PROOF.created(use, by=by, note=f"删除{ProofKind(proof.kind).label}{number}{amount}")
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def receipt_required(policy) -> bool:
    """Whether the scheme's proofs include a bank receipt whose total equals the invoices':
    where the enterprise proves the use on the platform's contract (it paid the cash part)."""
    return policy.proof_by == ProofBy.ENTERPRISE and not policy.use_registration


def deduction(use: VoucherUse) -> Decimal:
    """What the voucher paid of the price (in-region deduction), else 0 (paid in full)."""
    return use.voucher_applied if use.cash_paid < use.price else ZERO


def receipts_match(use: VoucherUse, invoices: Decimal, receipts: Decimal) -> bool:
    """The invoices cover the whole price; the bank receipts show what the enterprise paid:
    the whole price, or — where the voucher paid part of it — the cash part."""
    return invoices in (receipts, receipts + deduction(use))


def proof_kinds(policy) -> list[str]:
    """The kinds of proof the scheme's upload form offers: those it asks for first, in its
    order, then 合同、研发活动证明 and 其他 as optional material (Jiangsu's guide lists them
    beside the invoices; the API takes them too). A bank receipt is offered only where the
    scheme asks for one (Henan's institution proves with its report and invoice)."""
    kinds = [ProofKind.CONTRACT] if policy.use_registration else []
    kinds.append(ProofKind.INVOICE)
    if receipt_required(policy):
        kinds.append(ProofKind.BANK_RECEIPT)
    kinds.append(ProofKind.RESULT)
    optional = (ProofKind.CONTRACT, ProofKind.RND, ProofKind.OTHER)  # never a receipt nobody asks for
    return [*kinds, *(k for k in optional if k not in kinds)]


def proofs_asked(policy) -> str:
    """The proofs the scheme asks for, as the upload page states them."""
    parts = ["企业与服务方签订的合同"] if policy.use_registration else []
    parts.append("发票")
    if receipt_required(policy):
        parts.append("银行回单（合计与发票一致）")
    extra = "研发活动证明" if policy.use_registration else "合同、研发活动证明"
    return "、".join(parts) + f"和结果证明（检测报告、解决方案或总结）；{extra}等其他材料可一并上传"


@transaction.atomic
def proof_submit(*, use: VoucherUse, by: User) -> VoucherUse:
    """Submit proofs: an invoice, a result proof, and — where the enterprise proves the use
    (it paid the cash part) — a bank receipt whose total equals the invoices'. Where the
    institution proves it (Henan: 检测报告和发票) the receipt is not asked for; where uses are
    registered (``Policy.use_registration``, Zhejiang: 合同、发票、服务结果凭证) the
    enterprise's own contract is asked for instead of the receipt. Submitting
    after the working-day deadline is allowed but flagged. Where the scheme reviews proofs
    (``Policy.proof_review``, Ningxia) they wait for the operator; elsewhere they are filed
    for the redemption's reviewer, and the voucher may be redeemed at once."""
    use = ledger.lock_use(use.pk)
    _require_prover(use, by)
    if use.proof_status not in PROOF_EDITABLE:
        raise ValidationError("证明材料已提交。")
    move = PROOF.require(use, by, "submit")
    proofs = list(use.proofs.all())
    invoices = sum((p.amount for p in proofs if p.kind == ProofKind.INVOICE), ZERO)
    receipts = sum((p.amount for p in proofs if p.kind == ProofKind.BANK_RECEIPT), ZERO)
    problems = []
    policy = use.voucher.contract.policy
    if policy.use_registration and not any(p.kind == ProofKind.CONTRACT for p in proofs):
        problems.append("缺少企业与服务方签订的合同")
    if not invoices:
        problems.append("缺少发票")
    if receipt_required(policy) and not receipts:
        problems.append("缺少银行回单")
    if invoices and receipts and not receipts_match(use, invoices, receipts):
        deducted = deduction(use)
        shown = f"银行回单合计 {receipts:,.2f} 元" + (f"（加创新券抵扣 {deducted:,.2f} 元）" if deducted else "")
        problems.append(f"发票合计 {invoices:,.2f} 元与{shown}不一致")
    if not any(p.kind == ProofKind.RESULT for p in proofs):
        problems.append("缺少结果证明（检测报告、解决方案或总结）")
    if problems:
        raise ValidationError("；".join(problems) + "。")
    use.proof_submitted_at = timezone.now()
    use.proof_late = timezone.localdate() > use.proof_deadline
    PROOF.move(use, move.target, by=by, note="提交证明材料" + ("（逾期）" if use.proof_late else ""))
    use.save()
    if move.target == ProofStatus.SUBMITTED:
        notify(
            users=User.objects.filter(organisation__kind=OrgKind.OPERATOR),
            title=f"使用证明待审核：{use.voucher.number}" + ("（逾期）" if use.proof_late else ""),
            url=f"/vouchers/{use.voucher_id}/",
        )
    return use


def proofs_reopen(use: VoucherUse, *, by: User | None, note: str) -> None:
    """A returned redemption sends filed proofs back for correction (schemes without a proof
    review: the redemption's reviewer checked them)."""
    use = ledger.lock_use(use.pk)
    if use.proof_status != ProofStatus.FILED:
        return
    PROOF.move(use, ProofStatus.RETURNED, by=by, note=note)
    use.proof_note = note
    use.save(update_fields=["proof_status", "proof_note"])
    voucher = use.voucher
    prover = voucher.institution.organisation if voucher.contract.policy.proof_by == ProofBy.INSTITUTION else None
    notify_organisation(
        organisation=prover or voucher.enterprise,
        title=f"使用证明退回补正：{voucher.number}",
        body=note,
        url=f"/vouchers/{voucher.pk}/",
        sms=True,
    )


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
        organisation=use.voucher.enterprise,
        title=f"使用证明{'已通过' if approve else '被退回'}：{use.voucher.number}",
        body=note,
        url=f"/vouchers/{use.voucher_id}/",
        sms=True,
    )
    return use


@transaction.atomic
def use_rate(
    *,
    use: VoucherUse,
    by: User | None,
    score: int,
    comment: str = "",
    is_default: bool = False,
    platform_score: int | None = None,
):
    """Rate the institution for the service the voucher paid for (1–5), once per use: the
    rating is linked to the use (offline contracts have no booking to hang it on) and to
    its booking, if any — a use whose booking was rated is rated. Where the scheme asks
    (``Policy.platform_rating``, Henan) the applicant scores the platform's service too."""
    if not is_default:
        _require_applicant_of(use, by)
    # Two rating requests for one use queue here; the second sees the first one's rating.
    use = ledger.lock_use(use.pk)
    contract = use.voucher.contract
    if use.rating_id is not None:
        raise ValidationError("该服务已评价。")
    wants_platform = contract.policy.platform_rating and not is_default
    if wants_platform and platform_score is None:
        raise ValidationError({"platform_score": ["请为省平台本次服务评分（1–5 分）。"]})
    if platform_score is not None and not contract.policy.platform_rating:
        raise ValidationError({"platform_score": ["本年度政策不评价省平台服务。"]})
    rating = catalog_services.rating_record(
        enterprise=contract.enterprise,
        institution=contract.institution,
        booking=contract.booking,
        instrument=contract.instrument,
        service=contract.service,
        score=score,
        comment=comment,
        platform_score=platform_score,
        is_default=is_default,
        by=by,
    )
    use.rating = rating
    use.save(update_fields=["rating"])
    return rating


def booking_rater(booking) -> BookingRater | None:
    """The catalogue's booking page rates a booking paid with a voucher through its use
    (``use_rate``): one rating per service, with the platform's score where the voucher's
    scheme asks for it (registered with ``catalog.services.set_booking_rater``)."""
    use = (
        VoucherUse.objects.filter(voucher__contract__booking=booking)
        .select_related("voucher__contract__policy")
        .first()
    )
    if use is None:
        return None
    return BookingRater(platform=use.voucher.contract.policy.platform_rating, rate=partial(use_rate, use=use))
