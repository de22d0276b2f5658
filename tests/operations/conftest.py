"""Operations test fixtures: real PostgreSQL and Redis (DB 6, our own stream keys), local alert receivers."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from collector import sinks
from tests.operations.servers import SmtpServer, WebhookReceiver, serve

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/6"


@pytest.fixture
def postgres_sink(settings):
    settings.RAW_SINK = "postgres"
    sinks.get_sink.cache_clear()
    yield sinks.get_sink()
    sinks.get_sink.cache_clear()


@pytest.fixture
def redis_sink(settings):
    """The process's sink becomes a Redis Stream of its own, deleted afterwards."""
    stream = f"test:ops:{uuid.uuid4()}"
    settings.RAW_SINK, settings.REDIS_URL, settings.RAW_STREAM_KEY = "redis", REDIS_URL, stream
    sinks.get_sink.cache_clear()
    yield sinks.get_sink()
    sinks.get_sink.cache_clear()
    redis.Redis.from_url(REDIS_URL).delete(stream)


@pytest.fixture
def smtp_server(settings):
    server = SmtpServer()
    serve(server)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.server_address[1]
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def webhook_receiver():
    server = WebhookReceiver()
    serve(server)
    yield server
    server.shutdown()
    server.server_close()
