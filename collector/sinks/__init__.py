"""Raw sinks: where the collector durably writes each CollectorPayload before it answers 2xx."""

from __future__ import annotations

import functools

from collector.sinks.base import ClaimedPayload, RawSink, SinkUnavailable

__all__ = ["ClaimedPayload", "RawSink", "SinkUnavailable", "get_sink"]


@functools.cache
def get_sink() -> RawSink:
    """The sink chosen by the RAW_SINK setting (one per process)."""
    from django.conf import settings

    if settings.RAW_SINK == "redis":
        from collector.sinks.redis_stream import RedisStreamSink

        return RedisStreamSink(settings.REDIS_URL, settings.RAW_STREAM_KEY, settings.RAW_CONSUMER_GROUP)
    from collector.sinks.postgres_table import PostgresTableSink

    return PostgresTableSink()
