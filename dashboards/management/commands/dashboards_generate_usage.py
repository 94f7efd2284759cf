"""Synthetic voucher-use records for the dashboards' scale benchmark (dry run unless --commit)."""

from django.core.management.base import BaseCommand, CommandError

from dashboards.synthetic import clear_synthetic, generate_usage


class Command(BaseCommand):
    help = "Generate N synthetic voucher uses (with their issue/redeem/pay events) and rebuild the aggregates."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=0, help="voucher uses to generate")
        parser.add_argument("--enterprises", type=int, default=None, help="distinct synthetic enterprises")
        parser.add_argument("--institutions", type=int, default=None, help="distinct synthetic institutions")
        parser.add_argument("--seed", type=float, default=0.42)
        parser.add_argument("--clear", action="store_true", help="remove earlier synthetic records first")
        parser.add_argument("--commit", action="store_true", help="write (otherwise only say what would happen)")

    def handle(self, *args, count, enterprises, institutions, seed, clear, commit, **options):
        if count < 0 or count > 50_000_000:
            raise CommandError("--count must be between 0 and 50,000,000")
        if not 0 <= seed < 1:
            raise CommandError("--seed must be in [0, 1)")
        if not commit:
            what = []
            if clear:
                what.append("remove the synthetic dashboard records")
            if count:
                what.append(f"generate {count:,} synthetic voucher uses")
            self.stdout.write(f"Dry run: would {' and '.join(what) or 'do nothing'}. Add --commit to write.")
            return
        if clear:
            self.stdout.write(f"removed {clear_synthetic():,} synthetic events")
        if count:
            result = generate_usage(count=count, enterprises=enterprises, institutions=institutions, seed=seed)
            self.stdout.write(
                f"generated {result['uses']:,} uses → {result['events']:,} events {result['by_stage']} "
                f"({result['enterprises']:,} enterprises, {result['institutions']:,} institutions) "
                f"in {result['total_seconds']} s (insert {result['insert_seconds']} s)"
            )
