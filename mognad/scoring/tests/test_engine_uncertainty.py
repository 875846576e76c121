"""Bootstrap intervals, standard errors, quadrant probabilities and comparisons."""

import numpy as np
import pytest

from mognad.scoring.engine import Estimate, compare, score
from mognad.scoring.engine.quantiles import percentiles as _percentiles
from mognad.scoring.tests.factories import make_structure


def random_answers(respondents: int, seed: int = 1, low: int = 1, high: int = 6) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(low, high + 1, size=(respondents, 6)).astype(np.int8)


def test_one_respondent_has_a_zero_width_interval():
    result = score(np.array([[4, 4, 2, 6, 1, 3]], dtype=np.int8), make_structure(), resamples=100)
    assert result.items["i1"].ci == (60.0, 60.0)
    assert result.items["i1"].se == 0.0
    assert result.overall.ci == (result.overall.score, result.overall.score)


def test_the_interval_is_the_2_5_and_97_5_percentile_of_the_resampled_scores():
    # Item i1 with two respondents answering 1 and 6: a resample holds 0, 1 or 2 copies of the
    # 6, so its mean is 0, 50 or 100 with probabilities 1/4, 1/2, 1/4.
    data = np.array([[1, 1, 1, 1, 1, 1], [6, 6, 6, 6, 6, 6]], dtype=np.int8)
    result = score(data, make_structure(), resamples=4000, seed=3)
    assert result.items["i1"].score == 50
    assert result.items["i1"].ci == (0.0, 100.0)
    # SD of {0, 50, 100} with weights 1/4, 1/2, 1/4 is √1250 ≈ 35.4.
    assert result.items["i1"].se == pytest.approx(1250**0.5, rel=0.05)


def test_the_bootstrap_standard_error_of_an_item_mean_matches_the_formula():
    data = random_answers(200)
    result = score(data, make_structure(), resamples=4000, seed=7)
    values = (data[:, 0].astype(float) - 1) * 20
    expected = values.std(ddof=0) / np.sqrt(len(values))
    assert result.items["i1"].se == pytest.approx(expected, rel=0.06)
    low, high = result.items["i1"].ci
    assert high - low == pytest.approx(2 * 1.96 * expected, rel=0.1)
    assert low < result.items["i1"].score < high


def test_more_respondents_give_a_narrower_interval():
    small = score(random_answers(20), make_structure(), resamples=1000)
    large = score(random_answers(500), make_structure(), resamples=1000)
    width = [r.overall.ci[1] - r.overall.ci[0] for r in (small, large)]
    assert width[1] < width[0] / 2


def test_the_same_seed_gives_the_same_result_and_another_seed_other_intervals():
    data = random_answers(30)
    first = score(data, make_structure(), resamples=300, seed=5).to_dict()
    assert score(data, make_structure(), resamples=300, seed=5).to_dict() == first
    other = score(data, make_structure(), resamples=300, seed=6).to_dict()
    assert other["overall"]["score"] == first["overall"]["score"]
    assert other["overall"]["ci"] != first["overall"]["ci"]


def test_a_clear_quadrant_is_certain():
    # Capability items high, legacy items low, many respondents.
    rng = np.random.default_rng(2)
    data = np.hstack([rng.integers(5, 7, size=(50, 3)), rng.integers(1, 3, size=(50, 3))]).astype(
        np.int8
    )
    quadrant = score(data, make_structure(), resamples=500).quadrant
    assert quadrant.type_id == "high-limiting"
    assert quadrant.probabilities["high-limiting"] == 1.0
    assert not quadrant.uncertain


def test_a_score_near_a_cutoff_makes_the_quadrant_uncertain():
    # Capability exactly 50 on average, with a wide spread; legacy clearly enabling.
    data = np.array([[1, 1, 1, 6, 6, 6], [6, 6, 6, 6, 6, 6]] * 5, dtype=np.int8)
    quadrant = score(data, make_structure(), resamples=1000).quadrant
    assert quadrant.type_id == "high-enabling"
    probabilities = quadrant.probabilities
    assert set(probabilities) == {"low-limiting", "high-limiting", "low-enabling", "high-enabling"}
    assert sum(probabilities.values()) == pytest.approx(1.0)
    assert 0.3 < probabilities["low-enabling"] < 0.7
    assert probabilities["low-enabling"] + probabilities["high-enabling"] == pytest.approx(1.0)
    assert quadrant.uncertain


def test_percentiles_match_numpys_quantile_and_skip_missing_values():
    rng = np.random.default_rng(0)
    samples = rng.normal(size=(101, 4))
    expected = np.quantile(samples, [0.025, 0.975], axis=0)
    assert np.allclose(_percentiles(samples, (0.025, 0.975)), expected)
    samples[:50, 1] = np.nan
    samples[:, 2] = np.nan
    result = _percentiles(samples, (0.025, 0.975))
    assert np.allclose(result[:, 1], np.quantile(samples[50:, 1], [0.025, 0.975]))
    assert np.isnan(result[:, 2]).all()


def test_compare_uses_the_normal_approximation_from_both_standard_errors():
    change = compare(Estimate(50.0, None, 3.0, 10), Estimate(60.0, None, 4.0, 10))
    assert change.delta == pytest.approx(10.0)
    # SE of the difference √(3² + 4²) = 5; 1.96 × 5 = 9.8.
    assert change.ci == pytest.approx((10.0 - 9.79982, 10.0 + 9.79982))
    assert change.significant


def test_compare_calls_a_change_inside_the_noise_not_significant():
    change = compare(Estimate(60.0, None, 3.0, 10), Estimate(55.0, None, 4.0, 10))
    assert change.delta == pytest.approx(-5.0)
    assert change.ci[0] < 0 < change.ci[1]
    assert not change.significant


def test_compare_without_a_score_on_either_side_gives_no_change():
    change = compare(Estimate(None, None, None, 0), Estimate(55.0, (50.0, 60.0), 2.5, 10))
    assert (change.delta, change.ci, change.significant) == (None, None, False)
