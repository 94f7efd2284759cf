"""Payouts (SPEC §5.4–5.5): institutions' subsidies, payout batches with their steps (experts,
finance, public notice), objections, paying from the budgets in order, and budgets.

A subsidy (``Subsidy``) is granted by the centre (``subsidy_grant``: the amount becomes
payable in the ledger), gathered into a subsidy batch (``batch_create`` with
``kind=subsidies``) and paid by ``batch_pay`` exactly like a redemption: from the province
budget of the batch's year, in order, waiting for budget when it falls short. A batch holds
one kind only (``BatchKind``): redemptions are gathered monthly or quarterly as they are
confirmed, subsidies once a year after the evaluation, and each batch is one bank list."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import province
from accounts.actors import only
from accounts.models import Organisation, OrgKind, Role, User
from geodata.models import Region
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
    Funding,
    LedgerAccount,
    LedgerKind,
    Objection,
    ObjectionStatus,
    PayoutBatch,
    PayoutCycle,
    Redemption,
    RedemptionItem,
    RedemptionStatus,
    Subsidy,
    SubsidyStatus,
    Voucher,
    VoucherStatus,
)
from vouchers.permissions import may_set_budget
from vouchers.policies.records import province_policy
from vouchers.policies.schemes import batch_cycles
from vouchers.policies.value import money
from vouchers.settlement.selectors import redemptions_unbatched
from vouchers.settlement.stages import assign_number, return_redemption
from vouchers.transitions import (
    BATCH,
    BATCH_ITEM,
    OBJECTION,
    REDEMPTION,
    SUBSIDY,
    VOUCHER,
)
from workdays.calendar import add_workdays

__all__ = [
    "subsidy_grant",
    "subsidy_cancel",
    "batch_create",
    "batch_step",
    "batch_open_notice",
    "batch_settle",
    "batch_approve",
    "objection_lodge",
    "objection_resolve",
    "batch_pay",
    "pay_on_approval",
    "budget_set",
]

ZERO = Decimal("0")


# --- Institutions' subsidies (SPEC §5.5) ------------------------------------------------------


def _require_centre_for_subsidy(by: User) -> None:
    if getattr(by, "role", None) != Role.CENTRE:
        raise PermissionDenied(only("核定或撤销机构补助"))


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
        raise PermissionDenied("您无权管理拨付批次：拨付批次由省级审定/拨付单位管理。")


def _subsidies_to_batch() -> tuple[list[Subsidy], str]:
    locked = ledger.lock_subsidies(_subsidies_unbatched().values_list("pk", flat=True))
    # Re-read under the locks: a batch created meanwhile, or a cancellation, has taken some.
    waiting = list(_subsidies_unbatched().filter(pk__in=list(locked)))
    if not waiting:
        raise ValidationError("没有待拨付的机构补助。")
    return waiting, f"{len(waiting)} 笔机构年度补助"


def _redemptions_to_batch(year: int, cycle: str, chosen: list[int] | None) -> tuple[list[Redemption], str]:
    candidates = redemptions_unbatched()
    if chosen is not None:
        candidates = candidates.filter(pk__in=chosen)
    locked = ledger.lock_redemptions(candidates.values_list("pk", flat=True))
    # Re-read under the locks: a batch created meanwhile has taken some of them.
    waiting = list(redemptions_unbatched().filter(pk__in=list(locked)))
    if chosen is not None:
        missing = sorted(set(chosen) - {r.pk for r in waiting})
        if missing:
            shown = "、".join(str(pk) for pk in missing)
            raise ValidationError({"redemptions": [f"兑付申请 {shown} 不是待拨付状态，或已在其他批次中。"]})
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
def batch_create(
    *, by: User, year: int, cycle: str, kind: str = BatchKind.REDEMPTIONS, redemptions: list[int] | None = None
) -> PayoutBatch:
    """Gather every confirmed redemption without an active batch item, oldest confirmation
    first (one whose earlier item was released by an upheld objection comes back here) — or
    only the ``redemptions`` chosen (ids), each of which must be waiting, so that two
    clients batching different sets never take each other's.
    With ``kind`` subsidies: every granted subsidy without an active item, oldest grant
    first. ``year`` is the year whose budgets pay the batch; ``cycle`` one of that year's
    scheme (``schemes.batch_cycles``)."""
    _require_centre(by)
    if cycle not in PayoutCycle.values:
        raise ValidationError({"cycle": ["未知的拨付周期。"]})
    if cycle == PayoutCycle.ON_APPROVAL:
        raise ValidationError({"cycle": ["“审批即拨付”的批次由地方科技局审批兑付申请时自动生成。"]})
    offered = dict(batch_cycles(province_policy(year)))
    if cycle not in offered:
        # The scheme's cadence only (SPEC §10 "batches"): no monthly batch beside Henan's
        # quarterly summary, no quarterly one in Jiangsu.
        if not offered:
            raise ValidationError({"cycle": [f"{year} 年度方案由地方科技局审批兑付申请即拨付，不另行生成拨付批次。"]})
        shown = "、".join(offered.values())
        raise ValidationError({"cycle": [f"{year} 年度方案的拨付周期为：{shown}，不能生成其他周期的批次。"]})
    if kind not in BatchKind.values:
        raise ValidationError({"kind": ["未知的批次类型。"]})
    if kind == BatchKind.SUBSIDIES:
        if redemptions is not None:
            raise ValidationError({"redemptions": ["补助批次不能选择兑付申请。"]})
        waiting, note = _subsidies_to_batch()
    else:
        waiting, note = _redemptions_to_batch(year, cycle, redemptions)
    batch = PayoutBatch(year=year, cycle=cycle, kind=kind, created_by=by)
    assign_number(batch, "PF")
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
                return_redemption(redemption, by, f"公示异议成立：{resolution}")
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
    lock order: items, redemptions, subsidies, vouchers, budgets). Order is kept: once a
    budget falls short, every later item that needs it waits too; the others are paid.

    Which budget pays a voucher's face value is the scheme's (``Policy.funding``): the
    province's, or — local funding (Zhejiang) — the bureau's whose batch it is, else the
    applicant's county. A county top-up is always the applicant's county's; a subsidy is
    always the province's. A budget is keyed by its region (``None``: the province)."""

    year: int
    by: User | None
    items: list[BatchItem]
    also_lock: tuple[int, ...] = ()  # a county whose budget is being set
    redemptions: dict[int, Redemption] = field(default_factory=dict)
    subsidies: dict[int, Subsidy] = field(default_factory=dict)
    vouchers: dict[int, Voucher] = field(default_factory=dict)
    budgets: dict = field(default_factory=dict)
    short: set = field(default_factory=set)  # budgets found short: later items needing them wait
    local: bool = False

    def __post_init__(self) -> None:
        self.local = province_policy(self.year).funding == Funding.LOCAL
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

    def funder(self, item: BatchItem, voucher: Voucher) -> int | None:
        """The budget that pays ``voucher``'s face value in ``item``."""
        if not self.local:
            return None
        return item.batch.region_id or voucher.enterprise.region_id

    def needs(self, item: BatchItem) -> dict[int | None, Decimal]:
        """What each budget must give to pay ``item``."""
        if item.subsidy_id is not None:
            return {None: self.subsidies[item.subsidy_id].amount}
        need: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
        for v in self.vouchers_of(item):
            need[self.funder(item, v)] += v.face_value
            if v.county_topup:
                need[v.enterprise.region_id] += v.county_topup
        return dict(need)

    def counties_needed(self) -> dict[int, Decimal]:
        need: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for item in self.items:
            for region_id, amount in self.needs(item).items():
                if region_id is not None:
                    need[region_id] += amount
        return dict(need)

    def counties_without_budget(self) -> dict[int, Decimal]:
        return {r: a for r, a in self.counties_needed().items() if r not in self.budgets}

    def affordable(self, item: BatchItem) -> bool:
        """Whether every budget ``item`` needs has the money (and none is already short);
        otherwise the budgets it needs are marked short and nothing is written."""
        need = self.needs(item)
        short = {
            r
            for r, amount in need.items()
            if r in self.short or r not in self.budgets or ledger.budget_balance(self.year, r) < amount
        }
        self.short |= short
        return not short

    def pay(self, item: BatchItem) -> bool:
        """Pay ``item``, or False (nothing written) when a budget it needs falls short."""
        if not self.affordable(item):
            return False
        if item.subsidy_id is not None:
            return self.pay_subsidy(item)
        vouchers = self.vouchers_of(item)
        redemption = self.redemptions[item.redemption_id]
        legs = []
        for v in vouchers:
            value = voucher_value(v)
            funder = self.funder(item, v)
            face_account = LedgerAccount.PROVINCE_BUDGET if funder is None else LedgerAccount.COUNTY_BUDGET
            legs += [
                Leg(LedgerAccount.PAYABLE, -value, voucher=v),
                Leg(LedgerAccount.PAID, value, voucher=v, organisation=redemption.payee),
                Leg(face_account, -v.face_value, voucher=v, region_id=funder),
                Leg(LedgerAccount.COUNTY_BUDGET, -v.county_topup, voucher=v, region_id=v.enterprise.region_id),
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


def _pay_pending(batch: PayoutBatch, by: User, *, missing_waits: bool) -> dict:
    """Pay ``batch``'s pending items in the order their redemptions were confirmed; what the
    budgets cannot cover waits for budget in the same order. A county (or bureau) budget
    never set refuses the whole payment, unless ``missing_waits``: then its items wait."""
    pending = batch.items.filter(status=BatchItemStatus.PENDING).order_by("redemption__confirmed_at", "pk")
    order = list(pending.values_list("pk", flat=True))
    locked = ledger.lock_items(order)
    payout = _Payout(year=batch.year, by=by, items=[locked[pk] for pk in order])
    missing = payout.counties_without_budget()
    if missing and not missing_waits:
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
    return _pay_pending(batch, by, missing_waits=False)


def pay_on_approval(*, redemption: Redemption, by: User) -> PayoutBatch | None:
    """Where the scheme pays on approval (``PayoutCycle.ON_APPROVAL``, Zhejiang's "submit to
    the local S&T bureau, which approves"), the approval that confirms a redemption is its
    payout: a batch of the approving bureau's region holding the redemption, approved and
    paid at once from the budget the scheme names (``Policy.funding``). What the budget
    cannot cover — or a bureau budget never set — waits and is paid when that budget is
    set (``budget_set``). Other schemes: nothing (the centre's batches gather it later).
    The caller holds the redemption's lock inside its transaction."""
    if province_policy(redemption.year).payout_cycle != PayoutCycle.ON_APPROVAL:
        return None
    region_id = by.organisation.region_id if by.role == Role.BUREAU else None
    batch = PayoutBatch(year=redemption.year, cycle=PayoutCycle.ON_APPROVAL, region_id=region_id, created_by=by)
    assign_number(batch, "PF")
    BATCH.created(batch, by=by, note=f"审批兑付申请 {redemption.number}")
    item = BatchItem.objects.create(batch=batch, redemption=redemption, amount=redemption.amount)
    BATCH_ITEM.created(item, by=by, note=f"纳入批次 {batch.number}")
    move = BATCH.require(batch, by, "approve")
    BATCH.move(batch, move.target, by=by, note="审批即拨付")
    batch.save()
    _pay_pending(batch, by, missing_waits=True)
    return batch


@transaction.atomic
def budget_set(*, by: User, year: int, amount: Decimal, region=None, note: str = "") -> Decimal:
    """Add to a year's budget (the province's, or a county's top-up budget), then pay items
    waiting for budget in the order they started waiting. Returns the new balance.

    The centre sets any budget; where bureaus pay from their own budgets (local funding,
    Zhejiang) a bureau sets its own region's."""
    if not may_set_budget(by, year, region.pk if region is not None else None):
        raise PermissionDenied(only("下达预算", "自行拨付的地方科技局（对本地区）", joiner="或"))
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
