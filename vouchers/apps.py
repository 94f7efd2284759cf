from django.apps import AppConfig


class VouchersConfig(AppConfig):
    name = "vouchers"

    def ready(self) -> None:
        # why: app modules import models, which are ready only here. The catalogue's booking
        # page rates a booking paid with a voucher through the voucher's use and names the
        # voucher step in the scheme's words (a lower layer may not import this one, so it
        # asks through these hooks).
        from catalog.services import set_booking_rater, set_voucher_step
        from vouchers.contracts.booking_step import voucher_step
        from vouchers.settlement.use import booking_rater

        set_booking_rater(booking_rater)
        set_voucher_step(voucher_step)
