from django.core.management.base import BaseCommand

from workdays.services import library_years, seed_from_library


class Command(BaseCommand):
    help = "Seed the working-day calendar from chinese-calendar (dry run unless --commit)."

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true")

    def handle(self, *args, commit: bool, **options):
        years = library_years()
        if not commit:
            self.stdout.write(f"Dry run: would seed {years.start}–{years.stop - 1}. Use --commit.")
            return
        result = seed_from_library()
        self.stdout.write(f"Seeded {result['years']} years ({result['exceptions_created']} new exceptions).")
