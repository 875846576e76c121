"""The email outbox: every email is a row first, and the worker delivers the rows.

`enqueue_email` is called inside the caller's transaction, so the email exists exactly when the
change that caused it was committed. `deliver_outbox` (a periodic job of the worker) sends what is
due. A mail server that is down or refuses costs nothing: the message goes back to "pending" with an
exponential back-off. The same `dedupe_key` never makes a second row, so nothing is enqueued twice;
a worker killed between sending and recording is the only way a message can go out twice, and its
Message-ID (derived from the dedupe key) lets mail clients recognise the duplicate. A database that
restarts mid-batch costs nothing either: each status write of the batch reconnects and tries again
for about half a minute, so a sent message is recorded as sent and the rest are not stranded.
"""

from __future__ import annotations

import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr, parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    models,
    transaction,
)
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mognad.platform.hashing import sha256_hex
from mognad.platform.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# A message "sending" for longer than this belongs to a worker that died mid-send.
STUCK_AFTER = timedelta(minutes=10)
# Seconds to wait before each new try of a status write when the database connection is lost.
WRITE_RETRY_WAITS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)

# Errors that mean the mail server cannot be reached at all: stop this round, keep the rest queued.
_SERVER_DOWN = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    recovered: int = 0


def render_email(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """Subject, text body and HTML body of `emails/<template>-…` in `language`."""
    context = {"base_url": settings.BASE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}-subject.txt", context)
        body_text = render_to_string(f"emails/{template}-body.txt", context)
        body_html = render_to_string(f"emails/{template}-body.html", context)
    # A subject is one line; templates may end with a newline.
    return " ".join(subject.split()), body_text.strip() + "\n", str(body_html)


def enqueue_email(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    dedupe_key: str,
    organization: models.Model | None = None,
    sender_name: str = "",
    reply_to: str = "",
) -> OutboxMessage:
    """Queue one email; the same dedupe_key again returns the existing message and adds nothing.

    `organization` (an `orgs.Organization`) is the organization the email concerns, if any;
    `sender_name` and `reply_to` replace the defaults when given.
    """
    existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    subject, body_text, body_html = render_email(template, context, language)
    try:
        with transaction.atomic():
            return OutboxMessage.objects.create(
                to=to,
                language=language,
                subject=subject[:300],
                body_text=body_text,
                body_html=body_html,
                dedupe_key=dedupe_key,
                organization_id=organization.pk if organization is not None else None,
                sender_name=" ".join(sender_name.split())[:100],
                reply_to=reply_to,
            )
    except IntegrityError:
        # Another process queued the same email between our check and our insert.
        return OutboxMessage.objects.get(dedupe_key=dedupe_key)


def retry_delay(attempts: int) -> timedelta:
    """30 s after the first failed attempt, doubling each time, never more than an hour."""
    delay: timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(delay, LONGEST_RETRY)


def message_id(dedupe_key: str) -> str:
    digest = sha256_hex(dedupe_key)[:32]
    host = urlsplit(settings.BASE_URL).hostname or "localhost"
    return f"<{digest}@{host}>"


def recover_stuck(now: datetime) -> int:
    """Messages left "sending" by a worker that died go back to the queue."""
    return OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(status=OutboxMessage.Status.PENDING, claimed_at=None, next_attempt_at=now)


def _claim(limit: int, now: datetime) -> list[int]:
    with transaction.atomic():
        due = OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:limit])
        OutboxMessage.objects.filter(id__in=ids, status=OutboxMessage.Status.PENDING).update(
            status=OutboxMessage.Status.SENDING, claimed_at=now
        )
    return ids


def sender(name: str) -> str:
    """The From header: `name` with the address of MOGNAD_DEFAULT_FROM_EMAIL, or that setting."""
    if not name:
        return str(settings.DEFAULT_FROM_EMAIL)
    _default_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((" ".join(name.split()), address))


