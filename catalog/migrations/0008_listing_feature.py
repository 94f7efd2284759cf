"""Each listing's map-search feature stored as JSON (``Listing.feature_head``/``feature_tail``,
the bytes before and after the distance's value), so the search joins ready bytes instead of
building and serialising a dict per row.

Kept right by two triggers whatever writes the rows: an UPDATE of ``catalog_listing`` that
changes any column the feature is made of without writing the feature empties it, and a
region renamed empties the features of its listings (the region's name is printed in them).
A page holding an empty feature is built from the columns (``catalog.selectors``), and the
listing sync and bulk loads fill them (``listing_features_fill``); this migration fills the
existing rows.
"""

from django.db import migrations, models

FORWARD = """
CREATE FUNCTION catalog_listing_feature_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.feature_head IS NOT DISTINCT FROM OLD.feature_head
       AND NEW.feature_tail IS NOT DISTINCT FROM OLD.feature_tail
       AND (NEW.kind, NEW.item_id, NEW.name, NEW.institution_id, NEW.institution_name, NEW.category,
            NEW.price, NEW.unit, NEW.voucher_eligible, NEW.in_region, NEW.rating_mean,
            NEW.rating_count, NEW.popularity, NEW.region_id, ST_AsEWKB(NEW.location::geometry))
           IS DISTINCT FROM
           (OLD.kind, OLD.item_id, OLD.name, OLD.institution_id, OLD.institution_name, OLD.category,
            OLD.price, OLD.unit, OLD.voucher_eligible, OLD.in_region, OLD.rating_mean,
            OLD.rating_count, OLD.popularity, OLD.region_id, ST_AsEWKB(OLD.location::geometry))
    THEN
        NEW.feature_head := NULL;
        NEW.feature_tail := NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER catalog_listing_feature_stale
    BEFORE UPDATE ON catalog_listing
    FOR EACH ROW EXECUTE FUNCTION catalog_listing_feature_stale();

CREATE FUNCTION catalog_region_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_listing SET feature_head = NULL, feature_tail = NULL WHERE region_id = NEW.adcode;
    RETURN NULL;
END
$$;
CREATE TRIGGER catalog_region_renamed
    AFTER UPDATE OF name ON geodata_region
    FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION catalog_region_renamed();
"""

BACKWARD = """
DROP TRIGGER catalog_region_renamed ON geodata_region;
DROP FUNCTION catalog_region_renamed();
DROP TRIGGER catalog_listing_feature_stale ON catalog_listing;
DROP FUNCTION catalog_listing_feature_stale();
"""


def fill(apps, schema_editor):
    # why: the one writer of the format (catalog.selectors), as the sync uses it
    from catalog.selectors import listing_features_fill
    from geodata.selectors import RegionEntry

    # The regions as of this migration: the region directory needs a later geodata migration.
    rows = apps.get_model("geodata", "Region").objects.values_list("adcode", "name", "parent_id")
    listing_features_fill(regions={adcode: RegionEntry(name, parent) for adcode, name, parent in rows})


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_rating_platform_score"),
        ("geodata", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="listing",
            name="feature_head",
            field=models.BinaryField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="listing",
            name="feature_tail",
            field=models.BinaryField(editable=False, null=True),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
