"""AuditEntry.neighbourhood loses its plain index: the (neighbourhood, object_type, object_id)
index starts with the same column and serves every lookup by it, and one index fewer is less
work on every audited write. Done by name in SQL, so the composite index is left alone."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "neighbourhood_auditentry_neighbourhood_id_e6c0aec4"


class Migration(migrations.Migration):
    dependencies = [
        ("neighbourhood", "0002_person_erased_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=(
                        f'CREATE INDEX "{INDEX}" ON "neighbourhood_auditentry" ("neighbourhood_id")'
                    ),
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="neighbourhood",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="audit_entries",
                        to="neighbourhood.neighbourhood",
                    ),
                ),
            ],
        ),
    ]
