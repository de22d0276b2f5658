"""The PostgreSQL raw sink's table (used when no Redis is configured)."""

from django.db import models


class RawPayload(models.Model):
    """One Thrift CollectorPayload waiting for enrichment; deleted in the transaction that loads it."""

    payload = models.BinaryField()
    received_at = models.DateTimeField(db_default=models.functions.Now())

    class Meta:
        db_table = "collector_rawpayload"
