"""Who did something, as a history shows it (SPEC §11): the actor's organisation and role in
the deployment's words — "银川市科技局（推荐部门）" — never a login name, which only the
centre and the operator see beside it (they answer users' questions about an account).

Histories of contracts, vouchers, redemptions, bookings and certification, on pages and in
the API, name actors through :func:`actor_name` / :func:`actor_username`.
"""

from __future__ import annotations

from django.utils.functional import lazy

from accounts.models import ROLE_OF_KIND, OrgKind, Role, User
from accounts.province import current

SYSTEM = "系统"
# The roles that may see login names in histories.
USERNAME_VIEWERS = (Role.CENTRE, Role.OPERATOR)
# Ningxia's words, used where a profile has none.
GENERIC_NAMES = {Role.BUREAU: "推荐部门", Role.CENTRE: "创业中心"}


def role_name(role: str | None) -> str:
    """A role's name. The county bureau's and the centre's are the deployment's
    (``ProvinceProfile.bureau_title`` 推荐部门 / 科技主管部门 …, ``centre_title`` 创业中心 /
    省科技厅 …): the one place those two words are read, by histories, the home header,
    the review levels' names (``vouchers.names.level_name``) and refusals."""
    if role == Role.BUREAU:
        return current().bureau_title or GENERIC_NAMES[Role.BUREAU]
    if role == Role.CENTRE:
        return current().centre_title or GENERIC_NAMES[Role.CENTRE]
    if role in Role.values:
        return str(Role(role).label)
    return SYSTEM if role in (None, "", "system") else role


def only(action: str, *others: str, joiner: str = "和") -> str:
    """A refusal "只有{who}可以{action}。": ``others`` (plain names such as 运营单位) and last the
    centre in the deployment's words (创业中心, 省科技厅, 省统筹中心) — ``only("维护节假日安排")``,
    ``only("暂停入库", "运营单位", joiner="或")``. Read at call time; :data:`only_lazy` for a
    message held at import time (a workflow's table)."""
    names = [*others, role_name(Role.CENTRE)]
    who = names[0] if len(names) == 1 else "、".join(names[:-1]) + joiner + names[-1]
    return f"只有{who}可以{action}。"


only_lazy = lazy(only, str)


def kind_name(kind: str | None) -> str:
    """An organisation kind's name; the bureau's and the centre's are their roles' (above)."""
    if kind in (OrgKind.BUREAU, OrgKind.CENTRE):
        return role_name(ROLE_OF_KIND[OrgKind(kind)])
    try:
        return str(OrgKind(kind).label)
    except ValueError:
        return kind or ""


def actor_name(actor: User | None, role: str | None = None) -> str:
    """ "组织名称（角色）", or the role alone for a user without an organisation; 系统 for none."""
    if actor is None:
        return SYSTEM
    label = role_name(role or actor.role)
    org = actor.organisation if actor.organisation_id else None
    return f"{org.name}（{label}）" if org is not None else label


def sees_usernames(viewer) -> bool:
    return getattr(viewer, "role", None) in USERNAME_VIEWERS


def actor_username(actor: User | None, viewer) -> str | None:
    """The actor's login name for the centre and the operator; ``None`` for anyone else."""
    if actor is None or not sees_usernames(viewer):
        return None
    return actor.username
