"""Each role's home page as a to-do list: what waits for me, what is overdue, my figures.

Every count is the one the linked page shows: it comes from that page's own selector
(``accounts.selectors.review_queue``, ``vouchers.contracts.selectors.review_queue``,
``vouchers.settlement.selectors.proofs_to_review`` …) with ``.count()`` or one grouped
aggregate, never by loading the rows; where a rule decides whose turn it is (the scheme's
redemption review chain, who uploads proofs) it is read from the same policy fields the
workflows in ``vouchers.transitions`` read. A role's home costs a bounded number of queries
whatever the size of its queues (about 10–20; tested).

Time limits are the year's policy (``review_workdays`` per contract level, the redemption's
``check_deadline``, the use's ``proof_deadline``, ``expiry_warning_days``), counted in working
days with the ``workdays`` table, like the queue pages that mark the same rows red.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts import selectors as account_selectors
from accounts.models import CertStatus, Role
from catalog import selectors as catalog_selectors
from catalog.models import BookingStatus, Instrument, ReviewStatus, Service
from evaluation.selectors import subsidies_unbatched_count
from notifications.queue import may_manage_queue
from vouchers.contracts import selectors as contract_selectors
from vouchers.contracts.booking_step import awaiting_result, rating_waits, voucher_step
from vouchers.entitlements.services import wallet as entitlement_wallet
from vouchers.models import (
    AT_REVIEWER,
    BatchStatus,
    ClaimStatus,
    ContractStatus,
    LedgerAccount,
    PayeeRule,
    PayoutBatch,
    ProjectStatus,
    ProofBy,
    ProofStatus,
    RedemptionStatus,
    SubsidyStatus,
    VoucherStatus,
    VoucherUse,
)
from vouchers.permissions import claims_visible_to, contracts_visible_to, projects_visible_to, vouchers_visible_to
from vouchers.policies.records import province_policy
from vouchers.policies.words import contract_words
from vouchers.settlement import selectors as settlement_selectors
from vouchers.settlement.registration import registrations_of
from vouchers.settlement.use import proofs_asked
from vouchers.transitions import available_moves
from workdays.calendar import add_workdays

# Centre: batches it may move on are few (one a month); more than this are not inspected.
BATCH_SCAN_LIMIT = 50


@dataclass(frozen=True)
class Task:
    """One line of the to-do list: ``count`` things at ``url``; ``overdue`` of them late."""

    label: str
    count: int
    url: str
    overdue: int = 0
    overdue_label: str = "已超期"
    hint: str = ""


@dataclass(frozen=True)
class Figure:
    """A number to know (balance, entitlement, subsidy), with where it comes from."""

    label: str
    value: str
    url: str = ""
    hint: str = ""


@dataclass
class Home:
    tasks: list[Task] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    @property
    def waiting(self) -> list[Task]:
        return [t for t in self.tasks if t.count]

    @property
    def clear(self) -> list[Task]:
        return [t for t in self.tasks if not t.count]

    @property
    def overdue_total(self) -> int:
        return sum(t.overdue for t in self.tasks)


def _url(name: str, query: str = "", anchor: str = "") -> str:
    return reverse(name) + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


def _yuan(value: Decimal | None) -> str:
    return f"{(value or Decimal('0')):,.2f} 元"


def workdays_ago(today: dt.date, days: int) -> dt.date:
    """The latest day whose ``days``-working-day time limit ended before ``today``: anything
    that arrived on or before it is overdue. Walks back at most a few weeks."""
    day = today - dt.timedelta(days=days)
    for _ in range(60):
        if add_workdays(day, days).value < today:
            return day
        day -= dt.timedelta(days=1)
    return day


# --- Shared pieces --------------------------------------------------------------------------


def _certification(user) -> list[Task]:
    org = user.organisation
    if org.status in (CertStatus.DRAFT, CertStatus.RETURNED):
        hint = (
            "认证被退回，请修改后重新提交。"
            if org.status == CertStatus.RETURNED
            else "认证通过后才能预约和申领创新券。"
        )
        return [Task("完善并提交单位认证", 1, _url("accounts:me"), hint=hint)]
    return []


def _contract_reviews(user, today: dt.date) -> list[Task]:
    """Contracts at the user's review level (``contract_selectors.review_queue``, the page
    ``vouchers:review``); overdue: at this level longer than the policy's ``review_workdays``."""
    if user.role not in AT_REVIEWER:
        return []
    policy = province_policy(today.year)
    queue = contract_selectors.review_queue(user)
    count = queue.count()
    if not count and user.role not in (policy.contract_review or []):
        return []  # a level the year's scheme does not have (Henan's bureau): no empty queue
    cutoff = workdays_ago(today, policy.review_workdays)
    # ``arrived_at``: when the contract reached this level (the selector's annotation).
    late = queue.filter(arrived_at__date__lte=cutoff).count() if count else 0
    word = contract_words(policy).name
    label = {"institution": f"待受理的{word}", "centre": f"待审定的{word}"}.get(user.role, f"待审核的{word}")
    return [Task(label, count, _url("vouchers:review"), overdue=late, hint="按提交先后排列，超过本级审核时限的标红。")]


