"""Issue 15: anyone could fill the consent table without limit, and its rows were never deleted.

POST /cookies/ is limited per client address (429, nothing stored, no cookie set beyond the limit),
and a daily job deletes records older than MOGNAD_CONSENT_RETENTION_DAYS (365 by default).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mognad.platform import schedule
from mognad.privacy import consent, jobs
from mognad.privacy.actions import purge_consent_records
from mognad.privacy.models import ConsentRecord
from mognad.privacy.views import notices

pytestmark = pytest.mark.django_db


def test_one_address_cannot_record_more_than_the_limit(monkeypatch):
    monkeypatch.setattr(notices, "CONSENT_LIMIT", 4)
    client = Client()
    statuses = [
        client.post("/cookies/", {"choice": "necessary"}, REMOTE_ADDR="203.0.113.9").status_code
        for _ in range(7)
    ]
    assert statuses == [302] * 4 + [429] * 3
    assert ConsentRecord.objects.count() == 4
    refused = client.post("/cookies/", {"choice": "diagnostics"}, REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert consent.COOKIE_NAME not in refused.cookies
    assert "För många cookieval från din adress" in refused.content.decode()
    # Another address is not affected.
    other = Client().post("/cookies/", {"choice": "necessary"}, REMOTE_ADDR="203.0.113.10")
    assert other.status_code == 302
    assert ConsentRecord.objects.count() == 5


def test_the_default_limit_lets_an_office_behind_one_address_choose(db):
    assert notices.CONSENT_LIMIT >= 30
    client = Client()
    for _ in range(notices.CONSENT_LIMIT):
        assert client.post("/cookies/", {"choice": "necessary"}).status_code == 302
    assert client.post("/cookies/", {"choice": "necessary"}).status_code == 429


def test_reading_the_cookie_page_is_not_limited(monkeypatch):
    monkeypatch.setattr(notices, "CONSENT_LIMIT", 1)
    client = Client()
    for _ in range(3):
        assert client.get("/cookies/").status_code == 200


def _record(days_ago: float) -> ConsentRecord:
    return ConsentRecord.objects.create(
        choice="necessary",
        text_version=consent.TEXT_VERSION,
        created_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_records_older_than_the_retention_are_deleted_and_newer_ones_kept(settings):
    old, edge, kept = _record(400), _record(365.01), _record(364.9)
    assert purge_consent_records() == 2
    assert list(ConsentRecord.objects.values_list("pk", flat=True)) == [kept.pk]
    assert old.pk != edge.pk


def test_the_retention_follows_the_setting(settings):
    settings.CONSENT_RETENTION_DAYS = 30
    _record(31)
    recent = _record(29)
    assert purge_consent_records() == 1
    assert list(ConsentRecord.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_worker_runs_the_purge_daily():
    job = next(job for job in schedule.jobs() if job.name == "privacy.purge_consent_records")
    assert job.seconds == 24 * 3600
    assert job.func is jobs.purge_old_consent_records
    _record(500)
    assert job.func() == 1
