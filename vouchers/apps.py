from django.apps import AppConfig


class VouchersConfig(AppConfig):
    name = "vouchers"

    def ready(self) -> None:
        # why: app modules import models, which are ready only here. The catalogue's booking
        # page rates a booking paid with a voucher through the voucher's use and names the
        # voucher step in the scheme's words, the order form shows the entitlement left and the
        # proposed voucher, and the menu leaves out what the scheme gives a role no work on (a
        # lower layer may not import this one, so it asks through these hooks).
        from accounts.navigation import set_unused_entries
        from catalog.services import set_booking_rater, set_voucher_offer, set_voucher_step
        from vouchers.contracts.booking_step import voucher_step
        from vouchers.entitlements.services import booking_offer
        from vouchers.navigation import unused_entries
        from vouchers.settlement.use import booking_rater

        set_booking_rater(booking_rater)
        set_voucher_step(voucher_step)
        set_voucher_offer(booking_offer)
        set_unused_entries(unused_entries)
