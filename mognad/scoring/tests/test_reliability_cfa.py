"""The CFA of the six-category model and measurement invariance (mognad/scoring/reliability/cfa.py)
on simulated answers with a known structure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import semopy

from mognad.scoring.reliability.cfa import CONFIGURAL, METRIC, SCALAR, Moments, fit, invariance
from mognad.scoring.reliability.consistency import pairwise_covariance

SIZES = (4, 4, 3, 3, 3, 4)
CORRELATION = 0.5


def _simulate(n, seed, *, loadings=None, shift=0.0, intercept_shift=None, missing=0.0):
    """Six correlated factors, each measured by its statements with the given loadings."""
    rng = np.random.default_rng(seed)
    k = len(SIZES)
    correlation = np.full((k, k), CORRELATION) + np.eye(k) * (1 - CORRELATION)
    factors = rng.multivariate_normal(np.full(k, shift), correlation, n)
    columns, names, structure = [], [], []
    position = 0
    for f, size in enumerate(SIZES):
        items = []
        for j in range(size):
            lam = 0.6 + 0.2 * (j % 2) if loadings is None else loadings[position]
            noise = rng.normal(size=n) * np.sqrt(1 - lam**2)
            shift_j = 0.0 if intercept_shift is None else intercept_shift[position]
            columns.append(lam * factors[:, f] + noise + shift_j)
            names.append(f"c{f}.s{j}")
            items.append(f"c{f}.s{j}")
            position += 1
        structure.append((f"category{f}", items))
    values = np.array(columns).T
    values[rng.random(values.shape) < missing] = np.nan
    return values, names, structure


def _moments(label, values, names):
    covariance, counts = pairwise_covariance(values)
    return Moments(label, tuple(names), covariance, np.nanmean(values, axis=0), int(counts.min()))


def test_cfa_recovers_known_loadings_and_fits_well():
    values, names, structure = _simulate(3000, seed=1, missing=0.05)
    result = fit([_moments("all", values, names)], structure)
    expected = {name: 0.6 + 0.2 * (int(name[-1]) % 2) for name in names}
    assert result.converged
    for name in names:
        assert result.loadings[name] == pytest.approx(expected[name], abs=0.06)
    for correlation in result.factor_correlations.values():
        assert correlation == pytest.approx(CORRELATION, abs=0.08)
    assert result.cfi > 0.98
    assert result.tli > 0.98
    assert result.rmsea < 0.03
    assert result.srmr < 0.04


def test_a_single_factor_fits_worse_than_the_six_categories():
    values, names, structure = _simulate(800, seed=2)
    moments = _moments("all", values, names)
    six = fit([moments], structure)
    one = fit([moments], [("general", names)])
    assert one.chi2 > six.chi2 + 200
    assert one.cfi < six.cfi - 0.05
    assert one.rmsea > six.rmsea + 0.03


def test_one_group_gives_semopys_own_chi_square():
    values, names, structure = _simulate(600, seed=3)
    moments = _moments("all", values, names)
    ours = fit([moments], structure)
    alias = {name: f"x{i}" for i, name in enumerate(names)}
    description = "\n".join(
        f"F{n} =~ " + " + ".join(alias[i] for i in items) for n, (_, items) in enumerate(structure)
    )
    model = semopy.Model(description)
    columns = [alias[n] for n in names]
    model.fit(
        cov=pd.DataFrame(moments.covariance, index=columns, columns=columns), n_samples=moments.n
    )
    chi2, _p = semopy.stats.calc_chi2(model)
    assert ours.chi2 == pytest.approx(chi2, rel=1e-3)
    assert ours.df == semopy.stats.calc_dof(model)


def test_invariant_groups_lose_no_fit_and_the_levels_are_nested():
    a, names, structure = _simulate(700, seed=4)
    b, _, _ = _simulate(500, seed=5, shift=0.4)  # another mean, the same measurement
    result = invariance([_moments("a", a, names), _moments("b", b, names)], structure)
    configural, metric, scalar = result.fits
    assert [f.level for f in result.fits] == [CONFIGURAL, METRIC, SCALAR]
    assert configural.chi2 <= metric.chi2 + 1e-6 <= scalar.chi2 + 2e-6
    assert configural.df < metric.df < scalar.df
    assert abs(result.delta(METRIC)[0]) < 0.01
    assert abs(result.delta(SCALAR)[0]) < 0.01


def test_shifted_intercepts_break_scalar_invariance_only():
    a, names, structure = _simulate(700, seed=6)
    shifts = np.zeros(len(names))
    shifts[[0, 5, 9, 12]] = 0.8  # the statements mean something else in group b
    b, _, _ = _simulate(700, seed=7, intercept_shift=shifts)
    result = invariance([_moments("a", a, names), _moments("b", b, names)], structure)
    assert abs(result.delta(METRIC)[0]) < 0.01
    assert result.delta(SCALAR)[0] < -0.02
    assert result.delta(SCALAR)[1] > 0.01


def test_different_loadings_break_metric_invariance():
    a, names, structure = _simulate(900, seed=8)
    loadings = [0.7] * len(names)
    loadings[1], loadings[5], loadings[9] = 0.2, 0.95, 0.2
    b, _, _ = _simulate(900, seed=9, loadings=loadings)
    result = invariance([_moments("a", a, names), _moments("b", b, names)], structure)
    assert result.delta(METRIC)[0] < -0.005


def test_bad_structures_are_refused():
    values, names, structure = _simulate(300, seed=10)
    moments = _moments("all", values, names)
    with pytest.raises(ValueError, match="at least two statements"):
        fit([moments], [("lonely", [names[0]])])
    with pytest.raises(ValueError, match="no data for"):
        fit([moments], [("ghost", ["nope.1", "nope.2"])])
    with pytest.raises(ValueError, match="unknown invariance level"):
        fit([moments], structure, "strict")
    with pytest.raises(ValueError, match="at least two groups"):
        invariance([moments], structure)
