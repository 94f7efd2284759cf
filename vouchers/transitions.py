"""Every status workflow of the vouchers app as data: contracts, vouchers, use proofs,
redemptions, payout batches, batch items, objections and institutions' subsidies.

Each is a :class:`mapsite.workflow.Workflow`: the moves people make (their name, from which
statuses to which, who may make them, what blocks them now) plus the system's moves inside
other services. The transition table, the audit row of every move and
:func:`available_moves` — what the pages show and the API lists — all come from here, and
the services ask the same workflow (``require``) before they act. No status of these models
is written anywhere else.

The contract review order is the scheme's (``Policy.contract_review``): see the contracts
section below.
"""

from __future__ import annotations

from django.utils import timezone

from accounts.actors import only_lazy
from accounts.models import Role
from accounts.permissions import is_authority_for
from catalog.models import BookingStatus
from mapsite.workflow import Move, Workflow
from vouchers.models import (
    ACTIVE_ITEM_STATUSES,
    AT_REVIEWER,
    IN_REVIEW,
    PROOFS_READY,
    BatchItem,
    BatchItemEvent,
    BatchItemStatus,
    BatchStatus,
    ClaimEvent,
    ClaimStatus,
    Contract,
    ContractEvent,
    ContractStatus,
    EntitlementClaim,
    FinalRefusal,
    Objection,
    ObjectionEvent,
    ObjectionStatus,
    PayeeChoice,
    PayoutBatch,
    PayoutBatchEvent,
    PayoutCycle,
    ProjectEvent,
    ProjectRegistration,
    ProjectStatus,
    ProofBy,
    ProofEvent,
    ProofStatus,
    Redemption,
    RedemptionEvent,
    RedemptionStatus,
    Reviewer,
    Subsidy,
    SubsidyEvent,
    SubsidyStatus,
    Voucher,
    VoucherEvent,
    VoucherStatus,
    VoucherUse,
)
from vouchers.policies.records import province_policy
from vouchers.policies.words import contract_words

PAYEE_ROLES = (Role.APPLICANT, Role.INSTITUTION)
SERVICE_DONE = (BookingStatus.COMPLETED, BookingStatus.RATED)


def _role(*roles):
    return lambda obj, user: getattr(user, "role", None) in roles


