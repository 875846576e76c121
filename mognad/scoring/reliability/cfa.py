"""Confirmatory factor analysis of the six-category model and its measurement invariance (semopy).

Each category is a factor measured by its statements (the first statement's loading fixed to 1),
the factors correlate freely. semopy (`semopy.Model`) builds every group's model, its implied
covariance Σ(θ), the maximum-likelihood discrepancy

    F(θ) = tr(S Σ⁻¹) + log|Σ| − log|S| − p

and its gradient. A multi-group model minimises Σ_g (n_g / N) F_g(θ_g), where the groups' parameter
vectors share the parameters that invariance fixes equal (semopy has no multi-group constraints, so
only this weighted sum and the parameter map are ours):

- **configural**: the same factors and statements in every group, every parameter free per group;
- **metric**: the loadings equal across groups;
- **scalar**: the loadings and the statements' intercepts equal; the factor means are free in every
  group but the first (0). The mean part adds (m_g − ν − Λ κ_g)ᵀ Σ_g⁻¹ (m_g − ν − Λ κ_g) to F_g;
  in the configural and metric models the intercepts are free per group, so it is 0 there.

χ² = N · F at the minimum; the baseline is the independence model of every group
(χ²_b = Σ n_g · (−log|R_g|), R_g the correlation matrix, df_b = G · p(p − 1) / 2). With df the
moments minus the free parameters:

    CFI = 1 − max(χ² − df, 0) / max(χ²_b − df_b, χ² − df, 0)
    TLI = (χ²_b / df_b − χ² / df) / (χ²_b / df_b − 1)
    RMSEA = √G · √(max(χ² − df, 0) / (df · N))
    SRMR = √(mean over i ≤ j of ((s_ij − σ_ij) / √(s_ii s_jj))²), averaged over groups by n_g.

Missing data: the moments are pairwise (available-case) covariances and means; N of a group is the
smallest number of respondents behind one of its covariances (conservative).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

FloatArray = npt.NDArray[np.float64]

_RESTARTS = 20
# The objective outside the admissible region (Σ not positive definite): large and finite, so
# that the line search steps back instead of stopping.
_INADMISSIBLE = 1e10
_OPTIONS: dict[str, Any] = {
    "jac": True,
    "method": "L-BFGS-B",
    "options": {"maxiter": 5000, "maxfun": 20000, "ftol": 1e-13, "gtol": 1e-7},
}
CONFIGURAL, METRIC, SCALAR = "configural", "metric", "scalar"
LEVELS = (CONFIGURAL, METRIC, SCALAR)


@dataclass(frozen=True)
class Moments:
    """One group's sample moments over the statements (`names` order)."""

    label: str
    names: tuple[str, ...]
    covariance: FloatArray
    means: FloatArray
    n: int


@dataclass(frozen=True)
class Fit:
    level: str
    groups: int
    n: int
    chi2: float
    df: int
    cfi: float
    tli: float
    rmsea: float
    srmr: float
    converged: bool
    # The first group's standardized loadings, statement id → loading (fit of one group: all of it).
    loadings: dict[str, float]
    # The first group's factor correlations, (factor, factor) → r.
    factor_correlations: dict[tuple[str, str], float]


Factors = Sequence[tuple[str, Sequence[str]]]


def _description(factors: Factors, label_loadings: bool, alias: dict[str, str]) -> str:
    lines = []
    for factor, items in factors:
        terms = [alias[items[0]]]
        for item in items[1:]:
            terms.append(f"l_{alias[item]}*{alias[item]}" if label_loadings else alias[item])
        lines.append(f"{alias[factor]} =~ " + " + ".join(terms))
    return "\n".join(lines)


@contextmanager
def _quiet() -> Iterator[None]:
    """semopy logs notes meant for interactive use (no graphviz, starting values from a covariance
    matrix) on the root logger at INFO; they are not the command's output."""
    previous = logging.root.manager.disable
    logging.disable(max(previous, logging.INFO))
    try:
        yield
    finally:
        logging.disable(previous)


