"""Fixtures for enrichment tests."""

from __future__ import annotations

import pytest

from enrichment.config import reset_pipeline
from tests.enrichments.support import LoopbackServer


@pytest.fixture(autouse=True)
def _fresh_pipeline():
    """Each test builds its own pipeline; nothing carries over between tests."""
    reset_pipeline()
    yield
    reset_pipeline()


@pytest.fixture
def loopback():
    """Start loopback HTTP servers with `loopback(handler)`; all are stopped after the test."""
    servers = []

    def start(handler):
        server = LoopbackServer(handler)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()
