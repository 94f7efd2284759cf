"""Navigation entries per role, for the base template."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from accounts.models import Role

# (label, URL name): the names are reversed per request, once the URLconf is loaded.
COMMON = [("创新地图", "map:map")]
BY_ROLE: dict[str | None, list[tuple[str, str]]] = {
    Role.APPLICANT: [
        ("我的预约", "catalog:bookings"),
        ("我的额度", "vouchers:wallet"),
        ("创新券合同", "vouchers:contracts"),
        ("我的创新券", "vouchers:list"),
        ("兑付申请", "vouchers:redemptions"),
        ("我的单位", "accounts:me"),
        ("收款账户", "accounts:bank_account"),
    ],
    Role.INSTITUTION: [
        ("预约处理", "catalog:bookings"),
        ("目录管理", "catalog:manage"),
        ("创新券合同", "vouchers:contracts"),
        ("创新券", "vouchers:list"),
        ("兑付申请", "vouchers:redemptions"),
        ("我的机构", "accounts:me"),
        ("收款账户", "accounts:bank_account"),
    ],
    Role.BUREAU: [
        ("数据看板", "dashboards:index"),
        ("认证审核", "accounts:review"),
        ("合同审核", "vouchers:review"),
        ("额度申请", "vouchers:claims"),
        ("创新券合同", "vouchers:contracts"),
        ("兑付申请", "vouchers:redemptions"),
        ("本地预算", "vouchers:budget"),
        ("本地拨付批次", "vouchers:batches"),
        ("我的导出", "tasks:exports"),
    ],
    Role.OPERATOR: [
        ("入库审核", "accounts:review"),
        ("条目审核", "catalog:review"),
        ("项目登记", "vouchers:projects"),
        ("数据看板", "dashboards:index"),
        ("合同复核", "vouchers:review"),
        ("兑付工作台", "vouchers:queue"),
        ("拨付批次", "vouchers:batches"),
        ("创新券", "vouchers:list"),
        ("我的导出", "tasks:exports"),
    ],
    Role.CENTRE: [
        ("数据看板", "dashboards:index"),
        ("机构年度评价", "evaluation:index"),
        ("合同审定", "vouchers:review"),
        ("兑付工作台", "vouchers:queue"),
        ("拨付批次", "vouchers:batches"),
        ("预算", "vouchers:budget"),
        ("创新券", "vouchers:list"),
        ("政策设置", "vouchers:policies"),
        ("平台信息", "accounts:province"),
        ("失败任务", "tasks:failed_jobs"),
        ("我的导出", "tasks:exports"),
    ],
    Role.EXPERT: [("专家评审", "accounts:review")],
}
EVERYONE = [("拨付公示", "vouchers:notices"), ("消息", "notifications:inbox")]
STAFF = [("系统管理", "admin:index")]


def active_item(items: list[tuple[str, str]], path: str) -> str | None:
    """The URL of the entry the page belongs to: the longest prefix of ``path``."""
    matches = [url for _, url in items if path.startswith(url) and url != "/"]
    return max(matches, key=len) if matches else None


# A higher layer names the entries the year's scheme gives a user no work on (the vouchers
# app: a review queue of a level its chain does not have, a bureau's budget where it pays
# nothing); accounts imports nothing from it.
_unused: list[Callable[[object], set[str]]] = []
# ... and the scheme's words for an entry ({URL name: label}; Henan's 创新券订单 for the
# 创新券合同 entry).
_labels: list[Callable[[object], dict[str, str]]] = []


def set_unused_entries(finder: Callable[[object], set[str]]) -> None:
    _unused[:] = [finder]


def set_entry_labels(finder: Callable[[object], dict[str, str]]) -> None:
    _labels[:] = [finder]


def menu_for(user) -> list[tuple[str, str]]:
    """(label, URL) of the entries ``user`` sees."""
    if not getattr(user, "is_authenticated", False):
        entries = COMMON
    else:
        unused = _unused[0](user) if _unused else set()
        words = _labels[0](user) if _labels else {}
        role_entries = [
            (words.get(name, label), name) for label, name in BY_ROLE.get(user.role, []) if name not in unused
        ]
        entries = COMMON + role_entries + EVERYONE + (STAFF if user.is_staff else [])
    return [(label, reverse(name)) for label, name in entries]
