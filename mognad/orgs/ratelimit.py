"""A rate limiter backed by the database, so it holds across processes and servers.

    if not ratelimit.hit(f"login:ip:{ip}", limit=20, period=15 * 60):
        ...  # refuse with HTTP 429

Counts hits in fixed windows of `period` seconds. Keys are stored only as hashes (they often contain
email or IP addresses). Windows older than a day are deleted by the worker (orgs.jobs.clean_up), so
periods longer than a day are not supported.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from mognad.orgs.models import RateLimitCounter

MAX_PERIOD = 24 * 3600


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _window(period: int, now: datetime | None) -> datetime:
    if not 0 < period <= MAX_PERIOD:
        raise ValueError(f"A rate-limit period must be 1 s to a day, not {period} s.")
    seconds = int((now or timezone.now()).timestamp())
    return datetime.fromtimestamp(seconds - seconds % period, tz=UTC)


def count(key: str, *, period: int, now: datetime | None = None) -> int:
    """Hits of `key` in the current window."""
    row = RateLimitCounter.objects.filter(
        key=_digest(key), window_start=_window(period, now)
    ).first()
    return row.count if row else 0


def is_limited(key: str, *, limit: int, period: int, now: datetime | None = None) -> bool:
    """True when `key` already used up its `limit` in this window (does not count a hit)."""
    return count(key, period=period, now=now) >= limit


def hit(key: str, *, limit: int, period: int, now: datetime | None = None) -> bool:
    """Count one hit; True while the window's hits (this one included) are within `limit`."""
    digest, window = _digest(key), _window(period, now)
    with transaction.atomic():
        updated = RateLimitCounter.objects.filter(key=digest, window_start=window).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    RateLimitCounter.objects.create(key=digest, window_start=window, count=1)
            except IntegrityError:
                # Another process created the window's row first.
                RateLimitCounter.objects.filter(key=digest, window_start=window).update(
                    count=F("count") + 1
                )
        current = RateLimitCounter.objects.get(key=digest, window_start=window).count
    return current <= limit


def reset(key: str) -> None:
    RateLimitCounter.objects.filter(key=_digest(key)).delete()
