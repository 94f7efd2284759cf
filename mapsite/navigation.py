"""Navigation entries per role, for the base template."""

from __future__ import annotations

from accounts.models import Role

COMMON = [("创新地图", "/map/")]
BY_ROLE: dict[str | None, list[tuple[str, str]]] = {
    Role.APPLICANT: [("我的预约", "/catalog/bookings/"), ("我的单位", "/accounts/me/")],
    Role.INSTITUTION: [
        ("预约处理", "/catalog/bookings/"),
        ("目录管理", "/catalog/manage/"),
        ("我的机构", "/accounts/me/"),
    ],
    Role.BUREAU: [("认证审核", "/accounts/review/")],
    Role.OPERATOR: [
        ("入库审核", "/accounts/review/"),
        ("条目审核", "/catalog/review/"),
    ],
    Role.CENTRE: [],
    Role.EXPERT: [("专家评审", "/accounts/review/")],
}


def menu_for(user) -> list[tuple[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return COMMON
    items = COMMON + BY_ROLE.get(user.role, [])
    items = items + [("消息", "/inbox/")]
    if user.is_staff:
        items = items + [("系统管理", "/admin/")]
    return items
