"""A counter that every change to the dashboards' pre-aggregates bumps, in the changing
transaction (``dashboards_regionmonth``, ``dashboards_orgmonth``, ``dashboards_heatcell``).

The statistics pages cache what they compute from the aggregates under it
(``dashboards.cache``). A statement-level trigger catches every way of writing — the
refreshes' DELETE/INSERT and TRUNCATE, ``QuerySet.update()``, raw SQL. The new number is
written to a row, so other sessions see it only when the change itself commits (never the
new version with the old rows); it is drawn from a sequence, so a rolled-back change never
leaves behind a number that a later change could reuse. Same design as
``geodata.0002_region_set_version``."""

from django.db import migrations

TABLES = ("dashboards_regionmonth", "dashboards_orgmonth", "dashboards_heatcell")

FORWARD = """
CREATE SEQUENCE dashboards_aggregate_version_seq;
CREATE TABLE dashboards_aggregate_version (
    id smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO dashboards_aggregate_version VALUES (1, nextval('dashboards_aggregate_version_seq'));
CREATE FUNCTION dashboards_aggregate_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dashboards_aggregate_version SET version = nextval('dashboards_aggregate_version_seq') WHERE id = 1;
    RETURN NULL;
END $$;
""" + "".join(
    f"""
CREATE TRIGGER {table}_version_bump
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION dashboards_aggregate_version_bump();
"""
    for table in TABLES
)

BACKWARD = (
    "".join(f"DROP TRIGGER IF EXISTS {table}_version_bump ON {table};\n" for table in TABLES)
    + """
DROP FUNCTION IF EXISTS dashboards_aggregate_version_bump();
DROP TABLE IF EXISTS dashboards_aggregate_version;
DROP SEQUENCE IF EXISTS dashboards_aggregate_version_seq;
"""
)


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0004_evaluation_moved")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
