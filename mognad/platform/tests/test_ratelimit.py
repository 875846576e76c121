"""platform/ratelimit.py: a database-backed limiter shared by all processes."""

from datetime import UTC, datetime, timedelta

import pytest

from mognad.platform import ratelimit
from mognad.platform.models import RateLimitCounter

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_it_allows_hits_up_to_the_limit_and_refuses_the_next():
    results = [ratelimit.hit("login:a@b.se", limit=3, period=900, now=NOON) for _ in range(4)]
    assert results == [True, True, True, False]
    assert ratelimit.is_limited("login:a@b.se", limit=3, period=900, now=NOON)


def test_a_new_window_starts_counting_again():
    for _ in range(4):
        ratelimit.hit("k", limit=3, period=900, now=NOON)
    assert ratelimit.hit("k", limit=3, period=900, now=NOON + timedelta(minutes=15))


def test_keys_are_counted_separately_and_stored_only_as_hashes():
    ratelimit.hit("login:alice@ankeby.se", limit=1, period=60, now=NOON)
    assert ratelimit.hit("login:bob@ankeby.se", limit=1, period=60, now=NOON)
    assert not RateLimitCounter.objects.filter(key__contains="@").exists()


def test_checking_does_not_count_a_hit():
    assert not ratelimit.is_limited("k", limit=1, period=60, now=NOON)
    assert ratelimit.count("k", period=60, now=NOON) == 0


def test_reset_forgets_a_key():
    ratelimit.hit("k", limit=1, period=60, now=NOON)
    ratelimit.reset("k")
    assert ratelimit.count("k", period=60, now=NOON) == 0


@pytest.mark.parametrize("period", [0, -5, 2 * 24 * 3600])
def test_an_unsupported_period_is_refused(period):
    with pytest.raises(ValueError, match="period"):
        ratelimit.hit("k", limit=1, period=period)


def test_a_hit_costs_one_statement(django_assert_num_queries):
    ratelimit.hit("k", limit=5, period=60, now=NOON)
    with django_assert_num_queries(1):
        assert ratelimit.hit("k", limit=5, period=60, now=NOON)
    assert ratelimit.count("k", period=60, now=NOON) == 2


@pytest.mark.django_db(transaction=True)
def test_hits_from_concurrent_threads_are_all_counted():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database is not shared between threads")

    def hits(_: int) -> list[bool]:
        try:
            return [ratelimit.hit("busy", limit=60, period=60, now=NOON) for _ in range(20)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = [ok for batch in pool.map(hits, range(4)) for ok in batch]
    assert ratelimit.count("busy", period=60, now=NOON) == 80
    assert results.count(True) == 60


def _request(remote="10.0.0.9", forwarded=None):
    from django.test import RequestFactory

    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert ratelimit.client_address(_request(forwarded="1.2.3.4")) == "10.0.0.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # The client wrote the first entry itself: only what our proxy appended counts.
        (1, "1.1.1.1, 203.0.113.7", "203.0.113.7"),
        (2, "1.1.1.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.9"),  # fewer entries than proxies: the connection's address
        (1, " , ", "10.0.0.9"),
    ],
)
def test_behind_trusted_proxies_the_client_is_what_the_outermost_one_saw(
    settings, proxies, forwarded, client
):
    settings.TRUSTED_PROXIES = proxies
    assert ratelimit.client_address(_request(forwarded=forwarded)) == client
