"""The scoring method, step by step in the order docs/scoring.md explains it.

§1 input (validated answers, counted per item), §2 point scores up the levels, §3 the bootstrap
interval and standard error of every score, §4 the organization type, §5 strengths and weaknesses,
§6 consensus, §7 data-quality flags (flags.py). The fast kernels it calls (summation.py,
packing.py, resampling.py, quantiles.py) compute exactly what their docstrings say, only faster.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from mognad.instrument.scale import DONT_KNOW, HIGHEST, LOWEST, SCALE, STEP_PERCENT, UNANSWERED
from mognad.scoring.engine.flags import data_quality_flags, responded
from mognad.scoring.engine.levels import OVERALL_ID, Level, LevelScores, node_ids, score_levels
from mognad.scoring.engine.packing import sums_and_counts
from mognad.scoring.engine.quantiles import bootstrap_se, row_percentiles
from mognad.scoring.engine.resampling import resample_counts
from mognad.scoring.engine.results import (
    Change,
    Consensus,
    Estimate,
    ItemScore,
    OrganizationScore,
    Quadrant,
)
from mognad.scoring.structure import QUADRANTS, Structure

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
Answers = npt.NDArray[np.int8]

CONFIDENCE = 0.95
# No quadrant reaching this share of the bootstrap resamples → the placement is uncertain.
CERTAIN_QUADRANT = 0.80
TOP_CATEGORIES = 3
# Variance of an answer drawn uniformly from the six-point scale, in percent points squared:
# (A² − 1) / 12 on the 1..6 scale, times 20² because one scale step is 20 percent points.
UNIFORM_VARIANCE = (len(SCALE) ** 2 - 1) / 12 * STEP_PERCENT**2
# A score this close below a cut-off counts as reaching it (floating-point noise in weighted means).
_CUTOFF_TOLERANCE = 1e-9


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
    _check_options(data, resamples, min_respondents, invited)
    counts = ItemCounts.of(data)
    rows = _respondents(data)
    flags = data_quality_flags(structure, data, len(rows), invited)
    steps, answered = _scale_steps(rows)
    if len(rows) < min_respondents:
        # Counts only: each node's n from the respondents' own scores, no score or interval.
        alone = score_levels(structure, steps, answered)
        n = np.count_nonzero(~np.isnan(alone.scores), axis=1)
        return _counts_only(structure, len(rows), counts, alone.rows, n, flags)

    # §2 and §3 in one pass up the tree, for a batch of columns: each respondent alone (for the
    # counts and the consensus), all respondents together (the point estimate), each resample.
    batch = _Batch(len(rows))
    drawn = resample_counts(len(rows), resamples, seed).astype(np.float32)
    levels = score_levels(structure, *sums_and_counts(steps, answered, drawn))
    figures = _Figures.of(levels, batch)
    categories = figures.estimates(structure, Level.CATEGORY)
    strengths, weaknesses = _ranked(categories)
    return OrganizationScore(
        respondents=len(rows),
        overall=figures.estimates(structure, Level.OVERALL)[OVERALL_ID],
        dimensions=figures.estimates(structure, Level.DIMENSION),
        categories=categories,
        capabilities=figures.estimates(structure, Level.CAPABILITY),
        items=_item_scores(structure, figures, counts),
        quadrant=_quadrant(
            structure,
            levels.of(Level.DIMENSION, batch.point),
            levels.of(Level.DIMENSION, batch.boot),
        ),
        strengths=strengths,
        weaknesses=weaknesses,
        consensus=_consensus(
            structure,
            levels.of(Level.CATEGORY, batch.each).T,
            figures.n[levels.rows[Level.CATEGORY]],
        ),
        flags=flags,
    )


# --- §1 Input ---------------------------------------------------------------------------------


def _validated(answers: object, structure: Structure) -> Answers:
    if not isinstance(answers, np.ndarray):
        raise ValueError(f"answers must be a numpy array, got {type(answers).__name__}")
    if answers.dtype.kind not in "iu":
        raise ValueError(f"answers must be an integer array, got dtype {answers.dtype}")
    if answers.ndim != 2 or answers.shape[1] != len(structure.item_ids):
        raise ValueError(
            f"answers must have shape (respondents, {len(structure.item_ids)}), got {answers.shape}"
        )
    allowed = (answers >= DONT_KNOW) & (answers <= HIGHEST)
    if not np.all(allowed):
        row, column = (int(i[0]) for i in np.nonzero(~allowed))
        value = answers[row, column]
        raise ValueError(
            f"answer {value} (respondent row {row}, item {structure.item_ids[column]!r}) is not "
            f"allowed: use {LOWEST}–{HIGHEST}, {DONT_KNOW} for 'Vet ej' or {UNANSWERED} for "
            "unanswered"
        )
    return answers.astype(np.int8)


def _check_options(
    data: Answers, resamples: int, min_respondents: int, invited: int | None
) -> None:
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 1:
        raise ValueError(f"resamples must be a positive integer, got {resamples!r}")
    if isinstance(min_respondents, bool) or not isinstance(min_respondents, int):
        raise ValueError(f"min_respondents must be an integer, got {min_respondents!r}")
    if min_respondents < 1:
        raise ValueError(f"min_respondents must be at least 1, got {min_respondents}")
    if invited is not None:
        answered = responded(data)
        if isinstance(invited, bool) or not isinstance(invited, int) or invited < max(answered, 1):
            raise ValueError(
                f"invited must be a whole number at least the {answered} who responded, "
                f"got {invited!r}"
            )


class ItemCounts(NamedTuple):
    """Per item: answers on the scale, "Vet ej", unanswered, and how many gave each point."""

    n: IntArray
    dont_know: IntArray
    unanswered: IntArray
    distribution: IntArray  # items × scale points

    @classmethod
    def of(cls, data: Answers) -> ItemCounts:
        # One tally per item of "Vet ej", unanswered, then the points of the scale.
        width = len(SCALE) + 2
        tally = np.bincount(
            (data + (width * np.arange(data.shape[1]) - DONT_KNOW)).ravel(),
            minlength=width * data.shape[1],
        ).reshape(-1, width)
        distribution = tally[:, 2:]
        return cls(distribution.sum(axis=1), tally[:, 0], tally[:, 1], distribution)


def _respondents(data: Answers) -> Answers:
    """The rows with an answer on the scale, in a canonical order (sorted by their answers)."""
    rows = data[(data >= LOWEST).any(axis=1)]
    return rows[np.lexsort(rows.T[::-1])] if len(rows) else rows


def _scale_steps(rows: Answers) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Per item and respondent (items × respondents): the answer in steps above the lowest point
    (x − 1, 0..5; 0 where missing) and whether there is an answer on the scale (1 or 0).

    Sums stay in scale steps and become percent (× 20) only when divided by the counts: every sum
    and count is then a small whole number, exact even in the float32 matrix product.
    """
    by_item = rows.T
    on_scale = by_item >= LOWEST
    return (
        np.where(on_scale, by_item - LOWEST, 0).astype(np.float32),
        on_scale.astype(np.float32),
    )