class _Group:
    def __init__(self, desc: str, moments: Moments, alias: dict[str, str]) -> None:
        import pandas as pd
        import semopy

        names = [alias[n] for n in moments.names]
        self.model: Any = semopy.Model(desc)
        frame = pd.DataFrame(moments.covariance, index=names, columns=names)
        # semopy's own single-group fit gives each group's starting values.
        self.model.fit(cov=frame, n_samples=moments.n)
        observed: list[str] = list(self.model.vars["observed"])
        order = [names.index(v) for v in observed]
        self.observed = observed
        self.cov: FloatArray = moments.covariance[np.ix_(order, order)]
        self.means: FloatArray = moments.means[order]
        self.n = moments.n
        self.inner: list[str] = list(self.model.vars["inner"])
        self.local = [name for name, p in self.model.parameters.items() if p.active]
        self.bounds = self.model.get_bounds()
        self.start = np.array(self.model.param_vals, dtype=np.float64)


def _independence_chi2(group: _Group) -> float:
    sd = np.sqrt(np.diag(group.cov))
    sign, logdet = np.linalg.slogdet(group.cov / np.outer(sd, sd))
    return float(group.n * -logdet) if sign > 0 else math.nan


def _srmr(group: _Group, sigma: FloatArray) -> float:
    scale = np.sqrt(np.outer(np.diag(group.cov), np.diag(group.cov)))
    residual = (group.cov - sigma) / scale
    lower = residual[np.tril_indices_from(residual)]
    return float(np.sqrt(np.mean(lower**2)))


def fit(groups: Sequence[Moments], factors: Factors, level: str = CONFIGURAL) -> Fit:
    """Fit the factor model to one or more groups at an invariance level (see the module doc)."""
    # Many small matrix products: a threaded BLAS only adds overhead (ten times slower here).
    with threadpool_limits(limits=1, user_api="blas"):
        return _fit(groups, factors, level)


def _aliases(groups: Sequence[Moments], factors: Factors, level: str) -> dict[str, str]:
    """Check the model against the data; semopy reads names as identifiers, so the factors and
    statements get plain aliases."""
    if level not in LEVELS:
        raise ValueError(f"unknown invariance level {level!r}")
    if not groups:
        raise ValueError("no group to fit")
    names = set(groups[0].names)
    alias: dict[str, str] = {}
    for n, (factor, items) in enumerate(factors):
        if len(items) < 2:
            raise ValueError(f"factor {factor!r} needs at least two statements")
        missing = set(items) - names
        if missing:
            raise ValueError(f"factor {factor!r}: no data for {sorted(missing)}")
        alias[factor] = f"F{n}"
        for item in items:
            alias.setdefault(item, f"x{len(alias)}")
    return alias


