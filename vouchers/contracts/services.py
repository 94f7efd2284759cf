"""Writes on contracts and vouchers: open, edit, pledge, pre-check, upload, submit, review,
issue. Statuses move through ``vouchers.transitions``; money through ``vouchers.ledger``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import province
from accounts.actors import only
from accounts.models import Organisation, OrgKind, Role, User
from catalog import services as catalog_services
from catalog.models import BookingStatus, Institution, ServiceCategory
from mapsite import uploads
from mapsite.numbering import save_with_number
from mapsite.workflow import InvalidTransition
from notifications.services import notify, notify_organisation
from vouchers import ledger
from vouchers.contracts.pdf_queue import queue_render_on_commit
from vouchers.contracts.precheck import as_json, run_precheck, submit_blockers
from vouchers.entitlements import services as entitlements
from vouchers.ledger import Leg
from vouchers.models import (
    Contract,
    ContractAttachment,
    ContractStatus,
    Entitlement,
    LedgerAccount,
    LedgerKind,
    Policy,
    ScopeUse,
    Voucher,
)
from vouchers.names import level_name
from vouchers.policies.presets import PRESETS
from vouchers.policies.records import county_topup_rate, province_policy, province_policy_exists
from vouchers.policies.schemes import accepted_with_order, payment_terms, takes_offline_agreements, validate_scheme
from vouchers.policies.value import compute_subsidy, valid_until
from vouchers.policies.words import contract_words, is_order
from vouchers.transitions import CONTRACT, EDITABLE, NOT_YOUR_TURN, reviewer_now

CONTRACT_FIELDS = (
    "title",
    "content",
    "scope",
    "category",
    "amount",
    "signed_on",
    "service_start",
    "service_end",
    "payment_terms",
    "mandatory_testing",
    "other_public_funding",
)
BOOKABLE_STATUSES = (BookingStatus.ACCEPTED, BookingStatus.IN_SERVICE, BookingStatus.COMPLETED, BookingStatus.RATED)


def booking_year(booking) -> int:
    """The policy year a booking belongs to: the year it was requested in (local time)."""
    return timezone.localtime(booking.created_at).year


def in_booking_year(bookings, year: int):
    """``bookings`` requested in ``year``: the query form of :func:`booking_voucher_refusal`'s
    year rule (``created_at__year`` is taken in the local time zone)."""
    return bookings.filter(created_at__year=year)


def booking_voucher_refusal(booking, today=None) -> str:
    """Why ``booking`` cannot lead to a voucher now, or "".

    The year rule: a booking leads to a voucher only under the policy of the year it was
    requested in (:func:`booking_year`), and a voucher is opened only under this year's
    policy, so a booking made in an earlier year (served, perhaps rated, and paid as the
    parties agreed then) is not offered for this year's voucher: its service belongs to an
    earlier year's funds, and this year's entitlement is for services ordered this year.
    Second, the applicant must be able to hold a voucher this year: where the year's
    scheme is a yearly application that its kind of organisation may not make (Jiangsu's
    individuals and social organisations, ``entitlements.application_refusal``), that
    refusal is the reason. Every place that offers or opens the voucher step asks this."""
    today = today or timezone.localdate()
    made = booking_year(booking)
    if made != today.year:
        return f"该预约于 {made} 年提交，只能按 {made} 年度的创新券政策办理，不能申领或使用 {today.year} 年度的创新券。"
    return entitlements.application_refusal(booking.enterprise, province_policy(today.year))


# Service category → the use (用途) a contract for it is filed under by default.
DEFAULT_SCOPE = {
    ServiceCategory.TECH_PURCHASE: ScopeUse.TECH_PURCHASE,
    ServiceCategory.TRAINING: ScopeUse.CONSULTING,
    ServiceCategory.NOVELTY: ScopeUse.CONSULTING,
    ServiceCategory.EVALUATION: ScopeUse.CONSULTING,
    ServiceCategory.IP: ScopeUse.CONSULTING,
    ServiceCategory.INCUBATION: ScopeUse.INCUBATION,
    ServiceCategory.OTHER: ScopeUse.OTHER,
}


# --- Subsidy --------------------------------------------------------------------------------


def subsidy_for(contract: Contract):
    """The subsidy of ``contract`` given what its applicant received this year.

    Once the contract's own voucher is issued, its cap entries are left out of "received
    this year", so the figures explain the voucher rather than a cap it used up itself."""
    ent = contract.enterprise
    city = ent.region.parent_id if ent.region_id and ent.region.parent_id else None
    received = ledger.received_this_year(ent, contract.policy.year)
    if contract.pk and contract.status == ContractStatus.APPROVED:
        received -= ledger.cap_use_of_contract(contract)
    policy = contract.policy
    left = None
    if policy.entitlement != Entitlement.NONE:
        left = ledger.entitlement_left(ent, policy.year)
        if contract.pk and contract.status == ContractStatus.APPROVED:
            left += ledger.cap_use_of_contract(contract)
    return compute_subsidy(
        policy,
        contract.amount,
        received_this_year=received,
        applicant_kind=ent.kind,
        qualification=ent.qualification,
        city_adcode=city,
        topup_rate=county_topup_rate(contract.policy.year, ent.region_id),
        entitlement_left=left,
    )