# --- §2 and §3: scores and their uncertainty ----------------------------------------------------


class _Batch:
    """The columns of the pass up the tree: respondents, then the point estimate, then resamples."""

    def __init__(self, respondents: int) -> None:
        self.each = slice(0, respondents)
        self.point = slice(respondents, respondents + 1)
        self.boot = slice(respondents + 1, None)


class _Figures(NamedTuple):
    """Per node (a row of `LevelScores.scores`): score, 95 % interval, standard error and n."""

    rows: tuple[slice, ...]
    point: FloatArray
    low: FloatArray
    high: FloatArray
    se: FloatArray
    n: IntArray

    @classmethod
    def of(cls, levels: LevelScores, batch: _Batch) -> _Figures:
        """The interval is the 2.5th and 97.5th percentile of a node's resampled scores, the
        standard error their standard deviation (docs/scoring.md §3)."""
        boot = levels.scores[:, batch.boot]
        tail = (1.0 - CONFIDENCE) / 2.0
        low, high = row_percentiles(boot, (tail, 1.0 - tail))
        # The standard error is taken over resamples × nodes, as numpy sums such columns (row by
        # row); a last level of one node (the overall score) keeps its own, as numpy sums one
        # column pairwise.
        last = levels.rows[Level.OVERALL]
        alone = last.start if last.stop - last.start == 1 else last.stop
        se = np.concatenate(
            [bootstrap_se(np.ascontiguousarray(boot[:alone].T)), bootstrap_se(boot[alone:].T)]
        )
        n = np.count_nonzero(~np.isnan(levels.scores[:, batch.each]), axis=1)
        return cls(levels.rows, levels.scores[:, batch.point.start], low, high, se, n)

    def at(
        self, level: Level
    ) -> list[tuple[float | None, tuple[float, float] | None, float | None]]:
        """Per node of the level: the score, its interval and standard error (None where none)."""
        part = self.rows[level]
        result: list[tuple[float | None, tuple[float, float] | None, float | None]] = []
        for score_, low, high, se in zip(
            self.point[part].tolist(),
            self.low[part].tolist(),
            self.high[part].tolist(),
            self.se[part].tolist(),
            strict=True,
        ):
            if math.isnan(score_):
                result.append((None, None, None))
            else:
                interval = None if math.isnan(low) else (low, high)
                result.append((score_, interval, None if math.isnan(se) else se))
        return result

    def estimates(self, structure: Structure, level: Level) -> dict[str, Estimate]:
        n = self.n[self.rows[level]].tolist()
        return {
            node: Estimate(score_, interval, se, n_)
            for node, (score_, interval, se), n_ in zip(
                node_ids(structure, level), self.at(level), n, strict=True
            )
        }


