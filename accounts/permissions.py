"""Who may act on whom. One helper per object kind; the API and pages both use these."""

from __future__ import annotations

from accounts.models import APPLICANT_KINDS, CertStatus, Organisation, OrgKind, Role
from geodata.models import Region


def bureau_covers(user, region_id: int | None) -> bool:
    """True when ``user`` is a bureau whose region is ``region_id`` or its parent city."""
    if user.role != Role.BUREAU or region_id is None:
        return False
    own = user.organisation.region_id
    if own == region_id:
        return True
    return Region.objects.filter(adcode=region_id, parent_id=own).exists()


def is_authority_for(user, org: Organisation | None) -> bool:
    """Whether ``user`` is ``org``'s S&T authority (科技主管部门): the high-tech zone the applicant
    is registered in, else the bureau of its county or of its city."""
    if getattr(user, "role", None) != Role.BUREAU or org is None:
        return False
    own = user.organisation
    if own.is_zone_authority:
        return org.zone_id == own.pk
    if org.zone_id is not None:
        return False
    return bureau_covers(user, org.region_id)


def can_review_certification(user, org: Organisation) -> bool:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return False
    if org.status not in (CertStatus.SUBMITTED, CertStatus.EXPERT_REVIEW, CertStatus.CHANGE_PENDING):
        return False
    if org.kind in APPLICANT_KINDS:
        return is_authority_for(user, org)
    if org.kind == OrgKind.INSTITUTION:
        return user.role == Role.OPERATOR
    return False
