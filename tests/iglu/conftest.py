"""Iglu test setup: every test starts with empty resolver and validator caches."""

import pytest

from iglu.api import clear_caches
from tests.enrichments.test_admin_browser import page  # noqa: F401 - a logged-in headless Chromium page


@pytest.fixture(autouse=True)
def _fresh_iglu_caches():
    clear_caches()
    yield
    clear_caches()
