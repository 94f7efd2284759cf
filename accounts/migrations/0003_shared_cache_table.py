"""The database cache table behind ``CACHES["shared"]`` (rate-limit counters shared by every
process). A migration rather than a manual ``createcachetable`` so that a fresh deployment,
CI and the test database all have it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    from django.conf import settings

    for cache in settings.CACHES.values():
        if cache["BACKEND"].endswith("DatabaseCache"):
            schema_editor.execute(f'DROP TABLE IF EXISTS "{cache["LOCATION"]}"')


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_uploads_under_generated_names")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
