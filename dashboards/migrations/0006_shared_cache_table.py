"""The database cache table behind ``CACHES["dashboards_shared"]``: dashboard figures shared
by every process (``dashboards.cache``), kept apart from the rate-limit counters of
``CACHES["shared"]`` so that culling one never drops the other."""

from django.core.management import call_command
from django.db import migrations

TABLE = "dashboards_shared_cache"


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f'DROP TABLE IF EXISTS "{TABLE}"')


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0005_aggregate_version"), ("accounts", "0003_shared_cache_table")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