def _redemption_reviews(user, today: dt.date) -> list[Task]:
    """Redemptions whose turn is the user's level by their year's review chain (the rule of
    ``vouchers.transitions.redemption_reviewer``), among those the user may see. One grouped
    query by (year, status); overdue: past the redemption's ``check_deadline``."""
    rows = (
        settlement_selectors.redemptions_visible_to(user)
        .filter(status__in=(RedemptionStatus.SUBMITTED, RedemptionStatus.CHECKED))
        .order_by()
        .values("year", "status")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(check_deadline__lt=today)))
    )
    check = confirm = late = 0
    for row in rows:
        chain = list(province_policy(row["year"]).redemption_review or [])
        if row["status"] == RedemptionStatus.SUBMITTED and chain and chain[0] == user.role:
            check += row["n"]
            late += row["late"]
        elif row["status"] == RedemptionStatus.CHECKED and len(chain) > 1 and chain[-1] == user.role:
            confirm += row["n"]
    tasks = []
    if user.role in (Role.OPERATOR, Role.CENTRE):
        if user.role == Role.OPERATOR or check:
            tasks.append(Task("待审核的兑付申请", check, _url("vouchers:queue", anchor="check"), overdue=late))
        if user.role == Role.CENTRE:
            tasks.append(Task("待确认的兑付申请", confirm, _url("vouchers:queue", anchor="confirm")))
    elif user.role == Role.BUREAU and (check or confirm or _bureau_reviews_redemptions(today)):
        tasks.append(
            Task(
                "待审核的兑付申请",
                check + confirm,
                _url("vouchers:redemptions", "status=submitted"),
                overdue=late,
            )
        )
    return tasks


def _bureau_reviews_redemptions(today: dt.date) -> bool:
    return Role.BUREAU in (province_policy(today.year).redemption_review or [])


def _proofs_to_upload(user, today: dt.date, *, as_institution: bool) -> list[Task]:
    """Uses whose proofs this organisation uploads (the rule of ``vouchers.transitions.proves``:
    the policy's ``proof_by``) and that are not submitted yet or were returned."""
    org_id = user.organisation_id
    who = (
        Q(voucher__contract__policy__proof_by=ProofBy.INSTITUTION, voucher__institution__organisation_id=org_id)
        if as_institution
        else Q(voucher__enterprise_id=org_id) & ~Q(voucher__contract__policy__proof_by=ProofBy.INSTITUTION)
    )
    row = VoucherUse.objects.filter(who, proof_status__in=(ProofStatus.NONE, ProofStatus.RETURNED)).aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(proof_deadline__lt=today))
    )
    return [
        Task(
            "待提交的使用证明",
            row["n"],
            _url("vouchers:list", "status=used"),
            overdue=row["late"],
            overdue_label="已过提交期限",
            # The proofs the year's scheme asks for (Henan's institution: invoice and result only).
            hint=f"服务完成后须在规定工作日内上传{proofs_asked(province_policy(today.year))}。",
        )
    ]


def _redemption_requests(user) -> list[Task]:
    redeemable = settlement_selectors.redeemable_vouchers(user).count()
    returned = settlement_selectors.redemptions_visible_to(user).filter(status=RedemptionStatus.RETURNED).count()
    return [
        Task("可申请兑付的创新券", redeemable, _url("vouchers:redemptions"), hint="使用证明已审核通过或已提交齐全。"),
        Task(
            "被退回的兑付申请", returned, _url("vouchers:redemptions", "status=returned"), hint="修改后重新提交或撤回。"
        ),
    ]


# --- Roles ------------------------------------------------------------------------------------