class _MultiGroup:
    """The groups' semopy models under one parameter vector: semopy's own parameter names (free
    per group) are prefixed by the group, our labels (l_…) are shared; in the scalar model the
    intercepts ν and the factor means κ_g of the groups after the first follow."""

    def __init__(self, parts: list[_Group], factors: list[str], scalar: bool) -> None:
        self.parts, self.scalar = parts, scalar
        self.total = sum(g.n for g in parts)
        positions: dict[str, int] = {}
        starts: dict[str, list[float]] = {}
        bounds: dict[str, tuple[float | None, float | None]] = {}
        self.index_of: list[npt.NDArray[np.intp]] = []
        for number, group in enumerate(parts):
            indices = []
            for name, start, bound in zip(group.local, group.start, group.bounds, strict=True):
                key = name if name.startswith("l_") else f"{number}|{name}"
                if key not in positions:
                    positions[key] = len(positions)
                    bounds[key] = bound
                starts.setdefault(key, []).append(float(start))
                indices.append(positions[key])
            self.index_of.append(np.array(indices, dtype=np.intp))
        self.structural = len(positions)
        self.p, self.k = len(parts[0].observed), len(factors)
        self.x0 = np.array([np.mean(starts[key]) for key in positions])
        self.bounds = [bounds[key] for key in positions]
        self.inner_index = [[g.inner.index(f) for f in factors] for g in parts]
        if scalar:
            # ν starts at the first group's means, the factor means at 0.
            extra = (len(parts) - 1) * self.k
            self.x0 = np.concatenate([self.x0, parts[0].means, np.zeros(extra)])
            self.bounds += [(None, None)] * (self.p + extra)

    @property
    def free(self) -> int:
        return len(self.x0)

    def _kappa_slice(self, number: int) -> slice:
        start = self.structural + self.p + (number - 1) * self.k
        return slice(start, start + self.k)

    def objective(self, x: FloatArray) -> tuple[float, FloatArray]:
        value = 0.0
        gradient = np.zeros_like(x)
        for number, group in enumerate(self.parts):
            weight = group.n / self.total
            local = x[self.index_of[number]]
            f = float(group.model.obj_mlw(local))
            if not math.isfinite(f):
                return _INADMISSIBLE, gradient
            value += weight * f
            g = np.asarray(group.model.grad_mlw(local), dtype=np.float64)
            np.add.at(gradient, self.index_of[number], weight * g)
            if self.scalar:
                value += weight * self._mean_part(x, number, gradient, weight)
        return value, gradient

    def _mean_part(self, x: FloatArray, number: int, gradient: FloatArray, weight: float) -> float:
        """(m − ν − Λκ)ᵀ Σ⁻¹ (m − ν − Λκ) of one group; adds its weighted gradient."""
        group = self.parts[number]
        nu = x[self.structural : self.structural + self.p]
        kappa = np.zeros(len(group.inner))
        if number > 0:
            kappa[self.inner_index[number]] = x[self._kappa_slice(number)]
        sigma, (m, c) = group.model.calc_sigma()
        r = group.means - nu - m @ kappa
        u = np.linalg.inv(sigma) @ r
        local = np.zeros(len(self.index_of[number]))
        for i, (ds, diffs) in enumerate(
            zip(group.model.calc_sigma_grad(m, c), group.model.mx_diffs, strict=True)
        ):
            term = -float(u @ (ds @ u)) if np.ndim(ds) == 2 else 0.0
            if diffs[1] is not None:
                term += -2.0 * float((diffs[1] @ c @ kappa) @ u)
            local[i] = term
        np.add.at(gradient, self.index_of[number], weight * local)
        gradient[self.structural : self.structural + self.p] += weight * -2.0 * u
        if number > 0:
            gradient[self._kappa_slice(number)] += (
                weight * -2.0 * (m.T @ u)[self.inner_index[number]]
            )
        return float(r @ u)

    def minimize(self) -> Any:
        # L-BFGS-B may stop after a short first step (a trial step outside the admissible
        # region); starting it again from where it stopped goes on until the minimum stays put.
        result: Any = minimize(self.objective, self.x0, **_OPTIONS, bounds=self.bounds)
        for _restart in range(_RESTARTS):
            attempt = minimize(self.objective, result.x, **_OPTIONS, bounds=self.bounds)
            improved = attempt.fun < result.fun - 1e-10
            if attempt.fun <= result.fun:
                result = attempt
            if not improved:
                break
        return result

    def srmr(self, x: FloatArray) -> float:
        total = 0.0
        for number, group in enumerate(self.parts):
            group.model.update_matrices(x[self.index_of[number]])
            sigma, _ = group.model.calc_sigma()
            total += group.n / self.total * _srmr(group, sigma)
        return total


