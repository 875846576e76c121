"""Stored results as the disclosure-control door released them, on a real closed measurement.

Ankeby 2026 (see conftest): Kommunledningsförvaltningen 8 (4 managers + 4 top management),
Socialförvaltningen 6 directly + Äldreomsorg 7 (all staff), Utbildningsförvaltningen 3 (IT).
"""

from __future__ import annotations

from mognad.results import queries
from mognad.results.compute import compute_and_store
from mognad.results.figures import ORGANIZATION, OVERALL, MeasurementFigures
from mognad.results.models import MeasurementRelease
from mognad.surveys.tests.factories import AnswerGroup, closed_measurement


def figures_of(measurement):
    return MeasurementFigures(measurement, queries.results_of(measurement))


def unit_key(unit):
    return ("unit", str(unit.pk))


def test_a_unit_under_k_is_withheld_and_named_as_withheld(results_2026, education):
    figures = figures_of(results_2026)
    assert figures.respondents(unit_key(education)) is None
    assert figures.figure(unit_key(education), OVERALL) is None
    withheld = {(w["kind"], w["key"]): w for w in figures.withheld()}
    assert withheld[unit_key(education)]["name"] == "Utbildningsförvaltningen"


def test_the_unit_that_would_give_the_small_one_away_is_withheld_too(
    results_2026, management, social_services, education
):
    # 24 = 8 + 13 + 3: with the 8 shown, Utbildningsförvaltningen's three would be a cell of their
    # own (the organization minus the shown units). Withholding the 8 merges them into 11.
    figures = figures_of(results_2026)
    assert figures.respondents(unit_key(management)) is None
    assert figures.respondents(unit_key(social_services)) == 13
    assert figures.respondents(ORGANIZATION) == 24


def test_a_unit_with_respondents_placed_directly_in_its_parent_stays_shown(
    results_2026, social_services, elder_care
):
    # Socialförvaltningen 13 = Äldreomsorg 7 + 6 placed directly: both cells ≥ k.
    figures = figures_of(results_2026)
    assert figures.figure(unit_key(elder_care), OVERALL) is not None
    assert figures.figure(unit_key(social_services), OVERALL) is not None


def test_roles_under_k_are_withheld(results_2026):
    figures = figures_of(results_2026)
    assert figures.respondents(("role", "staff")) == 13
    for role in ("manager", "top_management", "it"):
        assert figures.respondents(("role", role)) is None


def test_a_statement_answered_by_fewer_than_k_in_a_cell_is_hidden_there_and_left_out_of_parents(
    ankeby, social_services, elder_care
):
    # Five of Äldreomsorg's six say "Vet ej" to every technology statement ("tek."): its one
    # answerer there would be a cell of one (Äldreomsorg minus nothing). The statements are hidden
    # in Äldreomsorg and shown for Socialförvaltningen (7 answerers, one cell) and the organization.
    measurement = closed_measurement(
        ankeby,
        [
            AnswerGroup(6, value=5, unit=social_services),
            AnswerGroup(5, value=2, unit=elder_care, unknown=("tek.",)),
            AnswerGroup(1, value=3, unit=elder_care),
        ],
    )
    figures = figures_of(measurement)
    items = [i.id for i in measurement.instrument.definition().items if i.id.startswith("tek.")]
    assert items
    elder = unit_key(elder_care)
    for item in items:
        assert figures.figure(ORGANIZATION, ("item", item)) is not None
        assert figures.figure(unit_key(social_services), ("item", item)) is not None
        assert figures.figure(elder, ("item", item)) is None
        assert item in figures.hidden_items(elder)
    # Parents are computed from released statements only: Äldreomsorg's technology category has
    # no released statement, so no figure (it would be the one answerer's own score).
    assert figures.figure(elder, ("category", "technology")) is None
    assert figures.figure(elder, OVERALL) is not None
    assert figures.figure(unit_key(social_services), ("category", "technology")) is not None


def test_a_higher_threshold_on_a_later_scoring_releases_a_subset(
    settings, results_2026, social_services, elder_care
):
    first = figures_of(results_2026)
    settings.ANONYMITY_K = 14
    compute_and_store(results_2026)
    again = figures_of(results_2026)
    assert set(again.groups) <= set(first.groups)
    assert again.respondents(unit_key(social_services)) is None  # 13 < 14
    assert again.respondents(ORGANIZATION) == 24
    settings.ANONYMITY_K = 5  # lowering k never releases more than the higher k did
    compute_and_store(results_2026)
    assert set(figures_of(results_2026).groups) == set(again.groups)
    assert MeasurementRelease.objects.get(measurement=results_2026).k == 14


def test_an_organization_under_k_shows_nothing(settings, results_2026):
    settings.ANONYMITY_K = 25
    compute_and_store(results_2026)
    figures = figures_of(results_2026)
    assert figures.respondents(ORGANIZATION) is None
    assert figures.quadrant(ORGANIZATION, results_2026.instrument.definition()) is None
