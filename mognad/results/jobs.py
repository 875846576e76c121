"""Periodic jobs of the results app, run by the worker (see mognad/platform/schedule.py)."""

from __future__ import annotations

from mognad.platform.schedule import every
from mognad.results.benchmarks import refresh_due_benchmarks


@every(300, "results.refresh_benchmarks")
def refresh_benchmarks() -> list[int]:
    """Peer benchmarks follow closing measurements: recompute years with newer results."""
    return refresh_due_benchmarks()
