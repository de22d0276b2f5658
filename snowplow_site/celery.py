"""The Celery application: drain tasks for the raw sink and periodic maintenance."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "snowplow_site.settings")

app = Celery("snowplow_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def schedule_periodic_tasks(sender: Celery, **_kwargs: object) -> None:
    """Keep drains alive and partitions ahead of time (DESIGN contract 3)."""
    from django.conf import settings

    interval = settings.DRAIN_INTERVAL_SECONDS
    sender.add_periodic_task(
        float(interval), sender.signature("enrichment.drain_sink", expires=interval * 2), name="drain raw sink"
    )
    sender.add_periodic_task(
        3600.0, sender.signature("warehouse.ensure_partitions", expires=3600), name="create future partitions"
    )
    check = settings.OPERATIONS_CHECK_INTERVAL_SECONDS
    sender.add_periodic_task(
        float(check), sender.signature("operations.pipeline_check", expires=check * 2), name="pipeline check"
    )


# Issue 9 (data models): incremental model runs every few minutes, and pruning of the realtime table.
app.autodiscover_tasks(["warehouse.modeling"])


@app.on_after_configure.connect
def schedule_model_runs(sender: Celery, **_kwargs: object) -> None:
    """Model runs are idempotent and lock-serialised, so a run that overlaps the next tick just returns."""
    from django.conf import settings

    interval = float(getattr(settings, "MODELING_RUN_INTERVAL_SECONDS", 300))
    sender.add_periodic_task(
        interval, sender.signature("warehouse.modeling.run", expires=interval), name="run data models"
    )
    sender.add_periodic_task(
        60.0, sender.signature("warehouse.modeling.prune_realtime", expires=60), name="prune realtime events"
    )


# Issue 6 (enrichments): refresh enrichment files (databases, lists, GeoIP) on Snowplow's schedule.
app.autodiscover_tasks(["enrichment"], related_name="asset_updates")


@app.on_after_configure.connect
def schedule_asset_updates(sender: Celery, **_kwargs: object) -> None:
    """Hourly check; each file is fetched only when missing or older than ENRICHMENT_ASSETS_UPDATE_DAYS."""
    sender.add_periodic_task(
        3600.0, sender.signature("enrichment.assets_update", expires=3600), name="update enrichment assets"
    )
