"""α, ω, item–rest correlations and ICC (mognad/scoring/reliability/consistency.py), each checked
against an independent implementation or a hand-computed example."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pingouin
import pytest
import semopy
from hypothesis import given, settings
from hypothesis import strategies as st

from mognad.scoring.reliability.consistency import (
    category_scores,
    cronbach_alpha,
    icc,
    internal_consistency,
    item_rest,
    one_factor,
    pairwise_covariance,
)


def _answers(n: int, loadings: list[float], seed: int, missing: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lam = np.array(loadings)
    factor = rng.normal(size=n)
    latent = factor[:, None] * lam + rng.normal(size=(n, len(lam))) * np.sqrt(1 - lam**2)
    values = np.clip(np.rint(3.5 + 1.2 * latent), 1, 6)
    values[rng.random(values.shape) < missing] = np.nan
    return values


def test_pairwise_covariance_is_pandas_pairwise_covariance():
    values = _answers(300, [0.8, 0.7, 0.6, 0.5], seed=1, missing=0.15)
    covariance, counts = pairwise_covariance(values)
    assert np.allclose(covariance, pd.DataFrame(values).cov().to_numpy())
    present = ~np.isnan(values)
    assert counts[0, 1] == int((present[:, 0] & present[:, 1]).sum())


def test_alpha_of_a_hand_computed_example():
    # Three statements, four people: item variances 1, 1, 4/3 … computed by hand below.
    values = np.array([[1, 2, 2], [2, 3, 3], [3, 3, 4], [2, 4, 3]], dtype=float)
    # Column variances (ddof 1): 2/3, 2/3, 2/3; total score 5, 8, 10, 9 → variance 14/3.
    # α = 3/2 · (1 − 2 / (14/3)) = 3/2 · 8/14 = 6/7.
    covariance, _ = pairwise_covariance(values)
    assert cronbach_alpha(covariance) == pytest.approx(6 / 7)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), missing=st.sampled_from([0.0, 0.1, 0.3]))
def test_alpha_agrees_with_pingouin_also_with_missing_answers(seed, missing):
    values = _answers(120, [0.8, 0.6, 0.5, 0.7, 0.4], seed=seed, missing=missing)
    covariance, _ = pairwise_covariance(values)
    expected, _ci = pingouin.cronbach_alpha(pd.DataFrame(values), nan_policy="pairwise")
    assert cronbach_alpha(covariance) == pytest.approx(expected, abs=1e-12)


def test_omega_of_a_population_with_known_loadings():
    loadings = np.array([0.8, 0.7, 0.6, 0.5])
    covariance = np.outer(loadings, loadings) + np.diag(1 - loadings**2)
    model = one_factor(covariance)
    assert model.standardized == pytest.approx(loadings, abs=1e-6)
    # ω = (Σλ)² / ((Σλ)² + Σψ) = 2.6² / (6.76 + 0.36 + 0.51 + 0.64 + 0.75) = 6.76 / 9.02.
    assert model.omega == pytest.approx(6.76 / 9.02, abs=1e-6)


def test_omega_is_in_the_covariance_metric():
    loadings = np.array([0.8, 0.7, 0.6, 0.5])
    sd = np.array([1.0, 2.0, 0.5, 1.5])
    correlation = np.outer(loadings, loadings) + np.diag(1 - loadings**2)
    model = one_factor(correlation * np.outer(sd, sd))
    lam, psi = loadings * sd, (1 - loadings**2) * sd**2
    assert model.omega == pytest.approx(lam.sum() ** 2 / (lam.sum() ** 2 + psi.sum()), abs=1e-6)


def test_one_factor_loadings_agree_with_semopy():
    values = _answers(500, [0.8, 0.7, 0.6, 0.5, 0.75], seed=3, missing=0.1)
    covariance, _counts = pairwise_covariance(values)
    names = ["a", "b", "c", "d", "e"]
    model = semopy.Model("f =~ a + b + c + d + e")
    model.fit(cov=pd.DataFrame(covariance, index=names, columns=names), n_samples=500)
    estimates = model.inspect(std_est=True)
    theirs = estimates[(estimates["op"] == "~") & (estimates["rval"] == "f")]
    ours = one_factor(covariance).standardized
    assert ours == pytest.approx(theirs["Est. Std"].to_numpy(dtype=float), abs=2e-3)


def test_item_rest_is_the_correlation_with_the_sum_of_the_others():
    values = _answers(200, [0.8, 0.7, 0.6, 0.5], seed=4)
    covariance, _ = pairwise_covariance(values)
    for i, r in enumerate(item_rest(covariance)):
        rest = np.delete(values, i, axis=1).sum(axis=1)
        assert r == pytest.approx(np.corrcoef(values[:, i], rest)[0, 1])


def test_icc_of_a_hand_checked_one_way_anova():
    # Groups {1, 2, 3}, {4, 5}, {6, 7, 8, 9}: N = 9, G = 3, means 2, 4.5, 7.5, grand mean 5.
    scores = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9], dtype=float)
    groups = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    result = icc(scores, groups)
    # SSB = 3·9 + 2·0.25 + 4·6.25 = 52.5 → MSB = 26.25; SSW = 2 + 0.5 + 5 = 7.5 → MSW = 1.25.
    assert result.msb == pytest.approx(26.25)
    assert result.msw == pytest.approx(1.25)
    # n₀ = (9 − (9 + 4 + 16) / 9) / 2 = 26/9.
    assert result.n0 == pytest.approx(26 / 9)
    assert result.icc1 == pytest.approx(25 / (26.25 + (26 / 9 - 1) * 1.25))
    assert result.icc2 == pytest.approx(25 / 26.25)


@pytest.mark.filterwarnings("ignore::Warning:pingouin")
def test_icc_mean_squares_agree_with_pingouin_anova():
    rng = np.random.default_rng(7)
    groups = np.repeat(np.arange(12), rng.integers(3, 15, 12))
    scores = rng.normal(50, 10, len(groups)) + rng.normal(0, 6, 12)[groups]
    table = pingouin.anova(
        pd.DataFrame({"y": scores, "g": groups}), dv="y", between="g", detailed=True
    )
    result = icc(scores, groups)
    assert result.msb == pytest.approx(float(table["MS"][0]))
    assert result.msw == pytest.approx(float(table["MS"][1]))


def test_icc_two_is_spearman_brown_of_icc_one_at_n0():
    rng = np.random.default_rng(8)
    groups = np.repeat(np.arange(20), rng.integers(2, 30, 20))
    scores = rng.normal(0, 1, len(groups)) + rng.normal(0, 0.7, 20)[groups]
    result = icc(scores, groups)
    stepped = result.n0 * result.icc1 / (1 + (result.n0 - 1) * result.icc1)
    assert result.icc2 == pytest.approx(stepped)


def test_icc_refuses_a_single_group():
    with pytest.raises(ValueError, match="at least two groups"):
        icc(np.array([1.0, 2.0, 3.0]), np.array([0, 0, 0]))


def test_category_scores_are_percent_of_the_answered_statements():
    values = np.array([[1, 6, np.nan], [np.nan, np.nan, np.nan], [3, 3, 3]])
    scores = category_scores(values, (0, 1, 2))
    assert scores[0] == pytest.approx(50.0)
    assert math.isnan(scores[1])
    assert scores[2] == pytest.approx(40.0)


def _consistency(values, draws, seed):
    dont_know = np.isnan(values)
    return internal_consistency(
        values, dont_know, ("a", "b", "c", "d"), (("cat", (0, 1, 2, 3)),), draws=draws, seed=seed
    )[0]


def test_bootstrap_intervals_are_seeded_and_hold_the_estimate():
    values = _answers(250, [0.8, 0.7, 0.6, 0.5], seed=5, missing=0.05)
    first, again = _consistency(values, 30, 11), _consistency(values, 30, 11)
    other = _consistency(values, 30, 12)
    assert first == again
    assert first.alpha.low != other.alpha.low
    for interval in (first.alpha, first.omega):
        assert interval.low < interval.estimate < interval.high


def test_dont_know_rates_count_dont_know_against_answers_on_the_scale():
    values = _answers(100, [0.8, 0.7, 0.6, 0.5], seed=6)
    values[:25, 0] = np.nan  # "Vet ej" for a quarter on the first statement
    result = _consistency(values, 0, 1)
    assert result.items[0].dont_know == 25
    assert result.items[0].dont_know_rate == pytest.approx(0.25)
    assert result.dont_know_rate == pytest.approx(25 / 400)
    assert result.alpha.low is None  # no draws, no interval
