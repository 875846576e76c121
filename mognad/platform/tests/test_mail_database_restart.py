"""deliver_outbox when the database restarts in the middle of a batch (found by make reliability).

Before the fix, losing the connection right after a message was sent left the whole batch
"sending" for ten minutes (STUCK_AFTER) and the sent message was then sent a second time.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from mognad.platform import mail as outbox
from mognad.platform.mail import deliver_outbox, enqueue_email
from mognad.platform.models import OutboxMessage

# The fix reconnects, which is impossible inside a test's transaction: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)

CONTEXT = {
    "organization_name": "Ankeby kommun",
    "inviter_name": "Nadia",
    "role_label": "nyckelanvändare",
    "accept_url": "http://testserver/accounts/invitation/abc/",
    "expires_at": timezone.now() + timedelta(days=14),
}


def _enqueue(key, to):
    return enqueue_email(
        to=to, template="admin-invitation", context=CONTEXT, language="sv", dedupe_key=key
    )


def _database_lost_on_status_writes(times, status=OutboxMessage.Status.SENT):
    """The first `times` writes recording an attempt with `status` fail as a restarting server
    would make them fail."""
    real_update = QuerySet.update
    failures = {"left": times}

    def update(queryset, **values):
        attempt = "last_error" in values and values.get("status") == status
        if queryset.model is OutboxMessage and attempt and failures["left"] > 0:
            failures["left"] -= 1
            raise OperationalError("terminating connection due to administrator command")
        return real_update(queryset, **values)

    return mock.patch.object(QuerySet, "update", update)


def test_a_message_sent_while_the_database_restarts_is_recorded_once_and_the_batch_goes_on():
    first = _enqueue("restart:1", "ada@example.se")
    second = _enqueue("restart:2", "bo@example.se")
    with (
        _database_lost_on_status_writes(2),
        mock.patch.object(outbox.time, "sleep") as sleep,
    ):
        report = deliver_outbox()
    assert report.sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.se", "bo@example.se"]
    for message in (first, second):
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.SENT
        assert message.attempts == 1
    assert [c.args[0] for c in sleep.call_args_list] == [0.5, 1.0]
    # Nothing is left "sending", so nothing is sent again when stuck messages are recovered.
    assert deliver_outbox(now=timezone.now() + timedelta(hours=1)).sent == 0
    assert len(mail.outbox) == 2


def test_a_failed_attempt_is_recorded_after_the_database_comes_back():
    message = _enqueue("restart:3", "ada@example.se")
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=ConnectionRefusedError(111, "refused"),
        ),
        _database_lost_on_status_writes(1, status=OutboxMessage.Status.PENDING),
        mock.patch.object(outbox.time, "sleep"),
    ):
        report = deliver_outbox()
    assert report.retried == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1


def test_a_database_that_stays_down_is_given_up_on_after_a_bounded_wait():
    _enqueue("restart:4", "ada@example.se")
    with (
        _database_lost_on_status_writes(100),
        mock.patch.object(outbox.time, "sleep") as sleep,
        pytest.raises(OperationalError),
    ):
        deliver_outbox()
    waited = sum(c.args[0] for c in sleep.call_args_list)
    assert len(sleep.call_args_list) == len(outbox.WRITE_RETRY_WAITS)
    assert 20 <= waited <= 60


def test_inside_a_transaction_the_error_is_raised_at_once_without_waiting():
    _enqueue("restart:5", "ada@example.se")
    with (
        _database_lost_on_status_writes(1),
        mock.patch.object(outbox.time, "sleep") as sleep,
        pytest.raises(OperationalError),
        transaction.atomic(),
    ):
        deliver_outbox()
    sleep.assert_not_called()