def _applicant(user, today: dt.date) -> Home:
    home = Home(tasks=_certification(user))
    org_id = user.organisation_id
    contracts = (
        contracts_visible_to(user)
        .filter(enterprise_id=org_id)
        .order_by()
        .aggregate(
            returned=Count("pk", filter=Q(status=ContractStatus.RETURNED)),
            draft=Count("pk", filter=Q(status=ContractStatus.DRAFT)),
            in_review=Count("pk", filter=Q(status__in=list(AT_REVIEWER.values()))),
        )
    )
    policy = province_policy(today.year)
    warn_until = today + dt.timedelta(days=policy.expiry_warning_days)
    held = (
        vouchers_visible_to(user)
        .filter(holder_id=org_id, status=VoucherStatus.ISSUED)
        .order_by()
        .aggregate(n=Count("pk"), expiring=Count("pk", filter=Q(valid_until__lte=warn_until)))
    )
    balance = (
        contract_selectors.vouchers_with_balance(user)
        .filter(holder_id=org_id, status=VoucherStatus.ISSUED)
        .order_by()
        .aggregate(total=Sum("ledger__amount", filter=Q(ledger__account=LedgerAccount.VOUCHER)))
    )
    bookings = (
        catalog_selectors.bookings_for(user)
        .filter(enterprise_id=org_id)
        .order_by()
        .aggregate(
            requested=Count("pk", filter=Q(status=BookingStatus.REQUESTED)),
            done=Count("pk", filter=Q(status=BookingStatus.COMPLETED)),
            # rated with the voucher's use once paid, not before (booking_step.rating_wait)
            unpaid=Count("pk", filter=Q(status=BookingStatus.COMPLETED) & rating_waits(today)),
        )
    )
    words = contract_words(policy)  # 合同 or 订单, as the year's scheme calls it
    step = voucher_step(None)  # the booking's voucher step in the scheme's words (申领创新券 …)
    # Only a scheme that reviews the contract has contracts in review or returned (Jiangsu's
    # order carries its voucher from submission; Zhejiang registers uses, without contracts).
    reviewed = bool(policy.contract_review) and not policy.use_registration
    home.tasks += [
        *(
            [
                Task(
                    f"被退回待修改的{words.short}",
                    contracts["returned"],
                    _url("vouchers:contracts", "status=returned"),
                    hint="按审核意见修改后重新提交。",
                )
            ]
            if reviewed
            else []
        ),
        # Where uses are registered after the service (Zhejiang) the contract route is closed:
        # no bookings awaiting a contract and no drafts to submit. The count asks the same
        # selector as the contracts page (this year's bookings only).
        *(
            []
            if policy.use_registration
            else [
                Task(
                    f"可{step.action}的预约" if step.before_acceptance else f"已受理、可{step.action}的预约",
                    contract_selectors.bookings_awaiting_contract(user).count(),
                    _url("vouchers:contracts"),
                    hint=f"由预约生成{words.name}（{step.action}）。",
                ),
                Task(f"尚未提交的{words.short}草稿", contracts["draft"], _url("vouchers:contracts", "status=draft")),
            ]
        ),
        Task(
            "待使用的创新券",
            held["n"],
            _url("vouchers:list", "status=issued"),
            overdue=held["expiring"],
            overdue_label=f"{policy.expiry_warning_days} 天内到期",
        ),
        *_proofs_to_upload(user, today, as_institution=False),
        Task(
            "已完成、待评价的服务",
            bookings["done"] - bookings["unpaid"],
            _url("catalog:bookings", "status=completed"),
        ),
        *_redemption_requests(user),
    ]
    if policy.project_registration:
        home.tasks.append(
            Task(
                "被退回的研发项目登记",
                projects_visible_to(user).filter(status=ProjectStatus.RETURNED).count(),
                _url("vouchers:wallet"),
            )
        )
    home.figures += [
        Figure("创新券余额", _yuan(balance["total"]), _url("vouchers:list", "status=issued"), "已生效、未使用的创新券"),
        *(
            [Figure(f"审核中的{words.short}", str(contracts["in_review"]), _url("vouchers:contracts"))]
            if reviewed
            else []
        ),
        Figure("等待机构确认的预约", str(bookings["requested"]), _url("catalog:bookings", "status=requested")),
    ]
    wallet = entitlement_wallet(user.organisation, today.year)
    home.figures.insert(
        0,
        Figure(
            f"{wallet.year} 年度额度（{wallet.rule_label}）",
            _yuan(wallet.remaining),
            _url("vouchers:wallet"),
            (f"上限 {_yuan(wallet.cap)}，" if wallet.cap is not None else "")
            + f"已使用 {_yuan(wallet.used)}"
            + (f"，还可申领 {_yuan(wallet.still_claimable)}" if wallet.still_claimable else ""),
        ),
    )
    if policy.use_registration:
        home.figures.insert(
            1,
            Figure(
                "使用记录",
                str(registrations_of(user.organisation).count()),
                _url("vouchers:use_registration"),
                "创新券使用登记：填写合同、上传材料即完成用券，无需审批",
            ),
        )
    return home