# --- Contracts ------------------------------------------------------------------------------


def _refresh(contract: Contract) -> None:
    """Recompute the voucher amount and the pre-check (on every save)."""
    subsidy = subsidy_for(contract)
    contract.voucher_amount = subsidy.amount
    contract.county_topup = subsidy.county_topup
    policy = contract.policy
    nothing_claimed = policy.entitlement != Entitlement.NONE and not ledger.entitlement_granted(
        contract.enterprise, policy.year
    )
    project_missing = policy.project_registration and not entitlements.has_approved_project(
        contract.enterprise, policy.year
    )
    rules = as_json(
        run_precheck(
            contract, cap_left=subsidy.cap_left, nothing_claimed=nothing_claimed, project_missing=project_missing
        )
    )
    contract.precheck = rules
    contract.split_suspected = any(r["code"] == "split" and not r["ok"] for r in rules)


def _require_applicant(by: User) -> Organisation:
    if by.role != Role.APPLICANT:
        raise PermissionDenied("只有创新主体可以申领创新券。")
    return by.organisation


def _new_number(contract: Contract) -> None:
    save_with_number(contract, lambda c: province.number("HT", f"{c.policy.year}{c.pk:06d}"))


def _validate(contract: Contract) -> None:
    contract.full_clean(exclude=["number", "signed_scan"])


@transaction.atomic
def contract_open_from_booking(*, booking, by: User) -> Contract:
    """A draft contract prefilled from an accepted booking (parties, item, amount, dates)."""
    enterprise = _require_applicant(by)
    if booking.enterprise_id != enterprise.pk:
        raise PermissionDenied("只能为本单位的预约申领创新券。")
    if not (booking.service or booking.instrument).voucher_eligible:
        raise ValidationError("该服务项目不在创新券支持范围（如强制性、法定或商业性检验），不能申领创新券。")
    _contract_route_open(timezone.localdate())
    if not booking.use_voucher:
        raise ValidationError("该订单下单时选择了“不使用创新券”，是普通订单，不能申领创新券；如需用券请重新下单。")
    policy = province_policy(timezone.localdate().year)
    if booking.status not in BOOKABLE_STATUSES and not (
        # Henan: the order is filled in while the booking waits; its 受理 accepts the booking.
        booking.status == BookingStatus.REQUESTED and accepted_with_order(policy)
    ):
        step = "提交创新券订单" if policy and is_order(policy) else "签订创新券服务合同"
        raise ValidationError(f"预约被机构接受后才能{step}。")
    if hasattr(booking, "contract"):
        raise ValidationError(f"该预约已有{contract_words(booking.contract.policy).short} {booking.contract.number}。")
    refusal = booking_voucher_refusal(booking)
    if refusal:
        raise ValidationError(refusal, code="booking_year")
    item = booking.service or booking.instrument
    category = booking.service.category if booking.service else ServiceCategory.TESTING
    today = timezone.localdate()
    start = timezone.localtime(booking.starts_at).date() if booking.starts_at else today
    end = booking.expected_date or start
    contract = Contract(
        enterprise=enterprise,
        institution=booking.institution,
        booking=booking,
        service=booking.service,
        instrument=booking.instrument,
        policy=province_policy(today.year, required=True),
        title=booking.item_name,
        content=(
            f"{booking.institution.organisation.name}为{enterprise.name}提供“{item.name}”，"
            f"数量 {booking.quantity} {booking.unit}，单价 {booking.unit_price} 元。{booking.note}"
        ).strip(),
        scope=DEFAULT_SCOPE.get(category, ScopeUse.TESTING),
        category=category,
        amount=booking.amount,
        signed_on=today,
        service_start=min(start, end),
        service_end=max(start, end),
        created_by=by,
    )
    contract.payment_terms = payment_terms(contract.policy, in_region=booking.institution.organisation.in_region)
    _validate(contract)
    _refresh(contract)
    _new_number(contract)
    queue_render_on_commit(contract.pk)  # a new revision: its PDF rendered by the worker
    return contract


