"""What redemptions and payouts share: numbers, the legs that move a redemption's value from
one stage to the next, and sending a redemption back to its payee (by a reviewer, or by an
upheld objection to its payout)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from accounts import province
from accounts.models import User
from mapsite.numbering import save_with_number
from notifications.services import notify_organisation
from vouchers import ledger
from vouchers.ledger import Leg
from vouchers.models import LedgerAccount, LedgerKind, Redemption, RedemptionStatus, Voucher, VoucherStatus
from vouchers.settlement.use import proofs_reopen
from vouchers.transitions import REDEMPTION, VOUCHER

__all__ = ["assign_number", "return_redemption"]


def assign_number(redemption_or_batch, kind: str) -> None:
    save_with_number(redemption_or_batch, lambda o: province.number(kind, f"{o.year}{o.pk:06d}"))


def stage_legs(redemption: Redemption, vouchers: dict[int, Voucher], source: str, target: str) -> list[Leg]:
    """Each voucher's value moves from ``source`` to ``target`` (the voucher account is the
    payee's)."""
    legs = []
    for item in redemption.items.order_by("pk"):
        v = vouchers[item.voucher_id]
        for account, amount in ((source, -item.amount), (target, item.amount)):
            org = redemption.payee if account == LedgerAccount.VOUCHER else None
            legs.append(Leg(account, amount, voucher=v, organisation=org))
    return legs


def lock_vouchers_of(redemption: Redemption) -> dict[int, Voucher]:
    return ledger.lock_vouchers(redemption.items.values_list("voucher_id", flat=True))


def return_redemption(redemption: Redemption, by: User | None, note: str) -> None:
    """Back to the payee (the caller holds the redemption's lock): the value returns from
    wherever it sits to the payee's voucher balance, the vouchers are "used" again, and
    proofs that were filed for this review (no separate proof review) are reopened."""
    if not note.strip():
        raise ValidationError({"note": ["退回须说明原因。"]})
    source = {
        RedemptionStatus.SUBMITTED: LedgerAccount.REDEEMING,
        RedemptionStatus.CHECKED: LedgerAccount.REDEEMING,
        RedemptionStatus.CONFIRMED: LedgerAccount.PAYABLE,
    }[redemption.status]
    vouchers = lock_vouchers_of(redemption)
    ledger.post(
        LedgerKind.RETURN,
        by=by,
        year=redemption.year,
        note=redemption.number,
        legs=stage_legs(redemption, vouchers, source, LedgerAccount.VOUCHER),
    )
    REDEMPTION.move(redemption, RedemptionStatus.RETURNED, by=by, note=note)
    redemption.save()
    for v in vouchers.values():
        VOUCHER.move(v, VoucherStatus.USED, by=by, note=f"兑付申请 {redemption.number} 退回")
        v.save(update_fields=["status"])
        use = getattr(v, "use", None)
        if use is not None:  # proofs checked with the redemption go back for correction
            proofs_reopen(use, by=by, note=f"兑付申请 {redemption.number} 退回：{note}")
    notify_organisation(
        organisation=redemption.payee,
        title=f"兑付申请被退回：{redemption.number}",
        body=note,
        url="/vouchers/redemptions/",
        sms=True,
    )
