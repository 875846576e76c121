"""results/due.py: a closed measurement is scored by the worker's job, once, even with two workers.

Closing (surveys) only marks the measurement due; the results app's job scores what is due.
"""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from mognad.instrument.models import InstrumentItem
from mognad.platform.actions import ActionError
from mognad.results import compute, due
from mognad.results.compute import compute_and_store
from mognad.results.models import MeasurementRelease, MeasurementResult
from mognad.surveys import actions, answering
from mognad.surveys.tests.factories import (
    SPRING_2026,
    AnswerGroup,
    close_and_score,
    closed_measurement,
)


@pytest.fixture(autouse=True)
def _every_group_released(settings):
    """These tests are about when results are stored, not what the door releases: k = 1 releases
    every group of the two or three respondents."""
    settings.ANONYMITY_K = 1


def _respondents(measurement):
    """The organization's stored respondent count, or None when nothing is stored."""
    stored = MeasurementResult.objects.filter(measurement=measurement, group_kind="organization")
    return stored.values_list("respondents", flat=True).first()


def _reopen_and_let_ulf_submit(measurement):
    """Reopened (only in the measurement's own year), Ulf answers with his new link and submits.
    (Closing deleted the sheet he had started: anonymous measurements keep no half-filled ones.)"""
    with time_machine.travel(SPRING_2026, tick=True):
        actions.open_measurement(measurement, by=None)
    ulf = measurement.respondents.get(email="ulf@ankeby.se")
    response = answering.start_response(
        measurement, key="ulf-after-reopening", respondent=ulf, channel="email"
    )
    items = InstrumentItem.objects.filter(version=measurement.instrument)
    answering.save_answers(response, {item.pk: 3 for item in items})
    answering.submit_response(response, respondent=ulf)


def test_closing_marks_the_measurement_due_and_the_job_stores_its_results(answered):
    closed = actions.close_measurement(answered, by=None)
    assert closed.scoring_due
    assert _respondents(answered) is None  # closing itself computes nothing
    assert due.score_due_measurements() == [answered.pk]
    answered.refresh_from_db()
    assert (answered.scoring_due, answered.scoring_claimed_at) == (False, None)
    assert _respondents(answered) == 2
    assert due.score_due_measurements() == []


def test_the_job_stores_what_computing_directly_stores(answered):
    close_and_score(answered)
    by_the_job = sorted(MeasurementResult.objects.values_list("group_kind", "group_key", "payload"))
    compute_and_store(answered)
    assert sorted(MeasurementResult.objects.values_list("group_kind", "group_key", "payload")) == (
        by_the_job
    )


@pytest.mark.django_db(transaction=True)  # the worker manages its own connections
def test_mognad_worker_once_scores_the_due_measurements(answered):
    actions.close_measurement(answered, by=None)
    call_command("worker", "--once")
    assert _respondents(answered) == 2


def test_a_measurement_reopened_before_the_job_ran_is_scored_at_its_next_close(answered):
    actions.close_measurement(answered, by=None)
    _reopen_and_let_ulf_submit(answered)
    assert due.score_due_measurements() == []  # open: nothing to score
    assert _respondents(answered) is None
    actions.close_measurement(answered, by=None)
    assert due.score_due_measurements() == [answered.pk]
    assert _respondents(answered) == 3


def test_a_second_worker_running_meanwhile_does_not_score_it_again(answered, monkeypatch):
    actions.close_measurement(answered, by=None)
    score_groups = due.score_groups
    scored, second_worker = [], []

    def score_while_another_worker_runs(measurement):
        scored.append(measurement.pk)
        second_worker.append(due.score_due_measurements())
        return score_groups(measurement)

    monkeypatch.setattr(due, "score_groups", score_while_another_worker_runs)
    assert due.score_due_measurements() == [answered.pk]
    assert scored == [answered.pk]
    assert second_worker == [[]]


def test_closing_again_while_the_job_scores_stores_nothing_from_the_older_answers(
    answered, monkeypatch
):
    actions.close_measurement(answered, by=None)
    score_groups = due.score_groups

    def reopen_and_close_meanwhile(measurement):
        stored = score_groups(measurement)  # the answers as the job read them: two submitted
        _reopen_and_let_ulf_submit(answered)
        actions.close_measurement(answered, by=None)
        return stored

    monkeypatch.setattr(due, "score_groups", reopen_and_close_meanwhile)
    assert due.score_due_measurements() == []
    monkeypatch.undo()
    assert _respondents(answered) is None
    assert due.score_due_measurements() == [answered.pk]
    assert _respondents(answered) == 3


def test_a_worker_failing_while_storing_stores_nothing_and_leaves_the_measurement_due(
    answered, monkeypatch
):
    actions.close_measurement(answered, by=None)
    real_replace = compute.replace_results

    def die_after_replacing(measurement, stored, release):
        real_replace(measurement, stored, release)
        raise RuntimeError("the worker died")

    monkeypatch.setattr(compute, "replace_results", die_after_replacing)
    with pytest.raises(RuntimeError):
        due.score_due_measurements()
    monkeypatch.undo()
    assert not MeasurementResult.objects.filter(measurement=answered).exists()
    assert not MeasurementRelease.objects.filter(measurement=answered).exists()
    answered.refresh_from_db()
    assert answered.scoring_due
    assert answered.results_released_at is None
    assert due.score_due_measurements() == []  # still claimed by the failed worker


def test_a_measurement_whose_results_were_released_never_opens_again(answered):
    close_and_score(answered)
    answered.refresh_from_db()
    assert answered.results_released_at is not None
    with time_machine.travel(SPRING_2026, tick=True):
        assert not answered.can_open(SPRING_2026.date())
        with pytest.raises(ActionError, match="lämnats ut"):
            actions.open_measurement(answered, by=None)
    answered.refresh_from_db()
    assert answered.is_closed()


def test_a_run_scores_at_most_a_batch_the_earliest_closed_first(ankeby, bebyholm):
    earlier = closed_measurement(bebyholm, [AnswerGroup(5, value=4)])
    later = closed_measurement(ankeby, [AnswerGroup(5, value=3)])
    for measurement, hours_ago in ((later, 1), (earlier, 2)):
        measurement.closed_at = timezone.now() - timedelta(hours=hours_ago)
        measurement.mark_scoring_due()
        measurement.save()
    assert due.score_due_measurements(limit=1) == [earlier.pk]
    assert due.score_due_measurements(limit=1) == [later.pk]
    assert due.score_due_measurements(limit=1) == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_the_same_moment_score_it_once(ankeby, monkeypatch):
    measurement = closed_measurement(ankeby, [AnswerGroup(5, value=4)])
    measurement.mark_scoring_due()
    measurement.save()
    both_ready = threading.Barrier(2, timeout=30)
    claim, score_groups = due.claim, due.score_groups
    scored, runs = [], []

    def claim_together(measurement_id):
        both_ready.wait()
        return claim(measurement_id)

    def count_scoring(measurement):
        scored.append(measurement.pk)
        return score_groups(measurement)

    def worker():
        try:
            runs.append(due.score_due_measurements())
        finally:
            connection.close()

    monkeypatch.setattr(due, "claim", claim_together)
    monkeypatch.setattr(due, "score_groups", count_scoring)
    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=60)
    assert sorted(runs) == [[], [measurement.pk]]
    assert scored == [measurement.pk]
    assert _respondents(measurement) == 5
