"""The deployment's names of things whose codes are fixed (SPEC §11).

A code such as ``bureau`` or ``province_budget`` is stored; what a user reads is the
province's own word: Ningxia's 推荐部门 and 自治区预算, Jiangsu's 科技主管部门 and 省级预算
(``accounts.province.current()``: ``bureau_title``, ``budget_name``). Pages, the API, the
PDF and exports read these names here — models' ``get_*_display`` included — so no label
of Ningxia's is left in another province's deployment.
"""

from __future__ import annotations

from accounts.actors import role_name
from accounts.province import current as current_province
from vouchers.models import AT_REVIEWER, ContractStatus, FinalRefusal, LedgerAccount, Policy, Reviewer

# The reviewer levels' generic names. The county level's and the centre's are the deployment's
# (``ProvinceProfile.bureau_title`` / ``centre_title``): read every name through :func:`level_name`.
REVIEWER_NAMES = {
    Reviewer.BUREAU: "推荐部门",
    Reviewer.INSTITUTION: "服务机构",
    Reviewer.OPERATOR: "运营单位",
    Reviewer.CENTRE: "创业中心",
}
GENERIC_BUREAU = REVIEWER_NAMES[Reviewer.BUREAU]


def level_name(level: str | None) -> str:
    """The deployment's name of a reviewer level: the county bureau's and the centre's are
    their roles' (``accounts.actors.role_name``, from the province profile)."""
    if level in (Reviewer.BUREAU, Reviewer.CENTRE):
        return role_name(level)
    return REVIEWER_NAMES.get(level, level or "")


def level_names() -> dict[str, str]:
    return {str(code): level_name(code) for code in REVIEWER_NAMES}


def with_level_names(text: str) -> str:
    """``text`` with the generic bureau and centre names replaced by the deployment's."""
    return all_with_level_names([text])[0]


def all_with_level_names(texts: list[str]) -> list[str]:
    """:func:`with_level_names` of each text, the deployment's names read once."""
    names = [(REVIEWER_NAMES[level], level_name(level)) for level in (Reviewer.BUREAU, Reviewer.CENTRE)]
    out = []
    for text in texts:
        for generic, own in names:
            if own != generic:
                text = text.replace(generic, own)
        out.append(text)
    return out


def review_word(level: str | None) -> str:
    """What a level's turn on a contract is called: the institution's is its acceptance of
    the order (受理: Henan's 管理单位受理, the level that starts a chain where the order
    accepts its booking, ``schemes.accepted_with_order``; its status is 待服务机构受理), every
    other level reviews (审核)."""
    return "受理" if level == Reviewer.INSTITUTION else "审核"


# An approved contract of a scheme without review: its voucher was issued on submission
# (Jiangsu: 提交即生成创新券), so nothing was 审定.
ISSUED_ON_SUBMIT = "已提交（已生成创新券）"


def contract_status_label(status: str, policy: Policy | None = None) -> str:
    """A contract status's name in the deployment's words (待推荐部门审核 → 待科技主管部门审核,
    待创业中心审定 → 待省科技厅审定); with the contract's ``policy``, an approved contract
    of a scheme without a review chain is 已提交（已生成创新券）."""
    try:
        label = str(ContractStatus(status).label)
    except ValueError:
        return status
    if status == ContractStatus.APPROVED and policy is not None and not policy.contract_review:
        return ISSUED_ON_SUBMIT
    return with_level_names(label) if status in (ContractStatus.AT_BUREAU, ContractStatus.AT_CENTRE) else label


def contract_statuses(year: int) -> list[tuple[str, str]]:
    """The contract statuses of ``year``'s schemes, named (the list's status filter): draft,
    the review levels the year's chains have (province and region policies), returned,
    approved, and 转为普通订单 where a scheme turns a last refusal into an ordinary order. A
    year without a published policy has the default scheme's."""
    policies = list(Policy.objects.filter(year=year)) or [Policy(year=year)]
    levels = {level for p in policies for level in (p.contract_review or [])}
    ordinary = any(p.final_refusal == FinalRefusal.ORDINARY for p in policies)
    codes = [ContractStatus.DRAFT]
    codes += [status for level, status in AT_REVIEWER.items() if level in levels]
    codes += [ContractStatus.RETURNED, ContractStatus.APPROVED]
    if ordinary:
        codes.append(ContractStatus.ORDINARY)
    # The province-wide record names the approved status (a chain-less scheme's is 已提交).
    scheme = next((p for p in policies if p.region_id is None), policies[0])
    return [(str(code), contract_status_label(code, scheme)) for code in codes]


def account_label(account: str) -> str:
    """A ledger account's name; the provincial budget is the deployment's (自治区预算 / 省级预算)."""
    if account == LedgerAccount.PROVINCE_BUDGET:
        return current_province().budget_name
    try:
        return str(LedgerAccount(account).label)
    except ValueError:
        return account
