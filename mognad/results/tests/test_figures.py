"""Stored results through the suppression door, on a real closed measurement (see conftest)."""

from __future__ import annotations

from mognad.results import queries
from mognad.results.figures import ORGANIZATION, OVERALL, MeasurementFigures


def figures_of(measurement):
    return MeasurementFigures(measurement, queries.results_of(measurement))


def unit_key(unit):
    return ("unit", str(unit.pk))


def test_a_unit_under_k_is_hidden(results_2026, education):
    figures = figures_of(results_2026)
    assert figures.respondents(unit_key(education)) is None
    assert figures.figure(unit_key(education), OVERALL) is None


def test_the_smallest_sibling_is_hidden_so_the_small_unit_cannot_be_derived(
    results_2026, management, social_services, education
):
    figures = figures_of(results_2026)
    # 24 = 8 + 13 + 3: were the 8 shown, Utbildningsförvaltningen would be 24 − 8 − 13.
    assert figures.groups[unit_key(management)].respondents == 8
    assert figures.respondents(unit_key(management)) is None
    assert figures.respondents(unit_key(social_services)) == 13
    assert figures.respondents(ORGANIZATION) == 24


def test_a_unit_with_respondents_placed_directly_in_its_parent_stays_shown(
    results_2026, social_services, elder_care
):
    # Socialförvaltningen 13 = Äldreomsorg 7 + 6 placed directly: 6 ≥ k, nothing to protect.
    figures = figures_of(results_2026)
    assert figures.figure(unit_key(elder_care), OVERALL) is not None
    assert figures.figure(unit_key(social_services), OVERALL) is not None


def test_roles_under_k_are_hidden_and_cannot_be_derived_from_the_total(results_2026):
    figures = figures_of(results_2026)
    assert figures.respondents(("role", "staff")) == 13
    for role in ("manager", "top_management", "it"):
        assert figures.respondents(("role", role)) is None
    # The hidden roles together are 11 ≥ k: the staff figure may be shown.


def test_a_statement_answered_by_fewer_than_k_is_hidden_even_in_a_shown_group(results_2026):
    result = results_2026.results.get(group_kind="organization")
    item = next(iter(result.payload["items"]))
    result.payload["items"][item]["n"] = 4
    result.save()
    figures = figures_of(results_2026)
    assert figures.figure(ORGANIZATION, OVERALL) is not None
    assert figures.figure(ORGANIZATION, ("item", item)) is None


def test_a_higher_threshold_hides_more(settings, results_2026, social_services):
    settings.ANONYMITY_K = 14
    figures = figures_of(results_2026)
    assert figures.respondents(unit_key(social_services)) is None
    assert figures.respondents(ORGANIZATION) == 24


def test_an_organization_under_k_shows_nothing(settings, results_2026):
    settings.ANONYMITY_K = 25
    figures = figures_of(results_2026)
    assert figures.respondents(ORGANIZATION) is None
    assert figures.quadrant(ORGANIZATION, results_2026.instrument.definition()) is None
