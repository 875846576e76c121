"""The scoring engine: an organization's answers in, its scores with their uncertainty out.

Pure numpy and frozen dataclasses, no Django (an import-linter contract enforces it). The method is
written up, with worked examples the tests check, in docs/scoring.md; keep the two in step.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
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


def _recycle_freed_arrays(size: int = 8 * 2**20) -> None:
    """Let the C allocator reuse freed arrays of up to `size` bytes instead of unmapping them.

    glibc's malloc maps each block above its mmap threshold (128 kB at first) fresh from the kernel
    and unmaps it when it is freed, so a group's arrays of a few hundred kB would page-fault anew
    on every `score` call: some 600 page faults per group, which doubled the engine's CPU time on
    the project's virtual machines. Freeing one block above the threshold raises it to that
    block's size (glibc's dynamic threshold; freed memory up to twice that stays in the process).
    Elsewhere this is one short-lived array and nothing more.
    """
    np.empty(size, dtype=np.uint8)


_recycle_freed_arrays()


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
    """Scores at every level for a batch of columns (respondents, the point estimate, resamples).

    `scores` has a row per node of each distinct level and a column per member of the batch;
    `nodes` gives the rows of the items, capabilities, categories, dimensions and overall score. A
    level whose parents each have exactly one child has the same scores as the level below it and
    shares its rows.
    """

    scores: FloatArray
    nodes: tuple[slice, slice, slice, slice, slice]

    def level(self, index: int, columns: slice = slice(None)) -> FloatArray:
        """One level's scores as (columns × nodes)."""
        return self.scores[self.nodes[index], columns].T


# `_segment_sums` repeats `np.add.reduceat`'s additions for segments of up to this many children.
_ORDERED_SEGMENT = 8


def _segment_sums(values: FloatArray, starts: npt.NDArray[np.intp], out: FloatArray) -> None:
    """Sums of consecutive rows into `out` (a row per segment), bit for bit the sums that
    `np.add.reduceat(values.T, starts, axis=1)` takes on the transposed, row-major layout.

    reduceat adds a segment's first member to the sum of the others taken from left to right
    (numpy sums fewer than 8 numbers one after the other). Adding whole rows in that order is
    several times faster than reduceat on these long, narrow arrays. A segment of more than
    `_ORDERED_SEGMENT` members (summed pairwise by numpy) is left to reduceat itself.
    """
    ends = [*starts[1:].tolist(), len(values)]
    for j, (first, end) in enumerate(zip(starts.tolist(), ends, strict=True)):
        if end - first > _ORDERED_SEGMENT:
            rows = np.ascontiguousarray(values[first:end].T)
            out[j] = np.add.reduceat(rows, [0], axis=1)[:, 0]
        elif end - first == 1:
            out[j] = values[first]
        else:
            rest = values[first + 1].copy()
            for row in range(first + 2, end):
                rest += values[row]
            np.add(values[first], rest, out=out[j])


def _weighted_mean(
    children: FloatArray, starts: npt.NDArray[np.intp], weights: FloatArray, out: FloatArray
) -> None:
    """Weighted mean of the children that have a score, per column, into `out`; NaN where none has
    one.

    `children` has a row per child, `out` a row per parent; each parent's children are consecutive
    rows starting at `starts`. Leaving out a child without a score renormalizes the weights of the
    others: the denominator sums only their weights. (Sums of rows rather than a matrix product:
    a BLAS call would add in another order.)

    Most columns (the bootstrap resamples of a group of any size) have a score for every child:
    their denominators are the plain weight sums. Only the columns with a missing child take the
    masked sums, which add the same numbers in the same order (a missing child adds 0), so every
    column gets the result it would get on its own.
    """
    _segment_sums(children * weights[:, None], starts, out)
    out /= np.add.reduceat(weights[None, :], starts, axis=1).T
    gaps = np.flatnonzero(np.isnan(out).any(axis=0))  # columns with a child without a score
    if len(gaps):
        out[:, gaps] = _masked_weighted_mean(children[:, gaps].T.copy(), starts, weights).T


