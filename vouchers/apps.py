from django.apps import AppConfig


class VouchersConfig(AppConfig):
    name = "vouchers"

    def ready(self) -> None:
        # why: app modules import models, which are ready only here. The catalogue's booking
        # page rates a booking paid with a voucher through the voucher's use, names the
        # voucher step in the scheme's words, holds the service back while the scheme reviews
        # the voucher order and asks for the order result where the scheme pays after it; the
        # order form shows the entitlement left and the proposed voucher; the menu leaves out
        # what the scheme gives a role no work on and names the contracts in its words (a
        # lower layer may not import this one, so it asks through these hooks).
        from accounts.navigation import set_entry_labels, set_unused_entries
        from catalog import services as catalog
        from vouchers.contracts.booking_step import booking_guard, result_needed, result_step, voucher_step
        from vouchers.entitlements.services import booking_offer
        from vouchers.navigation import entry_labels, unused_entries
        from vouchers.settlement.use import booking_rater

        catalog.set_booking_rater(booking_rater)
        catalog.set_voucher_step(voucher_step)
        catalog.set_voucher_offer(booking_offer)
        catalog.set_booking_guard(booking_guard)
        catalog.set_result_needed(result_needed)
        catalog.set_result_step(result_step)
        set_unused_entries(unused_entries)
        set_entry_labels(entry_labels)
