"""Re-scoring a whole year: every closed measurement's results again, then the peer benchmarks.

What an operator runs after the scoring method or the bootstrap settings changed
(`mognad results rescore --year Y [--jobs N]`); `bench/national_rescore.py` times it against the
30-second target of product.md §9.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from mognad.results.benchmarks import compute_benchmarks
from mognad.results.compute import compute_many
from mognad.scoring.engine import tune_process
from mognad.surveys.models import Measurement


@dataclass(frozen=True)
class Rescored:
    measurements: int
    groups: int
    benchmarks: int
    scoring_seconds: float
    benchmark_seconds: float


def rescore_year(
    year: int, *, jobs: int = 1, progress: Callable[[str], None] | None = None
) -> Rescored:
    """Recompute and replace the stored results of every closed measurement of `year` (in `jobs`
    processes), then the year's peer benchmarks."""
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    tune_process()  # inherited by the scoring processes forked below
    ids = list(
        Measurement.objects.filter(year=year, state=Measurement.State.CLOSED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    started = time.perf_counter()
    groups = compute_many(ids, jobs=jobs, progress=progress)
    scored = time.perf_counter()
    benchmarks = compute_benchmarks(year)
    return Rescored(
        measurements=len(ids),
        groups=groups,
        benchmarks=benchmarks,
        scoring_seconds=scored - started,
        benchmark_seconds=time.perf_counter() - scored,
    )
