"""Repair keywords stored one character per entry ("扫,描,电,镜, ,台,式").

The demo loader once joined a keyword *string* with commas (``",".join("扫描电镜 台式")``),
so every character became a keyword. An ``aliases`` value whose comma-separated parts are
all single characters (at least three of them, one of them a space) is rebuilt from the
characters: the text it came from, split on spaces. The search text of the item's listing
row is rebuilt the same way ``catalog.listing`` builds it, so single characters stop
matching searches.
"""

import re

from django.db import migrations

from catalog.search_text import build_search_text, join_aliases


def exploded(aliases: str) -> bool:
    parts = aliases.split(",")
    return len(parts) >= 3 and all(len(p) <= 1 for p in parts) and any(not p.strip() for p in parts)


def repaired(aliases: str) -> str:
    return join_aliases(re.split(r"\s+", "".join(aliases.split(","))))


def forwards(apps, schema_editor):
    Listing = apps.get_model("catalog", "Listing")
    for model_name, kind in (("Instrument", "instrument"), ("Service", "service")):
        model = apps.get_model("catalog", model_name)
        for item in model.objects.filter(aliases__contains=",").select_related("institution__organisation"):
            if not exploded(item.aliases):
                continue
            item.aliases = repaired(item.aliases)
            model.objects.filter(pk=item.pk).update(aliases=item.aliases)
            extra = (item.category, item.model_number, item.manufacturer) if kind == "instrument" else (item.category,)
            Listing.objects.filter(kind=kind, item_id=item.pk).update(
                search_text=build_search_text(item.name, item.aliases, item.institution.organisation.name, *extra)
            )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_listing_coordinates")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
