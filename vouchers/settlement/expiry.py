"""The voucher's end (SPEC §5.4): expiry with its warnings, default ratings, and clawback of
paid money (recorded, never deleted)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from mapsite.workflow import InvalidTransition
from notifications.services import notify_organisation
from vouchers import ledger
from vouchers.ledger import Leg, voucher_value
from vouchers.models import (
    IntegrityRecord,
    LedgerAccount,
    LedgerKind,
    Voucher,
    VoucherStatus,
    VoucherUse,
)
from vouchers.policies.records import province_policy
from vouchers.settlement.use import use_rate
from vouchers.transitions import (
    VOUCHER,
)

__all__ = [
    "vouchers_expire",
    "default_ratings",
    "voucher_clawback",
]


# --- Expiry, warnings, default ratings, clawback ---------------------------------------------------


def vouchers_expire(*, today: dt.date | None = None) -> dict:
    """Expire unused vouchers past valid-until (their amount returns to the applicant's annual
    cap) and warn holders ahead (the policy's warning days). Each voucher in its own
    transaction."""
    today = today or timezone.localdate()
    expired = warned = 0
    for pk in Voucher.objects.filter(status=VoucherStatus.ISSUED, valid_until__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            v = ledger.lock_voucher(pk)
            if v.status != VoucherStatus.ISSUED:
                continue
            ledger.post(
                LedgerKind.EXPIRE,
                year=v.year,
                note="过期未使用",
                legs=[
                    Leg(LedgerAccount.VOUCHER, -voucher_value(v), voucher=v, organisation=v.holder),
                    *ledger.cap_return_legs(v, v.face_value),
                ],
            )
            VOUCHER.move(v, VoucherStatus.EXPIRED, by=None, note=f"有效期至 {v.valid_until}，过期未使用")
            v.save(update_fields=["status"])
            notify_organisation(
                organisation=v.holder, title=f"创新券已过期：{v.number}", body="未使用的额度已退回本年度额度。"
            )
            expired += 1
    unwarned = Voucher.objects.filter(
        status=VoucherStatus.ISSUED, expiry_warned_at__isnull=True, valid_until__gte=today
    )
    for year in unwarned.values_list("year", flat=True).distinct():
        days = province_policy(year).expiry_warning_days
        for v in unwarned.filter(year=year, valid_until__lte=today + dt.timedelta(days=days)).select_related("holder"):
            with transaction.atomic():
                # Not a status: a stamp so that each holder is warned once.
                if Voucher.objects.filter(pk=v.pk, expiry_warned_at__isnull=True).update(
                    expiry_warned_at=timezone.now()
                ):
                    notify_organisation(
                        organisation=v.holder,
                        title=f"创新券即将过期：{v.number}",
                        body=f"有效期至 {v.valid_until}，请尽快使用。",
                        url=f"/vouchers/{v.pk}/",
                    )
                    warned += 1
    return {"expired": expired, "warned": warned}


def default_ratings(*, today: dt.date | None = None) -> int:
    """Record a default good rating (marked as default) for uses not rated within the
    policy's rating days, with or without a booking. A booking the enterprise rated on the
    catalogue's booking page counts as rated."""
    today = today or timezone.localdate()
    made = 0
    unrated = VoucherUse.objects.filter(rating__isnull=True).exclude(voucher__contract__booking__rating__isnull=False)
    for year in unrated.values_list("voucher__year", flat=True).distinct():
        days = province_policy(year).rating_days
        cutoff = today - dt.timedelta(days=days)
        for use in unrated.filter(voucher__year=year, completed_on__lt=cutoff):
            use_rate(use=use, by=None, score=5, comment=f"默认好评：服务完成后{days}日内未评价。", is_default=True)
            made += 1
    return made


@transaction.atomic
def voucher_clawback(*, voucher: Voucher, by: User, reason: str) -> Voucher:
    """Recover a paid voucher for fraud: the money goes back to the budgets it came from, the
    applicant gets an integrity record that blocks new applications. Nothing is deleted."""
    v = ledger.lock_voucher(voucher.pk)
    try:
        VOUCHER.require(v, by, "clawback")
    except InvalidTransition:
        raise ValidationError("只能追回已拨付的创新券。") from None
    if not reason.strip():
        raise ValidationError({"reason": ["须说明追回原因。"]})
    paid = ledger.payout_legs(v)
    years = {e.year for e in paid}
    for year in sorted(years):
        ledger.lock_budgets(year, [e.region_id for e in paid if e.region_id and e.year == year])
    legs = [Leg(LedgerAccount.PAID, -voucher_value(v), voucher=v, organisation=ledger.paid_to(v))]
    legs += [Leg(e.account, -e.amount, voucher=v, region_id=e.region_id, year=e.year) for e in paid]
    ledger.post(LedgerKind.CLAWBACK, by=by, year=min(years), note=reason, legs=legs)
    VOUCHER.move(v, VoucherStatus.CLAWED_BACK, by=by, note=reason)
    v.save(update_fields=["status"])
    IntegrityRecord.objects.create(
        organisation=v.enterprise, reason=f"创新券 {v.number} 被追回：{reason}", voucher=v, created_by=by
    )
    notify_organisation(organisation=v.enterprise, title=f"创新券被追回：{v.number}", body=reason)
    return v
