"""On PostgreSQL, refuse UPDATE and DELETE of journal rows in the database itself.

The model guards stop Django code; these triggers also stop raw SQL and other clients. TRUNCATE
is left alone on purpose: test databases are emptied with it, and it needs table-owner rights
that the application role should not have in production. SQLite gets no trigger (its test
databases are emptied with DELETE); `heelwijk ledger verify` detects tampering on every backend.
"""

from django.db import migrations

TABLES = ("ledger_transaction", "ledger_posting")

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger journal rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS ledger_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_journal")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
