"""The deployment's names of things whose codes are fixed (SPEC §11).

A code such as ``bureau`` or ``province_budget`` is stored; what a user reads is the
province's own word: Ningxia's 推荐部门 and 自治区预算, Jiangsu's 科技主管部门 and 省级预算
(``accounts.province.current()``: ``bureau_title``, ``budget_name``). Pages, the API, the
PDF and exports read these names here — models' ``get_*_display`` included — so no label
of Ningxia's is left in another province's deployment.
"""

from __future__ import annotations

from accounts.province import current as current_province
from vouchers.models import ContractStatus, LedgerAccount, Reviewer

# The reviewer levels' generic names. The county level's is the deployment's
# (``ProvinceProfile.bureau_title``): read every name through :func:`level_name`.
REVIEWER_NAMES = {
    Reviewer.BUREAU: "推荐部门",
    Reviewer.INSTITUTION: "服务机构",
    Reviewer.OPERATOR: "运营单位",
    Reviewer.CENTRE: "创业中心",
}
GENERIC_BUREAU = REVIEWER_NAMES[Reviewer.BUREAU]


def level_name(level: str | None) -> str:
    """The deployment's name of a reviewer level (the one place the bureau's name is read)."""
    if level == Reviewer.BUREAU:
        return current_province().bureau_title or GENERIC_BUREAU
    return REVIEWER_NAMES.get(level, level or "")


def level_names() -> dict[str, str]:
    return {str(code): level_name(code) for code in REVIEWER_NAMES}


def with_level_names(text: str) -> str:
    """``text`` with the generic bureau name replaced by the deployment's."""
    bureau = level_name(Reviewer.BUREAU)
    return text.replace(GENERIC_BUREAU, bureau) if bureau != GENERIC_BUREAU else text


def contract_status_label(status: str) -> str:
    """A contract status's name in the deployment's words (待推荐部门审核 → 待科技主管部门审核)."""
    try:
        label = str(ContractStatus(status).label)
    except ValueError:
        return status
    return with_level_names(label) if status == ContractStatus.AT_BUREAU else label


def account_label(account: str) -> str:
    """A ledger account's name; the provincial budget is the deployment's (自治区预算 / 省级预算)."""
    if account == LedgerAccount.PROVINCE_BUDGET:
        return current_province().budget_name
    try:
        return str(LedgerAccount(account).label)
    except ValueError:
        return account
