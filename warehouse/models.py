"""Warehouse bookkeeping tables: the load manifest and the de-duplication keys (DESIGN contract 4)."""

from django.db import models


class LoadManifest(models.Model):
    """One raw payload (stream entry id or sink row id) whose events were loaded; written in the load
    transaction, so a payload delivered again is skipped instead of loaded twice."""

    payload_id = models.CharField(max_length=255, primary_key=True)
    batch_id = models.UUIDField()
    loaded_at = models.DateTimeField(db_default=models.functions.Now())

    class Meta:
        db_table = "warehouse_load_manifest"

    def __str__(self) -> str:
        return self.payload_id


class EventKey(models.Model):
    """The fingerprint each loaded event_id was loaded with: the cross-batch de-duplication index (DESIGN 4).

    It lives beside atomic.events because a partitioned table cannot carry a unique key on event_id alone.
    A pair (event_id, fingerprint) seen again is a natural duplicate; an event_id seen with another fingerprint
    is a synthetic one, loaded under the id uuid5(event_id, fingerprint), which gets its own row here, so that
    each pair still maps to exactly one stored id. Keying by event_id (not the pair) keeps the index small and
    lets a load that waited on a concurrent one see which fingerprint won."""

    event_id = models.UUIDField(primary_key=True)
    fingerprint = models.TextField()
    collector_tstamp = models.DateTimeField(help_text="Lets retention forget keys together with their events.")

    class Meta:
        db_table = "warehouse_event_key"

    def __str__(self) -> str:
        return f"{self.event_id}/{self.fingerprint}"


class ShreddedTable(models.Model):
    """A per-schema table in schema atomic (DESIGN contract 7), or a recovery table for a schema version whose
    change the main table could not take. `columns` lists its leaf columns in table order."""

    name = models.CharField(max_length=63, primary_key=True)
    vendor = models.CharField(max_length=128)
    schema_name = models.CharField(max_length=128)
    format = models.CharField(max_length=32)
    model = models.PositiveIntegerField()
    latest_uri = models.CharField(max_length=255, help_text="Also the table's COMMENT, as Snowplow's loader keeps it")
    columns = models.JSONField(default=list)
    is_recovery = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "warehouse_shredded_table"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ShreddedVersion(models.Model):
    """One schema version applied to the warehouse, and the table its entities are written to."""

    uri = models.CharField(max_length=255, primary_key=True)
    table = models.ForeignKey(ShreddedTable, on_delete=models.CASCADE, related_name="versions")
    columns = models.JSONField(default=list, help_text="The leaf columns of this version's schema")
    applied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "warehouse_shredded_version"
        ordering = ["uri"]

    def __str__(self) -> str:
        return self.uri


class RawArchiveEntry(models.Model):
    """One raw CollectorPayload kept for replay, as it came from the sink. In the "files" archive mode these
    rows wait here until their hour is written to a compressed file; in "table" mode they stay."""

    payload_id = models.CharField(max_length=255)
    received_at = models.DateTimeField(db_default=models.functions.Now(), db_index=True)
    payload = models.BinaryField()

    class Meta:
        db_table = "warehouse_raw_archive"

    def __str__(self) -> str:
        return self.payload_id


class DeletionRequest(models.Model):
    """An erasure request (GDPR) carried out: which kind of identifier, a hash of it, and what was deleted.
    The identifier itself is not kept, since keeping it would keep personal data."""

    class Identifier(models.TextChoices):
        USER_ID = "user_id"
        DOMAIN_USERID = "domain_userid"
        NETWORK_USERID = "network_userid"

    identifier = models.CharField(max_length=32, choices=Identifier.choices)
    value_sha256 = models.CharField(max_length=64)
    requested_at = models.DateTimeField(auto_now_add=True)
    report = models.JSONField(default=dict)

    class Meta:
        db_table = "warehouse_deletion_request"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.identifier} {self.value_sha256[:12]} at {self.requested_at:%Y-%m-%d %H:%M}"


# Issue 9 (data models): register the modeling app's Goal under this app; its code lives in warehouse/modeling.
from warehouse.modeling.models import Goal  # noqa: E402, F401
