"""The use registration (创新券使用登记, Zhejiang's guide §3.2) as one form.

Where the year's scheme says so (``Policy.use_registration``) the enterprise registers a
use in one step: the service provider and the catalogue item, the service category, its
own contract's name, amount and signing date, the completion date, the payee
(企业兑付 / 载体兑付), its own contract, the invoice and the service-result proof, and the
promise (the integrity pledge). No review: :func:`register_use` composes the existing
services in one transaction — the offline contract (``contract_open_offline``), the pledge,
the submission that issues the voucher (``contract_submit`` → ``voucher_issue``), the use
with the payee's choice (``voucher_pay``), the three proofs (``proof_upload``) and their
submission (``proof_submit``) — so every status change goes through its transition table
with its audit row and every money movement through ``vouchers.ledger``. Any refusal rolls
all of it back and removes the files stored on the way.

A registration may name the enterprise's own booking (服务预约记录 → 申请使用创新券): one it
made, whose service the institution has completed (a voucher of a booking's contract pays
only then, ``transitions._not_payable``), with the voucher switch on and no contract yet.
The booking fills in the provider and the item, and the contract the registration makes
carries it, so one booking is registered once (``Contract.booking`` is one-to-one; the check
runs under the applicant's lock, so two racing registrations of one booking cannot both pass).
The same service registered twice is refused as well: the same enterprise and provider with
the same invoice number, or (without a booking) with the same item, contract name, amount and
signing date (what the guide's form identifies a service by).

The rest of the flow is unchanged: the institution confirms an enterprise-payee use, the
payee redeems, the scheme's redemption review pays.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from catalog.models import Booking, Institution, Instrument, Service
from mapsite import uploads
from vouchers import ledger
from vouchers.contracts import services as contracts
from vouchers.models import Contract, ContractStatus, PayeeChoice, Policy, ProofKind, ScopeUse, VoucherUse
from vouchers.policies.records import province_policy
from vouchers.settlement.selectors import payee_choice_error
from vouchers.settlement.use import proof_submit, proof_upload, voucher_pay
from vouchers.transitions import SERVICE_DONE

__all__ = [
    "Registration",
    "booking_refusal",
    "own_booking",
    "register_use",
    "registrable_bookings",
    "registration_policy",
    "registrations_of",
]

NOT_OFFERED = "本年度方案不使用创新券使用登记，请通过合同页面使用创新券。"
FILE_FIELDS = {
    "contract_file": (ProofKind.CONTRACT, "合同"),
    "invoice_file": (ProofKind.INVOICE, "发票"),
    "result_file": (ProofKind.RESULT, "服务结果凭证"),
}


@dataclass
class Registration:
    """What the form sends (already parsed into types; the service checks the rules).
    ``institution`` may be left out when ``booking`` names it."""

    category: str
    title: str
    amount: Decimal
    signed_on: dt.date
    completed_on: dt.date
    payee_choice: str = ""
    contract_file: object = None
    invoice_file: object = None
    result_file: object = None
    promise: bool = False
    service: Service | None = None
    instrument: Instrument | None = None
    invoice_number: str = ""
    content: str = ""
    institution: Institution | None = None
    booking: Booking | None = None


def registration_policy() -> Policy | None:
    """This year's policy if its scheme registers uses, else None."""
    policy = province_policy(timezone.localdate().year)
    if policy is None or policy.pk is None or not policy.use_registration:
        return None
    return policy


def registrations_of(organisation):
    """The organisation's uses (使用记录), newest first."""
    return (
        VoucherUse.objects.filter(voucher__enterprise=organisation)
        .select_related("voucher", "voucher__contract__booking", "voucher__institution__organisation", "payee")
        .order_by("-paid_at", "-pk")
    )


def registrable_bookings(organisation):
    """The organisation's bookings a use may be registered for now (see :func:`booking_refusal`):
    served, ordered with the voucher, not registered yet, and requested this year (a booking
    leads to a voucher only in its own policy year, ``contracts.booking_voucher_refusal``)."""
    return (
        contracts.in_booking_year(
            Booking.objects.filter(
                enterprise=organisation,
                status__in=SERVICE_DONE,
                use_voucher=True,
                contract__isnull=True,
            ),
            timezone.localdate().year,
        )
        .select_related("institution__organisation", "service", "instrument")
        .order_by("-created_at", "-pk")
    )


def own_booking(organisation, pk: int) -> Booking | None:
    """The organisation's booking ``pk`` (None for another's: the page names no other's)."""
    return Booking.objects.filter(pk=pk, enterprise=organisation).first()


