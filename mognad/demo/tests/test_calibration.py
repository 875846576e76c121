"""The answer model reproduces the published picture of the Swedish public sector.

The population is planned and its answers drawn exactly as `mognad demo generate` does, and scored
with the real engine (point estimates: one resample), without a database so that a population
large enough for stable statistics fits in a few seconds. test_generate_command.py shows that what
the generator writes and stores is these answers and their scores.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pytest

from mognad.demo.answers import ROLES, ItemModel, sample_measurement
from mognad.demo.population import RegistryEntry, plan_population
from mognad.instrument.loader import find_instrument
from mognad.orgs.models import Organization
from mognad.orgs.registry import registry_rows
from mognad.scoring.engine import DONT_KNOW, UNANSWERED, score
from mognad.scoring.structure import Structure
from mognad.surveys.models import Role

SEED = 11
ORGANIZATIONS = 160
YEARS = list(range(2019, 2027))
LAST = YEARS[-1]


@dataclass
class Observed:
    overall: dict[int, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))
    kinds: dict[int, str] = field(default_factory=dict)
    categories: list[list[float]] = field(default_factory=list)  # organizations of the last year
    person_categories: list[list[float]] = field(default_factory=list)
    sectors: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    # Unit scores of each municipality in the last year.
    within: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    dont_know: dict[tuple[bool, bool], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    response_rates: list[float] = field(default_factory=list)
    asked: list[int] = field(default_factory=list)
    straight_liners: list[int] = field(default_factory=lambda: [0, 0])


def registry() -> list[RegistryEntry]:
    return [
        RegistryEntry(r["kind"], r["code"], r["name"], r["county"], r["county_code"])
        for r in registry_rows()
    ]


@pytest.fixture(scope="module")
def observed() -> Observed:
    instrument = find_instrument(None)
    structure = Structure.from_instrument(instrument)
    categories = [c.id for c in instrument.categories]
    items = ItemModel.build(instrument, SEED)
    plans = plan_population(
        count=ORGANIZATIONS,
        years=YEARS,
        seed=SEED,
        registry=registry(),
        categories=len(categories),
    )
    seen = Observed()
    it = ROLES.index(Role.IT)
    for plan in plans:
        seen.kinds[plan.index] = plan.kind
        for earlier, year in enumerate(plan.years):
            sample = sample_measurement(plan, year, earlier=earlier, items=items, seed=SEED)
            answers = sample.answers[sample.submitted]
            seen.asked.append(len(sample.roles))
            seen.response_rates.append(float(sample.submitted.mean()))
            result = score(answers, structure, resamples=1)
            assert result.overall.score is not None
            seen.overall[plan.index][year] = result.overall.score
            if year != LAST:
                continue
            seen.categories.append([result.categories[c].score or 0.0 for c in categories])
            roles = np.array([ROLES.index(r) for r in sample.roles])[sample.submitted]
            for is_it in (True, False):
                rows = answers[(roles == it) == is_it]
                for technical in (True, False):
                    part = rows[:, items.technical == technical]
                    counts = seen.dont_know[(is_it, technical)]
                    counts[0] += int((part == DONT_KNOW).sum())
                    counts[1] += int((part != UNANSWERED).sum())
            on_scale = np.where(answers >= 1, answers, np.nan)
            for row in on_scale:
                if np.count_nonzero(~np.isnan(row)) >= 10:
                    seen.straight_liners[0] += int(np.nanmin(row) == np.nanmax(row))
                    seen.straight_liners[1] += 1
            valid = answers >= 1
            steps = np.where(valid, answers, 0).astype(float)
            person = np.full((len(answers), len(categories)), np.nan)
            for k in range(len(categories)):
                columns = items.category == k
                counts = valid[:, columns].sum(axis=1)
                np.divide(steps[:, columns].sum(axis=1), counts, out=person[:, k], where=counts > 0)
            seen.person_categories += [list(row) for row in person if not np.isnan(row).any()]
            units = sample.units[sample.submitted]
            for unit in plan.units:
                if unit.parent is not None:
                    continue
                subtree = [u.key for u in plan.units if unit.key in (u.key, u.parent)]
                mask = np.isin(units, subtree)
                if mask.sum() < 5:
                    continue
                unit_score = score(answers[mask], structure, resamples=1).overall.score
                assert unit_score is not None
                seen.sectors[unit.unit_type].append(unit_score)
                if plan.kind == Organization.Kind.MUNICIPALITY:
                    seen.within[plan.index].append(unit_score)
    return seen


def naive(seen: Observed, year: int) -> float:
    return float(np.mean([by_year[year] for by_year in seen.overall.values() if year in by_year]))


def panel_change(seen: Observed, before: int, after: int) -> float:
    pairs = [
        by_year[after] - by_year[before]
        for by_year in seen.overall.values()
        if before in by_year and after in by_year
    ]
    return float(np.mean(pairs))


def test_national_maturity_stays_between_45_and_55_percent_every_year(observed):
    for year in YEARS:
        assert 45 <= naive(observed, year) <= 55, year


def test_2021_dips_below_the_years_around_it_in_the_naive_and_the_panel_series(observed):
    assert naive(observed, 2021) < naive(observed, 2020) - 1
    assert naive(observed, 2021) < naive(observed, 2022)
    assert panel_change(observed, 2020, 2021) < -1
    assert panel_change(observed, 2021, 2022) > 1


def test_the_sample_grows_every_year(observed):
    sizes = [sum(year in by_year for by_year in observed.overall.values()) for year in YEARS]
    assert sizes == sorted(sizes)
    assert sizes[-1] >= 5 * sizes[0]


def test_organizations_that_measure_repeatedly_improve(observed):
    long = [
        by_year[max(by_year)] - by_year[min(by_year)]
        for by_year in observed.overall.values()
        if len(by_year) >= 5
    ]
    assert len(long) >= 20
    assert np.mean(long) > 2
    assert np.mean([d > 0 for d in long]) > 0.6
    later = [panel_change(observed, a, b) for a, b in itertools.pairwise(YEARS[2:])]
    assert all(change > 0 for change in later)


def test_the_naive_trend_understates_the_change_of_a_fixed_panel(observed):
    naive_changes = [naive(observed, b) - naive(observed, a) for a, b in itertools.pairwise(YEARS)]
    panel_changes = [panel_change(observed, a, b) for a, b in itertools.pairwise(YEARS)]
    # New, less mature organizations join every year and pull the naive national figure down.
    assert np.mean(panel_changes) - np.mean(naive_changes) > 0.7
    assert sum(panel_changes) - sum(naive_changes) > 5


def test_social_services_and_education_are_the_lowest_sectors(observed):
    means = {sector: np.mean(scores) for sector, scores in observed.sectors.items()}
    lowest = sorted(means, key=means.__getitem__)[:2]
    assert set(lowest) == {"social_services", "education"}
    assert means["urban_planning"] - means["social_services"] > 10


def test_sectors_differ_more_inside_a_municipality_than_municipalities_differ(observed):
    within = np.mean([np.std(s, ddof=1) for s in observed.within.values() if len(s) >= 3])
    municipalities = [
        by_year[LAST]
        for index, by_year in observed.overall.items()
        if observed.kinds[index] == Organization.Kind.MUNICIPALITY and LAST in by_year
    ]
    between = np.std(municipalities, ddof=1)
    assert within > 1.2 * between


def test_category_scores_correlate_positively_between_organizations_and_people(observed):
    organizations = np.corrcoef(np.array(observed.categories).T)
    people = np.corrcoef(np.array(observed.person_categories).T)
    off_diagonal = ~np.eye(len(organizations), dtype=bool)
    assert organizations[off_diagonal].min() > 0.3
    assert people[off_diagonal].min() > 0.2
    # … but the categories are not one and the same score.
    assert organizations[off_diagonal].max() < 0.95


def test_vet_ej_is_more_common_on_technical_items_among_respondents_outside_it(observed):
    def share(is_it: bool, technical: bool) -> float:
        dont_know, answered = observed.dont_know[(is_it, technical)]
        return dont_know / answered

    assert share(is_it=False, technical=True) > 0.15
    assert share(is_it=False, technical=True) > 4 * share(is_it=True, technical=True)
    assert share(is_it=False, technical=True) > 3 * share(is_it=False, technical=False)
    assert 0.02 < share(is_it=False, technical=False) < 0.08


def test_a_few_respondents_are_straight_liners(observed):
    straight, everyone = observed.straight_liners
    assert 0.005 < straight / everyone < 0.05


def test_response_rates_lie_around_50_to_85_percent(observed):
    rates = np.array(observed.response_rates)
    assert rates.min() >= 0.45 and rates.max() <= 0.9
    assert 0.62 <= rates.mean() <= 0.74


def test_organizations_ask_between_20_and_300_people_depending_on_size(observed):
    assert min(observed.asked) >= 20
    assert max(observed.asked) <= 330  # up to 300, plus the yearly variation of ±10 %
    assert max(observed.asked) > 150
