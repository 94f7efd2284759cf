"""The listings version: one number that changes, in the same transaction, with every change
to the search table (``catalog_listing``) or its cluster grid (``catalog_listingcell``).

The map search's response cache (catalog.map_endpoint) keys every answer by it, so an answer
never outlives the change that invalidates it, in any process or on any machine that reads
this database.

Why triggers rather than a call in ``catalog.listing``: they catch every writer of the two
tables (``listing_sync_*``, ``listing_forget_item``, ``rebuild_grid``, bulk loads by COPY or
INSERT, TRUNCATE), and the row triggers are deferred constraint triggers, so the version row
is updated at commit, once per transaction. Its row lock is therefore held only while the
transaction commits: two transactions that each lock listing rows never wait on each other
through it (an UPDATE in the middle of a sync could deadlock with another sync that took the
same rows in the other order).

The version is drawn from a sequence (unique even when the row is recreated after a test
database flush); the row stores it, so it becomes visible exactly when the change does.
``changed_at`` is the commit-time clock, which lets the cache bound the life of answers that
may carry a per-process cached count from before the change (MAP_COUNT_CACHE_SECONDS).
"""

from django.db import migrations

FORWARD = """
CREATE SEQUENCE catalog_listingsversion_seq;
CREATE TABLE catalog_listingsversion (
    id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    version bigint NOT NULL,
    changed_at timestamptz NOT NULL
);
INSERT INTO catalog_listingsversion (id, version, changed_at)
VALUES (1, nextval('catalog_listingsversion_seq'), clock_timestamp());

CREATE FUNCTION catalog_listings_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction: the marker is transaction-local (set_config's third argument).
    IF current_setting('catalog.listings_bumped', true) IS DISTINCT FROM '1' THEN
        PERFORM set_config('catalog.listings_bumped', '1', true);
        INSERT INTO catalog_listingsversion (id, version, changed_at)
        VALUES (1, nextval('catalog_listingsversion_seq'), clock_timestamp())
        ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, changed_at = EXCLUDED.changed_at;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER catalog_listing_version
    AFTER INSERT OR UPDATE OR DELETE ON catalog_listing
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION catalog_listings_version_bump();
CREATE CONSTRAINT TRIGGER catalog_listingcell_version
    AFTER INSERT OR UPDATE OR DELETE ON catalog_listingcell
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION catalog_listings_version_bump();
CREATE TRIGGER catalog_listing_truncate_version
    AFTER TRUNCATE ON catalog_listing
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_listings_version_bump();
CREATE TRIGGER catalog_listingcell_truncate_version
    AFTER TRUNCATE ON catalog_listingcell
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_listings_version_bump();
"""

BACKWARD = """
DROP TRIGGER catalog_listingcell_truncate_version ON catalog_listingcell;
DROP TRIGGER catalog_listing_truncate_version ON catalog_listing;
DROP TRIGGER catalog_listingcell_version ON catalog_listingcell;
DROP TRIGGER catalog_listing_version ON catalog_listing;
DROP FUNCTION catalog_listings_version_bump();
DROP TABLE catalog_listingsversion;
DROP SEQUENCE catalog_listingsversion_seq;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_booking_result"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