def booking_refusal(booking: Booking) -> str | None:
    """Why the enterprise's own ``booking`` cannot be registered now, or None."""
    if booking.status in contracts.BOOKABLE_STATUSES and booking.status not in SERVICE_DONE:
        return "该预约的服务尚未完成：服务方确认服务完成后才能登记使用创新券。"
    if booking.status not in SERVICE_DONE:
        return "该预约未被服务方接受，不能登记使用创新券。"
    if not booking.use_voucher:
        return "该预约下单时选择了“不使用创新券”，是普通订单，不能登记使用创新券。"
    if hasattr(booking, "contract"):
        return _already(booking.contract)
    return contracts.booking_voucher_refusal(booking) or None


def _with_booking(reg: Registration, by: User) -> None:
    """Check the named booking against the caller and fill in what it names (provider, item).
    Another enterprise's booking is refused outright (403); one that cannot be registered, or
    that disagrees with the provider or item chosen, is a form error."""
    booking = reg.booking
    if booking is None:
        return
    if booking.enterprise_id != by.organisation_id:
        raise PermissionDenied("只能为本单位的预约登记使用创新券。")
    refusal = booking_refusal(booking)
    if refusal:
        raise ValidationError({"booking": [refusal]})
    if reg.institution is None:
        reg.institution = booking.institution
    elif reg.institution.pk != booking.institution_id:
        raise ValidationError({"booking": ["所选服务方与预约的服务方不一致。"]})
    if reg.service is None and reg.instrument is None:
        reg.service, reg.instrument = booking.service, booking.instrument
    elif (reg.service and reg.service.pk) != booking.service_id or (
        reg.instrument and reg.instrument.pk
    ) != booking.instrument_id:
        raise ValidationError({"service": [f"所选服务内容与预约的项目“{booking.item_name}”不一致。"]})


def _already(contract: Contract) -> str:
    voucher = getattr(contract, "voucher", None)
    what = f"创新券 {voucher.number}" if voucher is not None else f"合同 {contract.number}"
    return f"该预约已登记使用（{what}）：同一服务不能重复登记。"


def _duplicate_error(reg: Registration, enterprise_id: int, exclude: int) -> dict | None:
    """The same service registered before: the same provider and invoice number; without a
    booking also the same item, contract name, amount and signing date (two bookings are two
    services even where those agree)."""
    earlier = Contract.objects.filter(
        enterprise_id=enterprise_id, institution=reg.institution, voucher__isnull=False
    ).exclude(pk=exclude)
    number = reg.invoice_number.strip()
    if number:
        same = earlier.filter(
            voucher__use__proofs__kind=ProofKind.INVOICE, voucher__use__proofs__number__iexact=number
        ).first()
        if same is not None:
            return {
                "invoice_number": [
                    f"发票号码 {number} 已在创新券 {same.voucher.number} 的使用登记中使用：同一服务不能重复登记。"
                ]
            }
    if reg.booking is not None:
        return None  # the booking itself names the service (registered once, checked above)
    same = earlier.filter(
        service=reg.service,
        instrument=reg.instrument,
        title=reg.title,
        amount=reg.amount,
        signed_on=reg.signed_on,
    ).first()
    if same is not None:
        return {
            "title": [
                f"与创新券 {same.voucher.number} 的使用登记相同（同一服务方、服务内容、合同名称、金额和签订时间）："
                "同一服务不能重复登记。"
            ]
        }
    return None


