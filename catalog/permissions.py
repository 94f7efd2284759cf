"""Who may act on catalogue objects."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import Role


def is_institution_member(user, institution) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.role == Role.INSTITUTION
        and user.organisation_id == institution.pk
    )


def require_operator(user) -> None:
    if getattr(user, "role", None) != Role.OPERATOR:
        raise PermissionDenied("只有平台运营单位可以审核目录条目。")
