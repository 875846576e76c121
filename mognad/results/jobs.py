"""Periodic jobs of the results app, run by the worker (see mognad/platform/schedule.py)."""

from __future__ import annotations

from mognad.platform.schedule import every
from mognad.results.benchmarks import refresh_due_benchmarks
from mognad.results.due import score_due_measurements
from mognad.scoring.engine import tune_process

# Seconds between runs of the scoring job: results follow a close within seconds.
SCORING_PERIOD = 5


@every(SCORING_PERIOD, "results.score_due_measurements")
def score_due() -> list[int]:
    """Measurements that closed get their results: score every measurement due for scoring."""
    tune_process()  # the worker scores measurement after measurement (idempotent)
    return score_due_measurements()


@every(300, "results.refresh_benchmarks")
def refresh_benchmarks() -> list[int]:
    """Peer benchmarks follow closing measurements: recompute years with newer results."""
    return refresh_due_benchmarks()
