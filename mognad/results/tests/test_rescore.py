"""Re-scoring a year: every closed measurement's results again, then the peer benchmarks."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from mognad.results.models import Benchmark, MeasurementResult
from mognad.results.rescore import rescore_year
from mognad.surveys.models import Measurement


def _stored(year):
    return {
        (r.measurement_id, r.group_kind, r.group_key): (r.payload, r.computed_at)
        for r in MeasurementResult.objects.filter(measurement__year=year)
    }


def test_it_recomputes_every_closed_measurement_of_the_year_and_the_benchmarks(
    results_2026, results_2025, peers
):
    before, other_year = _stored(2026), _stored(2025)
    done = rescore_year(2026)
    after = _stored(2026)
    assert done.measurements == 1 + len(peers)
    assert done.groups == len(after) == len(before)
    # Same answers and settings: the same figures, freshly computed.
    assert {key: payload for key, (payload, _) in after.items()} == {
        key: payload for key, (payload, _) in before.items()
    }
    assert all(after[key][1] > before[key][1] for key in before)
    assert _stored(2025) == other_year
    assert done.benchmarks == Benchmark.objects.filter(year=2026).count() > 0


def test_changed_settings_change_the_stored_intervals(results_2026, settings):
    def stored():
        result = MeasurementResult.objects.get(measurement=results_2026, group_kind="organization")
        return result.payload["overall"]["ci"], result.payload["sampling"]["design"]

    before = stored()
    results_2026.sampling = Measurement.Sampling.UNITS
    results_2026.save()
    rescore_year(2026)
    assert stored()[0] != before[0]
    assert (before[1], stored()[1]) == ("sample", "units")


def test_the_command_reports_what_it_did(results_2026, peers, capsys):
    call_command("results", "rescore", "--year", "2026", "--jobs", "2")
    out = capsys.readouterr().out
    assert f"Re-scored {1 + len(peers)} measurements of 2026" in out
    assert "benchmarks" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2019"], "No closed measurement of 2019 to re-score."),
        (["--year", "2026", "--jobs", "0"], "--jobs must be at least 1"),
    ],
)
def test_bad_arguments_get_a_clear_error_and_change_nothing(results_2026, args, message):
    before = _stored(2026)
    with pytest.raises(CommandError, match=message):
        call_command("results", "rescore", *args)
    assert _stored(2026) == before
