"""Operations data: per-minute pipeline counters, sink samples, worker heartbeats, model runs, alerts, recovery."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from enrichment.models import BadRow


class PipelineMinute(models.Model):
    """What one drain consumer did in one minute; one row per (minute, worker) so workers never contend."""

    minute = models.DateTimeField()
    worker = models.CharField(max_length=255)
    batches = models.BigIntegerField(default=0)
    payloads = models.BigIntegerField(default=0)
    enriched = models.BigIntegerField(default=0)
    loaded = models.BigIntegerField(default=0)
    failed = models.BigIntegerField(default=0)
    duplicates = models.BigIntegerField(default=0)

    class Meta:
        db_table = "operations_pipeline_minute"
        constraints = [models.UniqueConstraint(fields=["minute", "worker"], name="operations_minute_worker")]
        indexes = [models.Index(fields=["minute"], name="operations_minute_idx")]

    def __str__(self) -> str:
        return f"{self.minute:%Y-%m-%d %H:%M} {self.worker}"


class SinkSample(models.Model):
    """The raw sink's ever-growing count of received payloads at one moment; differences give payloads/minute."""

    taken_at = models.DateTimeField(unique=True)
    received_total = models.BigIntegerField()
    pending = models.BigIntegerField(default=0)

    class Meta:
        db_table = "operations_sink_sample"
        ordering = ["taken_at"]

    def __str__(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M:%S} {self.received_total}"


class WorkerHeartbeat(models.Model):
    """The last heartbeat of one Celery worker (its node name)."""

    name = models.CharField(max_length=255, primary_key=True)
    last_seen = models.DateTimeField()

    class Meta:
        db_table = "operations_worker_heartbeat"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ModelRun(models.Model):
    """One run of the SQL data models, recorded through operations.api.model_run_record."""

    name = models.CharField(max_length=128)
    started_at = models.DateTimeField(db_index=True)
    finished_at = models.DateTimeField()
    succeeded = models.BooleanField(default=True)
    detail = models.TextField(blank=True, default="")

    class Meta:
        db_table = "operations_model_run"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration_seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


class AlertSettings(models.Model):
    """Where alerts go and when they fire; one row, edited in the admin."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    enabled = models.BooleanField(default=True)
    email_recipients = models.TextField(blank=True, default="", help_text="E-mail addresses, one per line.")
    webhook_url = models.URLField(blank=True, default="", help_text="Receives a JSON POST per incident.")
    stall_seconds = models.PositiveIntegerField(
        default=300, help_text="The pipeline is stalled when the oldest unprocessed payload, or a worker's "
        "claimed batch, is older than this.")
    bad_rows_per_minute = models.PositiveIntegerField(
        default=100, help_text="Alert when bad rows in the last minute reach this many (0 turns it off).")
    alert_on_new_signature = models.BooleanField(
        default=True, help_text="Alert when a failure signature appears that was never seen before.")
    disk_free_percent = models.PositiveSmallIntegerField(
        default=10, help_text="Alert when free disk space falls below this share of the disk.")
    last_evaluated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "operations_alert_settings"
        verbose_name = "alert settings"
        verbose_name_plural = "alert settings"

    def __str__(self) -> str:
        return "Alert settings"

    @property
    def recipients(self) -> list[str]:
        return [line.strip() for line in self.email_recipients.replace(",", "\n").splitlines() if line.strip()]


class AlertIncident(models.Model):
    """One incident: opened when a condition starts, notified once, resolved when the condition clears."""

    class Kind(models.TextChoices):
        STALLED = "stalled", "Pipeline stalled"
        BAD_ROWS_SPIKE = "bad_rows_spike", "Bad rows spike"
        NEW_SIGNATURE = "new_signature", "New failure signature"
        DISK_LOW = "disk_low", "Disk space low"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    key = models.CharField(max_length=255, blank=True, default="")
    summary = models.TextField()
    opened_at = models.DateTimeField(db_index=True)
    last_seen_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, help_text="Set once every channel has it.")
    email_sent_at = models.DateTimeField(null=True, blank=True)
    webhook_sent_at = models.DateTimeField(null=True, blank=True)
    delivery_error = models.TextField(blank=True, default="")

    class Meta:
        db_table = "operations_alert_incident"
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], condition=Q(resolved_at__isnull=True),
                                    name="operations_one_open_incident"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary[:60]}"


class RecoveryRule(models.Model):
    """A named JSON Patch (RFC 6902) applied to a bad row's decoded payload before it is replayed."""

    name = models.CharField(max_length=128, unique=True)
    description = models.TextField(blank=True, default="")
    patch = models.JSONField(default=list, help_text='For example [{"op": "replace", "path": '
                             '"/body/data/0/ue_pr/data/schema", "value": "iglu:com.acme/click/jsonschema/1-0-0"}]')
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "operations_recovery_rule"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BadRowGroup(BadRow):
    """The bad-row browser in the admin: the enrichment core's bad_rows, grouped by failure signature."""

    class Meta:
        proxy = True
        verbose_name = "bad row"
        verbose_name_plural = "bad rows by failure"


class PipelineHealth(models.Model):
    """An admin entry for the pipeline health page; no table of its own."""

    class Meta:
        managed = False
        db_table = "operations_pipeline_health_unused"
        verbose_name = "pipeline health"
        verbose_name_plural = "pipeline health"
        default_permissions = ("view",)
