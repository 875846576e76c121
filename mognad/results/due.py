"""Scoring the measurements that are due: the hand-off from surveys to results at closing.

Surveys never imports results. Closing a measurement marks it due in surveys' own data
(`Measurement.mark_scoring_due`: `scoring_due` set, any claim dropped); `score_due_measurements()`
scores every due measurement and stores its results. The worker runs it every few seconds
(jobs.py), `mognad worker --once` runs it with the other due jobs, and tests call it.

Several workers may run it at once; each measurement is scored once per closing:
- A worker *claims* a due measurement with one conditional UPDATE (closed, due, and nobody on it
  or only a claim older than `LEASE`); only one worker's UPDATE changes the row, the others skip it.
- It reads and scores without a transaction (on SQLite a transaction is the database's write lock),
  then in one transaction clears the mark with a second conditional UPDATE — still closed and still
  under its own claim — and replaces the results. The UPDATE locks the measurement's row, so a
  re-score running beside it waits. If the measurement was reopened or closed again meanwhile
  (closing again drops the claim), nothing is stored and it stays due for the next run. What is
  stored is what the disclosure-control door releases (compute.score_groups).
- A worker that dies or fails while scoring leaves the measurement due and claimed; once the claim
  is older than `LEASE` another run takes it (a failure is logged by the scheduler and tried again
  after the lease, not every few seconds).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from mognad.results.compute import ReleaseChanged, score_groups, store
from mognad.surveys.models import Measurement

logger = logging.getLogger(__name__)

# Longer than scoring the largest measurement takes (seconds): a claim this old is abandoned.
LEASE = timedelta(minutes=10)
# Measurements scored per run: the worker's other tasks and its heartbeat wait for a run.
BATCH = 10
# Tries when another scorer releases the same measurement while this one computes it.
ATTEMPTS = 3


def due_measurements(now: datetime) -> QuerySet[Measurement]:
    """Closed measurements due for scoring that nobody is scoring (or whose scorer is gone)."""
    return Measurement.objects.filter(
        Q(scoring_claimed_at__isnull=True) | Q(scoring_claimed_at__lt=now - LEASE),
        scoring_due=True,
        state=Measurement.State.CLOSED,
    )


def claim(measurement_id: int) -> datetime | None:
    """Take a due measurement on; the claim's time, or None when it is not due or taken."""
    now = timezone.now()
    taken = due_measurements(now).filter(pk=measurement_id).update(scoring_claimed_at=now)
    return now if taken else None


def score_claimed(measurement_id: int, claimed_at: datetime) -> int | None:
    """Score a measurement under the claim taken at `claimed_at` and store its results; how many
    groups were stored, or None when the claim was lost meanwhile (nothing is stored)."""
    measurement = Measurement.objects.select_related("instrument", "organization").get(
        pk=measurement_id
    )

    def still_claimed(database: str) -> bool:
        return bool(
            Measurement.objects.using(database)
            .filter(
                pk=measurement_id,
                state=Measurement.State.CLOSED,
                scoring_due=True,
                scoring_claimed_at=claimed_at,
            )
            .update(scoring_due=False, scoring_claimed_at=None)
        )

    for _attempt in range(ATTEMPTS):
        computed = score_groups(measurement)
        try:
            stored = store(measurement, computed, guard=still_claimed)
        except ReleaseChanged:
            continue  # another scorer released it meanwhile: decide again from its release
        return len(computed.groups) if stored else None
    raise RuntimeError(f"The release of {measurement} kept changing while being scored.")


def score_due_measurements(*, limit: int = BATCH) -> list[int]:
    """Score up to `limit` due measurements, the earliest closed first; the ids of those stored."""
    candidates = list(
        due_measurements(timezone.now())
        .order_by("closed_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    scored = []
    for measurement_id in candidates:
        claimed_at = claim(measurement_id)
        if claimed_at is None:
            continue
        groups = score_claimed(measurement_id, claimed_at)
        if groups is not None:
            logger.info("measurement %s scored: %d groups stored", measurement_id, groups)
            scored.append(measurement_id)
    return scored
