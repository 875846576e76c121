"""`mognad worker`: tasks, periodic jobs, heartbeat, database outages."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone

from mognad.platform import schedule
from mognad.platform.mail import enqueue_email
from mognad.platform.models import OutboxMessage, PeriodicJob, WorkerHeartbeat
from mognad.platform.worker import Worker, worker_is_alive

pytestmark = pytest.mark.django_db(transaction=True)


def _enqueue():
    return enqueue_email(
        to="ada@example.se",
        template="admin-invitation",
        context={
            "organization_name": "Ankeby",
            "accept_url": "http://x/",
            "expires_at": timezone.now(),
        },
        language="sv",
        dedupe_key="test:1",
    )


@pytest.fixture
def job_calls():
    calls = []
    schedule.register(3600, "test.hourly", lambda: calls.append("hourly"))
    yield calls
    schedule.unregister("test.hourly")


def test_one_pass_delivers_the_outbox_and_writes_a_heartbeat():
    message = _enqueue()
    call_command("worker", "--once", "--worker-id", "w-test")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1
    assert WorkerHeartbeat.objects.get(
        worker_id="w-test"
    ).last_seen_at > timezone.now() - timedelta(seconds=5)
    assert worker_is_alive()


def test_a_periodic_job_runs_once_per_period_even_with_two_workers(job_calls):
    Worker(worker_id="a").run(once=True)
    Worker(worker_id="b").run(once=True)
    assert job_calls == ["hourly"]
    state = PeriodicJob.objects.get(name="test.hourly")
    assert state.next_run_at > timezone.now() + timedelta(minutes=59)
    PeriodicJob.objects.filter(name="test.hourly").update(next_run_at=timezone.now())
    Worker(worker_id="a").run(once=True)
    assert job_calls == ["hourly", "hourly"]


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(job_calls):
    schedule.register(3600, "test.broken", mock.Mock(side_effect=ValueError("bad data")))
    try:
        Worker(worker_id="a").run(once=True)
    finally:
        schedule.unregister("test.broken")
    assert job_calls == ["hourly"]
    assert PeriodicJob.objects.get(name="test.broken").last_error == "ValueError: bad data"


def test_the_worker_runs_queued_django_tasks():
    from mognad.platform.tests.tasks import record_call

    result = record_call.enqueue("hello")
    Worker(worker_id="a").run(once=True)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == "hello"


def test_the_worker_survives_a_database_outage_and_carries_on():
    worker = Worker(interval=0.01, worker_id="w-outage")
    passes = []
    real_run_once = worker.run_once

    def flaky_run_once():
        passes.append(len(passes))
        if len(passes) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        result = real_run_once()
        worker.stop()
        return result

    with mock.patch.object(worker, "run_once", flaky_run_once):
        worker.run()
    assert passes == [0, 1]
    assert WorkerHeartbeat.objects.filter(worker_id="w-outage").exists()


def test_a_stop_signal_ends_the_loop_after_the_current_pass():
    worker = Worker(interval=60, worker_id="w-stop")
    real_run_once = worker.run_once

    def run_once_then_receive_sigterm():
        result = real_run_once()
        worker.stop()
        return result

    with mock.patch.object(worker, "run_once", run_once_then_receive_sigterm):
        worker.run()  # would wait 60 s between passes if the stop did not wake it
    assert not worker.running


def test_an_invalid_interval_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="interval"):
        call_command("worker", "--once", "--interval", "0")
