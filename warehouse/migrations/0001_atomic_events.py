"""Schema atomic and the partitioned atomic.events table (DESIGN contract 6).

The columns come from enrichment.events.FIELDS, Snowplow's fixed 131-field enriched-event format. Should that
list ever change, a new migration must ALTER atomic.events (tests/warehouse/test_atomic.py pins the list).
"""

from django.db import migrations

from warehouse import atomic


def create_partitions(apps, schema_editor):
    from warehouse.partitions import partitions_ensure

    partitions_ensure(months_back=3, months_ahead=3)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.RunSQL(atomic.create_events_sql(), reverse_sql=atomic.drop_events_sql()),
        migrations.RunPython(create_partitions, migrations.RunPython.noop),
    ]
