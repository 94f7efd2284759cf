from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.zones import zone_authorities_sync


class Command(BaseCommand):
    help = (
        "Create the S&T authority organisation of each high-tech zone shipped for the deployment's "
        "province (accounts/zones.py; Jiangsu's national zones). Dry run unless --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="write to the database")

    def handle(self, *args, commit: bool, **options):
        report = zone_authorities_sync(province=int(settings.PLATFORM_PROVINCE), commit=commit)
        verb = "Zones" if commit else "Dry run (use --commit to write)"
        self.stdout.write(f"{verb} of {settings.PLATFORM_PROVINCE}: {report.summary()}.")
        for name in report.missing_region:
            self.stdout.write(f"  no host county loaded for {name}: run geodata_import_regions --commit first")
