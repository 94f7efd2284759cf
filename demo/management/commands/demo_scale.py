from django.core.management.base import BaseCommand, CommandError

from demo.scale import (
    clear_synthetic_listings,
    clear_synthetic_organisations,
    generate_listings,
    generate_organisations,
)


class Command(BaseCommand):
    help = (
        "Generate N synthetic certified enterprises at population-weighted (else area-weighted) points "
        "inside the deployment's province (for benchmarks). Dry run unless --commit; --clear removes earlier ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=0, help="how many to create")
        parser.add_argument("--listings", type=int, default=0, help="synthetic public listings")
        parser.add_argument("--seed", type=float, default=0.42, help="in [-1, 1]")
        parser.add_argument("--clear", action="store_true", help="delete synthetic rows first")
        parser.add_argument("--commit", action="store_true")

    def handle(self, *args, organisations, listings, seed, clear, commit, **options):
        if organisations < 0 or listings < 0 or not -1 <= seed <= 1:
            raise CommandError("Counts must be ≥ 0 and --seed within [-1, 1].")
        if not commit:
            self.stdout.write(
                f"Dry run: would {'clear synthetic rows and ' if clear else ''}create "
                f"{organisations} synthetic organisations and {listings} listings. Use --commit."
            )
            return
        if clear:
            self.stdout.write(f"Removed {clear_synthetic_listings()} synthetic listings.")
            self.stdout.write(f"Removed {clear_synthetic_organisations()} synthetic organisations.")
        if listings:
            result = generate_listings(count=listings, seed=seed)
            self.stdout.write(
                f"Created {result['inserted']} listings ({result['grid_cells']} grid cells) in "
                f"{result['total_seconds']} s (insert {result['insert_seconds']} s: points "
                f"{result['points_seconds']} s, COPY {result['copy_seconds']} s, indexes and keys "
                f"{result['index_seconds']} s, {result['rebuilt']} rebuilt)."
            )
        if organisations:
            result = generate_organisations(count=organisations, seed=seed)
            self.stdout.write(
                f"Created {result['inserted']} organisations in {result['total_seconds']} s "
                f"(points {result['points_seconds']} s)."
            )
