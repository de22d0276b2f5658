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
    """An (event_id, fingerprint) pair already loaded: the cross-batch natural de-duplication index. It lives
    beside atomic.events because a partitioned table cannot carry a unique key on event_id alone."""

    pk = models.CompositePrimaryKey("event_id", "fingerprint")
    event_id = models.UUIDField()
    fingerprint = models.TextField()
    collector_tstamp = models.DateTimeField(help_text="Lets retention forget keys together with their events.")

    class Meta:
        db_table = "warehouse_event_key"

    def __str__(self) -> str:
        return f"{self.event_id}/{self.fingerprint}"
