from django.core.management.base import BaseCommand

from vouchers.entitlements.services import lapse
from vouchers.settlement import default_ratings, vouchers_expire


class Command(BaseCommand):
    help = (
        "Daily job: expire unused vouchers past valid-until (their amount returns to the annual "
        "cap), warn holders 30 days ahead, record default good ratings after 30 days, void "
        "entitlements (额度) past their validity. "
        "Cron: 10 1 * * *  cd /srv/app && .venv/bin/python manage.py vouchers_daily"
    )

    def handle(self, *args, **options):
        result = vouchers_expire()
        ratings = default_ratings()
        lapsed = lapse()
        self.stdout.write(
            f"Expired {result['expired']}, warned {result['warned']}, default ratings {ratings}, "
            f"entitlements lapsed {lapsed}."
        )
