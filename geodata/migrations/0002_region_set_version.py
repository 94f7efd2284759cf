"""A counter that every change to ``geodata_region`` bumps, in the changing transaction.

Caches built from the regions (the dashboards' boundary GeoJSON) key on it
(``geodata.selectors.region_set_version``). A statement-level trigger catches every way of
writing — the ORM, ``QuerySet.update()``, raw SQL, TRUNCATE. The new number is written to a
row, so other sessions see it only when the change itself commits (never the new version
with the old boundaries); it is drawn from a sequence, so a rolled-back change never leaves
behind a number that a later change could reuse."""

from django.db import migrations

FORWARD = """
CREATE SEQUENCE geodata_region_version_seq;
CREATE TABLE geodata_region_version (
    id smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO geodata_region_version VALUES (1, nextval('geodata_region_version_seq'));
CREATE FUNCTION geodata_region_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE geodata_region_version SET version = nextval('geodata_region_version_seq') WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER geodata_region_version_bump
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON geodata_region
    FOR EACH STATEMENT EXECUTE FUNCTION geodata_region_version_bump();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS geodata_region_version_bump ON geodata_region;
DROP FUNCTION IF EXISTS geodata_region_version_bump();
DROP TABLE IF EXISTS geodata_region_version;
DROP SEQUENCE IF EXISTS geodata_region_version_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("geodata", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
