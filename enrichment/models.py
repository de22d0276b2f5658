"""Bad rows (DESIGN contract 8) and the configuration version counter (contract 10)."""

from django.db import models


class BadRow(models.Model):
    """One event or payload that could not be processed, in Snowplow's bad-row JSON, with its original bytes."""

    class Status(models.TextChoices):
        NEW = "new"
        REPLAYED = "replayed"
        RECOVERED = "recovered"
        IGNORED = "ignored"

    type = models.CharField(max_length=64, db_index=True)
    processor = models.CharField(max_length=128)
    failure_signature = models.CharField(max_length=64, db_index=True)
    app_id = models.CharField(max_length=255, blank=True, default="", db_index=True)
    first_seen = models.DateTimeField(db_index=True)
    last_seen = models.DateTimeField()
    data = models.JSONField(help_text="The Snowplow bad-row self-describing JSON.")
    payload = models.BinaryField(null=True, help_text="The original CollectorPayload (Thrift) where there is one.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW, db_index=True)

    class Meta:
        db_table = "bad_rows"
        indexes = [models.Index(fields=["type", "first_seen"])]

    def __str__(self) -> str:
        return f"{self.type} {self.first_seen:%Y-%m-%d %H:%M:%S}"


class ConfigVersion(models.Model):
    """A single counter bumped by any configuration change; workers reload when it moves."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    class Meta:
        db_table = "config_version"


class MicroEvent(models.Model):
    """The debug API's own capped store of recent good and bad events (like Snowplow Micro's)."""

    good = models.BooleanField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    event_type = models.CharField(max_length=128, blank=True, default="")
    schema = models.CharField(max_length=512, blank=True, default="")
    contexts = models.JSONField(default=list)
    vendor = models.CharField(max_length=255, blank=True, default="")
    version = models.CharField(max_length=64, blank=True, default="")
    document = models.JSONField(help_text="GoodEvent or BadEvent JSON as Micro returns it.")

    class Meta:
        db_table = "micro_events"


class EnrichmentConfig(models.Model):
    """One enrichment's configuration, stored as Snowplow's self-describing JSON (issue 6).

    `configuration` is the file a Snowplow user would write; `schema` and `enabled` mirror it for listing.
    Saved only through `enrichment.configuration.enrichment_config_save`, which validates and bumps ConfigVersion.
    """

    name = models.SlugField(max_length=128, unique=True,
                            help_text="A label; the file name on export. Usually the enrichment's name.")
    schema = models.CharField(max_length=255, editable=False)
    enabled = models.BooleanField(default=False)
    position = models.IntegerField(default=0, help_text="Order among JavaScript enrichments (lowest first).")
    configuration = models.JSONField(help_text="Snowplow's self-describing enrichment configuration JSON.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "enrichment_configs"
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def enrichment_name(self) -> str:
        """The configuration schema's name, which selects the enrichment (Snowplow's dispatch key)."""
        return self.schema.removeprefix("iglu:").split("/")[1] if self.schema.count("/") >= 3 else ""
