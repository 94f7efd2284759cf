from django.core.management.base import BaseCommand

from demo.loader import DemoLoader, demo_loaded


class Command(BaseCommand):
    help = (
        "Load the demo data set (institutions, enterprises, users for every role, catalogue, "
        "bookings, ratings). Dry run unless --commit; does nothing if already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true")

    def handle(self, *args, commit: bool, **options):
        if demo_loaded():
            self.stdout.write("Demo data already loaded (operator1 exists); nothing to do.")
            return
        if not commit:
            self.stdout.write("Dry run: would load the demo data set. Use --commit.")
            return
        counts = DemoLoader(stdout=self.stdout).load()
        self.stdout.write("Loaded demo data: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
