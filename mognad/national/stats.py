"""Small statistics for national figures: Student's t, mean intervals, paired and Welch tests.

Pure Python and numpy (no SciPy in the dependencies). Student's t distribution function comes from
the regularized incomplete beta function, evaluated with its continued fraction (Lentz's method, as
in Numerical Recipes §6.4); quantiles by bisection on it. Accurate to about 1e-10, far beyond what a
figure rounded to 0.1 needs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

CONFIDENCE = 0.95
_EPS = 1e-15
_TINY = 1e-300


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with `df` degrees of freedom."""
    if df <= 0:
        raise ValueError(f"degrees of freedom must be positive, got {df}")
    tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The t such that P(T ≤ t) = p."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be strictly between 0 and 1, got {p}")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2.0


def two_sided_p(t: float, df: float) -> float:
    return min(1.0, 2.0 * t_cdf(-abs(t), df))


@dataclass(frozen=True)
class Mean:
    """The mean of `n` values with its 95 % t interval (None when n < 2) and SD."""

    mean: float | None
    low: float | None
    high: float | None
    sd: float | None
    n: int

    @property
    def margin(self) -> float | None:
        if self.mean is None or self.high is None:
            return None
        return self.high - self.mean


def mean_interval(values: Sequence[float]) -> Mean:
    """Mean ± t(0.975, n − 1) × SD / √n over the values (organizations, units …)."""
    data = np.asarray(values, dtype=np.float64)
    n = len(data)
    if n == 0:
        return Mean(None, None, None, None, 0)
    mean = float(data.mean())
    if n < 2:
        return Mean(mean, None, None, None, 1)
    sd = float(data.std(ddof=1))
    margin = t_quantile(0.5 + CONFIDENCE / 2, n - 1) * sd / math.sqrt(n)
    return Mean(mean, mean - margin, mean + margin, sd, n)


@dataclass(frozen=True)
class Difference:
    """A difference of means with its 95 % interval and two-sided p-value (t test)."""

    delta: float | None
    low: float | None
    high: float | None
    p: float | None
    n: int

    @property
    def significant(self) -> bool:
        return self.p is not None and self.p < 1 - CONFIDENCE


def paired(before: Sequence[float], after: Sequence[float]) -> Difference:
    """The mean of after − before over pairs, with a t interval and the paired t test."""
    if len(before) != len(after):
        raise ValueError("paired values need the same number of before and after values")
    diffs = np.asarray(after, dtype=np.float64) - np.asarray(before, dtype=np.float64)
    n = len(diffs)
    if n == 0:
        return Difference(None, None, None, None, 0)
    delta = float(diffs.mean())
    if n < 2:
        return Difference(delta, None, None, None, 1)
    se = float(diffs.std(ddof=1)) / math.sqrt(n)
    margin = t_quantile(0.5 + CONFIDENCE / 2, n - 1) * se
    p = (1.0 if delta == 0 else 0.0) if se == 0 else two_sided_p(delta / se, n - 1)
    return Difference(delta, delta - margin, delta + margin, p, n)


def welch(before: Sequence[float], after: Sequence[float]) -> Difference:
    """mean(after) − mean(before) for two independent samples (Welch's t interval and test)."""
    a = np.asarray(before, dtype=np.float64)
    b = np.asarray(after, dtype=np.float64)
    if len(a) == 0 or len(b) == 0:
        return Difference(None, None, None, None, len(a) + len(b))
    delta = float(b.mean() - a.mean())
    if len(a) < 2 or len(b) < 2:
        return Difference(delta, None, None, None, len(a) + len(b))
    va, vb = float(a.var(ddof=1)) / len(a), float(b.var(ddof=1)) / len(b)
    se = math.sqrt(va + vb)
    if se == 0:
        return Difference(delta, delta, delta, 1.0 if delta == 0 else 0.0, len(a) + len(b))
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    margin = t_quantile(0.5 + CONFIDENCE / 2, df) * se
    return Difference(
        delta, delta - margin, delta + margin, two_sided_p(delta / se, df), len(a) + len(b)
    )


@dataclass(frozen=True)
class Share:
    """count / total with its 95 % Wilson score interval."""

    count: int
    total: int
    share: float | None
    low: float | None
    high: float | None


def wilson(count: int, total: int) -> Share:
    if total <= 0:
        return Share(count, total, None, None, None)
    z = 1.959963984540054
    p = count / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return Share(count, total, p, max(0.0, centre - margin), min(1.0, centre + margin))
