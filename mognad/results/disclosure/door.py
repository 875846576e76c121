"""The thresholds of this installation."""

from __future__ import annotations

from django.conf import settings


def threshold() -> int:
    """k for respondents: no sum or mean over fewer than k people (MOGNAD_ANONYMITY_K, ≥ 5)."""
    return int(settings.ANONYMITY_K)


def unnamed_threshold() -> int:
    """How many unnamed organizations a figure over organizations must contain at least
    (MOGNAD_ANONYMITY_UNNAMED_ORGANIZATIONS, default 3)."""
    return int(settings.ANONYMITY_UNNAMED_ORGANIZATIONS)


def too_small(n: int | None, k: int | None = None) -> bool:
    """A group of n respondents is too small to show on its own (n < k)."""
    return n is None or n < (threshold() if k is None else k)
