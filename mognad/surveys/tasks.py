"""Background tasks (django-tasks; the worker runs them)."""

from __future__ import annotations

from django_tasks import task

from mognad.scoring.engine import tune_process
from mognad.surveys.compute import compute_and_store
from mognad.surveys.models import Measurement


@task()
def compute_results(measurement_id: int) -> int:
    """Score a closed measurement and store its results; returns how many groups were stored."""
    measurement = Measurement.objects.select_related("instrument", "organization").get(
        pk=measurement_id
    )
    if not measurement.is_closed():
        return 0
    tune_process()  # the worker scores measurement after measurement
    return compute_and_store(measurement)
