"""Schema `derived` (page views, sessions, users, events, goal conversions, rollups, realtime, manifests) and the
Goal model (issue 9: data models and rollups; code in warehouse/modeling)."""

import django.db.models.deletion
from django.db import migrations, models

from warehouse.modeling import ddl


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_initial"),
        ("warehouse", "0005_event_key_by_event_id"),
    ]

    operations = [
        migrations.RunSQL(ddl.create_derived_sql(), reverse_sql=ddl.drop_derived_sql()),
        migrations.CreateModel(
            name="Goal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                (
                    "kind",
                    models.CharField(
                        choices=[("page", "Page visit"), ("struct", "Structured event"),
                                 ("schema", "Self-describing event")],
                        max_length=10,
                    ),
                ),
                (
                    "page_pattern",
                    models.CharField(blank=True, help_text="For example /checkout/done or /blog/*", max_length=1000),
                ),
                ("se_category", models.CharField(blank=True, max_length=1000)),
                ("se_action", models.CharField(blank=True, max_length=1000)),
                ("event_vendor", models.CharField(blank=True, help_text="For example com.acme", max_length=1000)),
                ("event_name", models.CharField(blank=True, help_text="For example sign_up", max_length=1000)),
                ("property_name", models.CharField(blank=True, max_length=200)),
                ("property_value", models.CharField(blank=True, max_length=1000)),
                ("is_active", models.BooleanField(default=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="goals", to="dashboards.site"
                    ),
                ),
            ],
            options={
                "db_table": "warehouse_goal",
                "ordering": ["site", "name"],
                "constraints": [models.UniqueConstraint(fields=("site", "name"), name="warehouse_goal_site_name")],
            },
        ),
    ]
