"""Background tasks of the results app (django-tasks; the worker runs them)."""

from __future__ import annotations

from django_tasks import task

from mognad.results.benchmarks import compute_benchmarks


@task()
def compute_year_benchmarks(year: int) -> int:
    """Recompute one year's peer benchmarks; returns how many were stored."""
    return compute_benchmarks(year)