CONFIRM_HINT = "企业兑付：确认该创新券在本机构使用。"


def _institution(user, today: dt.date) -> Home:
    home = Home(tasks=_certification(user))
    org_id = user.organisation_id
    bookings = (
        catalog_selectors.bookings_for(user)
        .filter(institution_id=org_id)
        .order_by()
        .aggregate(
            requested=Count("pk", filter=Q(status=BookingStatus.REQUESTED)),
            accepted=Count("pk", filter=Q(status=BookingStatus.ACCEPTED)),
            in_service=Count("pk", filter=Q(status=BookingStatus.IN_SERVICE)),
        )
    )
    waiting = (ReviewStatus.PENDING, ReviewStatus.CHANGES_PENDING)
    items = {
        model: model.objects.filter(institution_id=org_id)
        .order_by()
        .aggregate(
            returned=Count("pk", filter=Q(review_status=ReviewStatus.REJECTED)),
            waiting=Count("pk", filter=Q(review_status__in=waiting)),
        )
        for model in (Instrument, Service)
    }
    to_confirm = settlement_selectors.uses_to_confirm(user).count()
    to_upload = awaiting_result(catalog_selectors.bookings_for(user).filter(institution_id=org_id)).count()
    home.tasks += [
        Task("待受理的预约", bookings["requested"], _url("catalog:bookings", "status=requested"), hint="接受或拒绝。"),
        Task("已接受、待开始服务的预约", bookings["accepted"], _url("catalog:bookings", "status=accepted")),
        Task("服务中、待完成的预约", bookings["in_service"], _url("catalog:bookings", "status=in_service")),
        # Only where the scheme pays after the order result (Henan), or one is waiting.
        *(
            [
                Task(
                    "已完成、待上传订单结果的预约",
                    to_upload,
                    _url("catalog:bookings", "status=completed"),
                    hint="本年度方案要求：预约方确认订单结果后才能以创新券支付。",
                )
            ]
            if to_upload or province_policy(today.year).result_confirmation
            else []
        ),
        *_contract_reviews(user, today),
        # Only where the enterprise chooses the payee on each use (Zhejiang), or one is waiting.
        *(
            [Task("待确认的企业兑付用券", to_confirm, _url("vouchers:list", "todo=confirm_use"), hint=CONFIRM_HINT)]
            if to_confirm or province_policy(today.year).payee_rule == PayeeRule.CHOSEN
            else []
        ),
        *_proofs_to_upload(user, today, as_institution=True),
        *_redemption_requests(user),
        Task(
            "被退回的仪器和服务",
            sum(r["returned"] for r in items.values()),
            _url("catalog:manage"),
            hint="按运营单位意见修改后重新提交。",
        ),
    ]
    received = (
        contract_selectors.vouchers_with_balance(user)
        .filter(holder_id=org_id, status=VoucherStatus.USED)
        .order_by()
        .aggregate(n=Count("pk"))
    )
    subsidy = (
        user.organisation.subsidies.filter(status__in=(SubsidyStatus.GRANTED, SubsidyStatus.PAID))
        .order_by("-year")
        .values("year", "amount", "status")
        .first()
    )
    home.figures += [
        Figure("收到的服务券", str(received["n"]), _url("vouchers:list", "status=used"), "待兑付的创新券"),
        Figure("审核中的仪器和服务", str(sum(r["waiting"] for r in items.values())), _url("catalog:manage")),
    ]
    if subsidy:
        home.figures.append(
            Figure(
                f"{subsidy['year']} 年度机构补助",
                _yuan(subsidy["amount"]),
                hint=SubsidyStatus(subsidy["status"]).label,
            )
        )
    return home


