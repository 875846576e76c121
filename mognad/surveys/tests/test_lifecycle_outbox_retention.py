"""Outbox retention: sent and failed emails (they hold the recipient) go after 30 days."""

import datetime as dt

import pytest
from django.utils import timezone

from mognad.platform import jobs, schedule
from mognad.platform.mail import purge_outbox
from mognad.platform.models import OutboxMessage

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def _message(key, status, *, days_ago, sent_days_ago=None):
    return OutboxMessage.objects.create(
        to=f"{key}@ankeby.se",
        subject="Hej",
        body_text="Hej",
        dedupe_key=key,
        status=status,
        created_at=NOW - dt.timedelta(days=days_ago),
        sent_at=None if sent_days_ago is None else NOW - dt.timedelta(days=sent_days_ago),
    )


def _left():
    return sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True))


def test_sent_emails_go_thirty_days_after_sending_and_failed_ones_after_queueing():
    _message("sent-old", "sent", days_ago=40, sent_days_ago=31)
    _message("sent-late", "sent", days_ago=40, sent_days_ago=29)  # queued long ago, sent recently
    _message("failed-old", "failed", days_ago=31)
    _message("failed-new", "failed", days_ago=29)
    assert purge_outbox(now=NOW) == 2
    assert _left() == ["failed-new", "sent-late"]


def test_emails_still_waiting_or_being_sent_are_never_deleted():
    _message("pending", "pending", days_ago=100)
    _message("sending", "sending", days_ago=100)
    assert purge_outbox(now=NOW) == 0
    assert _left() == ["pending", "sending"]


def test_the_retention_period_follows_the_setting(settings):
    settings.OUTBOX_RETENTION_DAYS = 7
    _message("eight", "sent", days_ago=8, sent_days_ago=8)
    _message("six", "sent", days_ago=6, sent_days_ago=6)
    assert purge_outbox(now=NOW) == 1
    assert _left() == ["six"]


def test_it_is_a_daily_job_of_the_worker(time_machine):
    time_machine.move_to(NOW, tick=False)
    job = next(job for job in schedule.jobs() if job.name == "orgs.purge_outbox")
    assert job.seconds == 24 * 3600 and job.func is jobs.purge_old_outbox_messages
    _message("old", "sent", days_ago=60, sent_days_ago=60)
    assert "orgs.purge_outbox" in schedule.run_due_jobs(timezone.now())
    assert _left() == []
