"""purge_diagnostics and `mognad privacy purge`: aggregates older than the retention period go."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mognad.platform import schedule
from mognad.privacy import jobs
from mognad.privacy.diagnostics import purge_diagnostics
from mognad.privacy.models import DiagnosticsAggregate

pytestmark = pytest.mark.django_db


def _row(day, browser="Firefox"):
    return DiagnosticsAggregate.objects.create(
        day=datetime.date.fromisoformat(day),
        kind="visit",
        browser=browser,
        major_version=1,
        count=5,
    )


def _days():
    return sorted(str(day) for day in DiagnosticsAggregate.objects.values_list("day", flat=True))


def test_it_deletes_days_older_than_thirty_days_and_keeps_the_rest(time_machine):
    time_machine.move_to("2026-03-31T08:00:00+02:00", tick=False)
    for day in ["2026-02-28", "2026-03-01", "2026-03-30"]:
        _row(day)
    assert purge_diagnostics() == 1
    assert _days() == ["2026-03-01", "2026-03-30"]


def test_it_follows_the_configured_retention(settings, time_machine):
    time_machine.move_to("2026-03-31T08:00:00+02:00", tick=False)
    settings.DIAGNOSTICS_RETENTION_DAYS = 7
    for day in ["2026-03-23", "2026-03-24", "2026-03-31"]:
        _row(day)
    assert purge_diagnostics() == 1
    assert _days() == ["2026-03-24", "2026-03-31"]


def test_it_takes_an_explicit_now():
    _row("2026-01-01")
    _row("2026-02-15")
    now = datetime.datetime(2026, 2, 20, 12, tzinfo=datetime.UTC)
    assert purge_diagnostics(now=now) == 1
    assert _days() == ["2026-02-15"]


def test_the_command_purges_and_says_what_it_did(time_machine):
    time_machine.move_to("2026-03-31T08:00:00+02:00", tick=False)
    _row("2026-01-10")
    _row("2026-01-11", browser="Safari")
    _row("2026-03-31")
    out = StringIO()
    call_command("privacy", "purge", stdout=out)
    assert out.getvalue().strip() == (
        "Deleted 2 diagnostics aggregate(s) from before 2026-03-01 (retention 30 days)."
    )
    assert _days() == ["2026-03-31"]


def test_the_command_without_an_action_explains_itself():
    with pytest.raises(CommandError, match="mognad privacy purge"):
        call_command("privacy")


def test_the_worker_runs_it_daily():
    [job] = [job for job in schedule.jobs() if job.name == "privacy.purge_diagnostics"]
    assert job.seconds == 24 * 3600
    assert job.func is jobs.purge_old_diagnostics


def test_the_worker_clears_expired_sessions_daily(time_machine):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    time_machine.move_to("2026-03-01T08:00:00+01:00", tick=False)
    old = SessionStore()
    old.set_expiry(60)
    old["x"] = 1
    old.create()
    time_machine.move_to("2026-03-02T08:00:00+01:00", tick=False)
    fresh = SessionStore()
    fresh["x"] = 1
    fresh.create()

    [job] = [job for job in schedule.jobs() if job.name == "privacy.clear_expired_sessions"]
    assert job.seconds == 24 * 3600
    job.func()

    assert list(Session.objects.values_list("session_key", flat=True)) == [fresh.session_key]