def _bureau(user, today: dt.date) -> Home:
    claims = claims_visible_to(user).filter(status=ClaimStatus.SUBMITTED).count()
    home = Home(
        tasks=[
            Task("待审核的单位认证", account_selectors.review_queue(user).count(), _url("accounts:review")),
            *_contract_reviews(user, today),
            *_redemption_reviews(user, today),
        ]
    )
    if claims or province_policy(today.year).entitlement == "application":
        home.tasks.append(Task("待审核的额度申请", claims, _url("vouchers:claims", "status=submitted")))
    return home


def _operator(user, today: dt.date) -> Home:
    waiting = (ReviewStatus.PENDING, ReviewStatus.CHANGES_PENDING)
    items = sum(m.objects.filter(review_status__in=waiting).count() for m in (Instrument, Service))
    proofs = (
        settlement_selectors.proofs_to_review()
        .order_by()
        .aggregate(n=Count("pk"), late=Count("pk", filter=Q(proof_late=True)))
    )
    home = Home(
        tasks=[
            Task("待审核的机构入库申请", account_selectors.review_queue(user).count(), _url("accounts:review")),
            Task("待审核的仪器和服务条目", items, _url("catalog:review")),
            *_contract_reviews(user, today),
            *(
                [
                    Task(
                        "待审核的使用证明",
                        proofs["n"],
                        _url("vouchers:queue", anchor="proofs"),
                        overdue=proofs["late"],
                        overdue_label="逾期提交",
                    )
                ]
                # Schemes that check proofs with the redemption leave this queue empty.
                if proofs["n"] or province_policy(today.year).proof_review
                else []
            ),
            *_redemption_reviews(user, today),
        ]
    )
    projects = projects_visible_to(user).filter(status=ProjectStatus.SUBMITTED).count()
    if projects or province_policy(today.year).project_registration:
        home.tasks.append(Task("待审核的研发项目登记", projects, _url("vouchers:projects", "status=submitted")))
    return home


def _centre(user, today: dt.date) -> Home:
    batches = settlement_selectors.batches_with_totals().exclude(status=BatchStatus.PAID).order_by("pk")
    movable = sum(1 for b in batches[:BATCH_SCAN_LIMIT] if available_moves(b, user))
    home = Home(
        tasks=[
            *_contract_reviews(user, today),
            *_redemption_reviews(user, today),
            Task(
                "待处理的公示异议",
                settlement_selectors.open_objections().count(),
                _url("vouchers:queue", anchor="objections"),
            ),
            Task(
                "已确认、待纳入拨付批次的兑付",
                settlement_selectors.redemptions_unbatched().count(),
                _url("vouchers:batches"),
            ),
            Task("待纳入拨付批次的机构补助", subsidies_unbatched_count(), _url("vouchers:batches")),
            Task("待推进的拨付批次", movable, _url("vouchers:batches"), hint="评审、公示、批准或拨付。"),
            Task(
                "等待预算的拨付",
                settlement_selectors.waiting_for_budget().count(),
                _url("vouchers:budget"),
                hint="下达预算后按确认顺序拨付。",
            ),
        ]
    )
    if may_manage_queue(user):
        # The filter of notifications.queue.failed_jobs, counted instead of listed.
        failed = ProcrastinateJob.objects.filter(status="failed").count()
        home.tasks.append(Task("失败的后台任务", failed, _url("tasks:failed_jobs")))
    return home


def _expert(user, today: dt.date) -> Home:
    home = Home(
        tasks=[Task("待评审的机构入库申请", account_selectors.review_queue(user).count(), _url("accounts:review"))]
    )
    # Experts have no batch list: each summary sent to them is its own page.
    batches = list(
        PayoutBatch.objects.filter(status=BatchStatus.EXPERTS).order_by("pk").values_list("pk", "number")[:20]
    )
    for pk, number in batches:
        home.tasks.append(
            Task(f"待评审的拨付汇总 {number}", 1, reverse("vouchers:batch", args=[pk]), hint="提交专家评审意见。")
        )
    return home


BUILDERS = {
    Role.APPLICANT: _applicant,
    Role.INSTITUTION: _institution,
    Role.BUREAU: _bureau,
    Role.OPERATOR: _operator,
    Role.CENTRE: _centre,
    Role.EXPERT: _expert,
}


def home_for(user, today: dt.date | None = None) -> Home:
    """The to-do list of a signed-in user with an organisation (empty for anyone else)."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return Home()
    builder = BUILDERS.get(user.role)
    return builder(user, today or timezone.localdate()) if builder else Home()
