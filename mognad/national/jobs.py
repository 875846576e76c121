"""Periodic jobs of the national app (imported by the worker through schedule.autodiscover)."""

from __future__ import annotations

from mognad.national.store import refresh
from mognad.platform.schedule import every


@every(60, "national.refresh_figures")
def refresh_figures() -> list[int]:
    """Stored national figures follow closes and organization changes: compute again the years
    whose inputs changed (a few queries per year when nothing did), so that a coordinator's
    request seldom pays for it."""
    return refresh()
