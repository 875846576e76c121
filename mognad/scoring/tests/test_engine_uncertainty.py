"""Jackknife standard errors, t intervals, the finite-population and cluster designs, type
probabilities and comparisons (docs/scoring.md §3–§4), on inputs small enough to check by hand."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mognad.scoring.engine import DONT_KNOW, Estimate, compare, score
from mognad.scoring.engine.intervals import t_quantile
from mognad.scoring.tests.factories import make_structure

# Student's t, two-sided 95 %, from printed tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2).
T_TABLE = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 9: 2.262, 30: 2.042, 100: 1.984}


def column(values: list[int], others: int = 4) -> np.ndarray:
    """Item i1 answered as `values`, every other item answered `others`."""
    data = np.full((len(values), 6), others, dtype=np.int8)
    data[:, 0] = values
    return data


def random_answers(respondents: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(1, 7, size=(respondents, 6)).astype(np.int8)


@pytest.mark.parametrize(("df", "expected"), sorted(T_TABLE.items()))
def test_the_t_quantile_matches_the_printed_table(df, expected):
    assert t_quantile(0.95, df) == pytest.approx(expected, abs=5e-4)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5000))
def test_the_t_quantile_falls_with_the_degrees_of_freedom_towards_the_normal(df):
    assert t_quantile(0.95, df) > t_quantile(0.95, df + 1) > 1.959963984540054


def test_the_t_quantile_refuses_zero_degrees_of_freedom():
    with pytest.raises(ValueError, match="at least 1"):
        t_quantile(0.95, 0)


def test_an_item_interval_is_the_mean_plus_minus_t_times_s_over_root_m():
    # Answers 3 4 4 5 3 4 → 40 60 60 80 40 60 %: mean 56.67, s² = 1133.3 / 5 = 226.67,
    # SE = √(226.67 / 6) = 6.146, t(5) = 2.5706, margin 15.80.
    item = score(column([3, 4, 4, 5, 3, 4]), make_structure()).items["i1"]
    assert item.score == pytest.approx(56.6667, abs=1e-4)
    assert item.se == pytest.approx(6.1464, abs=1e-4)
    assert item.ci == pytest.approx((40.866, 72.467), abs=1e-3)


def test_an_interval_is_clipped_to_the_scale():
    # 60 80 40 100: mean 70, SE = 25.82 / 2 = 12.91, t(3) × SE = 41.08 → 28.92 … 111.08 → 100.
    item = score(column([4, 5, 3, 6]), make_structure()).items["i1"]
    assert item.se == pytest.approx(12.9099, abs=1e-4)
    assert item.ci == pytest.approx((28.915, 100.0), abs=1e-3)


def test_answers_that_all_agree_still_get_an_interval_of_one_scale_step():
    # Five answers of 4 (60 %): the SE is that of one answer one step (20 points) away, 20 / 5 = 4.
    item = score(column([4, 4, 4, 4, 4]), make_structure()).items["i1"]
    assert item.se == pytest.approx(4.0)
    assert item.ci == pytest.approx((60 - 2.7764 * 4, 60 + 2.7764 * 4), abs=1e-3)


def test_one_answer_gives_the_whole_scale_and_no_standard_error():
    data = column([5, DONT_KNOW, DONT_KNOW])
    result = score(data, make_structure())
    assert result.items["i1"].score == 80.0
    assert result.items["i1"].ci == (0.0, 100.0)
    assert result.items["i1"].se is None
    alone = score(np.array([[4, 4, 2, 6, 1, 3]], dtype=np.int8), make_structure())
    assert alone.overall.ci == (0.0, 100.0)
    assert alone.quadrant.uncertain
    assert set(alone.quadrant.probabilities.values()) == {0.25}


def test_the_overall_standard_error_of_complete_answers_is_that_of_a_mean_of_respondents():
    # Without gaps the overall score is the mean of the respondents' own overall scores, so the
    # jackknife gives the textbook s / √n.
    data = random_answers(12, seed=4)
    result = score(data, make_structure())
    percent = (data.astype(float) - 1) * 20
    own = (
        ((percent[:, 0] + percent[:, 1]) / 2 + percent[:, 2]) / 2
        + (percent[:, 3] + (percent[:, 4] + percent[:, 5]) / 2) / 2
    ) / 2
    assert result.overall.score == pytest.approx(own.mean())
    assert result.overall.se == pytest.approx(own.std(ddof=1) / math.sqrt(12))
    margin = t_quantile(0.95, 11) * own.std(ddof=1) / math.sqrt(12)
    assert result.overall.ci == pytest.approx((own.mean() - margin, own.mean() + margin))


def test_the_finite_population_correction_shrinks_the_variance_by_one_minus_n_over_n():
    data = random_answers(12, seed=5)
    sample = score(data, make_structure(), invited=30)
    whole = score(data, make_structure(), invited=30, whole_group=True)
    assert whole.overall.score == sample.overall.score
    assert whole.overall.se == pytest.approx(sample.overall.se * math.sqrt(1 - 12 / 30))
    assert whole.items["i3"].se == pytest.approx(sample.items["i3"].se * math.sqrt(1 - 12 / 30))


def test_everyone_of_the_whole_group_answering_leaves_no_uncertainty():
    data = random_answers(9, seed=6)
    result = score(data, make_structure(), invited=9, whole_group=True)
    assert result.overall.se == 0.0
    assert result.overall.ci == (result.overall.score, result.overall.score)
    assert max(result.quadrant.probabilities.values()) == 1.0


def test_whole_units_as_clusters_give_the_spread_of_the_unit_means():
    # Three units of four respondents, every item answered: the jackknife over units gives
    # sd(unit means) / √3 with 2 degrees of freedom.
    data = random_answers(12, seed=7)
    units = np.repeat([10, 20, 30], 4)
    result = score(data, make_structure(), clusters=units)
    percent = (data[:, 2].astype(float) - 1) * 20  # item i3
    means = percent.reshape(3, 4).mean(axis=1)
    assert result.items["i3"].se == pytest.approx(max(means.std(ddof=1) / math.sqrt(3), 20 / 3))
    overall = score(data, make_structure()).overall
    clustered = result.overall
    margin = clustered.ci[1] - clustered.score
    assert margin == pytest.approx(min(t_quantile(0.95, 2) * clustered.se, 100 - clustered.score))
    assert clustered.score == overall.score


def test_clusters_do_not_depend_on_the_order_of_rows_or_their_labels():
    data = random_answers(15, seed=8)
    units = np.repeat([1, 2, 3, 4, 5], 3)
    order = np.random.default_rng(0).permutation(15)
    first = score(data, make_structure(), clusters=units).to_dict()
    assert score(data[order], make_structure(), clusters=units[order]).to_dict() == first
    assert score(data, make_structure(), clusters=units * 7 + 100).to_dict() == first


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"whole_group": True}, "whole_group needs invited"),
        ({"whole_group": 1, "invited": 20}, "whole_group must be True or False"),
        ({"whole_group": True, "invited": 20, "clusters": np.zeros(10, int)}, "exclude each other"),
        ({"clusters": np.zeros(9, int)}, r"clusters must have shape \(10,\)"),
        ({"clusters": np.zeros(10)}, "integer numpy array"),
        ({"clusters": [0] * 10}, "integer numpy array"),
    ],
)
def test_a_bad_design_is_refused_with_a_clear_error(options, message):
    with pytest.raises(ValueError, match=message):
        score(random_answers(10), make_structure(), **options)


def test_a_clear_quadrant_is_certain():
    rng = np.random.default_rng(2)
    data = np.hstack([rng.integers(5, 7, size=(50, 3)), rng.integers(1, 3, size=(50, 3))]).astype(
        np.int8
    )
    quadrant = score(data, make_structure()).quadrant
    assert quadrant.type_id == "high-limiting"
    assert quadrant.probabilities["high-limiting"] == 1.0
    assert not quadrant.uncertain


def test_a_score_near_a_cutoff_makes_the_quadrant_uncertain():
    # Capability exactly 50 on average, with a wide spread; legacy clearly enabling.
    data = np.array([[1, 1, 1, 6, 6, 6], [6, 6, 6, 6, 6, 6]] * 5, dtype=np.int8)
    quadrant = score(data, make_structure()).quadrant
    assert quadrant.type_id == "high-enabling"
    probabilities = quadrant.probabilities
    assert sum(probabilities.values()) == pytest.approx(1.0)
    assert 0.4 < probabilities["low-enabling"] < 0.6
    assert probabilities["low-enabling"] + probabilities["high-enabling"] == pytest.approx(1.0)
    assert quadrant.uncertain


def test_a_type_is_certain_only_from_a_probability_of_95_percent():
    # Capability about 1.9 standard errors above its cut-off: likely, not certain.
    rng = np.random.default_rng(3)
    data = np.hstack([rng.integers(3, 6, size=(20, 3)), np.full((20, 3), 6)]).astype(np.int8)
    result = score(data, make_structure())
    probability = max(result.quadrant.probabilities.values())
    assert result.quadrant.uncertain == (probability < 0.95)


def test_the_same_seed_gives_the_same_probabilities_and_another_seed_nearly_the_same():
    data = random_answers(30)
    first = score(data, make_structure(), seed=5).to_dict()
    assert score(data, make_structure(), seed=5).to_dict() == first
    other = score(data, make_structure(), seed=6).to_dict()
    assert other["overall"] == first["overall"]  # the intervals do not draw anything
    for name, p in first["quadrant"]["probabilities"].items():
        assert other["quadrant"]["probabilities"][name] == pytest.approx(p, abs=0.04)


def test_compare_is_welchs_t_test():
    # SE of the difference √(3² + 4²) = 5; Welch df = 25² / (3⁴/9 + 4⁴/9) = 16.69, t ≈ 2.113:
    # the interval −0.56 … 20.56 includes 0 (a normal approximation, ±9.8, would not).
    change = compare(Estimate(50.0, None, 3.0, 10), Estimate(60.0, None, 4.0, 10))
    assert change.delta == pytest.approx(10.0)
    assert change.ci == pytest.approx((10.0 - 10.564, 10.0 + 10.564), abs=2e-3)
    assert not change.significant
    larger = compare(Estimate(50.0, None, 3.0, 100), Estimate(60.0, None, 4.0, 100))
    assert larger.significant


def test_compare_calls_a_change_inside_the_noise_not_significant():
    change = compare(Estimate(60.0, None, 3.0, 10), Estimate(55.0, None, 4.0, 10))
    assert change.delta == pytest.approx(-5.0)
    assert change.ci[0] < 0 < change.ci[1]
    assert not change.significant


def test_compare_without_a_score_or_a_spread_on_either_side_gives_no_test():
    change = compare(Estimate(None, None, None, 0), Estimate(55.0, (50.0, 60.0), 2.5, 10))
    assert (change.delta, change.ci, change.significant) == (None, None, False)
    alone = compare(Estimate(50.0, (0.0, 100.0), None, 1), Estimate(55.0, (50.0, 60.0), 2.5, 10))
    assert (alone.delta, alone.ci, alone.significant) == (None, None, False)
    one = compare(Estimate(50.0, (40.0, 60.0), 2.0, 1), Estimate(55.0, (50.0, 60.0), 2.5, 10))
    assert (one.delta, one.ci, one.significant) == (5.0, None, False)