def _check(reg: Registration, policy: Policy) -> None:
    """Every rule of the form that needs no lock, all reported at once (Chinese, per field)."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if not reg.promise:
        errors["promise"] = ["请阅读并勾选承诺条款。"]
    choice_error = payee_choice_error(policy, reg.payee_choice)
    if choice_error:
        errors["payee_choice"] = [choice_error]
    if reg.institution is None:
        errors["institution"] = ["请选择服务方。"]
    if reg.service is None and reg.instrument is None:
        errors["service"] = ["请选择服务方提供的服务项目或仪器设备。"]
    if reg.service is not None and reg.instrument is not None:
        errors["service"] = ["服务项目和仪器设备只能选择一项。"]
    item = reg.service or reg.instrument
    if item is not None and reg.institution is not None and item.institution_id != reg.institution.pk:
        errors["service"] = ["所选服务内容不属于该服务方。"]
    if reg.amount is None or reg.amount <= 0:
        errors["amount"] = ["合同金额须大于 0。"]
    if reg.signed_on and reg.signed_on > today:
        errors["signed_on"] = ["合同签订时间不能晚于今天。"]
    if reg.completed_on and reg.completed_on > today:
        errors["completed_on"] = ["服务完成日期不能晚于今天。"]
    if reg.signed_on and reg.completed_on and reg.completed_on < reg.signed_on:
        errors["completed_on"] = ["服务完成日期不能早于合同签订时间。"]
    for name, (_kind, label) in FILE_FIELDS.items():
        upload = getattr(reg, name)
        if upload is None:
            errors[name] = [f"请上传{label}。"]
            continue
        try:
            uploads.check(upload)
        except ValidationError as exc:
            errors[name] = [f"{label}：{m}" for m in exc.messages]
    if errors:
        raise ValidationError(errors)


def register_use(*, by: User, reg: Registration) -> VoucherUse:
    """Register one use (see the module's docstring): a used voucher of the scheme's value,
    its use with the payee's choice, the proofs submitted. Refuses, changing nothing, where
    the scheme has no use registration, the voucher would be worth less than its rule
    (the amount is over what is left of the enterprise's entitlement), the booking is not
    the caller's (403) or already registered, or the same service was registered before."""
    if by.role != Role.APPLICANT or by.organisation_id is None:
        raise PermissionDenied("只有创新主体可以登记使用创新券。")
    policy = registration_policy()
    if policy is None:
        raise ValidationError(NOT_OFFERED)
    _with_booking(reg, by)
    _check(reg, policy)
    stored: list = []
    try:
        with transaction.atomic():
            use = _register(by=by, reg=reg, stored=stored)
    except Exception:
        for field_file in stored:  # the transaction is gone: so are the files it stored
            field_file.storage.delete(field_file.name)
        raise
    return use


def _register(*, by: User, reg: Registration, stored: list) -> VoucherUse:
    scope = contracts.DEFAULT_SCOPE.get(reg.category, ScopeUse.TESTING)
    choice = PayeeChoice(reg.payee_choice)
    item = reg.service or reg.instrument
    contract = contracts.contract_open_offline(
        registering=True,
        by=by,
        institution=reg.institution,
        data={
            "service": reg.service,
            "instrument": reg.instrument,
            "title": reg.title,
            "content": reg.content or f"{reg.institution.organisation.name}提供“{item.name}”",
            "scope": scope,
            "category": reg.category,
            "amount": reg.amount,
            "signed_on": reg.signed_on,
            "service_start": reg.signed_on,
            "service_end": reg.completed_on,
            "payment_terms": f"使用登记：{choice.label}",
        },
    )
    # The lock order: the contract, then the applicant (as voucher_issue takes them). The
    # applicant's lock also queues its racing registrations, so the checks below see the
    # committed work of the one before (one booking, one service: registered once).
    contract = ledger.lock_contract(contract.pk)
    ledger.lock_applicant(contract.enterprise_id)
    if reg.booking is not None:
        taken = Contract.objects.filter(booking=reg.booking).first()
        if taken is not None:
            raise ValidationError({"booking": [_already(taken)]})
        contract.booking = reg.booking
        contract.save(update_fields=["booking", "updated_at"])
    duplicate = _duplicate_error(reg, contract.enterprise_id, exclude=contract.pk)
    if duplicate:
        raise ValidationError(duplicate)
    subsidy = contracts.subsidy_for(contract)
    if subsidy.amount < subsidy.by_rule:
        left = ledger.entitlement_left(contract.enterprise, contract.policy.year)
        raise ValidationError(
            {
                "amount": [
                    f"按政策本次可用创新券 {subsidy.by_rule:,.2f} 元，超过剩余额度 {max(left, Decimal('0')):,.2f} 元："
                    "请先申领额度或调整合同金额。"
                ]
            }
        )
    contracts.contract_accept_pledge(contract=contract, by=by)
    contract = contracts.contract_submit(contract=contract, by=by)
    if contract.status != ContractStatus.APPROVED:  # validate_scheme refuses such a scheme
        raise ValidationError("本年度方案使用前须审核，不能直接登记使用。")
    voucher = contract.voucher
    use = voucher_pay(
        voucher=voucher,
        by=by,
        idempotency_key=f"reg-{uuid.uuid4().hex}",
        completed_on=reg.completed_on,
        payee_choice=choice,
    )
    for name, (kind, _label) in FILE_FIELDS.items():
        upload = getattr(reg, name)
        upload.seek(0)
        is_invoice = kind == ProofKind.INVOICE
        proof = proof_upload(
            use=use,
            by=by,
            kind=kind,
            upload=upload,
            number=reg.invoice_number if is_invoice else "",
            amount=reg.amount if is_invoice else None,
        )
        stored.append(proof.file)
    return proof_submit(use=use, by=by)
