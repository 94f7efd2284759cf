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
from catalog.models import Institution, Instrument, Service
from mapsite import uploads
from vouchers import ledger
from vouchers.contracts import services as contracts
from vouchers.models import ContractStatus, PayeeChoice, Policy, ProofKind, ScopeUse, VoucherUse
from vouchers.policies.records import province_policy
from vouchers.settlement.selectors import payee_choice_error
from vouchers.settlement.use import proof_submit, proof_upload, voucher_pay

__all__ = ["Registration", "register_use", "registration_policy", "registrations_of"]

NOT_OFFERED = "本年度方案不使用创新券使用登记，请通过合同页面使用创新券。"
FILE_FIELDS = {
    "contract_file": (ProofKind.CONTRACT, "合同"),
    "invoice_file": (ProofKind.INVOICE, "发票"),
    "result_file": (ProofKind.RESULT, "服务结果凭证"),
}


@dataclass
class Registration:
    """What the form sends (already parsed into types; the service checks the rules)."""

    institution: Institution
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
        .select_related("voucher", "voucher__contract", "voucher__institution__organisation", "payee")
        .order_by("-paid_at", "-pk")
    )


def _check(reg: Registration, policy: Policy) -> None:
    """Every rule of the form that needs no lock, all reported at once (Chinese, per field)."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if not reg.promise:
        errors["promise"] = ["请阅读并勾选承诺条款。"]
    choice_error = payee_choice_error(policy, reg.payee_choice)
    if choice_error:
        errors["payee_choice"] = [choice_error]
    if reg.service is None and reg.instrument is None:
        errors["service"] = ["请选择服务方提供的服务项目或仪器设备。"]
    if reg.service is not None and reg.instrument is not None:
        errors["service"] = ["服务项目和仪器设备只能选择一项。"]
    item = reg.service or reg.instrument
    if item is not None and item.institution_id != reg.institution.pk:
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
    the scheme has no use registration or the voucher would be worth less than its rule
    (the amount is over what is left of the enterprise's entitlement)."""
    if by.role != Role.APPLICANT or by.organisation_id is None:
        raise PermissionDenied("只有创新主体可以登记使用创新券。")
    policy = registration_policy()
    if policy is None:
        raise ValidationError(NOT_OFFERED)
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
    # The lock order: the contract, then the applicant (as voucher_issue takes them).
    ledger.lock_contract(contract.pk)
    ledger.lock_applicant(contract.enterprise_id)
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