REGISTER_INSTEAD = "本年度以“创新券使用登记”用券：服务完成后请在使用登记中填写本次服务，无需另签平台合同。"


def _contract_route_open(today) -> None:
    """Where the scheme registers uses (Zhejiang), the use registration is the only way to
    a voucher: a platform contract besides it would give the same service a second one."""
    if province_policy(today.year).use_registration:
        raise ValidationError(REGISTER_INSTEAD, code="use_registration")


def offline_refusal(today) -> str:
    """Why the year's scheme registers no agreement signed off the platform, or "" where it
    does (:func:`~vouchers.policies.schemes.takes_offline_agreements`: Henan's order starts
    from a 创新券预约 on the platform and the institution's 受理 accepts that booking)."""
    policy = province_policy(today.year)
    if policy.use_registration:
        return REGISTER_INSTEAD
    if takes_offline_agreements(policy):
        return ""
    word = contract_words(policy).name
    return (
        f"本年度方案的{word}须从平台上的创新券预约提交，由服务机构受理（受理即接受预约），"
        f"不登记线下签订的合同：请在创新地图上预约服务，再提交{word}。"
    )


@transaction.atomic
def contract_open_offline(*, by: User, institution: Institution, data: dict, registering: bool = False) -> Contract:
    """A draft contract for an agreement made off the map with a listed institution
    (``registering``: as the first step of a use registration, ``settlement.registration``)."""
    enterprise = _require_applicant(by)
    today = timezone.localdate()
    if not registering:
        _contract_route_open(today)
        closed = offline_refusal(today)
        if closed:
            raise ValidationError(closed, code="offline_closed")
    refusal = entitlements.application_refusal(enterprise, province_policy(today.year))
    if refusal:
        raise ValidationError(refusal, code="applicant")
    service = data.get("service")
    if service is not None and service.institution_id != institution.pk:
        raise ValidationError({"service": ["服务项目不属于该机构。"]})
    instrument = data.get("instrument")
    if instrument is not None and instrument.institution_id != institution.pk:
        raise ValidationError({"instrument": ["仪器设备不属于该机构。"]})
    contract = Contract(
        enterprise=enterprise,
        institution=institution,
        policy=province_policy(today.year, required=True),
        created_by=by,
        service=service,
        instrument=instrument,
        **{k: v for k, v in data.items() if k in CONTRACT_FIELDS},
    )
    _validate(contract)
    _refresh(contract)
    _new_number(contract)
    queue_render_on_commit(contract.pk)  # a new revision: its PDF rendered by the worker
    return contract


def _lock(contract: Contract) -> Contract:
    return ledger.lock_contract(contract.pk)


def _require_owner(contract: Contract, by: User) -> None:
    if by.organisation_id != contract.enterprise_id:
        raise PermissionDenied(f"只能操作本单位的{contract_words(contract.policy).short}。")


@transaction.atomic
def contract_update(*, contract: Contract, by: User, data: dict) -> Contract:
    contract = _lock(contract)
    _require_owner(contract, by)
    if contract.status not in EDITABLE:
        raise ValidationError(f"审核中或已审定的{contract_words(contract.policy).short}不能修改。")
    for name, value in data.items():
        if name in CONTRACT_FIELDS:
            setattr(contract, name, value)
    _validate(contract)
    _refresh(contract)
    contract.save()
    queue_render_on_commit(contract.pk)
    return contract