def _fit(groups: Sequence[Moments], factors: Factors, level: str) -> Fit:
    alias = _aliases(groups, factors, level)
    inverse = {v: k for k, v in alias.items()}
    desc = _description(factors, label_loadings=level != CONFIGURAL, alias=alias)
    with _quiet():
        parts = [_Group(desc, g, alias) for g in groups]
    factor_names = [alias[f] for f, _ in factors]
    model = _MultiGroup(parts, factor_names, scalar=level == SCALAR and len(parts) > 1)
    result = model.minimize()
    x = np.asarray(result.x, dtype=np.float64)
    chi2 = model.total * float(result.fun)
    p, g = model.p, len(parts)
    moments = g * p * (p + 1) // 2 + (g * p if model.scalar else 0)
    df = moments - model.free
    chi2_base = sum(_independence_chi2(group) for group in parts)
    df_base = g * p * (p - 1) // 2
    srmr = model.srmr(x)
    parts[0].model.update_matrices(x[model.index_of[0]])
    loadings, correlations = _standardized(parts[0], factor_names, inverse)
    return Fit(
        level=level,
        groups=g,
        n=model.total,
        chi2=chi2,
        df=df,
        cfi=_cfi(chi2, df, chi2_base, df_base),
        tli=_tli(chi2, df, chi2_base, df_base),
        rmsea=math.sqrt(g) * math.sqrt(max(chi2 - df, 0.0) / (df * model.total))
        if df > 0
        else math.nan,
        srmr=srmr,
        converged=bool(result.success),
        loadings=loadings,
        factor_correlations=correlations,
    )


def _cfi(chi2: float, df: int, chi2_base: float, df_base: int) -> float:
    model = max(chi2 - df, 0.0)
    denominator = max(chi2_base - df_base, chi2 - df, 0.0)
    return 1.0 - model / denominator if denominator > 0 else 1.0


def _tli(chi2: float, df: int, chi2_base: float, df_base: int) -> float:
    if df <= 0 or df_base <= 0:
        return math.nan
    base = chi2_base / df_base
    return (base - chi2 / df) / (base - 1.0) if base != 1.0 else math.nan


def _standardized(
    group: _Group, factors: list[str], inverse: dict[str, str]
) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    model = group.model
    sigma, (m, _c) = model.calc_sigma()
    psi = model.mx_psi
    columns = [group.inner.index(f) for f in factors]
    sd_factor = np.sqrt(np.diag(psi)[columns])
    sd_item = np.sqrt(np.diag(sigma))
    lam = m[:, columns]
    standardized = lam * sd_factor[None, :] / sd_item[:, None]
    loadings = {}
    for row, variable in enumerate(group.observed):
        column = int(np.argmax(np.abs(lam[row])))
        loadings[inverse[variable]] = float(standardized[row, column])
    correlations = {}
    for a in range(len(factors)):
        for b in range(a + 1, len(factors)):
            scale = sd_factor[a] * sd_factor[b]
            r = psi[columns[a], columns[b]] / scale if scale > 0 else math.nan
            correlations[(inverse[factors[a]], inverse[factors[b]])] = float(r)
    return loadings, correlations


@dataclass(frozen=True)
class Invariance:
    """The fit of each invariance level and its change from the level before."""

    groups: tuple[str, ...]
    sizes: tuple[int, ...]
    fits: tuple[Fit, ...]  # configural, metric, scalar

    def delta(self, level: str) -> tuple[float, float] | None:
        """(ΔCFI, ΔRMSEA) of `level` against the level before it."""
        index = LEVELS.index(level)
        if index == 0:
            return None
        before, now = self.fits[index - 1], self.fits[index]
        return now.cfi - before.cfi, now.rmsea - before.rmsea


def invariance(groups: Sequence[Moments], factors: Factors) -> Invariance:
    if len(groups) < 2:
        raise ValueError("measurement invariance needs at least two groups")
    return Invariance(
        groups=tuple(g.label for g in groups),
        sizes=tuple(g.n for g in groups),
        fits=tuple(fit(groups, factors, level) for level in LEVELS),
    )
