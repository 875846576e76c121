"""The platform's own rows: the email outbox, worker heartbeats, periodic-job state, rate limits.

These models were created by the orgs app and moved here without touching the database: each keeps
its table (`orgs_…`) and its index and constraint names (migrations/0001_move_from_orgs.py).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One email waiting to be sent, or sent. The worker delivers it; nothing is sent twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField(max_length=254)
    # Shown as the sender's name (the address stays MOGNAD_DEFAULT_FROM_EMAIL's), and where
    # replies go; empty for the defaults.
    sender_name = models.CharField(max_length=100, blank=True, default="")
    reply_to = models.EmailField(max_length=254, blank=True, default="")
    language = models.CharField(max_length=2, default="sv")
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # What this email is about, e.g. "invitation:<respondent id>:<n>"; enqueuing it again is a no-op
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The organization an email concerns, so that offboarding can delete its emails.
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "orgs_outboxmessage"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"


class WorkerHeartbeat(models.Model):
    """Written by each running worker on every loop; /healthz reads the newest one."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "orgs_workerheartbeat"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class PeriodicJob(models.Model):
    """When a periodic job (schedule.py) last ran and is next due, shared by all workers."""

    name = models.CharField(max_length=200, unique=True)
    next_run_at = models.DateTimeField(default=timezone.now)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        db_table = "orgs_periodicjob"

    def __str__(self) -> str:
        return self.name


class RateLimitCounter(models.Model):
    """Hits of one key (e.g. "login:email:<hash>") in one fixed time window."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "orgs_ratelimitcounter"
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")
        ]
        indexes = [models.Index(fields=["window_start"], name="ratelimit_window")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
