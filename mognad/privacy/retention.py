"""Retention: respondents' addresses go `RESPONDENT_RETENTION_DAYS` after their measurement closed.

Run daily by the worker (`privacy.respondent_retention`, jobs.py) and by `mognad retention`;
docs/privacy.md ("Data lifecycle").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from mognad.orgs.audit import audit
from mognad.privacy.erasure import Forgotten, forget_respondents
from mognad.surveys.actions import ERASED_PREFIX
from mognad.surveys.models import Measurement, Respondent, Response


def retention_deadline(now: datetime.datetime | None = None) -> datetime.datetime:
    """Measurements closed at or before this moment have passed their retention period."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.RESPONDENT_RETENTION_DAYS)


def measurements_past_retention(now: datetime.datetime | None = None) -> QuerySet[Measurement]:
    """Closed measurements past the deadline that still hold something to forget."""
    unerased = Respondent.objects.filter(measurement=OuterRef("pk")).exclude(
        email__startswith=ERASED_PREFIX
    )
    linked = Response.objects.filter(measurement=OuterRef("pk"), respondent__isnull=False)
    return (
        Measurement.objects.filter(
            state=Measurement.State.CLOSED, closed_at__lte=retention_deadline(now)
        )
        .filter(Q(Exists(unerased)) | Q(Exists(linked)))
        .select_related("organization")
        .order_by("closed_at", "pk")
    )


@dataclass(frozen=True)
class RetentionReport:
    measurements: int = 0
    forgotten: Forgotten = field(default_factory=Forgotten)


def apply_respondent_retention(now: datetime.datetime | None = None) -> RetentionReport:
    """Forget the respondents of every measurement closed `RESPONDENT_RETENTION_DAYS` ago or more.

    Each measurement is its own transaction and writes one audit event (counts only).
    """
    total = Forgotten()
    done = 0
    for measurement in measurements_past_retention(now):
        with transaction.atomic():
            locked = Measurement.objects.select_for_update().get(pk=measurement.pk)
            if not locked.is_closed():
                continue  # reopened since the list was read
            forgotten = forget_respondents(locked)
            audit(
                "measurement.retention",
                by=None,
                organization=measurement.organization,
                target=str(measurement),
                respondents=forgotten.respondents,
                unlinked=forgotten.unlinked,
                emails=forgotten.emails,
                audit_events=forgotten.audit_events,
            )
        total += forgotten
        done += 1
    return RetentionReport(measurements=done, forgotten=total)
