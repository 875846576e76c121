"""The scoring engine: an organization's answers in, its scores with their uncertainty out.

Pure numpy and frozen dataclasses, no Django (an import-linter contract enforces it). The method is
written up, with worked examples the tests check, in docs/scoring.md; keep the two in step.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from mognad.scoring.structure import QUADRANTS, Structure

__all__ = [
    "DONT_KNOW",
    "UNANSWERED",
    "Change",
    "Consensus",
    "Estimate",
    "Flag",
    "ItemScore",
    "OrganizationScore",
    "Quadrant",
    "Structure",
    "compare",
    "score",
]

FloatArray = npt.NDArray[np.float64]

UNANSWERED = 0
DONT_KNOW = -1
SCALE = (1, 2, 3, 4, 5, 6)

# Data-quality thresholds.
FEW_RESPONDENTS = 10  # fewer respondents than this → `few_respondents`
HIGH_DONT_KNOW_SHARE = 0.30  # more "Vet ej" than this share of those who saw an item
STRAIGHT_LINING_ITEMS = 10  # the same answer to at least this many answered items
LOW_RESPONSE_RATE = 0.50  # a response rate below this → `low_response_rate`

CONFIDENCE = 0.95
# No quadrant reaching this share of the bootstrap resamples → the placement is uncertain.
CERTAIN_QUADRANT = 0.80
TOP_CATEGORIES = 3
# Variance of an answer drawn uniformly from the six-point scale, in percent points squared:
# (A² − 1) / 12 on the 1..6 scale, times 20² because one scale step is 20 percent points.
UNIFORM_VARIANCE = (len(SCALE) ** 2 - 1) / 12 * 20.0**2
# A score this close below a cut-off counts as reaching it (floating-point noise in weighted means).
_CUTOFF_TOLERANCE = 1e-9


# --- Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """A score in percent with its 95 % bootstrap interval and standard error.

    `n` is the number of respondents with at least one answer on the scale under this node.
    """

    score: float | None
    ci: tuple[float, float] | None
    se: float | None
    n: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "ci": list(self.ci) if self.ci is not None else None,
            "se": self.se,
            "n": self.n,
        }


@dataclass(frozen=True)
class ItemScore:
    """One item: the mean score, how many answered, said "Vet ej" or left it empty.

    `distribution` counts the answers 1..6 (empty when the group is below the minimum size).
    """

    score: float | None
    n: int
    dont_know: int
    unanswered: int
    distribution: tuple[int, ...]
    ci: tuple[float, float] | None = None
    se: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "ci": list(self.ci) if self.ci is not None else None,
            "se": self.se,
            "n": self.n,
            "dont_know": self.dont_know,
            "unanswered": self.unanswered,
            "distribution": list(self.distribution),
        }


@dataclass(frozen=True)
class Quadrant:
    """The organization type of the point estimate and the bootstrap share of each type."""

    type_id: str
    probabilities: dict[str, float]
    uncertain: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type_id,
            "probabilities": dict(self.probabilities),
            "uncertain": self.uncertain,
        }


@dataclass(frozen=True)
class Consensus:
    """Spread between respondents in one category: SD of their category scores and r_wg."""

    sd: float | None
    agreement: float | None
    n: int

    def to_dict(self) -> dict[str, Any]:
        return {"sd": self.sd, "agreement": self.agreement, "n": self.n}


@dataclass(frozen=True)
class Flag:
    """A data-quality note: `subject` is an item id, or "" for the whole group."""

    code: str
    subject: str
    detail: dict[str, int | float]

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "subject": self.subject, "detail": dict(self.detail)}


@dataclass(frozen=True)
class OrganizationScore:
    respondents: int
    overall: Estimate
    dimensions: dict[str, Estimate]
    categories: dict[str, Estimate]
    capabilities: dict[str, Estimate]
    items: dict[str, ItemScore]
    quadrant: Quadrant | None
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    consensus: dict[str, Consensus]
    flags: tuple[Flag, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (dicts, lists, numbers, strings, None)."""
        return {
            "respondents": self.respondents,
            "overall": self.overall.to_dict(),
            "dimensions": {k: v.to_dict() for k, v in self.dimensions.items()},
            "categories": {k: v.to_dict() for k, v in self.categories.items()},
            "capabilities": {k: v.to_dict() for k, v in self.capabilities.items()},
            "items": {k: v.to_dict() for k, v in self.items.items()},
            "quadrant": self.quadrant.to_dict() if self.quadrant is not None else None,
            "strengths": list(self.strengths),
            "weaknesses": list(self.weaknesses),
            "consensus": {k: v.to_dict() for k, v in self.consensus.items()},
            "flags": [f.to_dict() for f in self.flags],
        }


