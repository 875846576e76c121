"""/healthz says whether this web process can serve; /healthz/worker whether the worker runs.

A load balancer takes a web node out of service when /healthz fails, so it must fail only for what
stops this node from serving (the database), never because the separate worker process is down.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.utils import timezone

from mognad.platform.models import WorkerHeartbeat

DATABASE_DOWN = mock.patch(
    "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
)


@pytest.fixture
def recent_heartbeat(db):
    WorkerHeartbeat.objects.create(worker_id="w1", last_seen_at=timezone.now())


@pytest.fixture
def stale_heartbeat(db, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 60
    WorkerHeartbeat.objects.create(
        worker_id="w1", last_seen_at=timezone.now() - timedelta(seconds=61)
    )


def test_the_web_is_healthy_and_the_worker_ok_when_a_worker_beat_recently(client, recent_heartbeat):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "ok"}


def test_the_web_stays_healthy_when_the_newest_heartbeat_is_too_old(client, stale_heartbeat):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "stale"}


def test_the_web_stays_healthy_when_no_worker_has_ever_run(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["worker"] == "stale"


def test_the_web_is_unhealthy_when_the_database_is_down(client, db):
    with DATABASE_DOWN:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "down", "worker": "stale"}


def test_the_worker_check_is_ok_when_a_worker_beat_recently(client, recent_heartbeat):
    response = client.get("/healthz/worker")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "worker": "ok"}


def test_the_worker_check_fails_when_the_newest_heartbeat_is_too_old(client, stale_heartbeat):
    response = client.get("/healthz/worker")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "worker": "stale"}


def test_the_worker_check_fails_when_no_worker_has_ever_run(client, db):
    assert client.get("/healthz/worker").status_code == 503


def test_the_worker_check_fails_when_the_database_is_down(client, recent_heartbeat):
    with DATABASE_DOWN:
        response = client.get("/healthz/worker")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "worker": "stale"}


def test_the_heartbeat_age_limit_is_the_configured_one(client, db, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 300
    WorkerHeartbeat.objects.create(
        worker_id="w1", last_seen_at=timezone.now() - timedelta(seconds=240)
    )
    assert client.get("/healthz/worker").status_code == 200
    settings.WORKER_HEARTBEAT_MAX_AGE = 200
    assert client.get("/healthz/worker").status_code == 503


@pytest.mark.parametrize("path", ["/healthz", "/healthz/worker"])
def test_health_answers_are_never_cached(client, recent_heartbeat, path):
    assert "no-cache" in client.get(path)["Cache-Control"]
