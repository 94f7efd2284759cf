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


# --- What the public sees (README "Public and private fields") ------------------------------
# A listed institution's contact person and telephone are an employee's personal data: they
# are shown to signed-in users (who book and ask for 对接), not to anonymous visitors. An item's
# pending changes and the operator's review note are between the institution and the
# operator (and the centre, which oversees the catalogue).


def can_see_contacts(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_see_item_review(user, item) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role in (Role.OPERATOR, Role.CENTRE) or is_institution_member(user, item.institution)


class RequestMode:
    """How pages offer 预约 / 对接 to a viewer (the booking and contact services refuse
    everyone but applicants, so nobody else is shown a button that ends in a 403)."""

    REQUEST = "request"  # applicants (enterprises, social organisations, individuals): the buttons
    LOGIN = "login"  # anonymous: a "登录后预约" link to the login page
    NONE = ""  # institutions, bureaus, operator, centre, experts: nothing


def request_mode(user) -> str:
    if not getattr(user, "is_authenticated", False):
        return RequestMode.LOGIN
    return RequestMode.REQUEST if user.role == Role.APPLICANT else RequestMode.NONE
