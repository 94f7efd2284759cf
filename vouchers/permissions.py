"""Who may see and act on contracts and vouchers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from accounts.actors import only
from accounts.models import Role
from accounts.selectors import authority_q
from geodata.models import Region
from vouchers.models import Contract, ContractStatus, EntitlementClaim, Funding, ProjectRegistration, Voucher
from vouchers.policies.records import province_policy, topup_region_ids


def contracts_visible_to(user) -> QuerySet[Contract]:
    qs = Contract.objects.select_related("enterprise", "institution__organisation", "policy")
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return qs.none()
    role = user.role
    if role == Role.APPLICANT:
        return qs.filter(enterprise_id=user.organisation_id)
    if role == Role.INSTITUTION:
        return qs.filter(institution_id=user.organisation_id).exclude(status=ContractStatus.DRAFT)
    if role == Role.BUREAU:
        return qs.filter(authority_q(user, "enterprise__")).exclude(status=ContractStatus.DRAFT)
    if role in (Role.OPERATOR, Role.CENTRE):
        return qs.exclude(status=ContractStatus.DRAFT)
    return qs.none()


def vouchers_visible_to(user) -> QuerySet[Voucher]:
    qs = Voucher.objects.select_related("enterprise", "holder", "institution__organisation", "contract")
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return qs.none()
    role = user.role
    org = user.organisation_id
    if role in (Role.APPLICANT, Role.INSTITUTION):
        return qs.filter(Q(enterprise_id=org) | Q(holder_id=org) | Q(institution_id=org))
    if role == Role.BUREAU:
        return qs.filter(authority_q(user, "enterprise__"))
    if role in (Role.OPERATOR, Role.CENTRE):
        return qs
    return qs.none()


def claims_visible_to(user) -> QuerySet[EntitlementClaim]:
    """Entitlement claims: the applicant's own; a bureau's applicants (its county or city);
    the operator and centre all."""
    qs = EntitlementClaim.objects.select_related("organisation__region", "policy")
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return qs.none()
    role = user.role
    if role == Role.APPLICANT:
        return qs.filter(organisation_id=user.organisation_id)
    if role == Role.BUREAU:
        return qs.filter(authority_q(user, "organisation__"))
    if role in (Role.OPERATOR, Role.CENTRE):
        return qs
    return qs.none()


def projects_visible_to(user) -> QuerySet[ProjectRegistration]:
    """R&D project registrations: the applicant's own; the operator (who reviews them) and
    the centre all; a bureau its applicants'."""
    qs = ProjectRegistration.objects.select_related("organisation")
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return qs.none()
    role = user.role
    if role == Role.APPLICANT:
        return qs.filter(organisation_id=user.organisation_id)
    if role == Role.BUREAU:
        return qs.filter(authority_q(user, "organisation__"))
    if role in (Role.OPERATOR, Role.CENTRE):
        return qs
    return qs.none()


ALL_BUDGETS = "all"


def budget_scope(user, year: int) -> str | int:
    """Which of ``year``'s budgets ``user`` may read: every one (``ALL_BUDGETS``, the
    centre), or a bureau's own region's (its county top-up, or — where the scheme pays from
    local budgets, Zhejiang — the budget its approvals pay from). Anyone else is refused."""
    role = getattr(user, "role", None)
    if role == Role.CENTRE:
        return ALL_BUDGETS
    if role == Role.BUREAU:
        return user.organisation.region_id
    raise PermissionDenied(only("查看预算", "地方科技局"))


def county_budgets(year: int) -> QuerySet[Region]:
    """The county budgets the centre may set for ``year`` beside the province's: every
    county's where the scheme pays from local budgets (Zhejiang), else those of the counties
    that top up ``year``'s vouchers — none where no county does (Jiangsu). The budget page
    offers these and the budget API accepts only these."""
    counties = Region.objects.counties()
    if province_policy(year).funding == Funding.LOCAL:
        return counties
    return counties.filter(pk__in=topup_region_ids(year))


def may_set_budget(user, year: int, region_id: int | None) -> bool:
    """The centre sets every budget; a bureau its own region's, where the scheme pays from
    local budgets (``Policy.funding``)."""
    role = getattr(user, "role", None)
    if role == Role.CENTRE:
        return True
    return (
        role == Role.BUREAU
        and region_id is not None
        and region_id == user.organisation.region_id
        and province_policy(year).funding == Funding.LOCAL
    )
