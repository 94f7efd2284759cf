"""Who may see and act on contracts and vouchers."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.permissions import bureau_covers
from accounts.selectors import bureau_region_ids
from vouchers.models import Contract, ContractStatus, Voucher

# Which role acts on a contract waiting in each status (the review chain).
REVIEWER_OF = {
    ContractStatus.SUBMITTED: Role.BUREAU,
    ContractStatus.BUREAU_APPROVED: Role.OPERATOR,
    ContractStatus.OPERATOR_APPROVED: Role.CENTRE,
}


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
        return qs.filter(enterprise__region_id__in=bureau_region_ids(user)).exclude(status=ContractStatus.DRAFT)
    if role in (Role.OPERATOR, Role.CENTRE):
        return qs.exclude(status=ContractStatus.DRAFT)
    return qs.none()


def can_review_contract(user, contract: Contract) -> bool:
    """Only the level whose turn it is, and for a bureau only its own region."""
    role = REVIEWER_OF.get(contract.status)
    if role is None or getattr(user, "role", None) != role:
        return False
    if role == Role.BUREAU:
        return bureau_covers(user, contract.enterprise.region_id)
    return True


def vouchers_visible_to(user) -> QuerySet[Voucher]:
    qs = Voucher.objects.select_related("applicant", "holder", "institution__organisation", "contract")
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return qs.none()
    role = user.role
    org = user.organisation_id
    if role in (Role.APPLICANT, Role.INSTITUTION):
        return qs.filter(Q(applicant_id=org) | Q(holder_id=org) | Q(institution_id=org))
    if role == Role.BUREAU:
        return qs.filter(applicant__region_id__in=bureau_region_ids(user))
    if role in (Role.OPERATOR, Role.CENTRE):
        return qs
    return qs.none()