def _signed_in(obj, user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- Contracts ---------------------------------------------------------------------------------
#
# The review chain is the scheme's: ``policy.contract_review`` lists the reviewer levels in
# order (Ningxia: county bureau 推荐部门 → operator 运营单位复核 → centre 创业中心审定; Henan:
# the institution accepts 受理, then the platform; Jiangsu and Zhejiang: none). A contract
# waits at one level at a time, in that level's ``at_<reviewer>`` status. The table below
# holds every edge any chain can use; each move's ``who`` lets it through only where the
# contract's own chain has that edge, so the policy record decides the flow.

REVIEWER_OF_STATUS = {status: reviewer for reviewer, status in AT_REVIEWER.items()}
EDITABLE = (ContractStatus.DRAFT, ContractStatus.RETURNED)


def contract_chain(contract: Contract) -> list[str]:
    return list(contract.policy.contract_review or [])


def status_after(chain: list[str], reviewer: str | None) -> str:
    """Where a contract goes once ``reviewer`` approves it (``None``: once submitted)."""
    at = -1 if reviewer is None else chain.index(reviewer)
    return AT_REVIEWER[chain[at + 1]] if at + 1 < len(chain) else ContractStatus.APPROVED


def reviewer_now(contract: Contract) -> str | None:
    """The level whose turn it is, or None when the contract is not in review."""
    return REVIEWER_OF_STATUS.get(contract.status)


def review_statuses(role: str | None) -> list[str]:
    """The status a contract waits in for ``role``'s review (any scheme)."""
    return [AT_REVIEWER[role]] if role in AT_REVIEWER else []


def is_reviewer(reviewer: str, contract: Contract, user) -> bool:
    """``user`` may act for ``reviewer``'s level on ``contract``: the right role, and for a
    bureau the enterprise's county or city, for an institution the contract's institution."""
    if getattr(user, "role", None) != reviewer:
        return False
    if reviewer == Reviewer.BUREAU:
        return is_authority_for(user, contract.enterprise)
    if reviewer == Reviewer.INSTITUTION:
        return user.organisation_id == contract.institution.organisation_id
    return True


def _owner(contract: Contract, user) -> bool:
    return user.organisation_id is not None and user.organisation_id == contract.enterprise_id


def _resubmissions_used(contract: Contract) -> str | None:
    limit = contract.policy.resubmissions_allowed
    if contract.status == ContractStatus.RETURNED and contract.resubmissions >= limit:
        return f"已达到允许的重新提交次数（{limit} 次）。"
    return None


def becomes_ordinary(contract: Contract) -> bool:
    """A refusal now turns the order into an ordinary order (Henan: after its one
    correction) instead of sending it back."""
    policy = contract.policy
    return policy.final_refusal == FinalRefusal.ORDINARY and contract.resubmissions >= policy.resubmissions_allowed


def _submits_to(target: str):
    return lambda c, user: _owner(c, user) and status_after(contract_chain(c), None) == target


def _approves_to(reviewer: str, target: str):
    def who(c: Contract, user) -> bool:
        chain = contract_chain(c)
        return reviewer in chain and is_reviewer(reviewer, c, user) and status_after(chain, reviewer) == target

    return who


def _refuses_to(reviewer: str, ordinary: bool):
    return lambda c, user: is_reviewer(reviewer, c, user) and becomes_ordinary(c) == ordinary


def _booking_gone(contract: Contract) -> str | None:
    """The institution's acceptance (受理) of an order accepts the order's booking too
    (``contracts.services.contract_review``): not once that booking was declined or cancelled."""
    booking = contract.booking
    if booking is not None and booking.status in (BookingStatus.DECLINED, BookingStatus.CANCELLED):
        return f"预约 {booking.number} {BookingStatus(booking.status).label}，不能受理。"
    return None


NOT_YOUR_TURN = "现在不是您审核该合同的环节，或该合同不在您的辖区。"
_AFTER_REVIEW = (*IN_REVIEW, ContractStatus.APPROVED)
CONTRACT = Workflow(
    subject="合同",
    subject_of=lambda contract: contract_words(contract.policy).short,  # Henan, Jiangsu: 订单
    labels=ContractStatus,
    event=ContractEvent,
    subject_field="contract",
    moves=[
        *(
            Move(
                "submit",
                EDITABLE,
                target,
                label="提交审核",
                who=_submits_to(target),
                blocked=_resubmissions_used,
                denied="只能操作本单位的合同。",
            )
            for target in _AFTER_REVIEW
        ),
        *(
            Move(
                "approve",
                (at,),
                target,
                label="审核通过",
                who=_approves_to(reviewer, target),
                blocked=_booking_gone if reviewer == Reviewer.INSTITUTION else None,
                denied=NOT_YOUR_TURN,
            )
            for reviewer, at in AT_REVIEWER.items()
            for target in _AFTER_REVIEW
            if target != at
        ),
        *(
            Move("return", (at,), target, label=label, who=_refuses_to(reviewer, ordinary), denied=NOT_YOUR_TURN)
            for reviewer, at in AT_REVIEWER.items()
            for target, label, ordinary in (
                (ContractStatus.RETURNED, "退回", False),
                (ContractStatus.ORDINARY, "退回（转为普通订单）", True),
            )
        ),
    ],
)


# --- Vouchers -----------------------------------------------------------------------------------


def _not_payable(voucher: Voucher) -> str | None:
    """Why the voucher cannot pay now: expired, passed on, or — for a contract made from a
    booking — the service is not done yet (the institution completes the booking first;
    money never moves for a service that has not happened). An offline agreement's
    completion date is the payer's statement."""
    if voucher.valid_until < timezone.localdate():
        return "该创新券已过有效期。"
    if voucher.holder_id != voucher.enterprise_id:
        return "该创新券已不在申领企业手中。"
    booking = voucher.contract.booking
    if booking is not None and booking.status not in SERVICE_DONE:
        return "服务机构确认服务完成（预约已完成）后才能用券支付。"
    return None


def _holder(voucher: Voucher, user) -> bool:
    return getattr(user, "role", None) in PAYEE_ROLES and user.organisation_id == voucher.holder_id


def _proofs_not_approved(voucher: Voucher) -> str | None:
    use = getattr(voucher, "use", None)
    if use is None or use.proof_status not in PROOFS_READY:
        if voucher.contract.policy.proof_review:
            return f"{voucher.number} 的使用证明尚未通过审核。"
        return f"{voucher.number} 的使用证明尚未提交齐全。"
    if use.payee_choice == PayeeChoice.ENTERPRISE and use.institution_confirmed_at is None:
        return f"{voucher.number} 选择了企业兑付，须服务机构确认用券后才能申请兑付。"
    return None


VOUCHER = Workflow(
    subject="创新券",
    labels=VoucherStatus,
    event=VoucherEvent,
    subject_field="voucher",
    moves=[
        Move(
            "pay",
            (VoucherStatus.ISSUED,),
            VoucherStatus.USED,
            label="使用",
            who=lambda v, user: user.organisation_id == v.enterprise_id,
            blocked=_not_payable,
            denied="只能使用本单位申领的创新券；创新券不得转让或赠送。",
        ),
        Move("expire", (VoucherStatus.ISSUED,), VoucherStatus.EXPIRED, label="过期"),
        Move(
            "redeem",
            (VoucherStatus.USED,),
            VoucherStatus.REDEEMING,
            label="申请兑付",
            who=_holder,
            blocked=_proofs_not_approved,
            denied="只有持券的兑付方（服务机构或企业）可以申请兑付。",
        ),
        Move("return", (VoucherStatus.REDEEMING,), VoucherStatus.USED, label="退回"),
        Move("redeemed", (VoucherStatus.REDEEMING,), VoucherStatus.REDEEMED, label="拨付"),
        Move(
            "clawback",
            (VoucherStatus.REDEEMED,),
            VoucherStatus.CLAWED_BACK,
            label="追回",
            who=_role(Role.CENTRE),
            denied=only_lazy("追回创新券"),
        ),
    ],
)


# --- Use proofs ---------------------------------------------------------------------------------

PROOF_DENIED = "只有方案规定的证明提交方（用券企业或服务机构）可以提交证明材料。"


def proves(use: VoucherUse, user) -> bool:
    """``user`` uploads and submits ``use``'s proofs: the enterprise, or — where the scheme
    says so (Henan) — the institution that gave the service."""
    voucher = use.voucher
    if voucher.contract.policy.proof_by == ProofBy.INSTITUTION:
        return user.organisation_id == voucher.institution.organisation_id
    return user.organisation_id == voucher.enterprise_id


def _reviewed(yes: bool):
    """``proves``, in a scheme whose operator reviews the proofs (``yes``) or does not."""

    def who(use: VoucherUse, user) -> bool:
        return use.voucher.contract.policy.proof_review is yes and proves(use, user)

    return who


PROOF = Workflow(
    subject="使用证明",
    labels=ProofStatus,
    event=ProofEvent,
    subject_field="use",
    field="proof_status",
    moves=[
        # Submitting goes to the operator's review (Ningxia) or, where the scheme has none
        # (Henan, Jiangsu, Zhejiang: ``Policy.proof_review`` off), files the proofs for the
        # redemption's reviewer; a returned redemption reopens them ("reopen").
        *(
            Move(
                "submit",
                (ProofStatus.NONE, ProofStatus.RETURNED),
                target,
                label="提交",
                who=_reviewed(reviewed),
                denied=PROOF_DENIED,
            )
            for target, reviewed in ((ProofStatus.SUBMITTED, True), (ProofStatus.FILED, False))
        ),
        Move("reopen", (ProofStatus.FILED,), ProofStatus.RETURNED, label="退回补正"),
        *(
            Move(
                name,
                (ProofStatus.SUBMITTED,),
                target,
                label=label,
                who=_role(Role.OPERATOR),
                denied="只有运营单位审核使用证明。",
            )
            for name, target, label in (
                ("approve", ProofStatus.APPROVED, "审核通过"),
                ("return", ProofStatus.RETURNED, "退回"),
            )
        ),
    ],
)


# --- Redemptions --------------------------------------------------------------------------------


def _payee(redemption: Redemption, user) -> bool:
    return user.organisation_id == redemption.payee_id


def _resubmissions_left(redemption: Redemption) -> str | None:
    limit = province_policy(redemption.year).redemption_resubmissions
    if redemption.resubmissions >= limit:
        return "兑付申请只允许重新提交一次。" if limit == 1 else f"兑付申请只允许重新提交 {limit} 次。"
    return None


def _not_resubmittable(redemption: Redemption) -> str | None:
    """The resubmission limit, then every voucher's proofs: where the scheme reviews proofs
    with the redemption, its return reopened them for correction."""
    reason = _resubmissions_left(redemption)
    if reason:
        return reason
    for item in redemption.items.select_related("voucher__use", "voucher__contract__policy"):
        reason = _proofs_not_approved(item.voucher)
        if reason:
            return reason + "请先补正并重新提交证明材料。"
    return None


REDEMPTION_NOT_YOURS = "现在不是您审核该兑付申请的环节，或申请中的创新券不在您的辖区。"


def redemption_chain(redemption: Redemption) -> list[str]:
    """The scheme's redemption review levels (``Policy.redemption_review``) of its year."""
    return list(province_policy(redemption.year).redemption_review or [])


def redemption_reviewer(redemption: Redemption) -> str | None:
    """The level whose turn it is, or None when the redemption is not in review."""
    chain = redemption_chain(redemption)
    if redemption.status == RedemptionStatus.SUBMITTED and chain:
        return chain[0]
    if redemption.status == RedemptionStatus.CHECKED and len(chain) > 1:
        return chain[-1]
    return None


def _reviews_redemption(level: str, redemption: Redemption, user) -> bool:
    if getattr(user, "role", None) != level:
        return False
    if level == Reviewer.BUREAU:
        # The S&T authority of every applicant whose voucher is in the redemption.
        applicants = {item.voucher.enterprise for item in redemption.items.select_related("voucher__enterprise")}
        return bool(applicants) and all(is_authority_for(user, org) for org in applicants)
    return True


def _redemption_level(*, first: bool, levels: int | None = None):
    def who(redemption: Redemption, user) -> bool:
        chain = redemption_chain(redemption)
        if not chain or (levels is not None and len(chain) != levels):
            return False
        return _reviews_redemption(chain[0] if first else chain[-1], redemption, user)

    return who


REDEMPTION = Workflow(
    subject="兑付申请",
    labels=RedemptionStatus,
    event=RedemptionEvent,
    subject_field="redemption",
    moves=[
        # The first level checks the material and may approve lower amounts (审核认定); with
        # one level (Henan, Jiangsu, Zhejiang) its approval confirms at once, with two
        # (Ningxia: operator → centre) the last level confirms.
        *(
            Move(
                "check",
                (RedemptionStatus.SUBMITTED,),
                target,
                label="审核通过",
                who=_redemption_level(first=True, levels=levels),
                denied=REDEMPTION_NOT_YOURS,
            )
            for target, levels in ((RedemptionStatus.CHECKED, 2), (RedemptionStatus.CONFIRMED, 1))
        ),
        Move(
            "return",
            (RedemptionStatus.SUBMITTED,),
            RedemptionStatus.RETURNED,
            label="退回",
            who=_redemption_level(first=True),
            denied=REDEMPTION_NOT_YOURS,
        ),
        Move(
            "confirm",
            (RedemptionStatus.CHECKED,),
            RedemptionStatus.CONFIRMED,
            label="确认",
            who=_redemption_level(first=False, levels=2),
            denied=REDEMPTION_NOT_YOURS,
        ),
        Move(
            "return",
            (RedemptionStatus.CHECKED,),
            RedemptionStatus.RETURNED,
            label="退回",
            who=_redemption_level(first=False, levels=2),
            denied=REDEMPTION_NOT_YOURS,
        ),
        # An objection upheld during the public notice sends a confirmed redemption back.
        Move("return", (RedemptionStatus.CONFIRMED,), RedemptionStatus.RETURNED, label="退回"),
        Move(
            "resubmit",
            (RedemptionStatus.RETURNED,),
            RedemptionStatus.SUBMITTED,
            label="重新提交",
            who=_payee,
            blocked=_not_resubmittable,
            denied="只能重新提交本单位的兑付申请。",
        ),
        Move(
            "withdraw",
            (RedemptionStatus.RETURNED,),
            RedemptionStatus.WITHDRAWN,
            label="撤回",
            who=_payee,
            denied="只能撤回本单位的兑付申请。",
        ),
        Move("pay", (RedemptionStatus.CONFIRMED,), RedemptionStatus.PAID, label="拨付"),
    ],
)


# --- Payout batches ------------------------------------------------------------------------------


def _batch_policy(batch: PayoutBatch):
    return province_policy(batch.year)


def steps_pending(batch: PayoutBatch) -> str | None:
    """The scheme's steps before notice or approval that this batch has not had yet."""
    policy = _batch_policy(batch)
    if policy.expert_review and batch.status in (BatchStatus.DRAFT, BatchStatus.EXPERTS):
        return "该批次须先完成专家评审。"
    if policy.finance_confirmation and batch.status != BatchStatus.CONFIRMED and batch.status != BatchStatus.NOTICE:
        return "该批次须先经科技与财政部门确认。"
    return None


def _approval_blocked(batch: PayoutBatch) -> str | None:
    pending = steps_pending(batch)
    if pending:
        return pending
    if batch.status != BatchStatus.NOTICE and batch.cycle == PayoutCycle.QUARTERLY:
        return "按季度拨付的批次须先公示。"
    monthly_noticed = batch.cycle == PayoutCycle.MONTHLY and _batch_policy(batch).monthly_notice
    if batch.status != BatchStatus.NOTICE and monthly_noticed:
        return "本年度政策规定按月拨付的批次也须先公示，公示期满无异议后才能批准。"
    if batch.status == BatchStatus.NOTICE and timezone.localdate() <= batch.notice_until:
        return f"公示期至 {batch.notice_until}，期满后才能批准。"
    return None


def _scheme_step(flag: str):
    def who(batch: PayoutBatch, user) -> bool:
        return getattr(user, "role", None) == Role.CENTRE and getattr(_batch_policy(batch), flag)

    return who


def _expert(batch: PayoutBatch, user) -> bool:
    return getattr(user, "role", None) == Role.EXPERT and _batch_policy(batch).expert_review


def _finance_blocked(batch: PayoutBatch) -> str | None:
    if _batch_policy(batch).expert_review and batch.status != BatchStatus.REVIEWED:
        return "该批次须先完成专家评审。"
    return None


CENTRE_ONLY = "您无权管理拨付批次：拨付批次由省级审定/拨付单位管理。"
MANAGERS_ONLY = "您无权管理本拨付批次：只有省级审定/拨付单位或本批次所属地区的科技部门可以管理。"


def _manages_batch(batch: PayoutBatch, user) -> bool:
    """The centre manages every batch; a bureau also its own region's (on-approval schemes)."""
    role = getattr(user, "role", None)
    if role == Role.CENTRE:
        return True
    return role == Role.BUREAU and batch.region_id is not None and user.organisation.region_id == batch.region_id


BATCH = Workflow(
    subject="拨付批次",
    labels=BatchStatus,
    event=PayoutBatchEvent,
    subject_field="batch",
    moves=[
        Move(
            "experts",
            (BatchStatus.DRAFT,),
            BatchStatus.EXPERTS,
            label="提交专家评审",
            who=_scheme_step("expert_review"),
            denied=CENTRE_ONLY,
        ),
        Move(
            "assess",
            (BatchStatus.EXPERTS,),
            BatchStatus.REVIEWED,
            label="提交专家评审意见",
            who=_expert,
            denied="只有评审专家可以提交评审意见。",
        ),
        Move(
            "finance",
            (BatchStatus.DRAFT, BatchStatus.REVIEWED),
            BatchStatus.CONFIRMED,
            label="科技与财政部门确认",
            who=_scheme_step("finance_confirmation"),
            blocked=_finance_blocked,
            denied=CENTRE_ONLY,
        ),
        Move(
            "notice",
            (BatchStatus.DRAFT, BatchStatus.REVIEWED, BatchStatus.CONFIRMED),
            BatchStatus.NOTICE,
            label="公示",
            who=_manages_batch,
            blocked=steps_pending,
            denied=MANAGERS_ONLY,
        ),
        Move(
            "approve",
            (BatchStatus.DRAFT, BatchStatus.REVIEWED, BatchStatus.CONFIRMED, BatchStatus.NOTICE),
            BatchStatus.APPROVED,
            label="批准",
            who=_manages_batch,
            blocked=_approval_blocked,
            denied=MANAGERS_ONLY,
        ),
        # Paying pays the items that can be paid; the batch itself becomes paid only once
        # every item is paid or released (see settlement.batch_settle).
        Move("pay", (BatchStatus.APPROVED,), BatchStatus.PAID, label="拨付", who=_manages_batch, denied=MANAGERS_ONLY),
    ],
)


def _on_notice(item: BatchItem) -> str | None:
    batch = item.batch
    today = timezone.localdate()
    if batch.status != BatchStatus.NOTICE or not (batch.notice_from <= today <= batch.notice_until):
        return "该批次不在公示期内。"
    return None


BATCH_ITEM = Workflow(
    subject="拨付条目",
    labels=BatchItemStatus,
    event=BatchItemEvent,
    subject_field="item",
    moves=[
        # Any signed-in user may object while the batch is on public notice (公示).
        Move(
            "object",
            (BatchItemStatus.PENDING, BatchItemStatus.HELD),
            BatchItemStatus.HELD,
            label="提出异议",
            who=_signed_in,
            blocked=_on_notice,
            denied="请先登录。",
        ),
        Move("resume", (BatchItemStatus.HELD,), BatchItemStatus.PENDING, label="恢复待拨付"),
        Move("release", (BatchItemStatus.HELD,), BatchItemStatus.RELEASED, label="移出批次"),
        Move("wait", (BatchItemStatus.PENDING,), BatchItemStatus.WAITING_BUDGET, label="等待预算"),
        Move("pay", (BatchItemStatus.PENDING, BatchItemStatus.WAITING_BUDGET), BatchItemStatus.PAID, label="拨付"),
    ],
)


# --- Objections -----------------------------------------------------------------------------------

OBJECTION = Workflow(
    subject="异议",
    labels=ObjectionStatus,
    event=ObjectionEvent,
    subject_field="objection",
    moves=[
        Move(
            "uphold",
            (ObjectionStatus.OPEN,),
            ObjectionStatus.UPHELD,
            label="认定成立",
            who=_role(Role.CENTRE),
            denied=only_lazy("处理异议"),
        ),
        Move(
            "dismiss",
            (ObjectionStatus.OPEN,),
            ObjectionStatus.DISMISSED,
            label="认定不成立",
            who=_role(Role.CENTRE),
            denied=only_lazy("处理异议"),
        ),
    ],
)


# --- Entitlement claims (额度申请, Jiangsu's reviewed application) ------------------------------


def _authority(claim: EntitlementClaim, user) -> bool:
    """The applicant's S&T authority: its high-tech zone's, else the bureau of its county or city."""
    return is_authority_for(user, claim.organisation)


def _claim_applicant(claim: EntitlementClaim, user) -> bool:
    return getattr(user, "role", None) == Role.APPLICANT and user.organisation_id == claim.organisation_id


def _form_not_printed(claim: EntitlementClaim) -> str | None:
    if claim.form_printed_at is None:
        return "请先下载申领表，打印并加盖公章后再上传。"
    return None


CLAIM = Workflow(
    subject="额度申请",
    labels=ClaimStatus,
    event=ClaimEvent,
    subject_field="claim",
    moves=[
        # Jiangsu: the filled-in application waits for its printed form, stamped (上传申领表).
        Move(
            "upload",
            (ClaimStatus.TO_UPLOAD,),
            ClaimStatus.SUBMITTED,
            label="上传申领表",
            who=_claim_applicant,
            blocked=_form_not_printed,
            denied="只有申请单位可以上传盖章的申领表。",
        ),
        Move(
            "grant",
            (ClaimStatus.SUBMITTED,),
            ClaimStatus.GRANTED,
            label="审核通过",
            who=_authority,
            denied="只有申请单位所在地的科技主管部门可以审核额度申请。",
        ),
        Move(
            "refuse",
            (ClaimStatus.SUBMITTED,),
            ClaimStatus.REFUSED,
            label="不予通过",
            who=_authority,
            denied="只有申请单位所在地的科技主管部门可以审核额度申请。",
        ),
    ],
)


# --- R&D project registration (项目登记, Henan) ------------------------------------------------

PROJECT = Workflow(
    subject="研发项目登记",
    labels=ProjectStatus,
    event=ProjectEvent,
    subject_field="project",
    moves=[
        *(
            Move(
                name,
                (ProjectStatus.SUBMITTED,),
                target,
                label=label,
                who=_role(Role.OPERATOR),
                denied="只有运营单位（平台）审核研发项目登记。",
            )
            for name, target, label in (
                ("approve", ProjectStatus.APPROVED, "审核通过"),
                ("return", ProjectStatus.RETURNED, "退回"),
            )
        ),
        Move(
            "resubmit",
            (ProjectStatus.RETURNED,),
            ProjectStatus.SUBMITTED,
            label="修改后重新提交",
            who=lambda project, user: user.organisation_id == project.organisation_id,
            denied="只能修改本单位的项目登记。",
        ),
    ],
)


# --- Institutions' subsidies (机构年度补助, SPEC §5.5) ----------------------------------------------
#
# A granted subsidy is a payable: a batch pays it (system move inside the payout), the centre
# may cancel it while no batch holds it, and an objection upheld during its batch's public
# notice cancels it too (system move; the item leaves the batch). Cancelled, the institution
# and year may be granted again.


def _in_a_batch(subsidy: Subsidy) -> str | None:
    item = subsidy.batch_items.filter(status__in=ACTIVE_ITEM_STATUSES).select_related("batch").first()
    if item is not None:
        return f"该补助已纳入拨付批次 {item.batch.number}，不能撤销。"
    return None


SUBSIDY = Workflow(
    subject="机构补助",
    labels=SubsidyStatus,
    event=SubsidyEvent,
    subject_field="subsidy",
    moves=[
        Move("pay", (SubsidyStatus.GRANTED,), SubsidyStatus.PAID, label="拨付"),
        Move(
            "cancel",
            (SubsidyStatus.GRANTED,),
            SubsidyStatus.CANCELLED,
            label="撤销",
            who=_role(Role.CENTRE),
            blocked=_in_a_batch,
            denied=only_lazy("撤销机构补助"),
        ),
        Move("release", (SubsidyStatus.GRANTED,), SubsidyStatus.CANCELLED, label="公示异议成立，撤销"),
    ],
)


WORKFLOWS: dict[type, Workflow] = {
    ProjectRegistration: PROJECT,
    EntitlementClaim: CLAIM,
    Contract: CONTRACT,
    Voucher: VOUCHER,
    VoucherUse: PROOF,
    Redemption: REDEMPTION,
    PayoutBatch: BATCH,
    BatchItem: BATCH_ITEM,
    Objection: OBJECTION,
    Subsidy: SUBSIDY,
}


def workflow_of(obj) -> Workflow:
    return WORKFLOWS[type(obj)]


def available_moves(obj, user) -> list[str]:
    """The moves ``user`` may make on ``obj`` now (the names the services and API actions
    use): what the pages show as buttons and the API lists as ``available_moves``."""
    return workflow_of(obj).available(obj, user)
