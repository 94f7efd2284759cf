from django.db import migrations


class Migration(migrations.Migration):
    """A GiST index on the listing's location cast to geometry.

    ``location`` is geography (true metres for KNN ``<->`` and ``ST_DWithin``, served by the
    column's own index); bounding-box filters and grid clustering work in planar degrees on
    ``location::geometry`` and need this expression index to avoid a full scan."""

    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX listing_geom_idx ON catalog_listing USING gist ((location::geometry))",
            "DROP INDEX listing_geom_idx",
        )
    ]
