"""Every workflow of the vouchers app as a table test: each allowed move made through its
service (and its one audit row: who, role, from, to, note), a refused move that changes
nothing, and ``available_moves`` per persona — the owner, the reviewer whose turn it is,
the other staff and an outsider (Mallory, an unrelated enterprise; Charlie, another
county's bureau).

``test_the_cases_cover_every_move_of_every_workflow`` keeps the table honest: a move added
to ``vouchers.transitions`` without a case here fails it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mapsite.workflow import InvalidTransition
from tests import factories
from vouchers import settlement
from vouchers.contracts import services
from vouchers.entitlements import services as entitlements
from vouchers.models import (
    BatchItemStatus,
    BatchStatus,
    Contract,
    ContractStatus,
    PayoutCycle,
    Policy,
    ProofKind,
    ProofStatus,
    Redemption,
    RedemptionMode,
    RedemptionStatus,
    Voucher,
    VoucherStatus,
)
from vouchers.transitions import WORKFLOWS, available_moves, reviewer_now, workflow_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ledger_consistent_after_each_case(clock, check_ledger):
    yield
    check_ledger()


# --- Building objects in every status, through the services --------------------------------------


@dataclass
class Flow:
    alice: object
    bob: object
    charlie: object
    olivia: object
    cecilia: object
    ivan_lab: object
    mallory: object
    clock: object

    # Contracts
    def contract(self, status: str = ContractStatus.DRAFT, *, chain: list[str] | None = None) -> Contract:
        """A contract in ``status``, reached through the services along the policy's review
        chain (Ningxia's by default; ``chain`` sets another, e.g. Henan's institution →
        operator, where a second refusal makes an ordinary order)."""
        if chain is not None:
            policy = Policy.objects.get(region=None)
            policy.contract_review, policy.final_refusal, policy.resubmissions_allowed = chain, "ordinary", 1
            policy.save()
        contract = factories.ready_contract(self.alice, self.ivan_lab, price="20000", quantity="2")
        if status == ContractStatus.DRAFT:
            return contract
        contract = services.contract_submit(contract=contract, by=self.alice)
        by_level = {"bureau": self.bob, "institution": self.ivan_lab, "operator": self.olivia, "centre": self.cecilia}
        if status in (ContractStatus.RETURNED, ContractStatus.ORDINARY):
            for _ in range(2 if status == ContractStatus.ORDINARY else 1):
                if contract.status == ContractStatus.RETURNED:
                    contract = services.contract_submit(contract=contract, by=self.alice)
                reviewer = by_level[reviewer_now(contract)]
                contract = services.contract_review(contract=contract, by=reviewer, approve=False, note="补充报价单")
            return Contract.objects.get(pk=contract.pk)
        while contract.status != status:
            contract = services.contract_review(contract=contract, by=by_level[reviewer_now(contract)], approve=True)
        return Contract.objects.get(pk=contract.pk)

    # Entitlement claims: Jiangsu's yearly application, reviewed by the county bureau
    def claim(self, *, stamped: bool = True):
        policy = Policy.objects.get(region=None)
        policy.model, policy.flat_rate, policy.entitlement = "quota", Decimal("0.35"), "application"
        policy.quota = {"default": "100000"}
        policy.save()
        claim = factories.jiangsu_application(self.alice, "high_tech", stamped=stamped)
        if not stamped:
            entitlements.record_form_printed(claim=claim, by=self.alice)
        return claim

    # R&D project registrations (Henan's 项目登记)
    def project(self, status: str = "submitted"):
        from vouchers.entitlements import services as entitlements

        policy = Policy.objects.get(region=None)
        policy.project_registration = True
        policy.save()
        data = {"title": "传感器研制", "summary": "委托检测", "budget": "100000", "starts_on": "2026-01-01"}
        project = entitlements.project_register(by=self.alice, data={**data, "ends_on": "2026-12-31"})
        if status == "returned":
            project = entitlements.project_review(project=project, by=self.olivia, approve=False, note="补充")
        return project

    # Vouchers and their use
    def voucher(self):
        return self.contract(ContractStatus.APPROVED).voucher

    def use(self, proof_status: str = ProofStatus.NONE):
        voucher = self.voucher()
        use = settlement.voucher_pay(voucher=voucher, by=self.alice, idempotency_key=uuid.uuid4().hex)
        if proof_status == ProofStatus.NONE:
            return use
        for kind, amount in ((ProofKind.INVOICE, "40000"), (ProofKind.BANK_RECEIPT, "40000"), (ProofKind.RESULT, None)):
            settlement.proof_upload(use=use, by=self.alice, kind=kind, upload=factories.pdf_upload(), amount=amount)
        use = settlement.proof_submit(use=use, by=self.alice)
        if proof_status == ProofStatus.APPROVED:
            return settlement.proof_review(use=use, by=self.olivia, approve=True)
        if proof_status == ProofStatus.RETURNED:
            return settlement.proof_review(use=use, by=self.olivia, approve=False, note="发票不清晰")
        return use

    def used_voucher(self):
        return Voucher.objects.get(pk=self.use(ProofStatus.APPROVED).voucher_id)

    def filed_use_in_redemption(self):
        """A use whose proofs were filed for the redemption's reviewer (a scheme without a
        proof review), in a redemption waiting for its check."""
        policy = Policy.objects.get(region=None)
        policy.proof_review = False
        policy.save()
        use = self.use(ProofStatus.FILED)
        settlement.redemption_request(by=self.ivan_lab, vouchers=[use.voucher], mode=RedemptionMode.INSTANT)
        return _refresh(use)

    # Redemptions
    def redemption(self, status: str = RedemptionStatus.SUBMITTED):
        voucher = self.used_voucher()
        r = settlement.redemption_request(by=self.ivan_lab, vouchers=[voucher], mode=RedemptionMode.INSTANT)
        if status == RedemptionStatus.RETURNED:
            return settlement.redemption_check(redemption=r, by=self.olivia, approve=False, note="缺少结算单")
        if status == RedemptionStatus.SUBMITTED:
            return r
        r = settlement.redemption_check(redemption=r, by=self.olivia, approve=True)
        if status == RedemptionStatus.CHECKED:
            return r
        return settlement.redemption_confirm(redemption=r, by=self.cecilia)

    # Batches, items, objections
    def batch(self, cycle: str = PayoutCycle.MONTHLY, *, on_notice: bool = False):
        self.redemption(RedemptionStatus.CONFIRMED)
        batch = settlement.batch_create(by=self.cecilia, year=self.year, cycle=cycle)
        return settlement.batch_open_notice(batch=batch, by=self.cecilia) if on_notice else batch

    @property
    def expert(self):
        from accounts.models import User

        return User.objects.filter(username="expert1").first() or factories.staff_user(
            username="expert1", kind="expert"
        )

    def stepped_batch(self, status: str, *, experts: bool = True, finance: bool = True):
        """A monthly batch of a scheme with expert review and/or the S&T and finance
        confirmation (Henan's steps), moved through them up to ``status``."""
        policy = Policy.objects.get(region=None)
        policy.expert_review, policy.finance_confirmation = experts, finance
        policy.save()
        batch = self.batch()
        steps = [("experts", self.cecilia, "experts"), ("assess", self.expert, "reviewed")] if experts else []
        steps += [("finance", self.cecilia, "confirmed")] if finance else []
        for step, by, reached in steps:
            if batch.status == status:
                break
            batch = settlement.batch_step(batch=batch, by=by, step=step, note="同意")
            assert batch.status == reached
        return batch

    def approved_batch(self):
        return settlement.batch_approve(batch=self.batch(), by=self.cecilia)

    def budget(self, amount: str = "1000000"):
        settlement.budget_set(by=self.cecilia, year=self.year, amount=Decimal(amount))

    # Institutions' subsidies (机构年度补助): granted, then in a subsidy batch
    def subsidy(self):
        return settlement.subsidy_grant(
            institution=self.ivan_lab.organisation,
            year=self.year,
            amount=Decimal("10000"),
            note="年度补助",
            by=self.cecilia,
        )

    def subsidy_batch(self, *, on_notice: bool = False):
        self.subsidy()
        cycle = PayoutCycle.QUARTERLY if on_notice else PayoutCycle.MONTHLY
        batch = settlement.batch_create(by=self.cecilia, year=self.year, cycle=cycle, kind="subsidies")
        return settlement.batch_open_notice(batch=batch, by=self.cecilia) if on_notice else batch

    def item(self, status: str = BatchItemStatus.PENDING):
        if status == BatchItemStatus.WAITING_BUDGET:
            batch = self.approved_batch()
            settlement.batch_pay(batch=batch, by=self.cecilia)  # no budget yet
            return batch.items.get()
        batch = self.batch(PayoutCycle.QUARTERLY, on_notice=True)
        item = batch.items.get()
        if status == BatchItemStatus.HELD:
            settlement.objection_lodge(item=item, by=self.mallory, reason="服务未实际发生")
            item.refresh_from_db()
        return item

    def objection(self):
        item = self.item()
        return settlement.objection_lodge(item=item, by=self.mallory, reason="服务未实际发生")

    def end_notice(self) -> None:
        self.clock.advance(days=30)

    @property
    def year(self) -> int:
        return timezone.localdate().year


@pytest.fixture
def flow(policy, alice, bob, charlie, olivia, cecilia, ivan_lab, mallory, clock) -> Flow:
    return Flow(alice, bob, charlie, olivia, cecilia, ivan_lab, mallory, clock)


# --- The allowed moves ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """``build`` makes the object in the move's source status; ``act`` makes the move through
    the service (returning the moved object); ``actor`` is the persona recorded as moving it."""

    workflow: str
    name: str
    source: str
    build: object
    act: object
    actor: str | None
    role: str
    note: str = ""


def _refresh(obj):
    obj.refresh_from_db()
    return obj


def _pay_and_fetch(f: Flow, item):
    f.budget()
    settlement.batch_pay(batch=item.batch, by=f.cecilia)
    return _refresh(item)


def _voucher_of_redemption(r):
    return r.items.get().voucher


def _prove_and_submit(f: Flow, use):
    for kind, amount in (("invoice", "1"), ("bank_receipt", "1"), ("result", None)):
        settlement.proof_upload(use=use, by=f.alice, kind=kind, upload=factories.pdf_upload(), amount=amount)
    return settlement.proof_submit(use=use, by=f.alice)


def _without_proof_review(f: Flow) -> Flow:
    policy = Policy.objects.get(region=None)
    policy.proof_review = False
    policy.save()
    return f


def _expire(voucher):
    settlement.vouchers_expire(today=voucher.valid_until + dt.timedelta(days=1))
    return _refresh(voucher)


def _resubmitted_and_returned_again(f: Flow):
    r = settlement.redemption_resubmit(redemption=f.redemption("returned"), by=f.ivan_lab)
    return settlement.redemption_check(redemption=r, by=f.olivia, approve=False, note="仍缺结算单")


def _dismissed(f: Flow):
    o = f.objection()
    return settlement.objection_resolve(objection=o, by=f.cecilia, upheld=False, resolution="不属实")


CASES = [
    # Contracts
    Case(
        "合同",
        "submit",
        "draft",
        lambda f: f.contract(),
        lambda f, c: services.contract_submit(contract=c, by=f.alice),
        "alice",
        "applicant",
        "提交审核",
    ),
    Case(
        "合同",
        "submit",
        "returned",
        lambda f: f.contract("returned"),
        lambda f, c: services.contract_submit(contract=c, by=f.alice),
        "alice",
        "applicant",
        "提交审核",
    ),
    Case(
        "合同",
        "approve",
        "at_bureau",
        lambda f: f.contract("at_bureau"),
        lambda f, c: services.contract_review(contract=c, by=f.bob, approve=True, note="同意推荐"),
        "bob",
        "bureau",
        "同意推荐",
    ),
    Case(
        "合同",
        "approve",
        "at_operator",
        lambda f: f.contract("at_operator"),
        lambda f, c: services.contract_review(contract=c, by=f.olivia, approve=True),
        "olivia",
        "operator",
        "同意",
    ),
    Case(
        "合同",
        "approve",
        "at_centre",
        lambda f: f.contract("at_centre"),
        lambda f, c: services.contract_review(contract=c, by=f.cecilia, approve=True),
        "cecilia",
        "centre",
        "同意",
    ),
    Case(
        "合同",
        "return",
        "at_bureau",
        lambda f: f.contract("at_bureau"),
        lambda f, c: services.contract_review(contract=c, by=f.bob, approve=False, note="缺报价单"),
        "bob",
        "bureau",
        "缺报价单",
    ),
    Case(
        "合同",
        "return",
        "at_operator",
        lambda f: f.contract("at_operator"),
        lambda f, c: services.contract_review(contract=c, by=f.olivia, approve=False, note="金额有误"),
        "olivia",
        "operator",
        "金额有误",
    ),
    Case(
        "合同",
        "return",
        "at_centre",
        lambda f: f.contract("at_centre"),
        lambda f, c: services.contract_review(contract=c, by=f.cecilia, approve=False, note="超出范围"),
        "cecilia",
        "centre",
        "超出范围",
    ),
    # Henan's chain: the institution accepts (受理), then the platform; one correction, then a
    # refusal makes an ordinary order.
    Case(
        "合同",
        "approve",
        "at_institution",
        lambda f: f.contract("at_institution", chain=["institution", "operator"]),
        lambda f, c: services.contract_review(contract=c, by=f.ivan_lab, approve=True, note="受理"),
        "ivan_lab",
        "institution",
        "受理",
    ),
    Case(
        "合同",
        "return",
        "at_institution",
        lambda f: f.contract("at_institution", chain=["institution", "operator"]),
        lambda f, c: services.contract_review(contract=c, by=f.ivan_lab, approve=False, note="不受理"),
        "ivan_lab",
        "institution",
        "不受理",
    ),
    Case(
        "合同",
        "return",
        "at_operator",
        lambda f: _resubmitted(f.contract("returned", chain=["institution", "operator"]), f),
        lambda f, c: services.contract_review(contract=c, by=f.olivia, approve=False, note="仍不符合"),
        "olivia",
        "operator",
        "仍不符合",
    ),
    # No review before use (Jiangsu, Zhejiang): submitting issues the voucher.
    Case(
        "合同",
        "submit",
        "draft",
        lambda f: f.contract(chain=[]),
        lambda f, c: services.contract_submit(contract=c, by=f.alice),
        "alice",
        "applicant",
        "提交审核",
    ),
    # Entitlement claims
    Case(
        "额度申请",
        "upload",
        "to_upload",
        lambda f: f.claim(stamped=False),
        lambda f, c: entitlements.upload_stamped_form(claim=c, by=f.alice, upload=factories.pdf_upload("申请表.pdf")),
        "alice",
        "applicant",
        "上传盖章申领表",
    ),
    Case(
        "额度申请",
        "grant",
        "submitted",
        lambda f: f.claim(),
        lambda f, c: entitlements.decide(claim=c, by=f.bob, approve=True, note="同意"),
        "bob",
        "bureau",
        "同意",
    ),
    Case(
        "额度申请",
        "refuse",
        "submitted",
        lambda f: f.claim(),
        lambda f, c: entitlements.decide(claim=c, by=f.bob, approve=False, note="营收材料不全"),
        "bob",
        "bureau",
        "营收材料不全",
    ),
    # R&D project registrations
    Case(
        "研发项目登记",
        "approve",
        "submitted",
        lambda f: f.project(),
        lambda f, p: entitlements.project_review(project=p, by=f.olivia, approve=True),
        "olivia",
        "operator",
        "审核通过",
    ),
    Case(
        "研发项目登记",
        "return",
        "submitted",
        lambda f: f.project(),
        lambda f, p: entitlements.project_review(project=p, by=f.olivia, approve=False, note="预算不清"),
        "olivia",
        "operator",
        "预算不清",
    ),
    Case(
        "研发项目登记",
        "resubmit",
        "returned",
        lambda f: f.project("returned"),
        lambda f, p: entitlements.project_resubmit(
            project=p,
            by=f.alice,
            data={
                "title": "传感器",
                "summary": "补充",
                "budget": "90000",
                "starts_on": "2026-01-01",
                "ends_on": "2026-06-30",
            },
        ),
        "alice",
        "applicant",
        "修改后重新提交",
    ),
    # Vouchers
    Case(
        "创新券",
        "pay",
        "issued",
        lambda f: f.voucher(),
        lambda f, v: settlement.voucher_pay(voucher=v, by=f.alice, idempotency_key="table-pay-1").voucher,
        "alice",
        "applicant",
    ),
    Case("创新券", "expire", "issued", lambda f: f.voucher(), lambda f, v: _expire(v), None, "system"),
    Case(
        "创新券",
        "redeem",
        "used",
        lambda f: f.used_voucher(),
        lambda f, v: _voucher_of_redemption(
            settlement.redemption_request(by=f.ivan_lab, vouchers=[v], mode=RedemptionMode.INSTANT)
        ),
        "ivan_lab",
        "institution",
    ),
    Case(
        "创新券",
        "return",
        "redeeming",
        lambda f: f.redemption(),
        lambda f, r: _voucher_of_redemption(
            settlement.redemption_check(redemption=r, by=f.olivia, approve=False, note="材料不全")
        ),
        "olivia",
        "operator",
    ),
    Case(
        "创新券",
        "redeemed",
        "redeeming",
        lambda f: f.approved_batch(),
        lambda f, b: _voucher_of_redemption(_pay_and_fetch(f, b.items.get()).redemption),
        "cecilia",
        "centre",
    ),
    Case(
        "创新券",
        "clawback",
        "redeemed",
        lambda f: _voucher_of_redemption(_pay_and_fetch(f, f.approved_batch().items.get()).redemption),
        lambda f, v: settlement.voucher_clawback(voucher=v, by=f.cecilia, reason="虚构服务"),
        "cecilia",
        "centre",
        "虚构服务",
    ),
    # Use proofs
    Case("使用证明", "submit", "none", lambda f: f.use(), _prove_and_submit, "alice", "applicant", "提交证明材料"),
    Case(
        "使用证明",
        "submit",
        "returned",
        lambda f: f.use(ProofStatus.RETURNED),
        lambda f, u: settlement.proof_submit(use=u, by=f.alice),
        "alice",
        "applicant",
    ),
    Case(
        "使用证明",
        "approve",
        "submitted",
        lambda f: f.use(ProofStatus.SUBMITTED),
        lambda f, u: settlement.proof_review(use=u, by=f.olivia, approve=True),
        "olivia",
        "operator",
        "审核通过",
    ),
    Case(
        "使用证明",
        "return",
        "submitted",
        lambda f: f.use(ProofStatus.SUBMITTED),
        lambda f, u: settlement.proof_review(use=u, by=f.olivia, approve=False, note="回单不清晰"),
        "olivia",
        "operator",
        "回单不清晰",
    ),
    Case(
        "使用证明",
        "submit",
        "none",
        lambda f: _without_proof_review(f).use(),
        _prove_and_submit,
        "alice",
        "applicant",
        "提交证明材料",
    ),
    Case(
        "使用证明",
        "reopen",
        "filed",
        lambda f: f.filed_use_in_redemption(),
        lambda f, u: settlement.redemption_check(
            redemption=Redemption.objects.get(items__voucher=u.voucher), by=f.olivia, approve=False, note="发票不清晰"
        ),
        "olivia",
        "operator",
    ),
    # Redemptions
    Case(
        "兑付申请",
        "check",
        "submitted",
        lambda f: f.redemption(),
        lambda f, r: settlement.redemption_check(redemption=r, by=f.olivia, approve=True),
        "olivia",
        "operator",
        "材料审核通过",
    ),
    Case(
        "兑付申请",
        "return",
        "submitted",
        lambda f: f.redemption(),
        lambda f, r: settlement.redemption_check(redemption=r, by=f.olivia, approve=False, note="缺结算单"),
        "olivia",
        "operator",
        "缺结算单",
    ),
    Case(
        "兑付申请",
        "confirm",
        "checked",
        lambda f: f.redemption("checked"),
        lambda f, r: settlement.redemption_confirm(redemption=r, by=f.cecilia),
        "cecilia",
        "centre",
        "确认兑付",
    ),
    Case(
        "兑付申请",
        "return",
        "checked",
        lambda f: f.redemption("checked"),
        lambda f, r: settlement.redemption_confirm(redemption=r, by=f.cecilia, approve=False, note="金额不符"),
        "cecilia",
        "centre",
        "金额不符",
    ),
    Case(
        "兑付申请",
        "return",
        "confirmed",
        lambda f: f.objection(),
        lambda f, o: (
            settlement.objection_resolve(objection=o, by=f.cecilia, upheld=True, resolution="属实").item.redemption
        ),
        "cecilia",
        "centre",
        "公示异议成立：属实",
    ),
    Case(
        "兑付申请",
        "resubmit",
        "returned",
        lambda f: f.redemption("returned"),
        lambda f, r: settlement.redemption_resubmit(redemption=r, by=f.ivan_lab, note="已补充"),
        "ivan_lab",
        "institution",
        "已补充",
    ),
    Case(
        "兑付申请",
        "withdraw",
        "returned",
        lambda f: f.redemption("returned"),
        lambda f, r: settlement.redemption_withdraw(redemption=r, by=f.ivan_lab),
        "ivan_lab",
        "institution",
        "撤回申请",
    ),
    Case(
        "兑付申请",
        "pay",
        "confirmed",
        lambda f: f.approved_batch(),
        lambda f, b: _pay_and_fetch(f, b.items.get()).redemption,
        "cecilia",
        "centre",
    ),
    # Payout batches
    Case(
        "拨付批次",
        "notice",
        "draft",
        lambda f: f.batch(PayoutCycle.QUARTERLY),
        lambda f, b: settlement.batch_open_notice(batch=b, by=f.cecilia),
        "cecilia",
        "centre",
    ),
    Case(
        "拨付批次",
        "approve",
        "draft",
        lambda f: f.batch(PayoutCycle.MONTHLY),
        lambda f, b: settlement.batch_approve(batch=b, by=f.cecilia),
        "cecilia",
        "centre",
        "批准拨付",
    ),
    Case(
        "拨付批次",
        "approve",
        "notice",
        lambda f: f.batch(PayoutCycle.QUARTERLY, on_notice=True),
        lambda f, b: (f.end_notice(), settlement.batch_approve(batch=b, by=f.cecilia))[1],
        "cecilia",
        "centre",
        "批准拨付",
    ),
    # The scheme's steps before notice (Henan): experts, then the S&T and finance confirmation.
    Case(
        "拨付批次",
        "experts",
        "draft",
        lambda f: f.stepped_batch("draft"),
        lambda f, b: settlement.batch_step(batch=b, by=f.cecilia, step="experts"),
        "cecilia",
        "centre",
        "提交专家评审",
    ),
    Case(
        "拨付批次",
        "assess",
        "experts",
        lambda f: f.stepped_batch("experts"),
        lambda f, b: settlement.batch_step(batch=b, by=f.expert, step="assess", note="同意拨付"),
        "expert",
        "expert",
        "同意拨付",
    ),
    Case(
        "拨付批次",
        "finance",
        "draft",
        lambda f: f.stepped_batch("draft", experts=False),
        lambda f, b: settlement.batch_step(batch=b, by=f.cecilia, step="finance", note="财〔2026〕1号"),
        "cecilia",
        "centre",
        "财〔2026〕1号",
    ),
    Case(
        "拨付批次",
        "finance",
        "reviewed",
        lambda f: f.stepped_batch("reviewed"),
        lambda f, b: settlement.batch_step(batch=b, by=f.cecilia, step="finance", note="财〔2026〕2号"),
        "cecilia",
        "centre",
        "财〔2026〕2号",
    ),
    Case(
        "拨付批次",
        "notice",
        "reviewed",
        lambda f: f.stepped_batch("reviewed", finance=False),
        lambda f, b: settlement.batch_open_notice(batch=b, by=f.cecilia),
        "cecilia",
        "centre",
    ),
    Case(
        "拨付批次",
        "notice",
        "confirmed",
        lambda f: f.stepped_batch("confirmed"),
        lambda f, b: settlement.batch_open_notice(batch=b, by=f.cecilia),
        "cecilia",
        "centre",
    ),
    Case(
        "拨付批次",
        "approve",
        "reviewed",
        lambda f: f.stepped_batch("reviewed", finance=False),
        lambda f, b: settlement.batch_approve(batch=b, by=f.cecilia),
        "cecilia",
        "centre",
        "批准拨付",
    ),
    Case(
        "拨付批次",
        "approve",
        "confirmed",
        lambda f: f.stepped_batch("confirmed"),
        lambda f, b: settlement.batch_approve(batch=b, by=f.cecilia),
        "cecilia",
        "centre",
        "批准拨付",
    ),
    Case(
        "拨付批次",
        "pay",
        "approved",
        lambda f: f.approved_batch(),
        lambda f, b: (f.budget(), settlement.batch_pay(batch=b, by=f.cecilia), _refresh(b))[2],
        "cecilia",
        "centre",
        "全部条目已拨付或移出",
    ),
    # Batch items
    Case(
        "拨付条目",
        "object",
        "pending",
        lambda f: f.item(),
        lambda f, i: settlement.objection_lodge(item=i, by=f.mallory, reason="疑似重复").item,
        "mallory",
        "applicant",
        "异议：疑似重复",
    ),
    Case(
        "拨付条目",
        "object",
        "held",
        lambda f: f.item(BatchItemStatus.HELD),
        lambda f, i: settlement.objection_lodge(item=i, by=f.charlie, reason="另有疑问").item,
        "charlie",
        "bureau",
        "异议：另有疑问",
    ),
    Case(
        "拨付条目",
        "resume",
        "held",
        lambda f: f.item(BatchItemStatus.HELD),
        lambda f, i: _refresh(
            settlement.objection_resolve(
                objection=i.objections.get(), by=f.cecilia, upheld=False, resolution="不属实"
            ).item
        ),
        "cecilia",
        "centre",
        "异议不成立，恢复待拨付",
    ),
    Case(
        "拨付条目",
        "release",
        "held",
        lambda f: f.item(BatchItemStatus.HELD),
        lambda f, i: _refresh(
            settlement.objection_resolve(
                objection=i.objections.get(), by=f.cecilia, upheld=True, resolution="属实"
            ).item
        ),
        "cecilia",
        "centre",
        "异议成立，移出批次：属实",
    ),
    Case(
        "拨付条目",
        "wait",
        "pending",
        lambda f: f.approved_batch().items.get(),
        lambda f, i: (settlement.batch_pay(batch=i.batch, by=f.cecilia), _refresh(i))[1],
        "cecilia",
        "centre",
    ),
    Case(
        "拨付条目",
        "pay",
        "pending",
        lambda f: f.approved_batch().items.get(),
        lambda f, i: _pay_and_fetch(f, i),
        "cecilia",
        "centre",
    ),
    Case(
        "拨付条目",
        "pay",
        "waiting_budget",
        lambda f: f.item(BatchItemStatus.WAITING_BUDGET),
        lambda f, i: (f.budget(), _refresh(i))[1],
        "cecilia",
        "centre",
    ),
    # Objections
    Case(
        "异议",
        "uphold",
        "open",
        lambda f: f.objection(),
        lambda f, o: settlement.objection_resolve(objection=o, by=f.cecilia, upheld=True, resolution="属实"),
        "cecilia",
        "centre",
        "属实",
    ),
    Case(
        "异议",
        "dismiss",
        "open",
        lambda f: f.objection(),
        lambda f, o: settlement.objection_resolve(objection=o, by=f.cecilia, upheld=False, resolution="不属实"),
        "cecilia",
        "centre",
        "不属实",
    ),
    # Institutions' subsidies
    Case(
        "机构补助",
        "cancel",
        "granted",
        lambda f: f.subsidy(),
        lambda f, s: settlement.subsidy_cancel(subsidy=s, by=f.cecilia, note="评价数据更正"),
        "cecilia",
        "centre",
        "评价数据更正",
    ),
    Case(
        "机构补助",
        "pay",
        "granted",
        lambda f: settlement.batch_approve(batch=f.subsidy_batch(), by=f.cecilia).items.get(),
        lambda f, i: _pay_and_fetch(f, i),
        "cecilia",
        "centre",
    ),
    Case(
        "机构补助",
        "release",
        "granted",
        lambda f: settlement.objection_lodge(
            item=f.subsidy_batch(on_notice=True).items.get(), by=f.mallory, reason="数据不实"
        ),
        lambda f, o: settlement.objection_resolve(objection=o, by=f.cecilia, upheld=True, resolution="属实"),
        "cecilia",
        "centre",
        "公示异议成立：属实",
    ),
]


def _resubmitted(contract: Contract, f: Flow) -> Contract:
    """A returned Henan order after its one correction, back at the institution and accepted."""
    services.contract_submit(contract=contract, by=f.alice)
    return services.contract_review(contract=contract, by=f.ivan_lab, approve=True)


WORKFLOW_BY_SUBJECT = {w.subject: w for w in WORKFLOWS.values()}


def _subject_of(case: Case, built):
    """The object of ``case.workflow`` that ``build`` made (or that sits inside it)."""
    workflow = WORKFLOW_BY_SUBJECT[case.workflow]
    if type(built) in WORKFLOWS and WORKFLOWS[type(built)] is workflow:
        return built
    if case.workflow == "兑付申请":
        return built.item.redemption if hasattr(built, "item") else built.items.get().redemption
    if case.workflow == "创新券":
        return built.items.get().redemption.items.get().voucher
    if case.workflow == "机构补助":
        return built.item.subsidy if hasattr(built, "item") else built.subsidy
    raise AssertionError(f"cannot find the {case.workflow} in {built!r}")


def test_the_cases_cover_every_move_of_every_workflow():
    covered = {(c.workflow, c.name, c.source) for c in CASES}
    every = {(w.subject, m.name, s) for w in WORKFLOWS.values() for m in w.moves for s in m.sources}
    assert every - covered == set()
    assert covered - every == set()


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.workflow}:{c.name}:{c.source}")
def test_each_allowed_move_is_made_by_its_service_with_one_audit_row(flow, case):
    built = case.build(flow)
    subject = _subject_of(case, built)
    workflow = workflow_of(subject)
    assert workflow.status(subject) == case.source
    events = workflow.event.objects.filter(**{workflow.subject_field: subject})
    before = set(events.values_list("pk", flat=True))

    actor = getattr(flow, case.actor) if case.actor else None
    candidates = [m for m in workflow.moves if m.name == case.name and case.source in m.sources]
    # Where the target depends on the scheme (a review chain), the move is the one the
    # workflow picks for this actor; a system move (made inside another service) is unique.
    move = workflow.require(subject, actor, case.name) if len(candidates) > 1 else candidates[0]

    moved = case.act(flow, built)

    moved = type(subject).objects.get(pk=subject.pk)
    assert workflow.status(moved) == move.target
    new = list(events.exclude(pk__in=before).filter(from_status=case.source, to_status=move.target))
    assert len(new) == 1, new
    row = new[0]
    assert (row.actor, row.actor_role) == (actor, case.role)
    if case.note:
        assert row.note == case.note
    assert row.at is not None


# --- Refused moves --------------------------------------------------------------------------------


def _no_new_rows(obj):
    workflow = workflow_of(obj)
    return workflow.event.objects.filter(**{workflow.subject_field: obj}).count()


REFUSALS = [
    # (what, build, act, exception)
    (
        "a reviewer out of turn",
        lambda f: f.contract("at_bureau"),
        lambda f, c: services.contract_review(contract=c, by=f.cecilia, approve=True),
        PermissionDenied,
    ),
    (
        "an approved contract submitted again",
        lambda f: f.contract("approved"),
        lambda f, c: services.contract_submit(contract=c, by=f.alice),
        InvalidTransition,
    ),
    (
        "a used voucher spent again",
        lambda f: f.use().voucher,
        lambda f, v: settlement.voucher_pay(voucher=v, by=f.alice, idempotency_key="second-spend-1"),
        ValidationError,
    ),
    (
        "the operator clawing back",
        lambda f: f.voucher(),
        lambda f, v: settlement.voucher_clawback(voucher=v, by=f.olivia, reason="x"),
        PermissionDenied,
    ),
    (
        "an unpaid voucher clawed back",
        lambda f: f.voucher(),
        lambda f, v: settlement.voucher_clawback(voucher=v, by=f.cecilia, reason="x"),
        ValidationError,
    ),
    (
        "proofs approved by the applicant",
        lambda f: f.use(ProofStatus.SUBMITTED),
        lambda f, u: settlement.proof_review(use=u, by=f.alice, approve=True),
        PermissionDenied,
    ),
    (
        "the centre checking a redemption",
        lambda f: f.redemption(),
        lambda f, r: settlement.redemption_check(redemption=r, by=f.cecilia, approve=True),
        PermissionDenied,
    ),
    (
        "a second resubmission",
        _resubmitted_and_returned_again,
        lambda f, r: settlement.redemption_resubmit(redemption=r, by=f.ivan_lab),
        ValidationError,
    ),
    (
        "a confirmed redemption confirmed again",
        lambda f: f.redemption("confirmed"),
        lambda f, r: settlement.redemption_confirm(redemption=r, by=f.cecilia),
        ValidationError,
    ),
    (
        "approval while the notice runs",
        lambda f: f.batch(PayoutCycle.QUARTERLY, on_notice=True),
        lambda f, b: settlement.batch_approve(batch=b, by=f.cecilia),
        ValidationError,
    ),
    (
        "a quarterly batch approved without notice",
        lambda f: f.batch(PayoutCycle.QUARTERLY),
        lambda f, b: settlement.batch_approve(batch=b, by=f.cecilia),
        ValidationError,
    ),
    (
        "the operator putting a batch on notice",
        lambda f: f.batch(PayoutCycle.QUARTERLY),
        lambda f, b: settlement.batch_open_notice(batch=b, by=f.olivia),
        PermissionDenied,
    ),
    (
        "a draft batch paid",
        lambda f: f.batch(),
        lambda f, b: settlement.batch_pay(batch=b, by=f.cecilia),
        ValidationError,
    ),
    (
        "an objection after the notice",
        lambda f: f.item(),
        lambda f, i: (f.end_notice(), settlement.objection_lodge(item=i, by=f.mallory, reason="迟到"))[1],
        ValidationError,
    ),
    (
        "an objection resolved twice",
        _dismissed,
        lambda f, o: settlement.objection_resolve(objection=o, by=f.cecilia, upheld=True, resolution="属实"),
        ValidationError,
    ),
    (
        "the operator cancelling a subsidy",
        lambda f: f.subsidy(),
        lambda f, s: settlement.subsidy_cancel(subsidy=s, by=f.olivia, note="更正"),
        PermissionDenied,
    ),
    (
        "a subsidy in a batch cancelled",
        lambda f: f.subsidy_batch().items.get().subsidy,
        lambda f, s: settlement.subsidy_cancel(subsidy=s, by=f.cecilia, note="更正"),
        ValidationError,
    ),
    (
        "the operator resolving an objection",
        lambda f: f.objection(),
        lambda f, o: settlement.objection_resolve(objection=o, by=f.olivia, upheld=True, resolution="属实"),
        PermissionDenied,
    ),
]


@pytest.mark.parametrize("what,build,act,error", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refused_move_changes_nothing_and_records_nothing(flow, what, build, act, error):
    obj = build(flow)
    status, rows = workflow_of(obj).status(obj), _no_new_rows(obj)
    with pytest.raises(error):
        act(flow, obj)
    obj = type(obj).objects.get(pk=obj.pk)
    assert (workflow_of(obj).status(obj), _no_new_rows(obj)) == (status, rows)


# --- What each persona may do next ---------------------------------------------------------------

PERSONAS = ("alice", "bob", "charlie", "olivia", "cecilia", "ivan_lab", "mallory")
NOBODY = dict.fromkeys(PERSONAS, [])

OFFERS = [
    ("a draft contract", lambda f: f.contract(), {**NOBODY, "alice": ["submit"]}),
    ("a submitted contract", lambda f: f.contract("at_bureau"), {**NOBODY, "bob": ["approve", "return"]}),
    (
        "a contract at the operator",
        lambda f: f.contract("at_operator"),
        {**NOBODY, "olivia": ["approve", "return"]},
    ),
    (
        "a contract at the centre",
        lambda f: f.contract("at_centre"),
        {**NOBODY, "cecilia": ["approve", "return"]},
    ),
    ("an approved contract", lambda f: f.contract("approved"), NOBODY),
    (
        "a Henan order at its institution",
        lambda f: f.contract("at_institution", chain=["institution", "operator"]),
        {**NOBODY, "ivan_lab": ["approve", "return"]},
    ),
    (
        "a Henan order at the platform",
        lambda f: f.contract("at_operator", chain=["institution", "operator"]),
        {**NOBODY, "olivia": ["approve", "return"]},
    ),
    ("an ordinary order", lambda f: f.contract("ordinary", chain=["institution", "operator"]), NOBODY),
    ("a submitted entitlement application", lambda f: f.claim(), {**NOBODY, "bob": ["grant", "refuse"]}),
    ("an application waiting for its stamped form", lambda f: f.claim(stamped=False), {**NOBODY, "alice": ["upload"]}),
    ("a registered project", lambda f: f.project(), {**NOBODY, "olivia": ["approve", "return"]}),
    ("a returned project", lambda f: f.project("returned"), {**NOBODY, "alice": ["resubmit"]}),
    ("an issued voucher", lambda f: f.voucher(), {**NOBODY, "alice": ["pay"]}),
    ("a used voucher, proofs pending", lambda f: f.use().voucher, NOBODY),
    ("a used voucher, proofs approved", lambda f: f.used_voucher(), {**NOBODY, "ivan_lab": ["redeem"]}),
    (
        "a redeemed voucher",
        lambda f: _voucher_of_redemption(_pay_and_fetch(f, f.approved_batch().items.get()).redemption),
        {**NOBODY, "cecilia": ["clawback"]},
    ),
    ("proofs to upload", lambda f: f.use(), {**NOBODY, "alice": ["submit"]}),
    ("proofs submitted", lambda f: f.use(ProofStatus.SUBMITTED), {**NOBODY, "olivia": ["approve", "return"]}),
    ("a submitted redemption", lambda f: f.redemption(), {**NOBODY, "olivia": ["check", "return"]}),
    ("a checked redemption", lambda f: f.redemption("checked"), {**NOBODY, "cecilia": ["confirm", "return"]}),
    ("a confirmed redemption", lambda f: f.redemption("confirmed"), NOBODY),
    ("a returned redemption", lambda f: f.redemption("returned"), {**NOBODY, "ivan_lab": ["resubmit", "withdraw"]}),
    ("a monthly draft batch", lambda f: f.batch(), {**NOBODY, "cecilia": ["notice", "approve"]}),
    ("a quarterly draft batch", lambda f: f.batch(PayoutCycle.QUARTERLY), {**NOBODY, "cecilia": ["notice"]}),
    ("a batch on notice", lambda f: f.batch(PayoutCycle.QUARTERLY, on_notice=True), NOBODY),
    ("a Henan batch before its experts", lambda f: f.stepped_batch("draft"), {**NOBODY, "cecilia": ["experts"]}),
    ("a Henan batch with its experts", lambda f: f.stepped_batch("experts"), NOBODY),  # the expert's, below
    ("a reviewed Henan batch", lambda f: f.stepped_batch("reviewed"), {**NOBODY, "cecilia": ["finance"]}),
    ("a confirmed Henan batch", lambda f: f.stepped_batch("confirmed"), {**NOBODY, "cecilia": ["notice", "approve"]}),
    ("an approved batch", lambda f: f.approved_batch(), {**NOBODY, "cecilia": ["pay"]}),
    ("an item on notice", lambda f: f.item(), dict.fromkeys(PERSONAS, ["object"])),
    ("an item waiting for budget", lambda f: f.item(BatchItemStatus.WAITING_BUDGET), NOBODY),
    ("an open objection", lambda f: f.objection(), {**NOBODY, "cecilia": ["uphold", "dismiss"]}),
    ("a granted subsidy", lambda f: f.subsidy(), {**NOBODY, "cecilia": ["cancel"]}),
    ("a subsidy in a batch", lambda f: f.subsidy_batch().items.get().subsidy, NOBODY),
    (
        "a subsidy item on notice",
        lambda f: f.subsidy_batch(on_notice=True).items.get(),
        dict.fromkeys(PERSONAS, ["object"]),
    ),
]


@pytest.mark.parametrize("what,build,expected", OFFERS, ids=[o[0] for o in OFFERS])
def test_available_moves_per_persona(flow, what, build, expected):
    from django.contrib.auth.models import AnonymousUser

    obj = build(flow)
    assert {p: available_moves(obj, getattr(flow, p)) for p in PERSONAS} == expected
    assert available_moves(obj, AnonymousUser()) == []


def test_the_audit_rows_of_a_voucher_tell_its_life(flow):
    batch = flow.approved_batch()
    voucher = _voucher_of_redemption(_pay_and_fetch(flow, batch.items.get()).redemption)
    settlement.voucher_clawback(voucher=voucher, by=flow.cecilia, reason="虚构服务")
    assert list(voucher.events.values_list("from_status", "to_status", "actor__username", "actor_role")) == [
        (VoucherStatus.ISSUED, VoucherStatus.USED, "alice", "applicant"),
        (VoucherStatus.USED, VoucherStatus.REDEEMING, "ivan_lab", "institution"),
        (VoucherStatus.REDEEMING, VoucherStatus.REDEEMED, "cecilia", "centre"),
        (VoucherStatus.REDEEMED, VoucherStatus.CLAWED_BACK, "cecilia", "centre"),
    ]
    assert list(batch.events.values_list("from_status", "to_status")) == [
        (BatchStatus.DRAFT, BatchStatus.DRAFT),
        (BatchStatus.DRAFT, BatchStatus.APPROVED),
        (BatchStatus.APPROVED, BatchStatus.PAID),
    ]


def test_only_an_expert_assesses_a_batch_sent_to_the_experts(flow):
    batch = flow.stepped_batch("experts")
    assert available_moves(batch, flow.expert) == ["assess"]
    assert all(available_moves(batch, getattr(flow, p)) == [] for p in PERSONAS)
    with pytest.raises(ValidationError, match="评审意见"):
        settlement.batch_step(batch=batch, by=flow.expert, step="assess", note="")
    with pytest.raises(PermissionDenied):
        settlement.batch_step(batch=batch, by=flow.cecilia, step="assess", note="同意")
    batch.refresh_from_db()
    assert batch.status == "experts"
