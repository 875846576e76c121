"""`mognad demo generate`: writes what a real closed measurement leaves behind, scored by the real
close path; deterministic; refuses to run twice unless told to replace; rejects bad input."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import numpy as np
import pytest
import time_machine
from django.core.management import CommandError, call_command

from mognad.demo.answers import ItemModel, sample_measurement
from mognad.demo.generate import _registry
from mognad.demo.models import GeneratedOrganization
from mognad.demo.population import plan_population
from mognad.instrument.loader import find_instrument
from mognad.orgs.models import Organization, Unit
from mognad.results.models import Benchmark, MeasurementResult, MeasurementScore
from mognad.surveys.models import Answer, Measurement, Respondent, Response

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
RESAMPLES = 200


@pytest.fixture(autouse=True)
def november_2026(settings):
    settings.BOOTSTRAP_RESAMPLES = RESAMPLES
    with time_machine.travel(NOW, tick=False):
        yield


def generate(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("demo", "generate", *args, stdout=out, stderr=err)
    return out.getvalue()


def small(seed: int = 5, orgs: int = 4, years: str = "2025-2026", replace: bool = False) -> str:
    extra = ["--replace"] if replace else []
    return generate("--orgs", str(orgs), "--years", years, "--seed", str(seed), *extra)


def snapshot() -> dict[str, list[tuple]]:
    """Everything generated, keyed by natural keys (primary keys differ between runs)."""
    m = "measurement__"
    return {
        "organizations": sorted(
            Organization.objects.filter(
                pk__in=GeneratedOrganization.objects.values("organization_id")
            ).values_list("slug", "kind", "code", "size_class", "employees", "municipality_group")
        ),
        "units": sorted(Unit.objects.values_list("organization__slug", "name", "unit_type")),
        "measurements": sorted(
            Measurement.objects.values_list("organization__slug", "year", "anonymous", "state")
        ),
        "respondents": sorted(
            Respondent.objects.values_list(
                f"{m}organization__slug", f"{m}year", "email", "unit__name", "role", "status"
            )
        ),
        "responses": sorted(
            Response.objects.values_list(
                "id", f"{m}organization__slug", f"{m}year", "unit__name", "role", "state"
            )
        ),
        "answers": sorted(Answer.objects.values_list("response_id", "item__item_id", "value")),
        "scores": sorted(
            MeasurementScore.objects.values_list(
                "result__measurement__organization__slug",
                "result__measurement__year",
                "result__group_kind",
                "result__unit__name",
                "node",
                "node_id",
                "score",
                "ci_low",
                "ci_high",
                "n",
            ),
            key=repr,
        ),
    }


def test_the_same_seed_generates_identical_data_and_another_seed_different_data(db):
    small(seed=5)
    first = snapshot()
    small(seed=5, replace=True)
    assert snapshot() == first
    small(seed=6, replace=True)
    other = snapshot()
    assert other["answers"] != first["answers"]
    assert other["scores"] != first["scores"]


def test_it_refuses_politely_when_demo_data_exists_and_changes_nothing(db):
    small(seed=5)
    before = [model.objects.count() for model in (Organization, Measurement, Answer)]
    with pytest.raises(CommandError, match=r"already holds demo data .* --replace"):
        small(seed=9)
    assert [model.objects.count() for model in (Organization, Measurement, Answer)] == before


def test_replace_removes_the_earlier_data_and_restores_the_registry_fields(db):
    small(seed=5, orgs=5)
    first_orgs = set(GeneratedOrganization.objects.values_list("organization_id", flat=True))
    invented = set(
        GeneratedOrganization.objects.filter(created=True).values_list("organization_id", flat=True)
    )
    registry = set(first_orgs - invented)
    assert invented and registry

    out = small(seed=7, orgs=3, years="2026", replace=True)
    assert "Removed the earlier demo data of 5 organizations." in out
    assert GeneratedOrganization.objects.count() == 3
    assert not Organization.objects.filter(
        pk__in=invented
        - set(GeneratedOrganization.objects.values_list("organization_id", flat=True))
    ).exists()
    assert set(Measurement.objects.values_list("year", flat=True)) == {2026}
    untouched = registry - set(
        GeneratedOrganization.objects.values_list("organization_id", flat=True)
    )
    for org in Organization.objects.filter(pk__in=untouched):
        assert (org.employees, org.size_class, org.municipality_group) == (None, "", "")
        assert not org.units.exists() and not org.measurements.exists()


def test_remove_deletes_everything_it_wrote(db):
    organizations = Organization.objects.count()
    small(seed=5)
    out = StringIO()
    call_command("demo", "remove", stdout=out)
    assert "Removed the demo data of 4 organizations." in out.getvalue()
    assert Organization.objects.count() == organizations
    for model in (Measurement, Respondent, Response, Answer, MeasurementResult, Unit):
        assert not model.objects.exists(), model
    assert not GeneratedOrganization.objects.exists()
    assert not Benchmark.objects.exists()


def test_registry_organizations_with_their_own_units_or_measurements_are_left_alone(db):
    stockholm = Organization.objects.get(kind="municipality", code="0180")
    Unit.objects.create(
        organization=stockholm, name="Stadsledningskontoret", unit_type="management"
    )
    entries, _ = _registry()
    assert "0180" not in {e.code for e in entries}
    assert len(entries) == 290 + 21 - 1


def test_registry_fields_someone_decided_are_kept(db):
    _, orgs = _registry()
    for org in orgs.values():
        org.municipality_group = "B3" if org.kind == "municipality" else ""
        org.save(update_fields=["municipality_group"])
    small(seed=5)
    filled = Organization.objects.filter(
        pk__in=GeneratedOrganization.objects.filter(created=False).values("organization_id")
    )
    assert filled.exists()
    for org in filled.filter(kind="municipality"):
        assert org.municipality_group == "B3"
        assert org.size_class  # was empty: filled in


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--orgs", "5", "--years", "2019-2030"], "2030 has not begun"),
        (["--orgs", "5", "--years", "2026-2019"], "first year comes after the last"),
        (["--orgs", "5", "--years", "last year"], "a year or a range"),
        (["--orgs", "5", "--years", "1990-1995"], "before 2000"),
        (["--orgs", "0", "--years", "2026"], "between 1 and"),
        (["--orgs", "5", "--years", "2026", "--database", "elsewhere"], "not a configured"),
        (["--orgs", "5", "--years", "2026", "--resamples", "10"], "at least 100"),
        (["--orgs", "5", "--years", "2026", "--jobs", "0"], "at least 1"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(db, arguments, message):
    organizations = Organization.objects.count()
    with pytest.raises(CommandError, match=message):
        generate(*arguments)
    assert Organization.objects.count() == organizations
    assert not Measurement.objects.exists() and not Unit.objects.exists()
    assert not GeneratedOrganization.objects.exists()


def test_answers_are_drawn_per_measurement_independently_of_the_rest_of_the_population(db):
    entries, _ = _registry()
    items = ItemModel.build(find_instrument(None), 5)
    few = plan_population(count=5, years=[2025, 2026], seed=5, registry=entries, categories=6)
    again = plan_population(count=5, years=[2025, 2026], seed=5, registry=entries, categories=6)
    assert few == again
    plan = next(p for p in few if p.years)
    a = sample_measurement(plan, plan.years[0], earlier=0, items=items, seed=5)
    b = sample_measurement(plan, plan.years[0], earlier=0, items=items, seed=5)
    assert np.array_equal(a.answers, b.answers) and a.roles == b.roles
