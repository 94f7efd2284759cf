"""The scheme (方案, SPEC §10): the shape of a year's voucher flow, held by its policy record.

A scheme is the year's :class:`~vouchers.models.Policy` — its numbers plus these fields,
which the services and workflows read instead of knowing a province:

======================  ===================================================================
field                   what it decides
======================  ===================================================================
entitlement             how an applicant gets its amount (额度): none (Ningxia's annual cap),
                        a fixed quota claimed with a pledge (Henan), a reviewed yearly
                        application (Jiangsu), any amount within caps (Zhejiang) —
                        ``vouchers.entitlements.services``
claim_*_cap, holding    Zhejiang's caps: per year, per claim, unused amount held at once
contract_review         reviewer levels before use, in order (``transitions.CONTRACT``)
resubmissions_allowed,  how many corrections, and whether the last refusal returns the
final_refusal           contract or turns it into an ordinary order (Henan)
tiers / flat_rate       the voucher value rule; ``value_fixed`` says whether the value is
value_fixed             final at approval or approved again at redemption (Jiangsu)
proof_by                who uploads the use proofs (enterprise, or the institution: Henan)
proof_review            the operator reviews the proofs before redemption (Ningxia); off, the
                        proofs are filed and checked with the redemption, whose return
                        reopens them (Henan, Jiangsu, Zhejiang)
result_confirmation     paying needs the institution's order result, confirmed by the
                        applicant in the payment (Henan: 用户确认结果无误即支付)
project_registration    an approved R&D project registration before ordering (Henan)
payee_rule              who is paid: by the institution's in-region flag (Ningxia), always
                        the institution (Henan), always the enterprise (Jiangsu), chosen per
                        use with the institution's confirmation (Zhejiang)
use_registration        the use is one registration form (使用登记, Zhejiang): the
                        enterprise's own contract, invoice and result proof, the payee's
                        choice — no stamped scan of the platform's contract
                        (``vouchers.settlement.registration``)
redemption_review       one or two levels: the first checks (and may approve lower amounts),
                        the last confirms
payout_cycle, notice,   batch cadence, public notice days, cut-off after the period, expert
cutoff, expert_review,  review and finance confirmation before payment; a monthly batch is
finance_confirmation,   noticed too where ``monthly_notice`` (Jiangsu), a quarterly one always
monthly_notice
validity_days,          days from issue, or the end of the policy year
valid_to_year_end
voucher_labels          the scheme's names of the voucher states (Henan's 未支付 … 兑付失败),
                        ``vouchers.policies.labels``
======================  ===================================================================

A fifth province is a new policy record (copied from a preset and edited by the centre),
not new code. :func:`validate_scheme` is the one check of a record's scheme fields, used by
the centre's page, the admin and the presets.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from vouchers.models import Entitlement, PayeeRule, PayoutCycle, Policy, PolicyModel, Reviewer
from vouchers.names import REVIEWER_NAMES, level_name, level_names
from vouchers.policies.labels import validate_labels

CHAIN_SEPARATORS = ("→", "->", ",", "，", "、", " ")
# Who may review a redemption (an institution never reviews its own payment).
REDEMPTION_REVIEWERS = (Reviewer.BUREAU, Reviewer.OPERATOR, Reviewer.CENTRE)


def chain_text(chain: list[str]) -> str:
    return "→".join(level_name(level) for level in chain or [])


def parse_chain(text: str) -> list[str]:
    """``"推荐部门→运营单位→创业中心"`` (or the deployment's names, or the codes) →
    ``["bureau", "operator", "centre"]``."""
    by_name = (
        {name: code for code, name in REVIEWER_NAMES.items()}
        | {name: code for code, name in level_names().items()}
        | {code.value: code for code in Reviewer}
    )
    # The province's words may hold a separator themselves (县（市、区）科技局): read them whole first.
    value = text or ""
    for level in (Reviewer.BUREAU, Reviewer.CENTRE):
        value = value.replace(level_name(level), f" {level.value} ")
    for sep in CHAIN_SEPARATORS:
        value = value.replace(sep, "\n")
    chain = []
    for part in (p.strip() for p in value.splitlines()):
        if not part:
            continue
        if part not in by_name:
            raise ValidationError(f"未知的审核环节“{part}”：可用 {'、'.join(level_names().values())}。")
        chain.append(str(by_name[part]))
    return chain


def _chain_errors(chain, *, allowed, field: str, min_len: int, max_len: int) -> dict:
    if not isinstance(chain, list) or not all(isinstance(x, str) for x in chain):
        return {field: ["审核顺序须是审核环节的列表。"]}
    if any(level not in allowed for level in chain):
        names = "、".join(level_name(a) for a in allowed)
        return {field: [f"审核环节只能是：{names}。"]}
    if len(set(chain)) != len(chain):
        return {field: ["同一审核环节不能出现两次。"]}
    if not min_len <= len(chain) <= max_len:
        return {field: [f"审核环节须为 {min_len}–{max_len} 级。"]}
    return {}


def validate_scheme(policy: Policy) -> None:
    """Refuse a scheme whose fields do not make a flow (Chinese messages per field)."""
    errors: dict[str, list[str]] = {}
    errors |= _chain_errors(
        policy.contract_review, allowed=tuple(Reviewer), field="contract_review", min_len=0, max_len=4
    )
    errors |= _chain_errors(
        policy.redemption_review, allowed=REDEMPTION_REVIEWERS, field="redemption_review", min_len=1, max_len=2
    )
    if policy.use_registration and policy.contract_review:
        errors["use_registration"] = ["使用登记无需审核：须将合同/订单审核顺序留空。"]
    if policy.model == PolicyModel.QUOTA and policy.flat_rate is None:
        errors["flat_rate"] = ["额度模式须设置统一比例（如 0.30）。"]
    if policy.entitlement == Entitlement.CLAIM and policy.claim_year_cap is None:
        errors["claim_year_cap"] = ["额度内自主申领须设置年度累计申领上限。"]
    for name in ("claim_year_cap", "claim_each_cap", "holding_cap"):
        value = getattr(policy, name)
        if value is not None and value <= Decimal("0"):
            errors.setdefault(name, []).append("上限须大于 0。")
    if policy.entitlement in (Entitlement.QUOTA, Entitlement.APPLICATION) and policy.model != PolicyModel.QUOTA:
        errors["entitlement"] = ["领取或申请额度的方案须使用年度额度模式。"]
    label_errors = validate_labels(policy.voucher_labels)
    if label_errors:
        errors["voucher_labels"] = label_errors
    if errors:
        raise ValidationError(errors)


def accepted_with_order(policy: Policy) -> bool:
    """Whether the institution accepts a voucher booking by accepting its order: the chain
    starts with the institution's acceptance (Henan: 创新券预约 → 填写订单、上传合同、提交 →
    管理单位受理 → 省平台审核 → 履行订单合同). The order is then opened and submitted while the
    booking still waits (待确认), and its 受理 is the booking's one acceptance; the scheme's
    order is also reviewed before the service is rendered. Ningxia's chain starts with the
    bureau: the institution accepts the booking, the contract follows."""
    chain = list(policy.contract_review or [])
    return bool(chain) and chain[0] == Reviewer.INSTITUTION


def takes_offline_agreements(policy: Policy) -> bool:
    """Whether the applicant may register an agreement signed off the platform (登记线下签订的
    合同) as the voucher's contract.

    Ningxia's contract comes from a booking or an offline agreement (SPEC §5.2). Henan's
    order does not: Henan's guide (seed 002) starts every order on the platform — 在“仪器资源”
    和“项目检测”界面点击创新券预约 → 在线填写创新券订单信息，上传合同 → 等待管理单位受理 — and the
    institution's 受理 of the order is its acceptance of that booking
    (:func:`accepted_with_order`), which an agreement without a booking does not have. So
    where the chain starts with the institution the offline route is closed (the button is
    not shown, the page and the API refuse it); the order's own contract is still uploaded
    with it. Zhejiang's offline agreement goes through its use registration
    (``use_registration``), not through this route. Jiangsu is left as it was: its guide
    does not say."""
    return not accepted_with_order(policy)


def first_reviewer(policy: Policy) -> str:
    return policy.redemption_review[0]


def last_reviewer(policy: Policy) -> str:
    return policy.redemption_review[-1]


def payee_note(policy: Policy) -> str:
    """Who is paid the voucher's money, in the scheme's way of paying (``Policy.payee_rule``),
    as the order form says it before the applicant books."""
    rule = policy.payee_rule
    if rule == PayeeRule.ENTERPRISE:
        return "企业全额支付服务费用，兑付金额经审核认定后拨付至企业账户。"
    if rule == PayeeRule.CHOSEN:
        return (
            "使用登记时选择兑付方：载体兑付（创新券抵扣服务费用，由服务方申请兑付）或企业兑付"
            "（全额支付，服务方确认后由企业申请兑付）。"
        )
    if rule == PayeeRule.INSTITUTION:
        return "创新券抵扣订单金额，企业支付余额；抵扣部分由服务机构凭券向平台申请兑付。"
    return "本地服务机构：创新券抵扣服务费用，由服务机构申请兑付；外地服务机构：企业全额支付后自行申请兑付。"


def payment_terms(policy: Policy, *, in_region: bool = True) -> str:
    """The contract's default 付款方式 in the scheme's way of paying (``Policy.payee_rule``),
    so a new contract never contradicts its own payment clause."""
    head = "服务完成并出具结果后支付；"
    rule = policy.payee_rule
    if rule == PayeeRule.ENTERPRISE or (rule == PayeeRule.IN_REGION and not in_region):
        return head + "甲方全额支付，创新券由甲方申请兑付。"
    if rule == PayeeRule.CHOSEN:
        return head + "按使用登记时选择的兑付方式支付（载体兑付：抵扣后支付余额；企业兑付：全额支付）。"
    if rule == PayeeRule.INSTITUTION:
        return "乙方上传订单结果、甲方确认无误后支付；创新券抵扣部分由服务机构向平台申请兑付。"
    return head + "使用创新券抵扣部分由服务机构向平台申请兑付。"


def payout_cycle_text(policy: Policy) -> str:
    """The year's payout cycle in a sentence, from the scheme's fields (SPEC §10 "batches"):
    which batches wait for a public notice, what comes before it, and when a batch is made —
    Ningxia monthly (a notice optional), Henan's quarterly summary (experts, finance, notice),
    Jiangsu monthly with a notice, Zhejiang paid on the local bureau's approval. The same
    rules ``vouchers.transitions`` applies to a batch's moves."""
    cycle = policy.payout_cycle
    if cycle == PayoutCycle.ON_APPROVAL:
        approver = level_name(policy.redemption_review[0]) if policy.redemption_review else "所在地科技局"
        return (
            f"{policy.year} 年度由{approver}审核通过兑付申请即从本地区预算拨付：每次批准自成一个批次，无需汇总和公示。"
        )
    steps = [
        step
        for flag, step in ((policy.expert_review, "专家评审"), (policy.finance_confirmation, "科技与财政部门确认"))
        if flag
    ]
    before = f"经{'、'.join(steps)}后" if steps else ""
    notice = f"公示 {policy.notice_days} 天（公示期内任何登录用户可提出异议），期满批准后拨付"
    if cycle == PayoutCycle.QUARTERLY:
        cutoff = policy.payout_cutoff_workdays
        when = f"每季度结束后 {cutoff} 个工作日内" if cutoff else "每季度结束后"
        return f"{policy.year} 年度按季度拨付：{when}汇总上季度已确认的兑付申请，{before}{notice}。"
    if policy.monthly_notice:
        return f"{policy.year} 年度按月拨付：每月的批次{before}须{notice}。"
    return (
        f"{policy.year} 年度按月拨付：每月的批次{before}可直接批准拨付，也可先公示；另行按季度生成的批次须先{notice}。"
    )


def batch_cycles(policy: Policy) -> list[tuple[str, str]]:
    """The cadences the centre may give a batch under the scheme (SPEC §10 "batches"), each
    with the scheme's own label: Ningxia monthly, or quarterly with a notice; Henan its
    quarterly summary (experts, then the notice) only; Jiangsu monthly with a notice only;
    none where the local bureau's approval makes the batch (Zhejiang). The batch form offers
    these and ``settlement.batch_create`` refuses any other."""
    cycle = policy.payout_cycle
    if cycle == PayoutCycle.ON_APPROVAL:
        return []
    quarterly = (PayoutCycle.QUARTERLY.value, "按季度（专家评审+公示）" if policy.expert_review else "按季度（公示）")
    if cycle == PayoutCycle.QUARTERLY:
        return [quarterly]
    if policy.monthly_notice:
        return [(PayoutCycle.MONTHLY.value, "按月（公示）")]
    return [(PayoutCycle.MONTHLY.value, "按月"), quarterly]