@transaction.atomic
def contract_accept_pledge(*, contract: Contract, by: User) -> Contract:
    """诚信承诺书 accepted by the applicant."""
    contract = _lock(contract)
    _require_owner(contract, by)
    if contract.status not in EDITABLE:
        raise ValidationError(f"{contract_words(contract.policy).short}已提交。")
    contract.pledge_accepted_at = timezone.now()
    _refresh(contract)
    contract.save()
    queue_render_on_commit(contract.pk)
    return contract


def contract_upload_scan(*, contract: Contract, by: User, upload) -> Contract:
    """The stamped, signed contract (PDF or image, checked by content, stored under our name)."""
    mime = uploads.check(upload)
    _require_owner(contract, by)
    storage = contract.signed_scan.storage
    stored = uploads.store(contract.signed_scan, contract, upload, mime)
    try:
        with transaction.atomic():
            locked = _lock(contract)
            if locked.status not in EDITABLE:
                raise ValidationError(f"{contract_words(locked.policy).short}已提交，不能更换扫描件。")
            locked.signed_scan.name = stored
            locked.save(update_fields=["signed_scan", "updated_at"])
    except Exception:
        storage.delete(stored)
        raise
    return locked


def contract_add_attachment(*, contract: Contract, by: User, upload, name: str) -> ContractAttachment:
    mime = uploads.check(upload)
    _require_owner(contract, by)
    if contract.status not in EDITABLE:
        raise ValidationError(f"{contract_words(contract.policy).short}已提交，不能添加附件。")
    # The uploader's file name is only a label (shown escaped); the stored name is ours.
    label = (name or PurePath(upload.name or "").name)[:100]
    uploads.rename(upload, mime)
    return ContractAttachment.objects.create(contract=contract, file=upload, name=label, uploaded_by=by)


@transaction.atomic
def contract_submit(*, contract: Contract, by: User) -> Contract:
    """Submit for review once every blocking pre-check rule passes and the scan is in.

    A returned contract may be resubmitted ``policy.resubmissions_allowed`` times."""
    contract = _lock(contract)
    _require_owner(contract, by)
    move = CONTRACT.require(contract, by, "submit")
    year = timezone.localdate().year
    if contract.policy.year != year:
        # A contract opened last year and submitted in this one runs under this year's policy
        # (its cap or entitlement, its validity): never an already expired voucher drawn on
        # last year's entitlement. The pre-check below runs again under it.
        contract.policy = province_policy(year, required=True)
    _refresh(contract)
    failures = submit_blockers(contract)
    if failures:
        contract.save()
        raise ValidationError("自动初审未通过：" + "；".join(f["message"] for f in failures))
    if contract.status == ContractStatus.RETURNED:
        contract.resubmissions += 1
    CONTRACT.move(
        contract,
        move.target,
        by=by,
        note="提交审核"
        + (f"（疑似拆分{contract_words(contract.policy).short}，请审核关注）" if contract.split_suspected else ""),
    )
    contract.submitted_at = timezone.now()
    contract.save()
    queue_render_on_commit(contract.pk)  # status printed (and the voucher, below)
    if move.target == ContractStatus.APPROVED:
        # No review before use in this scheme (Jiangsu, Zhejiang): the voucher at once.
        voucher_issue(contract=contract, by=by)
        return contract
    _notify_reviewers(contract)
    return contract


def _notify_reviewers(contract: Contract) -> None:
    notify(
        users=_reviewers(contract),
        title=f"待审核{contract_words(contract.policy).name}：{contract.number}",
        body=f"{contract.enterprise.name} · {contract.amount:,.2f} 元",
        url=f"/vouchers/contracts/{contract.pk}/",
    )


