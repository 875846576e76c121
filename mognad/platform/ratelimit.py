"""A rate limiter backed by the database, so it holds across processes and servers.

    if not ratelimit.hit(f"login:ip:{ip}", limit=20, period=15 * 60):
        ...  # refuse with HTTP 429

Counts hits in fixed windows of `period` seconds. Keys are stored only as hashes (they often contain
email or IP addresses). Windows older than a day are deleted by the worker (jobs.py: clean_up), so
periods longer than a day are not supported.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from django.conf import settings
from django.db import connections, router
from django.db.models import F, Field
from django.http import HttpRequest
from django.utils import timezone

from mognad.platform.hashing import sha256_hex
from mognad.platform.models import RateLimitCounter

MAX_PERIOD = 24 * 3600


def client_address(request: HttpRequest) -> str:
    """The address of the client, as the rate limits count it.

    Behind MOGNAD_TRUSTED_PROXIES reverse proxies, each of which appends the address it received
    the request from to X-Forwarded-For, the client is the entry that the outermost trusted proxy
    appended: the N-th from the right. Entries further left were written by the client itself and
    are ignored (anyone can send the header). Without trusted proxies, or when the header has too
    few entries, it is the connection's own address.
    """
    proxies: int = settings.TRUSTED_PROXIES
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    ]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def _window(period: int, now: datetime | None) -> datetime:
    if not 0 < period <= MAX_PERIOD:
        raise ValueError(f"A rate-limit period must be 1 s to a day, not {period} s.")
    seconds = int((now or timezone.now()).timestamp())
    return datetime.fromtimestamp(seconds - seconds % period, tz=UTC)


def count(key: str, *, period: int, now: datetime | None = None) -> int:
    """Hits of `key` in the current window."""
    row = RateLimitCounter.objects.filter(
        key=sha256_hex(key), window_start=_window(period, now)
    ).first()
    return row.count if row else 0


def is_limited(key: str, *, limit: int, period: int, now: datetime | None = None) -> bool:
    """True when `key` already used up its `limit` in this window (does not count a hit)."""
    return count(key, period=period, now=now) >= limit


def hit(key: str, *, limit: int, period: int, now: datetime | None = None) -> bool:
    """Count one hit; True while the window's hits (this one included) are within `limit`.

    One statement (an upsert that returns the new count), so concurrent hits from several processes
    are all counted, and a hit costs one round trip to the database: the respondent pages count one
    on every request.
    """
    digest, window = sha256_hex(key), _window(period, now)
    meta = RateLimitCounter._meta
    connection = connections[router.db_for_write(RateLimitCounter)]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    key_column, window_column, count_column = (
        quote(cast("Field[Any, Any]", meta.get_field(name)).column)
        for name in ("key", "window_start", "count")
    )
    sql = (
        f"INSERT INTO {table} ({key_column}, {window_column}, {count_column}) "  # noqa: S608
        f"VALUES (%s, %s, 1) ON CONFLICT ({key_column}, {window_column}) "
        f"DO UPDATE SET {count_column} = {table}.{count_column} + 1 RETURNING {count_column}"
    )
    stored_window = connection.ops.adapt_datetimefield_value(window)
    with connection.cursor() as cursor:
        cursor.execute(sql, [digest, stored_window])
        (current,) = cursor.fetchone()
    return int(current) <= limit


def attempt(key: str, *, limit: int, period: int, now: datetime | None = None) -> bool:
    """Count an attempt BEFORE doing the costly check it guards; False once over `limit`.

    Checking first and counting after a failure lets parallel requests all pass the check before
    any of them is counted; counting first (one atomic upsert) lets through exactly `limit`.
    After a success, `release` gives the attempt back or `reset` clears the key.
    """
    return hit(key, limit=limit, period=period, now=now)


def release(key: str, *, period: int, now: datetime | None = None) -> None:
    """Give back one counted attempt of the current window (never below zero)."""
    RateLimitCounter.objects.filter(
        key=sha256_hex(key), window_start=_window(period, now), count__gt=0
    ).update(count=F("count") - 1)


def reset(key: str) -> None:
    RateLimitCounter.objects.filter(key=sha256_hex(key)).delete()
