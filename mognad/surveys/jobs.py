"""Periodic jobs of the surveys app (imported by the worker through schedule.autodiscover)."""

from __future__ import annotations

from mognad.platform.schedule import every
from mognad.surveys.actions import scrub_sent_links
from mognad.surveys.deadlines import close_past_deadline, send_scheduled_reminders


@every(3600, "surveys.scheduled_reminders")
def scheduled_reminders() -> None:
    send_scheduled_reminders()


@every(300, "surveys.close_past_deadline")
def close_at_deadline() -> None:
    """Closes within five minutes after the end of the last day to answer (or of 31 December)."""
    close_past_deadline()


@every(60, "surveys.scrub_sent_links")
def scrub_links() -> None:
    """Sent invitations and reminders keep no respondent link in the outbox (docs/privacy.md)."""
    scrub_sent_links()
