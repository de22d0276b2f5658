"""Iglu test setup: every test starts with empty resolver and validator caches."""

import pytest

from iglu.api import clear_caches


@pytest.fixture(autouse=True)
def _fresh_iglu_caches():
    clear_caches()
    yield
    clear_caches()
