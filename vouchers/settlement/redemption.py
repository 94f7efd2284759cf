"""Redemption (兑付, SPEC §5.4): the payee's request (instant or cumulative), the scheme's review
levels with approved amounts, returns, resubmission, withdrawal and confirmation."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import BankAccount, OrgKind, Role, User
from mapsite.workflow import InvalidTransition
from notifications.services import notify, notify_organisation
from vouchers import ledger
from vouchers.ledger import Leg, voucher_value
from vouchers.models import (
    LedgerAccount,
    LedgerKind,
    ProofKind,
    Redemption,
    RedemptionItem,
    RedemptionMode,
    RedemptionStatus,
    Voucher,
    VoucherStatus,
    VoucherUse,
)
from vouchers.policies.records import county_topup_rate, province_policy
from vouchers.policies.value import compute_subsidy, money
from vouchers.settlement.payouts import pay_on_approval
from vouchers.settlement.stages import assign_number, lock_vouchers_of, return_redemption, stage_legs
from vouchers.transitions import (
    REDEMPTION,
    VOUCHER,
)
from workdays.calendar import add_workdays

__all__ = [
    "assign_number",
    "redemption_request",
    "return_redemption",
    "redemption_check",
    "redemption_resubmit",
    "redemption_withdraw",
    "redemption_confirm",
]

ZERO = Decimal("0")
NO_BANK_ACCOUNT = "本单位尚未填写收款账户：兑付款只汇入本单位名下的账户，请先在“收款账户”页面填写后再申请兑付。"


# --- Redemption ------------------------------------------------------------------------------


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
        legs=stage_legs(redemption, vouchers, LedgerAccount.VOUCHER, LedgerAccount.REDEEMING),
    )
    for v in vouchers.values():
        VOUCHER.move(v, VoucherStatus.REDEEMING, by=by, note=f"兑付申请 {redemption.number}")
        v.save(update_fields=["status"])


@transaction.atomic
def redemption_request(*, by: User, vouchers: list[Voucher], mode: str, note: str = "") -> Redemption:
    """The payee asks for its used vouchers to be paid: one at once (即时) or several together
    (累计). Their use proofs must have been approved, and the payee must have its bank
    account (收款账户) on record: refused before, so no batch ever holds an item it cannot
    transfer."""
    payee = by.organisation
    if by.role not in (Role.APPLICANT, Role.INSTITUTION):
        raise PermissionDenied("只有持券的兑付方（服务机构或企业）可以申请兑付。")
    if not BankAccount.objects.filter(organisation=payee).exists():
        # Money is only ever transferred to the payee's own account (accounts.BankAccount):
        # a request without one would wait in a batch that cannot be paid.
        raise ValidationError(NO_BANK_ACCOUNT, code="no_bank_account")
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
    assign_number(redemption, "DF")
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
        ent = v.enterprise
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
            approved_text = f"认定合同金额 {asked:,.2f} 元，" if asked is not None else ""
            # Where the voucher already paid the institution's share (the payee is not the
            # enterprise), what it no longer covers is settled between the two under their contract.
            settle = (
                f"核减的 {less_face + less_topup:,.2f} 元不再由创新券支付，须由用券企业与服务机构按合同结算。"
                if redemption.payee_id != v.enterprise_id
                else ""
            )
            notify_organisation(
                organisation=v.enterprise,
                title=f"创新券 {v.number} 按认定金额核减",
                body=f"{approved_text}券面金额调整为 {voucher_value(v):,.2f} 元，{less_face:,.2f} 元退回本单位额度。"
                + settle,
                url=f"/vouchers/{v.pk}/",
            )
            if settle:
                notify_organisation(
                    organisation=redemption.payee,
                    title=f"兑付申请 {redemption.number} 按认定金额核减",
                    body=f"创新券 {v.number}：{approved_text}兑付金额调整为 {voucher_value(v):,.2f} 元。" + settle,
                    url=f"/vouchers/redemptions/{redemption.pk}/",
                )
        item.amount = voucher_value(v)
        item.save(update_fields=["amount", "approved_contract_amount"])


def _confirm(redemption: Redemption, vouchers: dict[int, Voucher], by: User, note: str) -> None:
    """The value becomes payable; where the scheme pays on approval it is paid at once."""
    ledger.post(
        LedgerKind.CONFIRM,
        by=by,
        year=redemption.year,
        note=redemption.number,
        legs=stage_legs(redemption, vouchers, LedgerAccount.REDEEMING, LedgerAccount.PAYABLE),
    )
    REDEMPTION.move(redemption, RedemptionStatus.CONFIRMED, by=by, note=note or "确认兑付")
    redemption.confirmed_at = timezone.now()
    redemption.save()
    if pay_on_approval(redemption=redemption, by=by) is not None:
        redemption.refresh_from_db()  # the payout moved it (paid, or waiting for budget)


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
        return_redemption(redemption, by, note)
        return redemption
    vouchers = lock_vouchers_of(redemption)
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
    _redeem_vouchers(redemption, lock_vouchers_of(redemption), by)
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
        return_redemption(redemption, by, note)
        return redemption
    _confirm(redemption, lock_vouchers_of(redemption), by, note)
    return redemption
