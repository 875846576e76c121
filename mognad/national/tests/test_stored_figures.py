"""Stored national figures: computed once, served while their inputs are unchanged, and never stale
when results are stored again, measurements close or reopen, or organizations and units change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mognad.national import store
from mognad.national.models import NationalYear
from mognad.national.tests.factories import Group, measured, organization
from mognad.orgs.models import Organization, Unit
from mognad.platform import schedule
from mognad.results.compute import compute_and_store
from mognad.surveys.models import Answer, Measurement
from mognad.test import make_unit

URL = reverse("national:overview")


@pytest.fixture
def two_years(two_years_for_module, db):
    return two_years_for_module


def shown(client, year=2026):
    """The page's sections, after checking the figures it shows are those of a fresh computation."""
    response = client.get(URL, {"year": year})
    assert response.status_code == 200
    fresh = store.compute(year)
    overall = response.context["sections"].maturity.headline[0]
    assert overall.score == fresh.national.overall.mean
    assert overall.n == fresh.national.organizations
    return response.context["sections"]


def measurement_of(name, year=2026):
    return Measurement.objects.get(organization__name=name, year=year)


def store_again_with(measurement, value):
    """Everyone in `measurement` now answers `value` to every statement; results stored again."""
    Answer.objects.filter(response__measurement=measurement).update(value=value)
    compute_and_store(measurement)


def test_the_stored_figures_equal_a_fresh_computation(two_years):
    for year in (2025, 2026):
        served = store.figures(year)
        assert store.stored(year) == served == store.compute(year)
        assert NationalYear.objects.get(year=year).fingerprint == store.fingerprint(year)


def test_the_stored_figures_keep_times_tuples_and_empty_values(two_years):
    found = store.figures(2026)
    again = store.decode(store.encode(found))
    assert again.data_date == found.data_date and again.data_date.tzinfo is not None
    assert again.base_data_date is not None
    assert ("category", "efficiency") in again.national.nodes
    assert again.change is not None and again.change.flows == found.change.flows
    assert store.figures(2025).change is None


def test_a_second_request_serves_the_stored_figures_without_computing(
    nadia_client, two_years, monkeypatch
):
    first = nadia_client.get(URL).context["sections"].maturity.headline

    def must_not_compute(year):
        raise AssertionError(f"computed {year} again")

    monkeypatch.setattr(store, "compute", must_not_compute)
    assert nadia_client.get(URL).context["sections"].maturity.headline == first


def test_results_stored_again_show_at_once(nadia_client, two_years):
    before = shown(nadia_client).maturity.headline[0].score
    store_again_with(measurement_of("Kommun 3"), 6)
    assert shown(nadia_client).maturity.headline[0].score > before


def test_a_measurement_that_closes_shows_at_once(nadia_client, two_years):
    assert shown(nadia_client).maturity.headline[0].n == 8
    measured(organization("Ny kommun"), [Group(6, value=5)], seed=7)
    assert shown(nadia_client).maturity.headline[0].n == 9


def test_a_reopened_measurement_leaves_the_figures_at_once(nadia_client, two_years):
    shown(nadia_client)
    Measurement.objects.filter(pk=measurement_of("Kommun 3").pk).update(
        state=Measurement.State.OPEN
    )
    sections = shown(nadia_client)
    assert sections.maturity.headline[0].n == 7
    assert sections.participation.total.open == 1


def test_a_change_of_consent_shows_at_once(nadia_client, two_years):
    assert shown(nadia_client).named == ("Kommun 0", "Kommun 1")
    Organization.objects.filter(name="Kommun 2").update(named_in_comparisons=True)
    Organization.objects.filter(name="Kommun 0").update(named_in_comparisons=False)
    assert shown(nadia_client).named == ("Kommun 1", "Kommun 2")


def test_a_change_of_county_or_organization_type_shows_in_the_breakdowns(nadia_client, two_years):
    shown(nadia_client)
    Organization.objects.filter(name__startswith="Kommun ").update(county="Clän")
    assert [row.label for row in shown(nadia_client).groups.counties.rows] == ["Clän"]
    Organization.objects.filter(name__startswith="Kommun ").update(kind="region")
    assert [row.label for row in shown(nadia_client).groups.kinds.rows] == ["Region"]


def test_a_unit_given_another_type_shows_in_the_unit_type_figures(nadia_client, two_years):
    # Only the social services units are shown (the education ones would give away the two
    # respondents outside both units).
    assert [row.label for row in shown(nadia_client).groups.unit_types.rows] == ["Socialtjänst"]
    Unit.objects.filter(unit_type="social_services").update(unit_type="it")
    assert [row.label for row in shown(nadia_client).groups.unit_types.rows] == [
        "IT och digitalisering"
    ]


def test_a_change_in_the_year_before_shows_in_the_change_and_the_series(
    nadia_client, two_years, settings
):
    # About recomputing, not the door: with k = 1 for unnamed organizations the panel is shown
    # (in these eight organizations the panel would single out the two newcomers by county).
    settings.ANONYMITY_UNNAMED_ORGANIZATIONS = 1
    before = shown(nadia_client)
    panel_before = before.maturity.change.overall.panel.delta
    store_again_with(measurement_of("Kommun 3", 2025), 1)
    after = shown(nadia_client)
    assert after.maturity.change.overall.panel.delta > panel_before
    assert after.maturity.series[0].naive.mean < before.maturity.series[0].naive.mean


def test_a_unit_moved_in_the_tree_changes_the_fingerprint(two_years):
    before = store.fingerprint(2026)
    org = two_years[0]
    unit = org.units.get(unit_type="social_services")
    unit.parent = make_unit(org, "Välfärdsförvaltningen", "management")
    unit.save()
    assert store.fingerprint(2026) != before


def test_another_anonymity_threshold_computes_the_figures_again(nadia_client, two_years, settings):
    assert shown(nadia_client).maturity.headline[0].n == 8
    # Every organization has 14 respondents in 2026.
    settings.ANONYMITY_K = 15
    sections = shown(nadia_client)
    assert sections.maturity.headline[0].n == 0
    assert sections.quality.hidden == 8


def test_the_page_takes_the_same_number_of_queries_with_more_organizations(nadia_client, two_years):
    def queries():
        with CaptureQueriesContext(connection) as computing:
            nadia_client.get(URL)
        with CaptureQueriesContext(connection) as stored:
            nadia_client.get(URL)
        return len(computing), len(stored)

    few = queries()
    for i in range(3):
        org = organization(f"Fler kommun {i}", sectors=("social_services",))
        measured(org, [Group(6, level=3.0, unit=org.units.get())], year=2026, seed=40 + i)
    assert queries() == few
    assert few[1] < few[0]


def test_the_refresh_job_computes_the_years_whose_inputs_changed(two_years):
    schedule.autodiscover()
    job = {j.name: j for j in schedule.jobs()}["national.refresh_figures"]
    assert job.func() == [2025, 2026]
    assert job.func() == []
    Organization.objects.filter(name="Kommun 7").update(size_class="XL")
    assert job.func() == [2026]  # Kommun 7 has results in 2026 only
    store_again_with(measurement_of("Kommun 3", 2025), 2)
    assert job.func() == [2025, 2026]  # 2026 compares with 2025
    assert store.stored(2026) == store.compute(2026)
