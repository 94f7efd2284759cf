from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION vouchers_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'vouchers_ledgerentry is append-only (% refused)', TG_OP;
END $$;
CREATE TRIGGER vouchers_ledger_append_only
    BEFORE UPDATE OR DELETE ON vouchers_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION vouchers_ledger_append_only();
"""


class Migration(migrations.Migration):
    """The ledger is append-only in the database itself: corrections are new entries.

    TRUNCATE stays possible for administrators (and for the test runner's flush)."""

    dependencies = [("vouchers", "0001_initial")]

    operations = [
        migrations.RunSQL(
            APPEND_ONLY,
            "DROP TRIGGER vouchers_ledger_append_only ON vouchers_ledgerentry;"
            "DROP FUNCTION vouchers_ledger_append_only();",
        )
    ]