def _item_scores(
    structure: Structure, figures: _Figures, counts: ItemCounts
) -> dict[str, ItemScore]:
    tallies = zip(
        counts.n.tolist(),
        counts.dont_know.tolist(),
        counts.unanswered.tolist(),
        counts.distribution.tolist(),
        strict=True,
    )
    return {
        node: ItemScore(score_, n, dont_know, unanswered, tuple(points), interval, se)
        for node, (score_, interval, se), (n, dont_know, unanswered, points) in zip(
            structure.item_ids, figures.at(Level.ITEM), tallies, strict=True
        )
    }


def _counts_only(
    structure: Structure,
    respondents: int,
    counts: ItemCounts,
    rows: tuple[slice, ...],
    n: IntArray,
    flags: tuple[Any, ...],
) -> OrganizationScore:
    """A group below the minimum size: counts only, no score, interval or distribution."""

    def empty(level: Level) -> dict[str, Estimate]:
        return {
            node: Estimate(None, None, None, count)
            for node, count in zip(node_ids(structure, level), n[rows[level]].tolist(), strict=True)
        }

    return OrganizationScore(
        respondents=respondents,
        overall=empty(Level.OVERALL)[OVERALL_ID],
        dimensions=empty(Level.DIMENSION),
        categories=empty(Level.CATEGORY),
        capabilities=empty(Level.CAPABILITY),
        items={
            node: ItemScore(
                None,
                int(counts.n[j]),
                int(counts.dont_know[j]),
                int(counts.unanswered[j]),
                (),
            )
            for j, node in enumerate(structure.item_ids)
        },
        quadrant=None,
        strengths=(),
        weaknesses=(),
        consensus=_consensus(structure, None, n[rows[Level.CATEGORY]]),
        flags=flags,
    )


# --- §4 The organization type -------------------------------------------------------------------


def _quadrant_index(structure: Structure, capability: FloatArray, legacy: FloatArray) -> IntArray:
    """Index into QUADRANTS: capability low/high + 2 × legacy limiting/enabling."""
    high = capability >= structure.capability_cutoff - _CUTOFF_TOLERANCE
    enabling = legacy >= structure.legacy_cutoff - _CUTOFF_TOLERANCE
    index: IntArray = high.astype(np.intp) + 2 * enabling.astype(np.intp)
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


# --- §5 Strengths and weaknesses ----------------------------------------------------------------


def _ranked(categories: dict[str, Estimate]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The strongest and weakest categories: up to three each, never the same one in both.

    Categories with a score are ranked by score, ties by id (the earlier id ranks higher); the
    strengths are the top of the ranking, the weaknesses its bottom, weakest first.
    """
    scored = [(round(e.score, 9), node) for node, e in categories.items() if e.score is not None]
    ranking = [node for _, node in sorted(scored, key=lambda pair: (-pair[0], pair[1]))]
    count = min(TOP_CATEGORIES, len(ranking) // 2)
    return tuple(ranking[:count]), tuple(reversed(ranking))[:count]


# --- §6 Consensus -------------------------------------------------------------------------------


def _consensus(
    structure: Structure, per_respondent: FloatArray | None, n: IntArray
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


# --- Comparing two scores -----------------------------------------------------------------------


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
