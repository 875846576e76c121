"""Periodic jobs of the platform app (imported by the worker through schedule.autodiscover).

Their names keep the "orgs." prefix they were registered under before the platform app existed:
the names are the keys of their `PeriodicJob` rows in existing databases.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from mognad.platform.mail import deliver_outbox, purge_outbox
from mognad.platform.models import RateLimitCounter, WorkerHeartbeat
from mognad.platform.schedule import every


@every(5, "orgs.deliver_outbox")
def deliver_email() -> None:
    deliver_outbox()


@every(3600, "orgs.clean_up")
def clean_up() -> None:
    """Forget rate-limit windows older than a day and heartbeats of workers gone for a day."""
    day_ago = timezone.now() - timedelta(days=1)
    RateLimitCounter.objects.filter(window_start__lt=day_ago).delete()
    WorkerHeartbeat.objects.filter(last_seen_at__lt=day_ago).delete()


@every(24 * 3600, "orgs.purge_outbox")
def purge_old_outbox_messages() -> int:
    """Sent and failed emails go after MOGNAD_OUTBOX_RETENTION_DAYS (docs/privacy.md)."""
    return purge_outbox()
