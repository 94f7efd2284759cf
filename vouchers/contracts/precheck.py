"""自动初审: every rule a contract must pass, with the reason when it does not.

``run_precheck`` reads the database but writes nothing; ``contract_save``/``contract_submit``
store its result on the contract. Blocking rules stop submission; the split-contract rule
only flags the contract for reviewers (SPEC §5.1: flagged, not silently refused).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from accounts.models import ACTIVE_STATUSES, APPLICANT_KINDS
from catalog.models import ServiceCategory
from vouchers.models import IN_REVIEW, Contract, ContractStatus, IntegrityRecord, ScopeUse
from vouchers.policies.value import _tiers, valid_until
from vouchers.policies.words import contract_words

# Which service categories belong to which of the five uses (五大用途).
SCOPE_CATEGORIES = {
    ScopeUse.TESTING: {
        ServiceCategory.TESTING,
        ServiceCategory.ANIMAL,
        ServiceCategory.ANALYSIS,
        ServiceCategory.DESIGN,
        ServiceCategory.MOULD,
    },
    ScopeUse.TECH_PURCHASE: {ServiceCategory.TECH_PURCHASE, ServiceCategory.IP},
    ScopeUse.CONSULTING: {
        ServiceCategory.TRAINING,
        ServiceCategory.NOVELTY,
        ServiceCategory.EVALUATION,
        ServiceCategory.IP,
        ServiceCategory.OTHER,
    },
    ScopeUse.INCUBATION: {ServiceCategory.INCUBATION},
    ScopeUse.OTHER: set(ServiceCategory.values),
}
# Statuses whose amounts count when looking for a deal split into several contracts.
LIVE_STATUSES = (*IN_REVIEW, ContractStatus.APPROVED)


@dataclass(frozen=True)
class Rule:
    code: str
    ok: bool
    blocking: bool
    message: str


def _related_party(contract: Contract) -> str | None:
    ent, inst = contract.enterprise, contract.institution.organisation
    if ent.credit_code and ent.credit_code == inst.credit_code:
        return "双方统一社会信用代码相同"
    if ent.legal_representative and ent.legal_representative == inst.legal_representative:
        return f"双方法定代表人相同（{ent.legal_representative}）"
    if ent.contact_phone and ent.contact_phone == inst.contact_phone:
        return "双方联系电话相同"
    if ent.contact_email and ent.contact_email.lower() == (inst.contact_email or "").lower():
        return "双方联系邮箱相同"
    return None


def split_suspicion(contract: Contract) -> str | None:
    """Contracts of the same enterprise and institution within the policy window whose sum
    crosses a tier boundary that each alone stays under (化整为零)."""
    window = dt.timedelta(days=contract.policy.split_window_days)
    others = Contract.objects.filter(
        enterprise_id=contract.enterprise_id,
        institution_id=contract.institution_id,
        status__in=LIVE_STATUSES,
        signed_on__gte=contract.signed_on - window,
        signed_on__lte=contract.signed_on + window,
    ).exclude(pk=contract.pk)
    amounts = [contract.amount, *others.values_list("amount", flat=True)]
    if len(amounts) < 2:
        return None
    total, largest = sum(amounts), max(amounts)
    bounds = [upper for upper, _ in _tiers(contract.policy.tiers) if upper is not None]
    crossed = [b for b in bounds if largest <= b < total]
    if crossed:
        word = contract_words(contract.policy).agreement  # 合同 / 订单 (a registration: its 合同)
        return (
            f"{contract.policy.split_window_days} 天内与同一机构共 {len(amounts)} 份{word}，"
            f"合计 {total:,.2f} 元，超过分段界限 {crossed[0]:,.0f} 元"
        )
    return None


def run_precheck(
    contract: Contract, *, cap_left: Decimal, nothing_claimed: bool = False, project_missing: bool = False
) -> list[Rule]:
    """The automatic first check (初审) of a contract. ``nothing_claimed``: the scheme has
    entitlements and the applicant has not been granted any this year (the refusal then
    says to claim first, not that the amount is used up). ``project_missing``: the scheme
    asks for an approved R&D project registration (Henan) and the applicant has none."""
    ent, inst_org = contract.enterprise, contract.institution.organisation
    rules: list[Rule] = []

    def rule(code, ok, message, blocking=True):
        rules.append(Rule(code, bool(ok), blocking, message))

    rule(
        "applicant_certified",
        ent.kind in APPLICANT_KINDS and ent.status in ACTIVE_STATUSES,
        "申请方已认证" if ent.status in ACTIVE_STATUSES else "申请方尚未通过认证",
    )
    rule(
        "institution_listed",
        inst_org.status in ACTIVE_STATUSES,
        "服务机构已入库" if inst_org.status in ACTIVE_STATUSES else "服务机构未入库或已暂停",
    )
    allowed = SCOPE_CATEGORIES.get(contract.scope, set())
    in_scope = contract.category in allowed
    limit = contract.policy.tech_purchase_limit
    if contract.scope == ScopeUse.TECH_PURCHASE and contract.amount >= limit:
        rule("scope", False, f"购买技术成果须低于 {limit / 10000:g} 万元")
    else:
        rule("scope", in_scope, "服务类别属于支持范围" if in_scope else f"服务类别“{contract.category}”不属于所选用途")
    item = contract.service or contract.instrument
    excluded = []
    if contract.mandatory_testing:
        excluded.append("强制性/法定/商业检验")
    if item is not None and not item.voucher_eligible:
        excluded.append(f"“{item.name}”不在创新券支持范围")
    if contract.other_public_funding:
        excluded.append("项目已获其他财政资金支持")
    related = _related_party(contract)
    if related:
        excluded.append(f"关联交易：{related}")
    rule("not_excluded", not excluded, "不属于排除情形" if not excluded else "；".join(excluded))
    word = contract_words(contract.policy).agreement  # 合同 / 订单 (a registration: its 合同)
    rule("amount_positive", contract.amount > 0, f"{word}金额大于 0" if contract.amount > 0 else f"{word}金额须大于 0")
    rule(
        "dates",
        contract.service_end >= contract.service_start,
        "服务期限有效" if contract.service_end >= contract.service_start else "服务结束日期早于开始日期",
    )
    if cap_left > 0:
        cap_message = f"本年度剩余额度 {cap_left:,.2f} 元"
    elif nothing_claimed:
        cap_message = "申请方没有可用的创新券额度：请先申领本年度额度"
    else:
        cap_message = "本年度创新券额度已用完"
    rule("cap_left", cap_left > 0, cap_message)
    if contract.policy.project_registration:
        rule(
            "project_registered",
            not project_missing,
            "本年度研发项目登记已通过" if not project_missing else "须先登记本年度研发项目并经平台审核通过",
        )
    blacklisted = IntegrityRecord.objects.filter(
        Q(organisation=ent) | Q(organisation=inst_org), lifted_at__isnull=True
    ).exists()
    rule(
        "integrity", not blacklisted, "无不良诚信记录" if not blacklisted else "申请方或服务机构有未解除的不良诚信记录"
    )
    rule(
        "pledge",
        contract.pledge_accepted_at is not None,
        "已签署诚信承诺书" if contract.pledge_accepted_at else "须先同意诚信承诺书",
    )
    # A service that ends after the voucher would expire cannot be paid with it (payment
    # waits for the service): said before submitting, not refused (the dates may move).
    expires = valid_until(contract.policy, timezone.localdate())
    rule(
        "within_validity",
        contract.service_end <= expires,
        f"服务预计在创新券有效期（至 {expires:%Y-%m-%d}）内完成"
        if contract.service_end <= expires
        else f"服务预计 {contract.service_end:%Y-%m-%d} 完成，晚于创新券有效期 {expires:%Y-%m-%d}："
        "到期未使用的创新券作废，请调整服务期限或下一年度再申领",
        blocking=False,
    )
    split = split_suspicion(contract)
    rule("split", split is None, split or f"未发现拆分{word}迹象", blocking=False)
    return rules


def as_json(rules: list[Rule]) -> list[dict]:
    return [asdict(r) for r in rules]


def blocking_failures(rules: list[dict]) -> list[dict]:
    return [r for r in rules if r["blocking"] and not r["ok"]]


SCAN_MISSING = "须上传盖章后的合同扫描件"


def submit_checks(contract: Contract) -> list[dict]:
    """Everything submission waits for, in the order the page lists it: the stored
    pre-check's rules and the stamped scan (a step of the applicant's, not a rule of the
    contract's content, so it is not stored with the pre-check). Where the scheme registers
    uses (``Policy.use_registration``) there is no platform contract to stamp: the
    enterprise's own contract comes with the use's proofs instead."""
    if contract.policy.use_registration:
        return list(contract.precheck or [])
    has_scan = bool(contract.signed_scan)
    scan = Rule("signed_scan", has_scan, True, "已上传盖章合同扫描件" if has_scan else SCAN_MISSING)
    return [*(contract.precheck or []), asdict(scan)]


def submit_blockers(contract: Contract) -> list[dict]:
    """Why ``contract`` cannot be submitted now (empty: it can): ``contract_submit`` refuses
    with these after refreshing the pre-check, and the page disables its button with them."""
    return blocking_failures(submit_checks(contract))
