"""Internal consistency of one category's statements and agreement within organizations.

Everything here works on the answers on the scale (1–6); "Vet ej" and unanswered statements are
missing (NaN). Missing data are handled **pairwise**: every covariance is computed over the
respondents who answered both statements (available cases), so a respondent who said "Vet ej" to one
statement still counts for the others. α, ω and the item–rest correlations are functions of that
covariance matrix C of a category's k statements:

- Cronbach's α = k / (k − 1) · (1 − tr C / ΣC);
- McDonald's ω from a one-factor model fitted to C by maximum likelihood (the classical
  Lawley–Maxwell/Jöreskog algorithm on the correlation matrix, then rescaled):
  ω = (Σ λ_j)² / ((Σ λ_j)² + Σ ψ_j), λ the loadings and ψ the residual variances;
- the item–rest correlation of statement i is the correlation of i with the sum of the others:
  Σ_{j≠i} C_ij / √(C_ii · Σ_{j,l≠i} C_jl).

Bootstrap intervals resample respondents with replacement (a seeded generator) and take the 2.5th
and 97.5th percentiles of the statistic over the draws.

ICC(1) and ICC(2) treat organizations as the groups of a one-way analysis of variance of the
respondents' category scores (their mean over the category's answered statements, in percent), with
unequal group sizes n_g (N respondents, G organizations):

    MSB = Σ n_g (ȳ_g − ȳ)² / (G − 1),   MSW = Σ_g Σ_i (y_gi − ȳ_g)² / (N − G),
    n₀  = (N − Σ n_g² / N) / (G − 1),
    ICC(1) = (MSB − MSW) / (MSB + (n₀ − 1) · MSW),   ICC(2) = (MSB − MSW) / MSB.

ICC(1) is the share of a respondent's variance that lies between organizations; ICC(2) the
reliability of an organization's mean (equal to the Spearman–Brown step-up of ICC(1) to n₀ people).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

_PSI_FLOOR = 0.005


def pairwise_covariance(values: FloatArray) -> tuple[FloatArray, IntArray]:
    """The covariance of every pair of columns over the rows where both are present (NaN: missing),
    with the means of those rows (as pandas' DataFrame.cov does), and the pairwise counts.

    A pair with fewer than two rows in common gets NaN.
    """
    present = ~np.isnan(values)
    mask = present.astype(np.float64)
    filled = np.where(present, values, 0.0)
    counts = mask.T @ mask
    sums = filled.T @ mask  # [i, j]: the sum of column i over the rows where j is present
    products = filled.T @ filled
    with np.errstate(invalid="ignore", divide="ignore"):
        covariance = (products - sums * sums.T / counts) / (counts - 1)
    covariance[counts < 2] = np.nan
    return covariance, counts.astype(np.intp)


def cronbach_alpha(covariance: FloatArray) -> float:
    k = covariance.shape[0]
    if k < 2:
        raise ValueError("Cronbach's alpha needs at least two statements")
    return float(k / (k - 1) * (1.0 - np.trace(covariance) / covariance.sum()))


@dataclass(frozen=True)
class OneFactor:
    """A one-factor model of a covariance matrix: loadings and residual variances (its metric)."""

    loadings: tuple[float, ...]
    residuals: tuple[float, ...]
    standardized: tuple[float, ...]  # loadings in the correlation metric

    @property
    def omega(self) -> float:
        common = sum(self.loadings) ** 2
        return common / (common + sum(self.residuals))


def _loadings_for(psi: FloatArray, correlation: FloatArray) -> FloatArray:
    scale = 1.0 / np.sqrt(psi)
    values, vectors = np.linalg.eigh(correlation * scale[:, None] * scale[None, :])
    first = vectors[:, -1] * math.sqrt(max(values[-1] - 1.0, 0.0))
    loadings: FloatArray = np.sqrt(psi) * first
    return loadings if loadings.sum() >= 0 else -loadings


def one_factor(covariance: FloatArray) -> OneFactor:
    """The maximum-likelihood one-factor model of `covariance` (uniquenesses kept ≥ 0.005)."""
    if covariance.shape[0] < 3:
        raise ValueError("a one-factor model needs at least three statements")
    sd = np.sqrt(np.diag(covariance))
    correlation = covariance / sd[:, None] / sd[None, :]
    p = correlation.shape[0]

    def criterion(psi: FloatArray) -> float:
        scale = 1.0 / np.sqrt(psi)
        values = np.linalg.eigvalsh(correlation * scale[:, None] * scale[None, :])[:-1]
        return float(np.sum(values - np.log(values)) - (p - 1))

    def gradient(psi: FloatArray) -> FloatArray:
        loadings = _loadings_for(psi, correlation)
        implied = np.outer(loadings, loadings) + np.diag(psi)
        result: FloatArray = np.diag(implied - correlation) / psi**2
        return result

    start = np.clip(1.0 / np.diag(np.linalg.inv(correlation)), _PSI_FLOOR, 1.0)
    fit = minimize(
        criterion,
        start,
        jac=gradient,
        method="L-BFGS-B",
        bounds=[(_PSI_FLOOR, 1.0)] * p,
        options={"maxiter": 500, "ftol": 1e-12, "gtol": 1e-9},
    )
    psi = np.asarray(fit.x, dtype=np.float64)
    standardized = _loadings_for(psi, correlation)
    uniqueness = 1.0 - standardized**2
    return OneFactor(
        loadings=tuple((standardized * sd).tolist()),
        residuals=tuple((uniqueness * sd**2).tolist()),
        standardized=tuple(standardized.tolist()),
    )


def item_rest(covariance: FloatArray) -> tuple[float, ...]:
    """The correlation of each statement with the sum of the category's other statements."""
    total_row = covariance.sum(axis=1)
    total = covariance.sum()
    diagonal = np.diag(covariance)
    rest_variance = total - 2 * total_row + diagonal
    result = (total_row - diagonal) / np.sqrt(diagonal * rest_variance)
    return tuple(float(r) for r in result)


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float | None
    high: float | None


@dataclass(frozen=True)
class ItemFigures:
    item_id: str
    answered: int  # answers on the scale
    dont_know: int
    dont_know_rate: float | None  # "Vet ej" / ("Vet ej" + answers on the scale)
    item_rest: float | None
    loading: float | None  # standardized loading of the category's one-factor model


@dataclass(frozen=True)
class CategoryConsistency:
    category_id: str
    statements: int
    respondents: int  # respondents with at least one answer on the scale in the category
    smallest_pair: int  # the fewest respondents behind one covariance
    alpha: Interval | None
    omega: Interval | None
    dont_know_rate: float | None
    items: tuple[ItemFigures, ...]


def _percentiles(values: list[float]) -> tuple[float | None, float | None]:
    finite = np.array([v for v in values if math.isfinite(v)])
    if len(finite) < 2:
        return None, None
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def _omega_or_nan(covariance: FloatArray) -> float:
    if covariance.shape[0] < 3 or not np.all(np.isfinite(covariance)):
        return math.nan
    try:
        return one_factor(covariance).omega
    except np.linalg.LinAlgError:
        return math.nan


def internal_consistency(
    values: FloatArray,
    dont_know: npt.NDArray[np.bool_],
    item_ids: tuple[str, ...],
    categories: tuple[tuple[str, tuple[int, ...]], ...],
    *,
    draws: int,
    seed: int,
) -> tuple[CategoryConsistency, ...]:
    """α, ω (with bootstrap intervals over respondents), item–rest correlations and "Vet ej" rates
    of every category. `values`: respondents × statements on the scale, NaN where missing;
    `dont_know`: where the answer was "Vet ej"; `categories`: (id, column indices) pairs."""
    with threadpool_limits(limits=1, user_api="blas"):
        return _internal_consistency(values, dont_know, item_ids, categories, draws, seed)


def _internal_consistency(
    values: FloatArray,
    dont_know: npt.NDArray[np.bool_],
    item_ids: tuple[str, ...],
    categories: tuple[tuple[str, tuple[int, ...]], ...],
    draws: int,
    seed: int,
) -> tuple[CategoryConsistency, ...]:
    covariance, counts = pairwise_covariance(values)
    boot: dict[str, tuple[list[float], list[float]]] = {cid: ([], []) for cid, _ in categories}
    rng = np.random.default_rng(seed)
    n = values.shape[0]
    for _ in range(draws):
        sample, _counts = pairwise_covariance(values[rng.integers(0, n, n)])
        for category_id, columns in categories:
            block = sample[np.ix_(columns, columns)]
            if len(columns) < 2 or not np.all(np.isfinite(block)):
                continue
            boot[category_id][0].append(cronbach_alpha(block))
            boot[category_id][1].append(_omega_or_nan(block))
    result = []
    answered = (~np.isnan(values)).sum(axis=0)
    said = dont_know.sum(axis=0)
    for category_id, columns in categories:
        cols = list(columns)
        block = covariance[np.ix_(cols, cols)]
        usable = len(cols) >= 2 and bool(np.all(np.isfinite(block)))
        alpha = omega = None
        rests: tuple[float | None, ...] = tuple(None for _ in cols)
        loadings: tuple[float | None, ...] = tuple(None for _ in cols)
        if usable:
            alpha = Interval(cronbach_alpha(block), *_percentiles(boot[category_id][0]))
            rests = item_rest(block)
            if len(cols) >= 3:
                model = one_factor(block)
                omega = Interval(model.omega, *_percentiles(boot[category_id][1]))
                loadings = model.standardized
        items = tuple(
            ItemFigures(
                item_id=item_ids[c],
                answered=int(answered[c]),
                dont_know=int(said[c]),
                dont_know_rate=_rate(int(said[c]), int(answered[c])),
                item_rest=rests[i],
                loading=loadings[i],
            )
            for i, c in enumerate(cols)
        )
        someone = (~np.isnan(values[:, cols])).any(axis=1)
        result.append(
            CategoryConsistency(
                category_id=category_id,
                statements=len(cols),
                respondents=int(someone.sum()),
                smallest_pair=int(counts[np.ix_(cols, cols)].min()),
                alpha=alpha,
                omega=omega,
                dont_know_rate=_rate(int(said[cols].sum()), int(answered[cols].sum())),
                items=items,
            )
        )
    return tuple(result)


def _rate(dont_know: int, answered: int) -> float | None:
    total = dont_know + answered
    return dont_know / total if total else None


@dataclass(frozen=True)
class Icc:
    """One-way ANOVA of respondents' scores with organizations as groups (see the module doc)."""

    respondents: int
    organizations: int
    msb: float
    msw: float
    n0: float
    icc1: float
    icc2: float


def icc(scores: FloatArray, groups: IntArray) -> Icc:
    """ICC(1) and ICC(2) of `scores` (NaN: left out) grouped by `groups` (any integer labels)."""
    keep = ~np.isnan(scores)
    y, g = scores[keep], groups[keep]
    labels, index = np.unique(g, return_inverse=True)
    n_groups, n = len(labels), len(y)
    if n_groups < 2 or n <= n_groups:
        raise ValueError(
            f"ICC needs at least two groups and more respondents than groups "
            f"(got {n} respondents in {n_groups} groups)"
        )
    sizes = np.bincount(index).astype(np.float64)
    means = np.bincount(index, weights=y) / sizes
    grand = y.mean()
    msb = float((sizes * (means - grand) ** 2).sum() / (n_groups - 1))
    msw = float(((y - means[index]) ** 2).sum() / (n - n_groups))
    n0 = float((n - (sizes**2).sum() / n) / (n_groups - 1))
    icc1 = (msb - msw) / (msb + (n0 - 1) * msw) if msb + (n0 - 1) * msw > 0 else math.nan
    icc2 = (msb - msw) / msb if msb > 0 else math.nan
    return Icc(n, n_groups, msb, msw, n0, float(icc1), float(icc2))


def category_scores(values: FloatArray, columns: tuple[int, ...]) -> FloatArray:
    """Each respondent's category score in percent: the mean of the answered statements, (x − 1) /
    5 × 100; NaN for a respondent with none."""
    block = values[:, list(columns)]
    answered = (~np.isnan(block)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(block, axis=1) / answered
    result: FloatArray = np.where(answered > 0, (mean - 1.0) / 5.0 * 100.0, np.nan)
    return result


@dataclass(frozen=True)
class Agreement:
    """The organizations' r_wg of one category as the scoring engine computed and stored it."""

    organizations: int
    mean: float | None
    median: float | None
    share_strong: float | None  # share of organizations with r_wg ≥ 0.70


def agreement_summary(values: list[float]) -> Agreement:
    if not values:
        return Agreement(0, None, None, None)
    array = np.array(values, dtype=np.float64)
    return Agreement(
        len(values),
        float(array.mean()),
        float(np.median(array)),
        float((array >= 0.70).mean()),
    )