def _reviewers(contract: Contract):
    """The users of the level whose turn it is."""
    reviewer = reviewer_now(contract)
    if reviewer == Role.BUREAU:
        region = contract.enterprise.region
        adcodes = [region.adcode, region.parent_id] if region else []
        return User.objects.filter(organisation__kind=OrgKind.BUREAU, organisation__region_id__in=adcodes)
    if reviewer == Role.INSTITUTION:
        return User.objects.filter(organisation_id=contract.institution.organisation_id)
    kind = {Role.OPERATOR: OrgKind.OPERATOR, Role.CENTRE: OrgKind.CENTRE}.get(reviewer)
    return User.objects.filter(organisation__kind=kind) if kind else User.objects.none()


@transaction.atomic
def contract_review(*, contract: Contract, by: User, approve: bool, note: str = "") -> Contract:
    """One level of the scheme's chain (``Policy.contract_review``). Only the level whose
    turn it is may act; the last level's approval issues the voucher. A refusal sends the
    contract back, or — where the scheme says so and its corrections are used up — turns it
    into an ordinary order without a voucher."""
    contract = _lock(contract)
    try:
        step = CONTRACT.require(contract, by, "approve" if approve else "return")
    except InvalidTransition:
        raise PermissionDenied(CONTRACT.in_words(contract, NOT_YOUR_TURN)) from None
    reviewer = reviewer_now(contract)
    level = level_name(reviewer)
    url = f"/vouchers/contracts/{contract.pk}/"
    queue_render_on_commit(contract.pk)  # either way the printed status changes
    if approve:
        CONTRACT.move(contract, step.target, by=by, note=note or "同意")
        contract.save()
        booking = contract.booking
        if reviewer == Role.INSTITUTION and booking is not None and booking.status == BookingStatus.REQUESTED:
            # Henan: the institution's 受理 of the order is its one acceptance of the booking
            # (the booking's own 接受 points here); locked after the contract.
            word = contract_words(contract.policy).name
            contract.booking = catalog_services.booking_accept_with_order(
                booking=booking, by=by, note=f"受理{word} {contract.number}" + (f"：{note}" if note else "")
            )
        if step.target == ContractStatus.APPROVED:
            voucher_issue(contract=contract, by=by)
        else:
            _notify_reviewers(contract)
        notify_organisation(
            organisation=contract.enterprise,
            title=f"{contract_words(contract.policy).short} {contract.number} 已通过{level}审核",
            body=note,
            url=url,
            sms=True,
        )
        return contract
    if not note.strip():
        raise ValidationError({"note": ["退回须说明原因。"]})
    CONTRACT.move(contract, step.target, by=by, note=note)
    contract.save()
    ordinary = step.target == ContractStatus.ORDINARY
    notify_organisation(
        organisation=contract.enterprise,
        title=f"{contract_words(contract.policy).short} {contract.number} "
        + ("未通过审核，已转为普通订单" if ordinary else "被退回"),
        body=note,
        url=url,
        sms=True,
    )
    return contract


# --- Vouchers ---------------------------------------------------------------------------------


def _voucher_number(voucher: Voucher) -> None:
    save_with_number(voucher, lambda v: province.number("CXQ", f"{v.year}{v.pk:07d}"))


