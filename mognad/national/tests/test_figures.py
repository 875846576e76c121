"""National figures for a year, checked against an independent computation from the stored rows."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mognad.instrument.loader import find_instrument
from mognad.national import figures, queries
from mognad.national.tests.factories import Group, measured, organization, unit_of
from mognad.results.models import MeasurementResult, MeasurementScore

# Student's t, 97.5th percentile, from printed tables.
T_975 = {4: 2.776445105, 5: 2.570581836, 6: 2.446911851, 7: 2.364624252, 9: 2.262157163}
CATEGORIES = ("efficiency", "innovation", "balancing", "organization", "users", "technology")
TYPES = tuple(t.id for t in find_instrument(None).types)


def stored_overall(measurement):
    return MeasurementScore.objects.get(
        result__measurement=measurement,
        result__group_kind=MeasurementResult.GroupKind.ORGANIZATION,
        node="overall",
    ).score


@pytest.fixture
def population(db):
    """Six municipalities and two regions with varied answers, and one municipality under k."""
    measurements = []
    for i in range(6):
        org = organization(
            f"Kommun {i}",
            county="Alän" if i < 3 else "Blän",
            size_class="S" if i % 2 else "M",
            sectors=("social_services", "education"),
        )
        measurements.append(
            measured(
                org,
                [
                    Group(6, level=2.6 + 0.3 * i, unit=unit_of(org, "social_services")),
                    Group(6, level=3.4 + 0.3 * i, unit=unit_of(org, "education")),
                ],
                seed=i,
            )
        )
    for i in range(2):
        org = organization(f"Region {i}", kind="region", county="Alän", size_class="XL")
        measurements.append(measured(org, [Group(8, level=4.0 + i * 0.2)], seed=10 + i))
    small = organization("Liten kommun")
    measured(small, [Group(3, value=6)], seed=20)
    return measurements


def test_the_national_mean_is_the_mean_of_the_organizations_with_a_t_interval(population):
    data = queries.year_data(2026)
    result = figures.national(data, CATEGORIES)
    scores = np.array([stored_overall(m) for m in population])
    mean = scores.mean()
    margin = T_975[7] * scores.std(ddof=1) / math.sqrt(len(scores))
    assert result.organizations == 8
    assert result.overall.n == 8
    assert result.overall.mean == pytest.approx(mean, abs=1e-9)
    assert result.overall.low == pytest.approx(mean - margin, abs=1e-6)
    assert result.overall.high == pytest.approx(mean + margin, abs=1e-6)


def test_an_organization_under_the_threshold_is_left_out_and_counted_as_hidden(population):
    data = queries.year_data(2026)
    assert data.hidden == 1
    assert "Liten kommun" not in [o.name for o in data.organizations]
    result = figures.national(data, CATEGORIES)
    assert result.respondents == 6 * 12 + 8 + 8


def test_every_category_has_its_own_national_mean(population):
    result = figures.national(queries.year_data(2026), CATEGORIES)
    for category in CATEGORIES:
        stored = [
            MeasurementScore.objects.get(
                result__measurement=m,
                result__group_kind="organization",
                node="category",
                node_id=category,
            ).score
            for m in population
        ]
        assert result.nodes[("category", category)].mean == pytest.approx(np.mean(stored))


def test_a_group_with_too_few_organizations_is_hidden_and_so_is_its_only_complement(population):
    result = figures.national(queries.year_data(2026), CATEGORIES)
    kinds = {row.key: row for row in result.by_kind}
    assert kinds["region"].organizations == 2
    assert kinds["region"].mean is None
    # Shown, the municipalities' mean and the national mean would give away the regions' mean.
    assert kinds["municipality"].organizations == 6
    assert kinds["municipality"].mean is None


def test_groups_with_enough_organizations_get_their_mean(db):
    measurements = []
    for i in range(10):
        org = organization(f"Kommun {i}", size_class="S" if i < 5 else "M")
        measurements.append(measured(org, [Group(5, value=2 + i % 4)], seed=i))
    result = figures.national(queries.year_data(2026), CATEGORIES)
    sizes = {row.key: row for row in result.by_size_class}
    small = [stored_overall(m) for m in measurements[:5]]
    assert sizes["S"].mean.mean == pytest.approx(np.mean(small))
    assert sizes["S"].mean.high == pytest.approx(
        np.mean(small) + T_975[4] * np.std(small, ddof=1) / math.sqrt(5)
    )
    assert [row.key for row in result.by_size_class] == ["S", "M"]


def test_the_four_types_are_shared_out_with_wilson_intervals(db):
    for i, value in enumerate([2, 2, 3, 5, 6]):
        measured(organization(f"Kommun {i}"), [Group(5, value=value)], seed=i)
    result = figures.national(queries.year_data(2026), CATEGORIES, type_ids=TYPES)
    assert list(result.types) == list(TYPES)
    assert result.types["stalled"].count == 3
    assert result.types["forerunner"].count == 2
    assert result.types["untapped"].count == 0
    share = result.types["stalled"]
    # Wilson interval for 3 of 5, computed by hand: centre (0.6 + z²/10) / (1 + z²/5).
    z = 1.959963984540054
    centre = (0.6 + z * z / 10) / (1 + z * z / 5)
    margin = z * math.sqrt(0.6 * 0.4 / 5 + z * z / 100) / (1 + z * z / 5)
    assert share.share == pytest.approx(0.6)
    assert share.low == pytest.approx(centre - margin)
    assert share.high == pytest.approx(centre + margin)


def test_the_types_are_shared_out_in_the_instruments_order(db):
    for i, value in enumerate([2, 2, 3, 5, 6]):
        measured(organization(f"Kommun {i}"), [Group(5, value=value)], seed=i)
    data = queries.year_data(2026)
    reordered = (TYPES[2], TYPES[0], TYPES[3], TYPES[1])
    shares = figures.national(data, CATEGORIES, type_ids=reordered).types
    assert list(shares) == list(reordered)
    # Types the instrument does not list (an older version's) follow; none is left out.
    assert list(figures.national(data, CATEGORIES, type_ids=TYPES[1:3]).types) == [
        TYPES[1],
        TYPES[2],
        "forerunner",
        "stalled",
    ]


def test_unit_types_average_the_sector_units_of_enough_organizations(population):
    result = figures.national(queries.year_data(2026), CATEGORIES)
    rows = {row.key: row for row in result.by_unit_type}
    assert rows["education"].units == 6
    assert rows["education"].organizations == 6
    expected = [
        MeasurementScore.objects.get(
            result__measurement=m,
            result__group_kind="unit",
            node="overall",
            result__unit__unit_type="education",
        ).score
        for m in population[:6]
    ]
    assert rows["education"].mean.mean == pytest.approx(np.mean(expected))
    assert rows["social_services"].mean.mean < rows["education"].mean.mean


def test_a_unit_under_the_threshold_does_not_count(db):
    for i in range(5):
        org = organization(f"Kommun {i}", sectors=("social_services", "education"))
        measured(
            org,
            [
                Group(6, value=3, unit=unit_of(org, "education")),
                Group(3, value=6, unit=unit_of(org, "social_services")),
                Group(6, value=3),
            ],
            seed=i,
        )
    data = queries.year_data(2026)
    assert {u.unit_type for u in data.units} == {"education"}


def test_spread_is_all_between_organizations_when_everyone_inside_agrees(db):
    for i, value in enumerate([2, 3, 4, 5, 6]):
        measured(organization(f"Kommun {i}"), [Group(5, value=value)], seed=i)
    result = figures.national(queries.year_data(2026), CATEGORIES)
    for row in result.spread:
        assert row.within_sd == pytest.approx(0, abs=1e-9)
        assert row.share_between == pytest.approx(1)
        assert row.between_sd == pytest.approx(np.std([20, 40, 60, 80, 100], ddof=1))


def test_spread_matches_a_variance_components_computation(population):
    result = figures.national(queries.year_data(2026), CATEGORIES)
    payloads = [
        MeasurementResult.objects.get(measurement=m, group_kind="organization").payload
        for m in population
    ]
    for row in result.spread:
        scores = np.array([p["categories"][row.category_id]["score"] for p in payloads])
        sds = np.array([p["consensus"][row.category_id]["sd"] for p in payloads])
        ns = np.array([p["consensus"][row.category_id]["n"] for p in payloads])
        within = np.sum((ns - 1) * sds**2) / np.sum(ns - 1)
        between = max(0.0, np.var(scores, ddof=1) - np.mean(within / ns))
        assert row.organizations == 8
        assert row.within_sd == pytest.approx(math.sqrt(within))
        assert row.between_sd == pytest.approx(math.sqrt(between))
        assert row.share_between == pytest.approx(between / (between + within))


def test_data_quality_counts_dont_know_and_instrument_versions(db):
    for i in range(5):
        measured(
            organization(f"Kommun {i}"), [Group(10, level=3.5, dont_know=0.2)], seed=i, invited=20
        )
    result = figures.national(queries.year_data(2026), CATEGORIES)
    quality = result.quality
    stored = MeasurementScore.objects.filter(result__group_kind="organization", node="item")
    dont_know = sum(s.dont_know for s in stored)
    seen = dont_know + sum(s.n for s in stored)
    assert quality.dont_know_share == pytest.approx(dont_know / seen)
    assert quality.response_rate == pytest.approx(0.5)
    assert quality.low_response_rate == 0
    assert quality.instruments == {"standard@2026.1": 5}
    assert quality.top_dont_know[0].share >= quality.top_dont_know[-1].share
