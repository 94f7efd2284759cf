"""Every status workflow of the vouchers app as data: contracts, vouchers, use proofs,
redemptions, payout batches, batch items and objections.

Each is a :class:`mapsite.workflow.Workflow`: the moves people make (their name, from which
statuses to which, who may make them, what blocks them now) plus the system's moves inside
other services. The transition table, the audit row of every move and
:func:`available_moves` — what the pages show and the API lists — all come from here, and
the services ask the same workflow (``require``) before they act. No status of these models
is written anywhere else.

The contract review order is written once, in :data:`CONTRACT_REVIEW_CHAIN`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Role
from accounts.permissions import bureau_covers
from mapsite.workflow import Move, Workflow
from vouchers.models import (
    BatchItem,
    BatchItemEvent,
    BatchItemStatus,
    BatchStatus,
    Contract,
    ContractEvent,
    ContractStatus,
    Objection,
    ObjectionEvent,
    ObjectionStatus,
    PayoutBatch,
    PayoutBatchEvent,
    PayoutCycle,
    ProofEvent,
    ProofStatus,
    Redemption,
    RedemptionEvent,
    RedemptionStatus,
    Voucher,
    VoucherEvent,
    VoucherStatus,
    VoucherUse,
)
from vouchers.policies import province_policy

PAYEE_ROLES = (Role.APPLICANT, Role.INSTITUTION)


def _role(*roles):
    return lambda obj, user: getattr(user, "role", None) in roles


def _signed_in(obj, user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- Contracts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewStep:
    """One level of the contract review: a contract waiting in ``status`` is reviewed by
    ``role`` and, approved, moves on to ``next``."""

    status: str
    next: str
    role: str
    level: str


# County bureau (推荐部门) → operator (运营单位复核) → centre (创业中心审定), SPEC §5.2.
CONTRACT_REVIEW_CHAIN: tuple[ReviewStep, ...] = (
    ReviewStep(ContractStatus.SUBMITTED, ContractStatus.BUREAU_APPROVED, Role.BUREAU, "推荐部门"),
    ReviewStep(ContractStatus.BUREAU_APPROVED, ContractStatus.OPERATOR_APPROVED, Role.OPERATOR, "运营单位"),
    ReviewStep(ContractStatus.OPERATOR_APPROVED, ContractStatus.APPROVED, Role.CENTRE, "创业中心"),
)
EDITABLE = (ContractStatus.DRAFT, ContractStatus.RETURNED)


def review_step(status: str) -> ReviewStep | None:
    return next((s for s in CONTRACT_REVIEW_CHAIN if s.status == status), None)


def review_statuses(role: str | None) -> list[str]:
    """The statuses a contract waits in for ``role``'s review."""
    return [s.status for s in CONTRACT_REVIEW_CHAIN if s.role == role]


def _reviewer(step: ReviewStep):
    def who(contract: Contract, user) -> bool:
        if getattr(user, "role", None) != step.role:
            return False
        return step.role != Role.BUREAU or bureau_covers(user, contract.enterprise.region_id)

    return who


def _owner(contract: Contract, user) -> bool:
    return user.organisation_id is not None and user.organisation_id == contract.enterprise_id


def _resubmissions_used(contract: Contract) -> str | None:
    limit = contract.policy.resubmissions_allowed
    if contract.status == ContractStatus.RETURNED and contract.resubmissions >= limit:
        return f"已达到允许的重新提交次数（{limit} 次）。"
    return None


NOT_YOUR_TURN = "现在不是您审核该合同的环节，或该合同不在您的辖区。"
CONTRACT = Workflow(
    subject="合同",
    labels=ContractStatus,
    event=ContractEvent,
    subject_field="contract",
    moves=[
        Move(
            "submit",
            EDITABLE,
            ContractStatus.SUBMITTED,
            label="提交审核",
            who=_owner,
            blocked=_resubmissions_used,
            denied="只能操作本单位的合同。",
        ),
        *(
            Move(name, (step.status,), target, label=label, who=_reviewer(step), denied=NOT_YOUR_TURN)
            for step in CONTRACT_REVIEW_CHAIN
            for name, target, label in (
                ("approve", step.next, "审核通过"),
                ("return", ContractStatus.RETURNED, "退回"),
            )
        ),
    ],
)


# --- Vouchers -----------------------------------------------------------------------------------


def _expired(voucher: Voucher) -> str | None:
    if voucher.valid_until < timezone.localdate():
        return "该创新券已过有效期。"
    if voucher.holder_id != voucher.applicant_id:
        return "该创新券已不在申领企业手中。"
    return None


def _holder(voucher: Voucher, user) -> bool:
    return getattr(user, "role", None) in PAYEE_ROLES and user.organisation_id == voucher.holder_id


