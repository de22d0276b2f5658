"""Webhook test setup: database access for every test (adapters read their admin configuration), and fresh
Iglu caches and webhook configuration snapshots around each test."""

from pathlib import Path

import pytest

from iglu.api import clear_caches
from webhooks.config import config_clear

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents and not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _fresh_caches():
    clear_caches()
    config_clear()
    yield
    clear_caches()
    config_clear()