def voucher_issue(*, contract: Contract, by: User | None) -> Voucher:
    """Issue the voucher of an approved contract (inside the reviewer's transaction).

    The applicant's organisation row is locked first: two final approvals for the same
    applicant racing each other would otherwise both read the same "received this year"
    and together pass the annual cap."""
    ledger.lock_applicant(contract.enterprise_id)
    subsidy = subsidy_for(contract)
    if subsidy.amount <= 0:
        if contract.policy.entitlement != Entitlement.NONE and subsidy.by_rule > 0:
            raise ValidationError("申请方没有可用的创新券额度：请先申领本年度额度。")
        raise ValidationError("申请方本年度创新券额度已用完，不能发券。")
    year = contract.policy.year
    issued = timezone.now()
    voucher = Voucher(
        contract=contract,
        enterprise=contract.enterprise,
        holder=contract.enterprise,
        institution=contract.institution,
        face_value=subsidy.amount,
        county_topup=subsidy.county_topup,
        year=year,
        issued_at=issued,
        valid_until=valid_until(contract.policy, timezone.localdate()),
    )
    _voucher_number(voucher)
    contract.voucher_amount, contract.county_topup = subsidy.amount, subsidy.county_topup
    contract.save(update_fields=["voucher_amount", "county_topup", "updated_at"])
    ent = contract.enterprise
    # The cap use, then the voucher's value held by its applicant until it is used: the
    # province's part and the county's top-up (its region names the budget that pays it).
    ledger.post(
        LedgerKind.ISSUE,
        year=year,
        by=by,
        note=contract.number,
        legs=[
            Leg(LedgerAccount.APPLICANT_CAP, subsidy.amount, voucher=voucher, organisation=ent),
            *(
                [Leg(LedgerAccount.ENTITLEMENT, -subsidy.amount, voucher=voucher, organisation=ent)]
                if contract.policy.entitlement != Entitlement.NONE
                else []
            ),
            Leg(LedgerAccount.VOUCHER, subsidy.amount, voucher=voucher, organisation=ent),
            Leg(
                LedgerAccount.VOUCHER, subsidy.county_topup, voucher=voucher, organisation=ent, region_id=ent.region_id
            ),
        ],
    )
    notify_organisation(
        organisation=contract.enterprise,
        title=f"创新券已生成：{voucher.number}",
        body=f"面值 {ledger.voucher_value(voucher):,.2f} 元，有效期至 {voucher.valid_until}",
        url=f"/vouchers/{voucher.pk}/",
        sms=True,
    )
    notify_organisation(
        organisation=contract.institution.organisation,
        title=f"创新券已生成：{voucher.number}",
        body=f"{contract.enterprise.name} 的{contract_words(contract.policy).short} {contract.number}",
    )
    return voucher


# --- Policy records ---------------------------------------------------------------------------


def validate_tiers(tiers) -> list:
    """``[[upper, rate], ...]``: rates in [0, 1], upper bounds increasing, the last open."""
    if not isinstance(tiers, list) or not tiers:
        raise ValidationError({"tiers": ["至少需要一个分段。"]})
    clean, previous = [], Decimal("0")
    for i, row in enumerate(tiers):
        if not isinstance(row, list | tuple) or len(row) != 2:
            raise ValidationError({"tiers": [f"第 {i + 1} 段应为 [上限, 比例]。"]})
        upper, rate = row
        try:
            rate_d = Decimal(str(rate))
            upper_d = None if upper in (None, "") else Decimal(str(upper))
        except (ArithmeticError, ValueError) as exc:
            raise ValidationError({"tiers": [f"第 {i + 1} 段不是数字。"]}) from exc
        if not Decimal("0") <= rate_d <= Decimal("1"):
            raise ValidationError({"tiers": [f"第 {i + 1} 段比例须在 0–1 之间。"]})
        last = i == len(tiers) - 1
        if last and upper_d is not None:
            raise ValidationError({"tiers": ["最后一段不设上限。"]})
        if not last and (upper_d is None or upper_d <= previous):
            raise ValidationError({"tiers": ["各段上限须递增。"]})
        previous = upper_d or previous
        clean.append([None if upper_d is None else str(upper_d), str(rate_d)])
    return clean


@transaction.atomic
def policy_save(*, by: User, data: dict, policy: Policy | None = None) -> Policy:
    """Create or edit a policy record (the centre only). Amounts already computed on
    submitted contracts are not touched; open drafts pick the change up on their next save."""
    if by.role != Role.CENTRE:
        raise PermissionDenied(only("修改创新券政策"))
    policy = ledger.lock_policy(policy.pk) if policy else Policy()
    for name, value in data.items():
        setattr(policy, name, value)
    if policy.model == "contract":
        policy.tiers = validate_tiers(policy.tiers)
    validate_scheme(policy)
    policy.full_clean()
    policy.save()
    return policy


def policy_create_from_preset(*, key: str, year: int, by) -> Policy:
    """A new province-wide policy for ``year`` from one of the presets; refuses to overwrite
    an existing year (``presets.install_preset`` would update it)."""
    if key not in PRESETS:
        raise ValidationError("未知的政策模板。")
    exists = ValidationError(f"{year} 年度的全区政策已存在，请直接编辑。")
    if province_policy_exists(year):
        raise exists
    try:
        return policy_save(by=by, data={**PRESETS[key], "year": year})
    except IntegrityError:  # created by someone else since the check above
        raise exists from None
