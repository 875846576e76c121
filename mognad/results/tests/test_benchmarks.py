"""Peer benchmarks: computed from stored organization results, by the job and the command."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.core.management import call_command

from mognad.results.benchmarks import compute_benchmarks, due_years, refresh_due_benchmarks
from mognad.results.jobs import refresh_benchmarks
from mognad.results.models import Benchmark, MeasurementResult


def overall_scores(year):
    return [
        r.payload["overall"]["score"]
        for r in MeasurementResult.objects.filter(
            group_kind="organization", measurement__year=year, respondents__gte=5
        )
    ]


def test_the_mean_and_percentiles_match_the_organizations_scores(results_2026, peers):
    compute_benchmarks(2026)
    benchmark = Benchmark.objects.get(peer_group="all", node="overall")
    scores = overall_scores(2026)
    assert benchmark.count == 7
    # The database returns the organizations in either order: sums may differ in the last bit.
    assert benchmark.mean == pytest.approx(np.mean(scores), rel=1e-12)
    assert benchmark.median == np.median(scores)
    assert benchmark.p10 < benchmark.p25 < benchmark.median < benchmark.p75 < benchmark.p90


def test_organizations_under_the_threshold_are_not_counted(settings, results_2026, peers):
    settings.ANONYMITY_K = 7  # the peers have 6 respondents each
    compute_benchmarks(2026)
    # One organization left: under MIN_PEERS, so not stored at all.
    assert not Benchmark.objects.filter(peer_group="all", node="overall").exists()


def test_each_peer_group_gets_its_own_benchmark(results_2026, peers):
    compute_benchmarks(2026)
    kinds = Benchmark.objects.filter(peer_group="kind", node="overall")
    assert [(b.peer_value, b.count) for b in kinds] == [("municipality", 7)]
    assert Benchmark.objects.get(peer_group="all", node="overall").count == 7
    # Size class M holds the six peers: Ankeby (unnamed, no size class M) would be all minus M,
    # so the door withholds M (disclosure/organizations.py).
    assert not Benchmark.objects.filter(peer_group="size_class", node="overall").exists()


def test_the_job_recomputes_only_years_with_newer_results(results_2026, peers):
    assert due_years() == [2026]
    assert refresh_benchmarks() == [2026]
    assert due_years() == []
    assert refresh_due_benchmarks() == []
    MeasurementResult.objects.filter(measurement=results_2026).update(
        computed_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    )
    assert due_years() == [2026]


def test_the_command_computes_a_year(results_2026, peers, capsys):
    call_command("results", "benchmarks", "--year", "2026")
    assert "2026" in capsys.readouterr().out
    assert Benchmark.objects.filter(year=2026).exists()