@dataclass(frozen=True)
class Change:
    """Difference b − a with its 95 % interval; significant when the interval excludes 0."""

    delta: float | None
    ci: tuple[float, float] | None
    significant: bool


# --- The method -------------------------------------------------------------------------------


class _Levels(NamedTuple):
    """Scores at every level for a batch (rows: the point estimate, resamples or respondents)."""

    items: FloatArray
    capabilities: FloatArray
    categories: FloatArray
    dimensions: FloatArray
    overall: FloatArray

    def stacked(self) -> FloatArray:
        return np.hstack(list(self))


def _weighted_mean(
    children: FloatArray, starts: npt.NDArray[np.intp], weights: FloatArray
) -> FloatArray:
    """Weighted mean of the children that have a score, per row; NaN where none has one.

    Each parent's children are consecutive columns starting at `starts`. Leaving out a child without
    a score renormalizes the weights of the others: the denominator sums only their weights.
    (Sums by `np.add.reduceat` rather than a matrix product: these arrays are small, and a threaded
    BLAS call costs more than the arithmetic.)
    """
    if len(starts) == children.shape[1]:
        return children  # every parent has exactly one child: its score is the child's
    has = ~np.isnan(children)
    numerator = np.add.reduceat(np.where(has, children * weights, 0.0), starts, axis=1)
    denominator = np.add.reduceat(np.where(has, weights, 0.0), starts, axis=1)
    result = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=result, where=denominator > 0)
    return result


def _levels(structure: Structure, steps: FloatArray, counts: FloatArray) -> _Levels:
    """Item means from per-item sums of answers in scale steps (x − 1) and counts of answers,
    then weighted means up the tree. A scale step is 20 percent points: (x − 1) / 5 × 100."""
    items = np.full(steps.shape, np.nan)
    np.divide(steps * (100.0 / (len(SCALE) - 1)), counts, out=items, where=counts > 0)
    to_capability, to_category, to_dimension, to_overall = structure.aggregations
    capabilities = _weighted_mean(items, *to_capability)
    categories = _weighted_mean(capabilities, *to_category)
    dimensions = _weighted_mean(categories, *to_dimension)
    overall = _weighted_mean(dimensions, *to_overall)
    return _Levels(items, capabilities, categories, dimensions, overall)


def _percentiles(samples: FloatArray, fractions: tuple[float, ...]) -> FloatArray:
    """Per column, the linear-interpolation quantiles of the non-NaN values (NaN if none).

    The same definition as numpy's default `np.quantile`, vectorized over columns with NaNs.
    """
    ordered = np.sort(samples, axis=0)  # NaN sorts last
    valid = (~np.isnan(samples)).sum(axis=0)
    columns = np.arange(samples.shape[1])
    result = np.full((len(fractions), samples.shape[1]), np.nan)
    last = np.maximum(valid - 1, 0)
    for row, fraction in enumerate(fractions):
        position = fraction * last
        below = np.floor(position).astype(np.intp)
        above = np.minimum(below + 1, last)
        weight = position - below
        low, high = ordered[below, columns], ordered[above, columns]
        value = low + (high - low) * weight
        result[row] = np.where(valid > 0, value, np.nan)
    return result


def _bootstrap_se(samples: FloatArray) -> FloatArray:
    if len(samples) > 1 and not np.isnan(samples).any():
        fast: FloatArray = samples.std(axis=0, ddof=1)
        return fast
    valid = (~np.isnan(samples)).sum(axis=0)
    mean = np.nansum(samples, axis=0) / np.maximum(valid, 1)
    squares = np.nansum((samples - mean) ** 2, axis=0)
    result = np.full(samples.shape[1], np.nan)
    np.divide(squares, valid - 1, out=result, where=valid > 1)
    se: FloatArray = np.sqrt(result)
    return se


