"""Reads on contracts and vouchers, scoped to what the viewer may see."""

from __future__ import annotations

from django.db.models import Max, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role
from catalog import selectors as catalog_selectors
from catalog.models import Booking, BookingStatus
from vouchers.contracts.services import BOOKABLE_STATUSES, in_booking_year
from vouchers.entitlements.services import application_refusal
from vouchers.models import Contract, LedgerAccount, Voucher
from vouchers.permissions import contracts_visible_to, vouchers_visible_to
from vouchers.policies.records import province_policy
from vouchers.policies.schemes import accepted_with_order
from vouchers.transitions import EDITABLE, review_statuses


def get_contract_for_user(user, pk: int) -> tuple[Contract, bool]:
    """(contract, can_write): 404 outside the audience; only the applicant may write, and
    only while the contract is a draft or returned."""
    contract = get_object_or_404(
        contracts_visible_to(user).select_related("enterprise__region", "booking", "service", "instrument"),
        pk=pk,
    )
    can_write = user.organisation_id == contract.enterprise_id and contract.status in EDITABLE
    return contract, can_write


def bookings_awaiting_contract(user) -> QuerySet[Booking]:
    """The applicant's accepted (or later; where the order's 受理 accepts the booking, also
    waiting) bookings of this year that have no voucher contract yet
    (``services.booking_voucher_refusal``: a booking leads to a voucher only in
    the year it was requested in, and only for an applicant that may hold one this year).
    None where the scheme registers uses instead (the booking is registered after the
    service)."""
    if getattr(user, "role", None) != Role.APPLICANT:
        return Booking.objects.none()
    year = timezone.localdate().year
    policy = province_policy(year)
    if policy.use_registration or application_refusal(user.organisation, policy):
        return Booking.objects.none()
    # Henan: the order is submitted while the booking waits, and its 受理 accepts it.
    statuses = (*BOOKABLE_STATUSES, BookingStatus.REQUESTED) if accepted_with_order(policy) else BOOKABLE_STATUSES
    return (
        in_booking_year(catalog_selectors.bookings_for(user), year)
        .filter(
            enterprise_id=user.organisation_id,
            status__in=statuses,
            contract__isnull=True,
            use_voucher=True,
        )
        .order_by("-created_at")
    )


def review_queue(user) -> QuerySet[Contract]:
    """Contracts waiting for the user's level (a bureau: its region only), oldest first;
    ``arrived_at`` is when the contract reached its current status."""
    return (
        contracts_visible_to(user)
        .filter(status__in=review_statuses(user.role))
        .annotate(arrived_at=Max("events__at"))
        .order_by("submitted_at", "pk")
    )


def related_contracts(user, contract: Contract) -> QuerySet[Contract]:
    """Other contracts of the same enterprise with the same institution that this user may
    see: what a reviewer looks at when the split flag (化整为零) is up."""
    return (
        contracts_visible_to(user)
        .filter(enterprise_id=contract.enterprise_id, institution_id=contract.institution_id)
        .exclude(pk=contract.pk)
        .order_by("-signed_on")
    )


def vouchers_with_balance(user) -> QuerySet[Voucher]:
    """``vouchers_visible_to`` with the balance as the sum of the voucher's ledger entries
    (the same sum as ``ledger.voucher_balance``, in one query for a list)."""
    return vouchers_visible_to(user).annotate(
        balance=Sum("ledger__amount", filter=Q(ledger__account=LedgerAccount.VOUCHER))
    )
