"""Who did something, as a history shows it (SPEC §11): the actor's organisation and role in
the deployment's words — "银川市科技局（推荐部门）" — never a login name, which only the
centre and the operator see beside it (they answer users' questions about an account).

Histories of contracts, vouchers, redemptions, bookings and certification, on pages and in
the API, name actors through :func:`actor_name` / :func:`actor_username`.
"""

from __future__ import annotations

from accounts.models import Role, User
from accounts.province import current

SYSTEM = "系统"
# The roles that may see login names in histories.
USERNAME_VIEWERS = (Role.CENTRE, Role.OPERATOR)


def role_name(role: str | None) -> str:
    """A role's name; the county bureau's is the deployment's (推荐部门 / 科技主管部门 …)."""
    if role == Role.BUREAU:
        return current().bureau_title
    if role in Role.values:
        return str(Role(role).label)
    return SYSTEM if role in (None, "", "system") else role


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
