"""Key the de-duplication table by event_id alone, the fingerprint a column (see EventKey). Composite primary
keys cannot be altered by Django, so the table is rebuilt; no installation holds keys yet."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("warehouse", "0004_drop_manifest_like_index")]

    operations = [
        migrations.DeleteModel(name="EventKey"),
        migrations.CreateModel(
            name="EventKey",
            fields=[
                ("event_id", models.UUIDField(primary_key=True, serialize=False)),
                ("fingerprint", models.TextField()),
                (
                    "collector_tstamp",
                    models.DateTimeField(help_text="Lets retention forget keys together with their events."),
                ),
            ],
            options={"db_table": "warehouse_event_key"},
        ),
    ]
