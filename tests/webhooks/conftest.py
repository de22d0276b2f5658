"""Webhook test setup: fresh Iglu caches and webhook configuration for every test."""

import pytest

from iglu.api import clear_caches


@pytest.fixture(autouse=True)
def _fresh_caches():
    clear_caches()
    yield
    clear_caches()
