from datetime import timedelta
from unittest import mock

from django.db.utils import OperationalError
from django.utils import timezone

from mognad.orgs.models import WorkerHeartbeat


def test_it_reports_ok_when_the_database_answers_and_a_worker_beat_recently(client, db):
    WorkerHeartbeat.objects.create(worker_id="w1", last_seen_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "ok"}


def test_it_returns_503_when_no_worker_has_ever_run(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "worker": "down"}


def test_it_returns_503_when_the_newest_heartbeat_is_too_old(client, db, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 60
    WorkerHeartbeat.objects.create(
        worker_id="w1", last_seen_at=timezone.now() - timedelta(seconds=61)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "down"


def test_it_returns_503_when_the_database_is_down(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "down", "worker": "down"}
