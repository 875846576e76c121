import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The diagnostics rate limit counts in the cache; each test starts with a full budget.
    cache.clear()
    yield
    cache.clear()