def _masked_weighted_mean(
    children: FloatArray, starts: npt.NDArray[np.intp], weights: FloatArray
) -> FloatArray:
    """`_weighted_mean` for rows with missing children, row-major (rows × children)."""
    has = ~np.isnan(children)
    numerator = np.add.reduceat(np.where(has, children * weights, 0.0), starts, axis=1)
    denominator = np.add.reduceat(np.where(has, weights, 0.0), starts, axis=1)
    result = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=result, where=denominator > 0)
    return result


def _levels(
    structure: Structure, steps: npt.NDArray[np.number[Any]], counts: npt.NDArray[np.number[Any]]
) -> _Levels:
    """Item means from per-item sums of answers in scale steps (x − 1) and counts of answers (a row
    per item, a column per member of the batch), then weighted means up the tree. A scale step is
    20 percent points: (x − 1) / 5 × 100.

    The sums and counts are whole numbers (float32 or int32); the means are float64.
    An item without answers has a sum and a count of 0, and 0 / 0 gives its NaN.
    """
    heights = [len(structure.item_ids)]
    for starts, _ in structure.aggregations:
        if len(starts) != heights[-1]:
            heights.append(len(starts))
    scores = np.empty((sum(heights), steps.shape[1]))
    items = scores[: heights[0]]
    np.multiply(steps, 100.0 / (len(SCALE) - 1), out=items, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        np.divide(items, counts, out=items)
    nodes = [slice(0, heights[0])]
    for starts, weights in structure.aggregations:
        below = nodes[-1]
        if len(starts) == below.stop - below.start:
            nodes.append(below)  # every parent has exactly one child: its score is the child's
            continue
        here = slice(below.stop, below.stop + len(starts))
        _weighted_mean(scores[below], starts, weights, out=scores[here])
        nodes.append(here)
    return _Levels(scores, (nodes[0], nodes[1], nodes[2], nodes[3], nodes[4]))


def _percentiles(samples: FloatArray, fractions: tuple[float, ...]) -> FloatArray:
    """Per column, the linear-interpolation quantiles of the non-NaN values (NaN if none).

    The same definition as numpy's default `np.quantile`, vectorized over columns with NaNs.
    """
    return _row_percentiles(samples.T, fractions)


def _row_percentiles(values: FloatArray, fractions: tuple[float, ...]) -> FloatArray:
    """`_percentiles` of each row of `values` (sorting contiguous rows is the fast way)."""
    ordered = np.array(values, order="C")
    ordered.sort(axis=1)  # NaN sorts last
    valid = len(ordered[0]) - np.count_nonzero(np.isnan(ordered), axis=1)
    rows = np.arange(len(ordered))
    result = np.full((len(fractions), len(ordered)), np.nan)
    last = np.maximum(valid - 1, 0)
    for row, fraction in enumerate(fractions):
        position = fraction * last
        below = np.floor(position).astype(np.intp)
        above = np.minimum(below + 1, last)
        weight = position - below
        low, high = ordered[rows, below], ordered[rows, above]
        value = low + (high - low) * weight
        result[row] = np.where(valid > 0, value, np.nan)
    return result


def _bootstrap_se(samples: FloatArray) -> FloatArray:
    """Per column, the standard deviation (n − 1) of the non-NaN values; NaN with fewer than two.

    numpy sums a single column pairwise but several columns row by row (in another order), so the
    result for a column can differ in the last bit between the two: keep the columns of one
    computation together in the same shape.
    """
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


# The resample counts depend only on (respondents, resamples, seed): re-scoring draws them for the
# same few group sizes again and again (always seed 0), so a process keeps the most recently used
# ones, up to this many bytes. A count takes one byte: a group of 100 respondents at 2,000
# resamples takes 200 kB, and every group size up to 250 fits at once.
RESAMPLE_CACHE_BYTES = 64 * 2**20
Counts = npt.NDArray[np.unsignedinteger[Any]]


class _ResampleCache:
    """A least-recently-used cache of read-only resample-count matrices, bounded in bytes."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[tuple[int, int, int], Counts] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[int, int, int]) -> Counts | None:
        with self._lock:
            counts = self._entries.get(key)
            if counts is not None:
                self._entries.move_to_end(key)
            return counts

    def put(self, key: tuple[int, int, int], counts: Counts) -> None:
        if counts.nbytes > self.capacity // 4:
            return  # a rare very large group: not worth pushing out many common sizes
        counts.setflags(write=False)
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = counts
            self._bytes += counts.nbytes
            while self._bytes > self.capacity:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.nbytes

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


_resample_cache = _ResampleCache(RESAMPLE_CACHE_BYTES)


def _resample_counts(respondents: int, resamples: int, seed: int) -> Counts:
    """How often each respondent is drawn in each resample (resamples × respondents), read-only."""
    key = (respondents, resamples, seed)
    cacheable = type(seed) is int
    counts = _resample_cache.get(key) if cacheable else None
    if counts is None:
        counts = _draw_resample_counts(respondents, resamples, seed)
        if cacheable:
            _resample_cache.put(key, counts)
    return counts


# Resamples are drawn this many counts at a time: the temporaries then stay small and are reused
# rather than freshly mapped (on a virtual machine a page fault costs microseconds).
_DRAW_BLOCK = 2**15
# Counts are kept in one byte each unless one exceeds this (one respondent drawn 256 times in one
# resample: possible in principle, never seen).
_BYTE_MAX = 255


def _draw_resample_counts(respondents: int, resamples: int, seed: int) -> Counts:
    """Draw `respondents` of the respondents with replacement, `resamples` times, and count how
    often each was drawn. The same seed always gives the same counts: drawing the resamples in
    blocks takes the same numbers from the generator as drawing them all at once."""
    counts, highest = _draw_in_blocks(respondents, resamples, seed, np.dtype(np.uint8))
    if highest > _BYTE_MAX:
        counts, _ = _draw_in_blocks(respondents, resamples, seed, np.min_scalar_type(respondents))
    return counts


def _draw_in_blocks(
    respondents: int, resamples: int, seed: int, dtype: np.dtype[Any]
) -> tuple[Counts, int]:
    """The counts in `dtype` (a larger count wraps around) and the largest count."""
    rng = np.random.default_rng(seed)
    counts = np.empty((resamples, respondents), dtype=dtype)
    block = max(1, _DRAW_BLOCK // respondents)
    offsets = np.arange(0, block * respondents, respondents)[:, None]  # row r → r × n + pick
    highest = 0
    for start in range(0, resamples, block):
        rows = min(block, resamples - start)
        picks = rng.integers(0, respondents, size=(rows, respondents))
        picks += offsets[:rows]
        drawn = np.bincount(picks.ravel(), minlength=rows * respondents)
        highest = max(highest, int(drawn.max()))
        counts[start : start + rows] = drawn.reshape(rows, respondents)
    return counts, highest


# Whole numbers up to this are exact in float32, and so is every sum of them that stays below it.
_FLOAT32_WHOLE = 2**24


def _sums_and_counts(
    steps: npt.NDArray[np.float32],
    answered: npt.NDArray[np.float32],
    drawn: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.number[Any]], npt.NDArray[np.number[Any]]]:
    """Per item (row), the sum of the answers' scale steps and the number of answers: of each
    respondent (`steps`, `answered`: items × respondents), of all respondents together (the point
    estimate) and of each resample (`drawn`: resamples × respondents). The columns are in that
    order.

    One matrix product carries both: steps + M × answered, M a power of two above any sum of steps
    (at most 5 a draw, one draw per respondent), splits exactly into the two as long as every sum
    stays a float32 whole number, (M + 5) × respondents ≤ 2**24: up to 1,638 respondents. A larger
    group takes the product of steps and answers side by side, twice the work.
    """
    items, respondents = steps.shape
    columns = respondents + 1 + len(drawn)
    shift = (5 * respondents).bit_length()  # 2**shift > 5 × respondents
    if ((1 << shift) + 5) * respondents <= _FLOAT32_WHOLE:
        packed = steps + answered * np.float32(1 << shift)
        batch = np.empty((items, columns), dtype=np.float32)
        batch[:, :respondents] = packed
        packed.sum(axis=1, out=batch[:, respondents])
        np.matmul(packed, drawn.T, out=batch[:, respondents + 1 :])
        whole = batch.astype(np.int32)
        return whole & ((1 << shift) - 1), whole >> shift
    side_by_side = np.vstack([steps, answered])
    batch = np.empty((2 * items, columns), dtype=np.float32)
    batch[:, :respondents] = side_by_side
    side_by_side.sum(axis=1, out=batch[:, respondents])
    np.matmul(side_by_side, drawn.T, out=batch[:, respondents + 1 :])
    return batch[:items], batch[items:]


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


_Figures = tuple[float | None, tuple[float, float] | None, float | None]


def _figures(
    point: FloatArray, low: FloatArray, high: FloatArray, se: FloatArray
) -> list[_Figures]:
    """Per node: the score, its interval and standard error, None where there is none."""
    result: list[_Figures] = []
    for score_, low_, high_, se_ in zip(
        point.tolist(), low.tolist(), high.tolist(), se.tolist(), strict=True
    ):
        if math.isnan(score_):
            result.append((None, None, None))
        else:
            interval = None if math.isnan(low_) else (low_, high_)
            result.append((score_, interval, None if math.isnan(se_) else se_))
    return result


def _estimates(
    ids: tuple[str, ...],
    point: FloatArray,
    low: FloatArray,
    high: FloatArray,
    se: FloatArray,
    n: npt.NDArray[np.intp],
) -> dict[str, Estimate]:
    figures = _figures(point, low, high, se)
    return {
        node: Estimate(score_, interval, se_, n_)
        for node, (score_, interval, se_), n_ in zip(ids, figures, n.tolist(), strict=True)
    }


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
    """`per_respondent` has a row per category and a column per respondent (NaN: no score)."""
    counts = n.tolist()
    variances: list[float] = [math.nan] * len(counts)
    if per_respondent is not None:
        # The categories every respondent has a score in at once (numpy sums each row of a 2-D
        # array as it sums the row on its own); the others one by one, leaving out the gaps.
        everyone = (n == per_respondent.shape[1]) & (n >= 2)
        if everyone.any():
            full = np.var(per_respondent[everyone], axis=1, ddof=1).tolist()
            for j, variance in zip(np.flatnonzero(everyone).tolist(), full, strict=True):
                variances[j] = variance
        for j in np.flatnonzero(~everyone & (n >= 2)).tolist():
            row = per_respondent[j]
            variances[j] = float(np.var(row[~np.isnan(row)], ddof=1))
    result = {}
    for node, variance, count in zip(structure.category_ids, variances, counts, strict=True):
        if math.isnan(variance):
            result[node] = Consensus(None, None, count)
            continue
        agreement = min(1.0, max(0.0, 1.0 - variance / UNIFORM_VARIANCE))
        result[node] = Consensus(math.sqrt(variance), agreement, count)
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

    # How often each item got each answer: "Vet ej", unanswered, then 1..6.
    width = len(SCALE) + 2
    tally = np.bincount(
        (data + (width * np.arange(data.shape[1]) - DONT_KNOW)).ravel(),
        minlength=width * data.shape[1],
    ).reshape(-1, width)
    item_dont_know, item_unanswered = tally[:, 0], tally[:, 1]
    distribution = tally[:, 2:]
    item_n = distribution.sum(axis=1)

    rows = data[(data >= SCALE[0]).any(axis=1)]
    rows = rows[np.lexsort(rows.T[::-1])] if len(rows) else rows
    respondents = len(rows)
    flags = _flags(structure, data, respondents, invited)

    # Sums are kept in scale steps above 1 (x − 1, i.e. 0..5) and turned into percent (× 20) only
    # when divided by the counts: every sum and count is then a small whole number, exact even in
    # the float32 matrix product below. A row per item and a column per respondent: the scores
    # are computed node by node on long rows.
    by_item = rows.T
    answered = (by_item >= SCALE[0]).astype(np.float32)
    steps = np.where(by_item >= SCALE[0], by_item - 1, 0).astype(np.float32)

    if respondents < min_respondents:
        per_respondent = _levels(structure, steps, answered)
        counted = np.count_nonzero(~np.isnan(per_respondent.scores), axis=1)
        node_n = [counted[part] for part in per_respondent.nodes]
        return _without_scores(
            structure, respondents, item_n, item_dont_know, item_unanswered, node_n, flags
        )

    # One pass up the tree for all at once: the respondents (for the counts and the consensus),
    # the point estimate (all respondents' sums) and the bootstrap resamples.
    point, first_resample = respondents, respondents + 1
    drawn = _resample_counts(respondents, resamples, seed).astype(np.float32)
    levels = _levels(structure, *_sums_and_counts(steps, answered, drawn))
    node_n = np.count_nonzero(~np.isnan(levels.scores[:, :respondents]), axis=1)
    point_scores = levels.scores[:, point]

    # The 95 % interval and the standard error of every distinct level's nodes at once. The
    # standard error is taken over resamples × nodes, as numpy sums such columns (row by row);
    # a last level of one node (the overall score) keeps its own, as numpy sums one column
    # pairwise.
    boot = levels.scores[:, first_resample:]
    tail = (1.0 - CONFIDENCE) / 2.0
    low, high = _row_percentiles(boot, (tail, 1.0 - tail))
    last = levels.nodes[-1]
    alone = last.start if last.stop - last.start == 1 else last.stop
    se = np.concatenate(
        [_bootstrap_se(np.ascontiguousarray(boot[:alone].T)), _bootstrap_se(boot[alone:].T)]
    )

    def level(index: int, ids: tuple[str, ...]) -> dict[str, Estimate]:
        part = levels.nodes[index]
        return _estimates(ids, point_scores[part], low[part], high[part], se[part], node_n[part])

    part = levels.nodes[0]
    item_figures = _figures(point_scores[part], low[part], high[part], se[part])
    item_counts = zip(
        item_n.tolist(),
        item_dont_know.tolist(),
        item_unanswered.tolist(),
        distribution.tolist(),
        strict=True,
    )
    categories = level(2, structure.category_ids)
    strengths, weaknesses = _ranked(categories)
    return OrganizationScore(
        respondents=respondents,
        overall=level(4, ("overall",))["overall"],
        dimensions=level(3, structure.dimension_ids),
        categories=categories,
        capabilities=level(1, structure.capability_ids),
        items={
            node: ItemScore(score_, n_, dont_know, unanswered, tuple(counts), interval, se_)
            for node, (score_, interval, se_), (n_, dont_know, unanswered, counts) in zip(
                structure.item_ids, item_figures, item_counts, strict=True
            )
        },
        quadrant=_quadrant(
            structure, levels.level(3, slice(point, first_resample)), boot[levels.nodes[3]].T
        ),
        strengths=strengths,
        weaknesses=weaknesses,
        consensus=_consensus(
            structure, levels.scores[levels.nodes[2], :respondents], node_n[levels.nodes[2]]
        ),
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
