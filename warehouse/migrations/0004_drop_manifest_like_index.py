"""Drop the LIKE-pattern index Django adds beside a varchar primary key: nothing searches payload ids by prefix,
and every loaded payload would pay for it."""

from django.db import migrations

INDEX = "warehouse_load_manifest_payload_id_c2b020b5_like"


class Migration(migrations.Migration):
    dependencies = [("warehouse", "0003_shredded_tables")]

    operations = [
        migrations.RunSQL(
            f"DROP INDEX IF EXISTS {INDEX}",
            reverse_sql=f"CREATE INDEX {INDEX} ON warehouse_load_manifest (payload_id varchar_pattern_ops)",
        ),
    ]