def _resample_counts(respondents: int, resamples: int, seed: int) -> npt.NDArray[np.float32]:
    """How often each respondent is drawn in each resample (resamples × respondents)."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, respondents, size=(resamples, respondents))
    offsets = np.arange(resamples)[:, None] * respondents
    counts = np.bincount((picks + offsets).ravel(), minlength=resamples * respondents)
    return counts.reshape(resamples, respondents).astype(np.float32)


def _validated(answers: object, structure: Structure) -> npt.NDArray[np.int8]:
    if not isinstance(answers, np.ndarray):
        raise ValueError(f"answers must be a numpy array, got {type(answers).__name__}")
    if answers.dtype.kind not in "iu":
        raise ValueError(f"answers must be an integer array, got dtype {answers.dtype}")
    if answers.ndim != 2 or answers.shape[1] != len(structure.item_ids):
        raise ValueError(
            f"answers must have shape (respondents, {len(structure.item_ids)}), got {answers.shape}"
        )
    allowed = (answers >= DONT_KNOW) & (answers <= SCALE[-1])
    if not np.all(allowed):
        row, column = (int(i[0]) for i in np.nonzero(~allowed))
        value = answers[row, column]
        raise ValueError(
            f"answer {value} (respondent row {row}, item {structure.item_ids[column]!r}) is not "
            f"allowed: use 1–6, {DONT_KNOW} for 'Vet ej' or {UNANSWERED} for unanswered"
        )
    return answers.astype(np.int8)


def _estimates(
    ids: tuple[str, ...],
    point: FloatArray,
    low: FloatArray,
    high: FloatArray,
    se: FloatArray,
    n: npt.NDArray[np.intp],
) -> dict[str, Estimate]:
    result = {}
    rows = zip(point.tolist(), low.tolist(), high.tolist(), se.tolist(), n.tolist(), strict=True)
    for node, (score_, low_, high_, se_, n_) in zip(ids, rows, strict=True):
        if math.isnan(score_):
            result[node] = Estimate(None, None, None, n_)
            continue
        interval = None if math.isnan(low_) else (low_, high_)
        result[node] = Estimate(score_, interval, None if math.isnan(se_) else se_, n_)
    return result


def _quadrant_index(
    structure: Structure, capability: FloatArray, legacy: FloatArray
) -> npt.NDArray[np.intp]:
    """Index into QUADRANTS: capability low/high + 2 × legacy limiting/enabling."""
    high = capability >= structure.capability_cutoff - _CUTOFF_TOLERANCE
    enabling = legacy >= structure.legacy_cutoff - _CUTOFF_TOLERANCE
    index: npt.NDArray[np.intp] = high.astype(np.intp) + 2 * enabling.astype(np.intp)
    return index


def _quadrant(structure: Structure, point: FloatArray, boot: FloatArray) -> Quadrant | None:
    """`point` and `boot` hold dimension scores (rows × dimensions)."""
    c, g = structure.capability_dimension, structure.legacy_dimension
    if math.isnan(point[0, c]) or math.isnan(point[0, g]):
        return None
    (found,) = _quadrant_index(structure, point[0, [c]], point[0, [g]])
    valid = ~np.isnan(boot[:, c]) & ~np.isnan(boot[:, g])
    landed = np.bincount(
        _quadrant_index(structure, boot[valid, c], boot[valid, g]), minlength=len(QUADRANTS)
    )
    total = int(valid.sum())
    probabilities = {
        structure.types[quadrant]: (float(landed[n]) / total if total else 0.0)
        for n, quadrant in enumerate(QUADRANTS)
    }
    uncertain = max(probabilities.values()) < CERTAIN_QUADRANT
    return Quadrant(structure.types[QUADRANTS[found]], probabilities, uncertain)


def _ranked(categories: dict[str, Estimate]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The strongest and weakest categories: up to three each, never the same one in both.

    Categories with a score are ranked by score, ties by id (the earlier id ranks higher); the
    strengths are the top of the ranking, the weaknesses its bottom, weakest first.
    """
    scored = [(round(e.score, 9), node) for node, e in categories.items() if e.score is not None]
    ranking = [node for _, node in sorted(scored, key=lambda pair: (-pair[0], pair[1]))]
    count = min(TOP_CATEGORIES, len(ranking) // 2)
    return tuple(ranking[:count]), tuple(reversed(ranking))[:count]


def _consensus(
    structure: Structure, per_respondent: FloatArray | None, n: npt.NDArray[np.intp]
) -> dict[str, Consensus]:
    result = {}
    for j, node in enumerate(structure.category_ids):
        if per_respondent is None or n[j] < 2:
            result[node] = Consensus(None, None, int(n[j]))
            continue
        column = per_respondent[:, j]
        variance = float(np.var(column[~np.isnan(column)], ddof=1))
        agreement = min(1.0, max(0.0, 1.0 - variance / UNIFORM_VARIANCE))
        result[node] = Consensus(math.sqrt(variance), agreement, int(n[j]))
    return result


def _flags(
    structure: Structure,
    data: npt.NDArray[np.int8],
    respondents: int,
    invited: int | None,
) -> tuple[Flag, ...]:
    flags = []
    if respondents < FEW_RESPONDENTS:
        flags.append(
            Flag("few_respondents", "", {"respondents": respondents, "threshold": FEW_RESPONDENTS})
        )
    if invited is not None:
        responded = int(np.count_nonzero((data != UNANSWERED).any(axis=1)))
        rate = responded / invited
        if rate < LOW_RESPONSE_RATE:
            flags.append(
                Flag(
                    "low_response_rate",
                    "",
                    {"responded": responded, "invited": invited, "rate": rate},
                )
            )
    scale = data >= SCALE[0]
    answered = scale.sum(axis=1)
    lowest = np.where(scale, data, SCALE[-1] + 1).min(axis=1)
    highest = np.where(scale, data, SCALE[0] - 1).max(axis=1)
    straight = int(np.count_nonzero((answered >= STRAIGHT_LINING_ITEMS) & (lowest == highest)))
    if straight:
        flags.append(
            Flag(
                "straight_lining",
                "",
                {"respondents": straight, "min_items": STRAIGHT_LINING_ITEMS},
            )
        )
    dont_know = (data == DONT_KNOW).sum(axis=0)
    seen = dont_know + scale.sum(axis=0)
    for j in np.flatnonzero(dont_know > HIGH_DONT_KNOW_SHARE * seen):
        flags.append(
            Flag(
                "high_dont_know",
                structure.item_ids[j],
                {
                    "dont_know": int(dont_know[j]),
                    "seen": int(seen[j]),
                    "share": float(dont_know[j] / seen[j]),
                },
            )
        )
    return tuple(flags)


def score(
    answers: npt.NDArray[np.integer[Any]],
    structure: Structure,
    *,
    resamples: int = 2000,
    seed: int = 0,
    min_respondents: int = 1,
    invited: int | None = None,
) -> OrganizationScore:
    """Score one group's answers (respondents × items; 1–6, `DONT_KNOW`, `UNANSWERED`).

    A respondent is a row with at least one answer on the scale. Rows are put in a canonical order
    first, so the result (intervals included) does not depend on the order of the rows.
    """
    data = _validated(answers, structure)
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 1:
        raise ValueError(f"resamples must be a positive integer, got {resamples!r}")
    if isinstance(min_respondents, bool) or not isinstance(min_respondents, int):
        raise ValueError(f"min_respondents must be an integer, got {min_respondents!r}")
    if min_respondents < 1:
        raise ValueError(f"min_respondents must be at least 1, got {min_respondents}")
    if invited is not None:
        responded = int(np.count_nonzero((data != UNANSWERED).any(axis=1)))
        if isinstance(invited, bool) or not isinstance(invited, int) or invited < max(responded, 1):
            raise ValueError(
                f"invited must be a whole number at least the {responded} who responded, "
                f"got {invited!r}"
            )

    scale = data >= SCALE[0]
    item_n = scale.sum(axis=0)
    item_dont_know = (data == DONT_KNOW).sum(axis=0)
    item_unanswered = (data == UNANSWERED).sum(axis=0)

    rows = data[scale.any(axis=1)]
    rows = rows[np.lexsort(rows.T[::-1])] if len(rows) else rows
    respondents = len(rows)
    flags = _flags(structure, data, respondents, invited)

    # Sums are kept in scale steps above 1 (x − 1, i.e. 0..5) and turned into percent (× 20) only
    # when divided by the counts: every sum and count is then a small whole number, exact even in
    # the float32 matrix product below.
    answered = (rows >= SCALE[0]).astype(np.float64)
    steps = np.where(rows >= SCALE[0], rows.astype(np.float64) - 1.0, 0.0)
    per_respondent = _levels(structure, steps, answered)
    n_all = (~np.isnan(per_respondent.stacked())).sum(axis=0)
    bounds = np.cumsum([0, *(level.shape[1] for level in per_respondent)])
    parts = [slice(int(a), int(b)) for a, b in itertools.pairwise(bounds)]

    if respondents < min_respondents:
        node_n = [n_all[part] for part in parts]
        return _without_scores(
            structure, respondents, item_n, item_dont_know, item_unanswered, node_n, flags
        )

    point = _levels(structure, steps.sum(axis=0)[None, :], answered.sum(axis=0)[None, :])
    weights = _resample_counts(respondents, resamples, seed)
    items = len(structure.item_ids)
    totals = (weights @ np.hstack([steps, answered]).astype(np.float32)).astype(np.float64)
    boot = _levels(structure, totals[:, :items], totals[:, items:])

    tail = (1.0 - CONFIDENCE) / 2.0
    # A level whose parents each have one child is the same array as the level below it
    # (`_weighted_mean`); its interval and standard error are computed once.
    spread: dict[int, tuple[FloatArray, FloatArray]] = {}
    for samples in boot:
        if id(samples) not in spread:
            spread[id(samples)] = (
                _percentiles(samples, (tail, 1.0 - tail)),
                _bootstrap_se(samples),
            )

    def level(index: int, ids: tuple[str, ...]) -> dict[str, Estimate]:
        (low, high), se = spread[id(boot[index])]
        return _estimates(ids, point[index][0], low, high, se, n_all[parts[index]])

    item_estimates = level(0, structure.item_ids)
    categories = level(2, structure.category_ids)
    strengths, weaknesses = _ranked(categories)
    distribution = np.stack([(data == value).sum(axis=0) for value in SCALE]).T.tolist()
    return OrganizationScore(
        respondents=respondents,
        overall=level(4, ("overall",))["overall"],
        dimensions=level(3, structure.dimension_ids),
        categories=categories,
        capabilities=level(1, structure.capability_ids),
        items={
            node: ItemScore(
                score=estimate.score,
                n=int(item_n[j]),
                dont_know=int(item_dont_know[j]),
                unanswered=int(item_unanswered[j]),
                distribution=tuple(distribution[j]),
                ci=estimate.ci,
                se=estimate.se,
            )
            for j, (node, estimate) in enumerate(item_estimates.items())
        },
        quadrant=_quadrant(structure, point.dimensions, boot.dimensions),
        strengths=strengths,
        weaknesses=weaknesses,
        consensus=_consensus(structure, per_respondent.categories, n_all[parts[2]]),
        flags=flags,
    )


def _without_scores(
    structure: Structure,
    respondents: int,
    item_n: npt.NDArray[np.intp],
    item_dont_know: npt.NDArray[np.intp],
    item_unanswered: npt.NDArray[np.intp],
    node_n: list[npt.NDArray[np.intp]],
    flags: tuple[Flag, ...],
) -> OrganizationScore:
    """A group below the minimum size: counts only, no score, interval or distribution."""

    def empty(index: int, ids: tuple[str, ...]) -> dict[str, Estimate]:
        return {
            node: Estimate(None, None, None, int(node_n[index][j])) for j, node in enumerate(ids)
        }

    return OrganizationScore(
        respondents=respondents,
        overall=empty(4, ("overall",))["overall"],
        dimensions=empty(3, structure.dimension_ids),
        categories=empty(2, structure.category_ids),
        capabilities=empty(1, structure.capability_ids),
        items={
            node: ItemScore(
                None, int(item_n[j]), int(item_dont_know[j]), int(item_unanswered[j]), ()
            )
            for j, node in enumerate(structure.item_ids)
        },
        quadrant=None,
        strengths=(),
        weaknesses=(),
        consensus=_consensus(structure, None, node_n[2]),
        flags=flags,
    )


def compare(a: Estimate, b: Estimate) -> Change:
    """The change from `a` to `b` (independent samples, e.g. two years).

    Normal approximation: delta = b − a, SE = √(SE_a² + SE_b²), 95 % interval delta ± 1.96 SE.
    """
    if a.score is None or b.score is None or a.se is None or b.se is None:
        return Change(None, None, False)
    delta = b.score - a.score
    margin = 1.959963984540054 * math.sqrt(a.se**2 + b.se**2)
    interval = (delta - margin, delta + margin)
    significant = interval[0] > 0 or interval[1] < 0
    return Change(delta, interval, significant)
