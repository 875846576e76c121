"""§3 and §4 of docs/scoring.md: jackknife standard errors, t intervals and type probabilities.

Every score is a smooth function of the respondents' answers (item means, then weighted means up the
tree), so its standard error is the jackknife's: leave each respondent (or each sampled unit) out in
turn, re-score, and take the spread of the leave-one-out scores. For an item mean that is exactly
the textbook s / √m. The interval is the score ± t(df) × SE with df = m − 1, m the respondents (or
units) with an answer under the node; clipped to the scale. With a finite-population correction the
variance is multiplied by 1 − n/N.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]

# Above this many degrees of freedom the t quantile comes from its expansion around the normal
# quantile (error below 1e-9); at or below, from the exact distribution function.
_EXPANSION_DF = 200
_BISECTION_STEPS = 80


def _two_sided_t(t: float, df: int) -> float:
    """P(|T| ≤ t) for Student's t with a whole number of degrees of freedom (Abramowitz & Stegun
    26.7.3 and 26.7.4: finite sums in cos θ, θ = atan(t / √df))."""
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    if df % 2 == 1:
        total, term = 0.0, math.cos(theta)
        for k in range(1, (df - 1) // 2 + 1):
            if k > 1:
                term *= c2 * (2 * k - 2) / (2 * k - 1)
            total += term
        return 2.0 / math.pi * (theta + math.sin(theta) * total) if df > 1 else 2 * theta / math.pi
    total, term = 1.0, 1.0
    for k in range(1, (df - 2) // 2 + 1):
        term *= c2 * (2 * k - 1) / (2 * k)
        total += term
    return math.sin(theta) * total


def _normal_quantile(p: float) -> float:
    """The standard normal quantile (bisection on erf; exact to double precision)."""
    low, high = -40.0, 40.0
    for _ in range(_BISECTION_STEPS * 2):
        middle = (low + high) / 2
        if 0.5 * (1 + math.erf(middle / math.sqrt(2))) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


@lru_cache(maxsize=4096)
def t_quantile(confidence: float, df: int) -> float:
    """The two-sided `confidence` quantile of Student's t with `df` degrees of freedom
    (t(0.95, 4) = 2.776…)."""
    if df < 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {df}")
    if df > _EXPANSION_DF:
        z = _normal_quantile(0.5 + confidence / 2)
        terms = (
            (z**3 + z) / 4,
            (5 * z**5 + 16 * z**3 + 3 * z) / 96,
            (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384,
            (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160,
        )
        return float(z + sum(term / df ** (k + 1) for k, term in enumerate(terms)))
    low, high = 0.0, 1.0
    while _two_sided_t(high, df) < confidence:
        high *= 2
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2
        if _two_sided_t(middle, df) < confidence:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def jackknife(left_out: FloatArray, contributes: BoolArray) -> tuple[FloatArray, IntArray]:
    """Per node (row): the jackknife variance of its score and the number of contributors m.

    `left_out` has the node's score with each group (respondent or unit, a column) left out;
    `contributes` whether the group has an answer under the node (only those change the score).
    The variance is (m − 1)/m × Σ (θ₍ᵢ₎ − θ̄)² over the m contributors; NaN when m < 2.
    """
    m = contributes.sum(axis=1)
    values = np.where(contributes, left_out, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = values.sum(axis=1) / m
        squares = np.where(contributes, (left_out - mean[:, None]) ** 2, 0.0).sum(axis=1)
        variance = np.where(m >= 2, (m - 1) / m * squares, np.nan)
    return variance, m.astype(np.intp)


def covariance(left_out: FloatArray, contributes: BoolArray) -> float:
    """The jackknife covariance of two nodes' scores (two rows), over groups in both."""
    both = contributes[0] & contributes[1]
    m = int(both.sum())
    if m < 2:
        return math.nan
    a, b = left_out[0, both], left_out[1, both]
    return float((m - 1) / m * np.sum((a - a.mean()) * (b - b.mean())))


def t_intervals(
    point: FloatArray,
    se: FloatArray,
    df: IntArray,
    confidence: float,
    lowest: float,
    highest: float,
) -> tuple[FloatArray, FloatArray]:
    """score ± t(df) × SE, clipped to [lowest, highest]; where SE is unknown (one contributor) the
    whole scale: one answer says nothing about how far the score may be from the truth."""
    distinct, where = np.unique(df, return_inverse=True)
    factor = np.array([t_quantile(confidence, int(d)) if d >= 1 else np.nan for d in distinct])[
        where
    ]
    margin = factor * se
    unknown = np.isnan(se) & ~np.isnan(point)
    low = np.where(unknown, lowest, np.clip(point - margin, lowest, highest))
    high = np.where(unknown, highest, np.clip(point + margin, lowest, highest))
    return np.where(np.isnan(point), np.nan, low), np.where(np.isnan(point), np.nan, high)


@lru_cache(maxsize=256)
def _t_draws(draws: int, seed: int, df: int) -> FloatArray:
    """`draws` pairs of independent standard normals divided by √(χ²(df)/df) (read-only)."""
    rng = np.random.default_rng(seed)
    normal = rng.standard_normal((draws, 2))
    scale = np.sqrt(rng.chisquare(df, draws) / df)
    result: FloatArray = normal / scale[:, None]
    result.setflags(write=False)
    return result


def bivariate_t_sample(
    point: tuple[float, float],
    variances: tuple[float, float],
    cov: float,
    df: int,
    draws: int,
    seed: int,
) -> FloatArray:
    """`draws` values of the two scores under a bivariate t centred on `point` with the given
    variances and covariance: where the true scores may lie, given the data."""
    sa, sb = (math.sqrt(max(v, 0.0)) for v in variances)
    rho = cov / (sa * sb) if sa > 0 and sb > 0 and not math.isnan(cov) else 0.0
    rho = min(1.0, max(-1.0, rho))
    z = _t_draws(draws, seed, max(df, 1))
    first = point[0] + sa * z[:, 0]
    second = point[1] + sb * (rho * z[:, 0] + math.sqrt(1 - rho * rho) * z[:, 1])
    return np.column_stack([first, second])
