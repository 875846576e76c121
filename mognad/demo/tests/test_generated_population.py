"""What `mognad demo generate` writes: the sampled answers, in the shape a real closed measurement
leaves behind, with results stored by the real close path. One generated population is shared by
these tests, which only read it."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from mognad.demo.answers import ItemModel, sample_measurement
from mognad.demo.generate import _registry
from mognad.demo.population import plan_population
from mognad.instrument.models import InstrumentVersion
from mognad.orgs.models import AuditEvent
from mognad.results.answers import answers_csv
from mognad.results.disclosure.audit import audit_measurement
from mognad.results.models import Benchmark, MeasurementResult
from mognad.scoring.engine import UNANSWERED
from mognad.surveys.models import Answer, Measurement, Respondent, Response

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
RESAMPLES = 200


def small(seed: int, orgs: int, years: str) -> str:
    out = StringIO()
    call_command(
        "demo", "generate", "--orgs", str(orgs), "--years", years, "--seed", str(seed), stdout=out
    )
    return out.getvalue()


@pytest.fixture(autouse=True)
def november_2026(settings):
    settings.BOOTSTRAP_RESAMPLES = RESAMPLES
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(scope="module")
def population(django_db_setup, django_db_blocker):
    """One generated population shared by the tests that only read it (rolled back at the end):
    (the registry entries offered to the generator, its output)."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=False),
        override_settings(BOOTSTRAP_RESAMPLES=RESAMPLES),
        transaction.atomic(),
    ):
        entries, _ = _registry()
        yield entries, small(seed=5, orgs=6, years="2024-2026")
        transaction.set_rollback(True)


def test_it_writes_closed_measurements_with_the_sampled_answers_and_their_results(db, population):
    entries, output = population

    version = InstrumentVersion.latest("standard")
    instrument = version.definition()
    plans = plan_population(
        count=6,
        years=list(range(2024, 2027)),
        seed=5,
        registry=entries,
        categories=len(instrument.categories),
    )
    items = ItemModel.build(instrument, 5)
    measurements = Measurement.objects.select_related("organization")
    assert measurements.count() == sum(len(p.years) for p in plans) > 0
    assert f"Generated 6 organizations, {measurements.count()} measurements" in output
    by_name = {m.organization.name: m.organization.slug for m in measurements}
    for plan in plans:
        for earlier, year in enumerate(plan.years):
            sample = sample_measurement(plan, year, earlier=earlier, items=items, seed=5)
            measurement = measurements.get(organization__slug=by_name[plan.name], year=year)
            assert measurement.is_closed() and measurement.closed_at.year == year
            assert measurement.opened_at <= measurement.closed_at <= NOW
            submitted = measurement.responses.filter(state=Response.State.SUBMITTED)
            expected = sample.answers[sample.submitted]
            assert submitted.count() == len(expected)
            stored = Counter(
                Answer.objects.filter(response__in=submitted).values_list("value", flat=True)
            )
            assert stored == Counter(expected[expected != UNANSWERED].tolist())
            result = measurement.results.get(group_kind=MeasurementResult.GroupKind.ORGANIZATION)
            assert result.respondents == len(expected)
            assert result.invited == len(sample.roles)
    # Every stored unit and role has answers, and the door's release holds up to the attack.
    for measurement in measurements:
        submitted = measurement.responses.filter(state="submitted")
        roles = set(submitted.values_list("role", flat=True))
        stored_roles = set(
            measurement.results.filter(group_kind="role").values_list("group_key", flat=True)
        )
        assert stored_roles <= roles
        assert audit_measurement(measurement).exposed == []


def test_the_stored_results_equal_what_mognad_score_gives_for_the_same_answers(
    db, population, tmp_path, capsys
):
    measurement = Measurement.objects.order_by("organization__slug", "year").last()
    answers = tmp_path / "answers.csv"
    answers.write_text(answers_csv(measurement), encoding="utf-8")
    capsys.readouterr()
    call_command(
        "score", str(answers), "--json", "--resamples", str(RESAMPLES), "--instrument", "standard"
    )
    expected = json.loads(capsys.readouterr().out)
    stored = measurement.results.get(group_kind="organization").payload
    assert stored["respondents"] == expected["respondents"] > 0
    assert round(stored["overall"]["score"], 1) == expected["overall"]["score"]
    for category, theirs in expected["categories"].items():
        assert round(stored["categories"][category]["score"], 1) == theirs["score"]
        assert [round(x, 1) for x in stored["categories"][category]["ci"]] == theirs["ci"]


def test_it_leaves_what_a_real_close_leaves_no_links_and_no_link_to_anonymous_answers(
    db, population
):
    assert Measurement.objects.filter(anonymous=False).exists()
    assert not Respondent.objects.exclude(nonce=None).exists()
    assert not Respondent.objects.exclude(token_hash=None).exists()
    assert not Response.objects.exclude(response_key=None).exists()
    assert not Response.objects.filter(
        measurement__anonymous=True, respondent__isnull=False
    ).exists()
    for response in Response.objects.filter(respondent__isnull=False).select_related("respondent"):
        assert (response.unit_id, response.role) == (
            response.respondent.unit_id,
            response.respondent.role,
        )
    for measurement in Measurement.objects.all():
        completed = measurement.respondents.filter(status=Respondent.Status.COMPLETED).count()
        assert completed == measurement.responses.filter(state="submitted").count()
        started = measurement.respondents.filter(status=Respondent.Status.STARTED).count()
        assert started == measurement.responses.filter(state="in_progress").count()


def test_the_peer_benchmarks_are_computed_and_the_run_is_audited(db, population):
    assert set(Benchmark.objects.values_list("year", flat=True)) == benchmark_years()
    event = AuditEvent.objects.get(action="demo.generate")
    assert event.details["seed"] == 5 and event.details["organizations"] == 6


def benchmark_years():
    """Years whose peer group of all organizations the door releases: at least MIN_PEERS
    organizations with released results, and 0 or at least 3 of them unnamed."""
    rows = MeasurementResult.objects.filter(group_kind="organization").values_list(
        "measurement__year", "measurement__organization__named_in_comparisons"
    )
    total, unnamed = Counter(), Counter()
    for year, named in rows:
        total[year] += 1
        unnamed[year] += not named
    return {
        year
        for year, count in total.items()
        if count >= Benchmark.MIN_PEERS and not 0 < unnamed[year] < 3
    }
