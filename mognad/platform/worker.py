"""The background worker: django-tasks tasks, periodic jobs and a heartbeat, in one loop.

`mognad worker` runs `Worker(...).run()`. Each pass runs the due tasks of django-tasks' database
backend (through django_tasks_db's own task runner), then the due periodic jobs (schedule.py), then
writes a heartbeat. Losing the database (a restart, a dropped connection) is survived: the
connections are closed, the loop waits a little longer each time and carries on.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker as TaskRunner
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from mognad.platform import schedule
from mognad.platform.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

MAX_BACKOFF = 30.0


def beat(worker_id: str, *, started_at: datetime, now: datetime | None = None) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "last_seen_at": now or timezone.now(),
            "hostname": socket.gethostname()[:200],
            "pid": os.getpid(),
            "started_at": started_at,
        },
    )


def worker_is_alive(now: datetime | None = None) -> bool:
    """True when some worker wrote a heartbeat within MOGNAD_WORKER_HEARTBEAT_MAX_AGE seconds."""
    max_age = timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE)
    return WorkerHeartbeat.objects.filter(
        last_seen_at__gte=(now or timezone.now()) - max_age
    ).exists()


class Worker:
    def __init__(self, *, interval: float = 1.0, worker_id: str | None = None, max_tasks: int = 20):
        self.interval = interval
        self.worker_id = worker_id or get_random_string(32)
        self.max_tasks = max_tasks
        self.running = True
        self.started_at = timezone.now()
        self._wake = threading.Event()
        self._tasks = TaskRunner(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )

    def stop(self, *_: object) -> None:
        """Finish the current task or job, then exit (SIGTERM/SIGINT)."""
        if self.running:
            logger.info("worker %s stopping", self.worker_id)
        self.running = False
        self._wake.set()

    def run_due_tasks(self) -> int:
        """Run up to max_tasks ready django-tasks tasks; returns how many ran."""
        ran = 0
        while ran < self.max_tasks and self.running:
            ready = DBTaskResult.objects.ready().filter(backend_name="default")
            try:
                with exclusive_transaction(ready.db):
                    task_result = ready.get_locked()
                    if task_result is not None:
                        task_result.claim(self.worker_id)
            except OperationalError as exc:
                if is_locked_database_exception(exc):
                    return ran
                raise
            if task_result is None:
                return ran
            self._tasks.run_task(task_result)
            ran += 1
        return ran

    def run_once(self) -> tuple[int, list[str]]:
        close_old_connections()
        tasks = self.run_due_tasks()
        jobs = schedule.run_due_jobs() if self.running else []
        beat(self.worker_id, started_at=self.started_at)
        return tasks, jobs

    def run(self, *, once: bool = False) -> None:
        schedule.autodiscover()
        logger.info(
            "worker %s started; periodic jobs: %s",
            self.worker_id,
            ", ".join(job.name for job in schedule.jobs()) or "none",
        )
        backoff = self.interval
        while self.running:
            try:
                tasks, _ = self.run_once()
            except (OperationalError, InterfaceError) as exc:
                logger.warning("database unavailable (%s); retrying in %.0f s", exc, backoff)
                connections.close_all()
                if once:
                    raise
                self._wake.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = self.interval
            if once:
                break
            if not tasks:
                self._wake.wait(self.interval)
        connections.close_all()