def _send(message: OutboxMessage, mail_connection: Any) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=sender(message.sender_name),
        to=[message.to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={
            "Message-ID": message_id(message.dedupe_key),
            "Content-Language": message.language,
        },
        connection=mail_connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    email.send(fail_silently=False)


def _write(messages: QuerySet[OutboxMessage], **values: Any) -> None:
    """`messages.update(**values)`, one status write of a batch. If the database connection is
    lost (a restart), reconnect and try again, waiting WRITE_RETRY_WAITS in turn. The writes set
    absolute values, so running one twice is harmless. Inside a transaction nothing can reconnect:
    the error is raised at once."""
    for wait in (*WRITE_RETRY_WAITS, None):
        try:
            messages.update(**values)
            return
        except (OperationalError, InterfaceError) as error:
            if wait is None or connection.in_atomic_block:
                raise
            logger.warning("database unavailable recording email delivery (%s); retrying", error)
            try:
                connection.close()
            except DatabaseError:
                logger.debug("closing the lost database connection failed", exc_info=True)
            time.sleep(wait)


def _record_failure(message: OutboxMessage, error: BaseException, now: datetime) -> bool:
    """Back to the queue with a back-off, or failed for good; True when it will be retried."""
    attempts = message.attempts + 1
    retry = attempts < MAX_ATTEMPTS
    _write(
        OutboxMessage.objects.filter(pk=message.pk),
        status=OutboxMessage.Status.PENDING if retry else OutboxMessage.Status.FAILED,
        attempts=attempts,
        claimed_at=None,
        next_attempt_at=now + retry_delay(attempts),
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    logger.warning(
        "email %s to %s not sent (attempt %d): %s", message.pk, message.to, attempts, error
    )
    return retry


def deliver_outbox(*, limit: int = 100, now: datetime | None = None) -> DeliveryReport:
    """Send up to `limit` due messages."""
    now = now or timezone.now()
    recovered = recover_stuck(now)
    ids = _claim(limit, now)
    if not ids:
        return DeliveryReport(recovered=recovered)
    sent = retried = failed = 0
    mail_connection = get_connection(fail_silently=False)
    messages = list(OutboxMessage.objects.filter(id__in=ids).order_by("next_attempt_at", "id"))
    try:
        for index, message in enumerate(messages):
            try:
                _send(message, mail_connection)
            except (smtplib.SMTPException, OSError, ValueError) as error:
                if _record_failure(message, error, now):
                    retried += 1
                else:
                    failed += 1
                if isinstance(error, _SERVER_DOWN):
                    # No point in trying the others now: they go back untouched, attempts unchanged.
                    rest = [m.pk for m in messages[index + 1 :]]
                    _write(
                        OutboxMessage.objects.filter(pk__in=rest),
                        status=OutboxMessage.Status.PENDING,
                        claimed_at=None,
                    )
                    break
            else:
                _write(
                    OutboxMessage.objects.filter(pk=message.pk),
                    status=OutboxMessage.Status.SENT,
                    attempts=message.attempts + 1,
                    sent_at=timezone.now(),
                    last_error="",
                )
                sent += 1
    finally:
        try:
            mail_connection.close()
        except (smtplib.SMTPException, OSError):
            logger.debug("closing the mail connection failed", exc_info=True)
    return DeliveryReport(sent=sent, retried=retried, failed=failed, recovered=recovered)


def purge_outbox(*, now: datetime | None = None) -> int:
    """Delete sent and failed messages past `OUTBOX_RETENTION_DAYS`: they hold the recipient.

    A sent message counts from when it was sent, a failed one from when it was queued; pending and
    sending messages are never deleted here. Returns how many were deleted.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    sent = OutboxMessage.Status.SENT
    deleted, _by_model = OutboxMessage.objects.filter(
        Q(status=sent, sent_at__lt=cutoff)
        | Q(status=sent, sent_at__isnull=True, created_at__lt=cutoff)
        | Q(status=OutboxMessage.Status.FAILED, created_at__lt=cutoff)
    ).delete()
    return deleted