def _proofs_not_approved(voucher: Voucher) -> str | None:
    use = getattr(voucher, "use", None)
    if use is None or use.proof_status != ProofStatus.APPROVED:
        return f"{voucher.number} 的使用证明尚未通过审核。"
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
            who=lambda v, user: user.organisation_id == v.applicant_id,
            blocked=_expired,
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
            denied="只有持券的服务机构或（区外服务的）企业可以申请兑付。",
        ),
        Move("return", (VoucherStatus.REDEEMING,), VoucherStatus.USED, label="退回"),
        Move("redeemed", (VoucherStatus.REDEEMING,), VoucherStatus.REDEEMED, label="拨付"),
        Move(
            "clawback",
            (VoucherStatus.REDEEMED,),
            VoucherStatus.CLAWED_BACK,
            label="追回",
            who=_role(Role.CENTRE),
            denied="只有创业中心可以追回创新券。",
        ),
    ],
)


# --- Use proofs ---------------------------------------------------------------------------------

PROOF = Workflow(
    subject="使用证明",
    labels=ProofStatus,
    event=ProofEvent,
    subject_field="use",
    field="proof_status",
    moves=[
        Move(
            "submit",
            (ProofStatus.NONE, ProofStatus.RETURNED),
            ProofStatus.SUBMITTED,
            label="提交",
            who=lambda use, user: user.organisation_id == use.voucher.applicant_id,
            denied="只有用券企业可以提交证明材料。",
        ),
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


REDEMPTION = Workflow(
    subject="兑付申请",
    labels=RedemptionStatus,
    event=RedemptionEvent,
    subject_field="redemption",
    moves=[
        Move(
            "check",
            (RedemptionStatus.SUBMITTED,),
            RedemptionStatus.CHECKED,
            label="审核",
            who=_role(Role.OPERATOR),
            denied="只有运营单位审核兑付材料。",
        ),
        Move(
            "return",
            (RedemptionStatus.SUBMITTED,),
            RedemptionStatus.RETURNED,
            label="退回",
            who=_role(Role.OPERATOR),
            denied="只有运营单位审核兑付材料。",
        ),
        Move(
            "confirm",
            (RedemptionStatus.CHECKED,),
            RedemptionStatus.CONFIRMED,
            label="确认",
            who=_role(Role.CENTRE),
            denied="只有创业中心确认兑付。",
        ),
        Move(
            "return",
            (RedemptionStatus.CHECKED,),
            RedemptionStatus.RETURNED,
            label="退回",
            who=_role(Role.CENTRE),
            denied="只有创业中心确认兑付。",
        ),
        # An objection upheld during the public notice sends a confirmed redemption back.
        Move("return", (RedemptionStatus.CONFIRMED,), RedemptionStatus.RETURNED, label="退回"),
        Move(
            "resubmit",
            (RedemptionStatus.RETURNED,),
            RedemptionStatus.SUBMITTED,
            label="重新提交",
            who=_payee,
            blocked=_resubmissions_left,
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


def _approval_blocked(batch: PayoutBatch) -> str | None:
    if batch.status == BatchStatus.DRAFT and batch.cycle == PayoutCycle.QUARTERLY:
        return "按季度拨付的批次须先公示。"
    if batch.status == BatchStatus.NOTICE and timezone.localdate() <= batch.notice_until:
        return f"公示期至 {batch.notice_until}，期满后才能批准。"
    return None


CENTRE_ONLY = "只有创业中心可以管理拨付批次。"
BATCH = Workflow(
    subject="拨付批次",
    labels=BatchStatus,
    event=PayoutBatchEvent,
    subject_field="batch",
    moves=[
        Move(
            "notice", (BatchStatus.DRAFT,), BatchStatus.NOTICE, label="公示", who=_role(Role.CENTRE), denied=CENTRE_ONLY
        ),
        Move(
            "approve",
            (BatchStatus.DRAFT, BatchStatus.NOTICE),
            BatchStatus.APPROVED,
            label="批准",
            who=_role(Role.CENTRE),
            blocked=_approval_blocked,
            denied=CENTRE_ONLY,
        ),
        # Paying pays the items that can be paid; the batch itself becomes paid only once
        # every item is paid or released (see settlement.batch_settle).
        Move(
            "pay", (BatchStatus.APPROVED,), BatchStatus.PAID, label="拨付", who=_role(Role.CENTRE), denied=CENTRE_ONLY
        ),
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
            denied="只有创业中心处理异议。",
        ),
        Move(
            "dismiss",
            (ObjectionStatus.OPEN,),
            ObjectionStatus.DISMISSED,
            label="认定不成立",
            who=_role(Role.CENTRE),
            denied="只有创业中心处理异议。",
        ),
    ],
)


WORKFLOWS: dict[type, Workflow] = {
    Contract: CONTRACT,
    Voucher: VOUCHER,
    VoucherUse: PROOF,
    Redemption: REDEMPTION,
    PayoutBatch: BATCH,
    BatchItem: BATCH_ITEM,
    Objection: OBJECTION,
}


def workflow_of(obj) -> Workflow:
    return WORKFLOWS[type(obj)]


def available_moves(obj, user) -> list[str]:
    """The moves ``user`` may make on ``obj`` now (the names the services and API actions
    use): what the pages show as buttons and the API lists as ``available_moves``."""
    return workflow_of(obj).available(obj, user)
