"""The email outbox: enqueue_email and deliver_outbox."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from mognad.platform.mail import deliver_outbox, enqueue_email, message_id, retry_delay
from mognad.platform.models import OutboxMessage

pytestmark = pytest.mark.django_db

CONTEXT = {
    "organization_name": "Ankeby kommun",
    "inviter_name": "Nadia",
    "role_label": "nyckelanvändare",
    "accept_url": "http://testserver/accounts/invitation/abc/",
    "expires_at": timezone.now() + timedelta(days=14),
}


def _enqueue(key="invitation:1:1", language="sv", to="ada@example.se"):
    return enqueue_email(
        to=to, template="admin-invitation", context=CONTEXT, language=language, dedupe_key=key
    )


def _send_fails_with(error):
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=error
    )


def test_it_renders_the_email_in_the_requested_language_and_queues_it_without_sending():
    message = _enqueue(language="sv")
    assert message.status == OutboxMessage.Status.PENDING
    assert message.subject == "Inbjudan att administrera Ankeby kommun i Mognad"
    assert "http://testserver/accounts/invitation/abc/" in message.body_text
    assert '<a href="http://testserver/accounts/invitation/abc/">' in message.body_html
    assert mail.outbox == []
    english = _enqueue(key="invitation:1:2", language="en")
    assert english.subject == "Invitation to administer Ankeby kommun in Mognad"


def test_the_same_dedupe_key_twice_returns_the_existing_message_and_adds_nothing():
    first = _enqueue()
    second = _enqueue(to="someone-else@example.se")
    assert second.pk == first.pk
    assert OutboxMessage.objects.count() == 1


def test_a_message_enqueued_in_a_rolled_back_transaction_never_exists():
    with pytest.raises(RuntimeError), transaction.atomic():
        _enqueue()
        raise RuntimeError("the change failed")
    assert OutboxMessage.objects.count() == 0


def test_delivery_sends_a_multipart_email_with_text_html_and_a_stable_message_id():
    message = _enqueue()
    report = deliver_outbox()
    assert report.sent == 1
    [sent] = mail.outbox
    assert sent.to == ["ada@example.se"]
    assert sent.subject == message.subject
    assert sent.body == message.body_text
    assert sent.alternatives[0][1] == "text/html"
    assert "<a href=" in sent.alternatives[0][0]
    assert sent.extra_headers["Message-ID"] == message_id("invitation:1:1")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


def test_a_sent_message_is_never_sent_again():
    _enqueue()
    deliver_outbox()
    _enqueue()
    assert deliver_outbox().sent == 0
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "error", [smtplib.SMTPServerDisconnected("gone"), ConnectionRefusedError(111, "refused")]
)
def test_when_the_mail_server_is_down_messages_go_back_to_the_queue_with_a_back_off(error):
    first = _enqueue(key="a")
    second = _enqueue(key="b")
    now = timezone.now()
    with _send_fails_with(error):
        report = deliver_outbox(now=now)
    assert report.sent == 0
    assert report.retried == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == OutboxMessage.Status.PENDING
    assert first.attempts == 1
    assert first.next_attempt_at == now + timedelta(seconds=30)
    assert type(error).__name__ in first.last_error
    # The server was down: the second message was not tried and keeps its place in the queue.
    assert second.attempts == 0
    assert second.next_attempt_at <= now


def test_a_message_is_not_retried_before_its_back_off_and_is_sent_exactly_once_later():
    message = _enqueue()
    now = timezone.now()
    with _send_fails_with(smtplib.SMTPServerDisconnected("gone")):
        deliver_outbox(now=now)
    assert deliver_outbox(now=now + timedelta(seconds=29)).sent == 0
    assert deliver_outbox(now=now + timedelta(seconds=30)).sent == 1
    assert deliver_outbox(now=now + timedelta(hours=2)).sent == 0
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2


def test_a_refused_recipient_is_retried_without_holding_up_the_others():
    _enqueue(key="a", to="refused@example.se")
    _enqueue(key="b", to="fine@example.se")
    real_send = mail.get_connection().__class__.send_messages

    def refuse_one(backend, messages):
        if messages[0].to == ["refused@example.se"]:
            raise smtplib.SMTPRecipientsRefused({"refused@example.se": (550, b"no such user")})
        return real_send(backend, messages)

    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse_one):
        report = deliver_outbox()
    assert (report.sent, report.retried) == (1, 1)
    assert [m.to for m in mail.outbox] == [["fine@example.se"]]


def test_the_back_off_doubles_and_is_capped_at_an_hour():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 8, 9)] == [
        30,
        60,
        120,
        240,
        3600,
        3600,
    ]


def test_after_ten_failed_attempts_a_message_is_marked_failed():
    message = _enqueue()
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=9)
    with _send_fails_with(smtplib.SMTPServerDisconnected("gone")):
        report = deliver_outbox()
    assert report.failed == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 10
    assert deliver_outbox(now=timezone.now() + timedelta(days=1)).sent == 0


@pytest.mark.parametrize(
    ("minutes", "recovered_and_sent"),
    [(11, 1), (9, 0)],
    ids=["stuck-over-ten-minutes-is-recovered-and-sent", "under-ten-minutes-is-left-alone"],
)
def test_a_message_left_in_sending_is_recovered_after_ten_minutes(minutes, recovered_and_sent):
    message = _enqueue()
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENDING, claimed_at=now - timedelta(minutes=minutes)
    )
    report = deliver_outbox(now=now)
    assert (report.recovered, report.sent) == (recovered_and_sent, recovered_and_sent)
    assert len(mail.outbox) == recovered_and_sent


def test_delivery_respects_the_limit():
    for n in range(3):
        _enqueue(key=f"k{n}")
    assert deliver_outbox(limit=2).sent == 2
    assert deliver_outbox(limit=2).sent == 1
