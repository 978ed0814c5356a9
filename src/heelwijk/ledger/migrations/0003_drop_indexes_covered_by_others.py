"""Transaction.reverses loses its plain index: the partial unique index
"ledger_txn_reversed_once" already serves every lookup by it, and one index fewer is less work
on every posting. Done by name in SQL, because Django's AlterField would also drop that unique
index (it matches every index on the column)."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "ledger_transaction_reverses_id_f312c56d"


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_append_only_triggers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "ledger_transaction" ("reverses_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="transaction",
                    name="reverses",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reversals",
                        to="ledger.transaction",
                        verbose_name="reverses",
                    ),
                ),
            ],
        ),
    ]
