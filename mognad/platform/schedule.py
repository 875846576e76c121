"""Periodic jobs run by the worker (`mognad worker`).

Any app registers a job in its own `jobs.py` module, which the worker imports at start:

    from mognad.platform.schedule import every

    @every(60, "surveys.send_reminders")
    def send_reminders() -> None: ...

Each job runs at most once per period across all workers: the next due time is a database row
(`PeriodicJob`) and a worker runs a job only if it moved that time forward itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from mognad.platform.models import PeriodicJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    seconds: float
    func: Callable[[], object]


_registry: dict[str, Job] = {}


def register(seconds: float, name: str, func: Callable[[], object]) -> Job:
    if seconds <= 0:
        raise ValueError(f"The period of job {name!r} must be positive, not {seconds}.")
    existing = _registry.get(name)
    if existing is not None and existing.func is not func:
        raise ValueError(f"A different periodic job is already registered as {name!r}.")
    job = Job(name=name, seconds=seconds, func=func)
    _registry[name] = job
    return job


def every(
    seconds: float, name: str | None = None
) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Decorator: run the function every `seconds` seconds in the worker."""

    def decorate(func: Callable[[], object]) -> Callable[[], object]:
        register(seconds, name or f"{func.__module__}.{func.__qualname__}", func)
        return func

    return decorate


def unregister(name: str) -> None:
    _registry.pop(name, None)


def jobs() -> list[Job]:
    return sorted(_registry.values(), key=lambda job: job.name)


def autodiscover() -> None:
    """Import the `jobs` module of every installed app, so that their jobs register."""
    autodiscover_modules("jobs")


def _claim(job: Job, now: datetime) -> bool:
    PeriodicJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    with transaction.atomic():
        claimed = PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
            next_run_at=now + timedelta(seconds=job.seconds), last_started_at=now
        )
    return claimed == 1


def run_due_jobs(now: datetime | None = None) -> list[str]:
    """Run every job that is due; returns the names of those run.

    A failing job is logged and recorded and does not stop the others; database errors are raised so
    that the worker can back off and reconnect.
    """
    now = now or timezone.now()
    ran = []
    for job in jobs():
        if not _claim(job, now):
            continue
        error = ""
        try:
            job.func()
        except DatabaseError:
            raise
        except Exception as exc:
            logger.exception("periodic job %s failed", job.name)
            error = f"{type(exc).__name__}: {exc}"[:2000]
        PeriodicJob.objects.filter(name=job.name).update(
            last_finished_at=timezone.now(), last_error=error
        )
        # The claim's time identifies the run: two runs of a job, by any workers, are at least its
        # period apart (the production-stack test reads this line from several workers' logs).
        logger.debug("periodic job %s ran (claimed at %s)", job.name, now.isoformat())
        ran.append(job.name)
    return ran
