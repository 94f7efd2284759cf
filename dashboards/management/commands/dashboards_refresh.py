"""Rebuild the dashboards' facts and aggregates from the vouchers tables."""

from django.core.management.base import BaseCommand

from dashboards.aggregation import refresh_all, refresh_changed


class Command(BaseCommand):
    help = (
        "Rebuild the dashboards from the vouchers tables (run nightly, e.g. "
        "`20 1 * * * .venv/bin/python manage.py dashboards_refresh --commit`). "
        "--changed only recomputes vouchers with new ledger entries."
    )

    def add_arguments(self, parser):
        parser.add_argument("--changed", action="store_true", help="incremental: vouchers with new ledger entries")
        parser.add_argument("--commit", action="store_true", help="write (otherwise only say what would happen)")

    def handle(self, *args, changed, commit, **options):
        if not commit:
            self.stdout.write(
                "Dry run: would rebuild the dashboards' "
                + ("changed vouchers" if changed else "facts and aggregates")
                + ". Add --commit to write."
            )
            return
        if changed:
            result = refresh_changed()
            self.stdout.write("another refresh is running" if result is None else f"refreshed {result}")
        else:
            result = refresh_all()
            self.stdout.write(
                f"rebuilt {result['events']:,} voucher events and the aggregates in {result['seconds']} s"
            )
