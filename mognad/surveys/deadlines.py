"""What the worker does by the calendar: scheduled reminders, and closing a measurement at the end
of its last day to answer – or of 31 December, since a measurement never runs into the next year
(issue 13)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from mognad.platform.actions import ActionError
from mognad.surveys.actions import close_measurement, send_reminders
from mognad.surveys.models import Measurement


def send_scheduled_reminders(today: datetime.date | None = None) -> int:
    """For each open measurement: one round of reminders per reminder date that has come (days
    after opening, and days before the last day to answer)."""
    today = today or timezone.localdate()
    total = 0
    for measurement in Measurement.objects.filter(state=Measurement.State.OPEN).exclude(
        invitation_mode=Measurement.InvitationMode.OPEN_LINK
    ):
        with transaction.atomic():
            locked = Measurement.objects.select_for_update().get(pk=measurement.pk)
            if not locked.is_open() or locked.opened_at is None:
                continue
            due = sum(1 for day in locked.reminder_dates() if day <= today)
            if due <= locked.scheduled_reminders_done:
                continue
            locked.scheduled_reminders_done = due
            locked.save(update_fields=["scheduled_reminders_done"])
            total += send_reminders(locked, by=None)
    return total


def close_past_deadline(today: datetime.date | None = None) -> list[Measurement]:
    """Close every open measurement whose last day to answer (local time) has ended."""
    today = today or timezone.localdate()
    closed = []
    for measurement in Measurement.objects.filter(state=Measurement.State.OPEN):
        if measurement.last_answer_day() < today:
            try:
                closed.append(close_measurement(measurement, by=None))
            except ActionError:
                continue  # closed by its key user in the meantime

    return closed
