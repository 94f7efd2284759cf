"""Reads on organisations, scoped to what the viewer may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import (
    APPLICANT_KINDS,
    CertificationEvent,
    CertStatus,
    Organisation,
    OrgKind,
    Role,
)

PENDING = (CertStatus.SUBMITTED, CertStatus.EXPERT_REVIEW, CertStatus.CHANGE_PENDING)


def bureau_region_ids(user) -> list[int]:
    """The adcodes a bureau user is responsible for (its region and, for a city, its counties)."""
    region = user.organisation.region
    return region.self_and_descendant_adcodes() if region else []


def authority_q(user, prefix: str = "") -> Q:
    """The organisations under a bureau user's authority, as a filter on ``prefix`` (e.g.
    ``"enterprise__"``): a zone authority's registered members; a region bureau's applicants
    in its region (its county, or a city's counties) that are not in a high-tech zone."""
    own = user.organisation
    if own.is_zone_authority:
        return Q(**{f"{prefix}zone_id": own.pk})
    return Q(**{f"{prefix}region_id__in": bureau_region_ids(user), f"{prefix}zone__isnull": True})


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """Organisations whose certification file ``user`` may read.

    Members see their own; a bureau sees applicants registered in its region; the operator
    and centre see every applicant and institution; experts see institutions sent to them."""
    qs = Organisation.objects.select_related("region")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs
    role = user.role
    own = Q(pk=user.organisation_id)
    if role == Role.BUREAU:
        return qs.filter(own | (Q(kind__in=APPLICANT_KINDS) & authority_q(user)))
    if role in (Role.OPERATOR, Role.CENTRE):
        return qs.filter(own | Q(kind__in=(*APPLICANT_KINDS, OrgKind.INSTITUTION)))
    if role == Role.EXPERT:
        return qs.filter(own | Q(kind=OrgKind.INSTITUTION, status=CertStatus.EXPERT_REVIEW))
    return qs.filter(own)


def review_queue(user) -> QuerySet[Organisation]:
    """Applications waiting for ``user`` to act, oldest first."""

    qs = organisations_visible_to(user).filter(status__in=PENDING).exclude(pk=user.organisation_id)
    role = user.role
    if role == Role.BUREAU:
        qs = qs.filter(kind__in=APPLICANT_KINDS)
    elif role == Role.OPERATOR:
        qs = qs.filter(kind=OrgKind.INSTITUTION)
    elif role == Role.EXPERT:
        qs = qs.filter(status=CertStatus.EXPERT_REVIEW)
    else:
        return qs.none()
    return qs.order_by("updated_at")


def certification_history(org: Organisation) -> QuerySet[CertificationEvent]:
    return org.certification_events.select_related("actor__organisation")
