"""Change between two years: the fixed panel next to the naive comparison, and the type flows.

The constructed case: five organizations measure in 2025 and 2026 and all improve; in 2026 five
newcomers join with low scores. The panel shows the real improvement (+24 points), the naive
comparison of all organizations of each year shows a decline (−10 points).
"""

from __future__ import annotations

import pytest
from django.utils import translation

from mognad.instrument.loader import find_instrument
from mognad.national import figures, queries
from mognad.national.queries import OVERALL
from mognad.national.stats import two_sided_p
from mognad.national.tests.factories import Group, measured, organization

# Every answer v gives (v − 1) × 20 %.
PANEL_2025 = [2, 3, 3, 4, 4]  # 20, 40, 40, 60, 60 → mean 44
PANEL_2026 = [3, 4, 4, 5, 6]  # 40, 60, 60, 80, 100 → differences 20, 20, 20, 20, 40
NEWCOMERS_2026 = [1, 1, 1, 1, 1]  # 0 %


@pytest.fixture
def constructed(db):
    for i, (before, after) in enumerate(zip(PANEL_2025, PANEL_2026, strict=True)):
        org = organization(f"Panelkommun {i}")
        measured(org, [Group(5, value=before)], year=2025, seed=i)
        measured(org, [Group(5, value=after)], year=2026, seed=10 + i)
    for i, value in enumerate(NEWCOMERS_2026):
        measured(organization(f"Ny kommun {i}"), [Group(5, value=value)], year=2026, seed=20 + i)
    return figures.change(queries.year_data(2025), queries.year_data(2026), [OVERALL])


def test_the_panel_change_is_the_mean_of_the_paired_differences(constructed):
    overall = constructed.overall
    assert constructed.panel == 5
    assert overall.panel.delta == pytest.approx(24)
    # SD of the differences √80, SE 4, t(0.975, 4) = 2.776445.
    assert overall.panel.low == pytest.approx(24 - 2.776445105 * 4)
    assert overall.panel.high == pytest.approx(24 + 2.776445105 * 4)
    assert overall.panel.p == pytest.approx(two_sided_p(6.0, 4))
    assert overall.panel.significant
    assert (overall.panel_before, overall.panel_after) == (pytest.approx(44), pytest.approx(68))


def test_the_naive_change_compares_all_organizations_of_each_year(constructed):
    overall = constructed.overall
    assert overall.naive_before == pytest.approx(44)
    assert overall.naive_after == pytest.approx(34)
    assert overall.naive.delta == pytest.approx(-10)
    assert constructed.joined == 5 and constructed.left == 0
    assert constructed.joined_mean == pytest.approx(0)


def test_the_sentence_explains_why_the_two_differ(constructed):
    with translation.override("en"):
        text = figures.explain(constructed)
    assert "+24.0" in text and "-10.0" in text
    assert "5 organizations that joined in 2026 averaged 0.0\u00a0%" in text
    assert "44.0\u00a0% for the panel in 2025" in text


def test_the_flows_count_panel_organizations_by_type_in_each_year(constructed):
    # 20 and 40 % are "stalled" (both axes under 50 %); 60 % and more are "forerunner".
    assert constructed.flows == {
        ("stalled", "stalled"): 1,
        ("stalled", "forerunner"): 2,
        ("forerunner", "forerunner"): 2,
    }
    assert constructed.moved == 2
    types = tuple(t.id for t in find_instrument(None).types)
    assert types == ("stalled", "constrained", "untapped", "forerunner")
    matrix = dict((source, counts) for source, counts, _ in constructed.flow_matrix(types))
    assert matrix["stalled"] == [1, 0, 0, 2]


def test_the_flow_matrix_follows_the_order_it_is_given(constructed):
    order = ("forerunner", "untapped", "constrained", "stalled")
    rows = constructed.flow_matrix(order)
    assert [source for source, _counts, _total in rows] == list(order)
    assert rows[0] == ("forerunner", [2, 0, 0, 0], 2)
    assert rows[3] == ("stalled", [2, 0, 0, 1], 3)


def test_without_a_common_organization_there_is_no_panel(db):
    # Named: a national mean of one unnamed organization would be that organization's own.
    measured(organization("Kommun A", named=True), [Group(5, value=3)], year=2025)
    measured(organization("Kommun B", named=True), [Group(5, value=4)], year=2026)
    found = figures.change(queries.year_data(2025), queries.year_data(2026), [OVERALL])
    assert found.panel == 0
    assert found.overall.panel.delta is None
    assert found.overall.naive.delta == pytest.approx(20)
    with translation.override("en"):
        assert "too few organizations" in figures.explain(found)


def test_one_or_two_unnamed_organizations_get_no_national_mean_and_no_change(db):
    measured(organization("Kommun A"), [Group(5, value=3)], year=2025)
    measured(organization("Kommun B"), [Group(5, value=4)], year=2026)
    found = figures.change(queries.year_data(2025), queries.year_data(2026), [OVERALL])
    assert found.overall.naive.delta is None
    assert OVERALL not in figures.node_means(queries.year_data(2026).organizations)


def test_when_the_same_organizations_take_part_the_two_agree(db):
    for i, (before, after) in enumerate(zip(PANEL_2025, PANEL_2026, strict=True)):
        org = organization(f"Kommun {i}")
        measured(org, [Group(5, value=before)], year=2025, seed=i)
        measured(org, [Group(5, value=after)], year=2026, seed=i)
    found = figures.change(queries.year_data(2025), queries.year_data(2026), [OVERALL])
    assert found.overall.naive.delta == pytest.approx(found.overall.panel.delta)
    with translation.override("en"):
        assert "agree" in figures.explain(found)


def test_the_series_chains_the_panel_changes_onto_the_first_year(constructed):
    points = figures.series({y: queries.year_data(y).organizations for y in (2025, 2026)})
    assert [p.year for p in points] == [2025, 2026]
    assert points[0].chained == pytest.approx(44)
    assert points[1].chained == pytest.approx(44 + 24)
    assert points[1].naive.mean == pytest.approx(34)
    assert points[1].panel == 5
