"""The scoring method, step by step in the order docs/scoring.md explains it.

§1 input (validated answers, counted per item), §2 point scores up the levels, §3 the jackknife
standard error and t interval of every score (intervals.py), §4 the organization type and the
probability of each type, §5 strengths and weaknesses, §6 consensus, §7 data-quality flags
(flags.py). The fast kernel it calls (summation.py) computes exactly what its docstring says, only
faster.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from mognad.instrument.scale import DONT_KNOW, HIGHEST, LOWEST, SCALE, STEP_PERCENT, UNANSWERED
from mognad.scoring.engine.flags import data_quality_flags, responded
from mognad.scoring.engine.intervals import (
    bivariate_t_sample,
    covariance,
    jackknife,
    t_intervals,
    t_quantile,
)
from mognad.scoring.engine.levels import OVERALL_ID, Level, LevelScores, node_ids, score_levels
from mognad.scoring.engine.results import (
    Change,
    Consensus,
    Estimate,
    ItemScore,
    OrganizationScore,
    Quadrant,
    Sampling,
)
from mognad.scoring.structure import QUADRANTS, Structure

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
Answers = npt.NDArray[np.int8]

CONFIDENCE = 0.95
# No type reaching this probability → the placement is uncertain. Only probabilities beyond 5 % and
# 95 % are calibrated whatever the spread of organizations (docs/scoring.md §4).
CERTAIN_QUADRANT = 0.95
# A reported type probability is calibrated below 5 % and from 95 % (the harness, docs/scoring.md
# §4 and §11); one in between depends on how organizations are spread around the cut-offs.
CALIBRATED_BELOW, CALIBRATED_FROM = 0.05, 0.95
_LOWEST_PERCENT, _HIGHEST_PERCENT = 0.0, 100.0
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
    whole_group: bool = False,
    clusters: npt.NDArray[np.integer[Any]] | None = None,
) -> OrganizationScore:
    """Score one group's answers (respondents × items; 1–6, `DONT_KNOW`, `UNANSWERED`).

    A respondent is a row with at least one answer on the scale. Rows are put in a canonical order
    first, so the result (intervals included) does not depend on the order of the rows.
    `whole_group`: the `invited` are the whole target group (finite-population correction).
    `clusters`: per row, the sampled unit it came from (the jackknife leaves out whole units).
    `resamples` and `seed`: the draws behind the type probabilities.
    """
    data = _validated(answers, structure)
    _check_options(data, resamples, min_respondents, invited)
    groups = _check_design(data, invited, whole_group, clusters)
    counts = ItemCounts.of(data)
    rows, order = _respondents(data)
    flags = data_quality_flags(structure, data, len(rows), invited)
    steps, answered = _scale_steps(rows)
    if len(rows) < min_respondents:
        # Counts only: each node's n from the respondents' own scores, no score or interval.
        alone = score_levels(structure, steps, answered)
        n = np.count_nonzero(~np.isnan(alone.scores), axis=1)
        return _counts_only(structure, len(rows), counts, alone.rows, n, flags)

    # §2 and §3 in one pass up the tree, for a batch of columns: each respondent alone (for the
    # counts and the consensus), all respondents together (the point estimate), and the scores
    # with each respondent (or sampled unit) left out (the jackknife).
    design = _Design.of(len(rows), None if groups is None else groups[order], invited, whole_group)
    batch = _Batch(len(rows))
    levels = score_levels(structure, *_with_left_out(steps, answered, design))
    figures = _Figures.of(levels, batch, design)
    categories = figures.estimates(structure, Level.CATEGORY)
    strengths, weaknesses = _ranked(categories)
    return OrganizationScore(
        respondents=len(rows),
        overall=figures.estimates(structure, Level.OVERALL)[OVERALL_ID],
        dimensions=figures.estimates(structure, Level.DIMENSION),
        categories=categories,
        capabilities=figures.estimates(structure, Level.CAPABILITY),
        items=_item_scores(structure, figures, counts),
        quadrant=_quadrant(structure, levels, figures, resamples, seed),
        strengths=strengths,
        weaknesses=weaknesses,
        consensus=_consensus(
            structure,
            levels.of(Level.CATEGORY, batch.each).T,
            figures.n[levels.rows[Level.CATEGORY]],
        ),
        flags=flags,
        sampling=design.sampling,
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


def _check_design(
    data: Answers, invited: int | None, whole_group: bool, clusters: object
) -> IntArray | None:
    """The cluster label of each row (None: respondents were sampled one by one)."""
    if not isinstance(whole_group, bool):
        raise ValueError(f"whole_group must be True or False, got {whole_group!r}")
    if whole_group and invited is None:
        raise ValueError("whole_group needs invited: the size of the whole target group")
    if clusters is None:
        return None
    if whole_group:
        raise ValueError(
            "whole_group and clusters exclude each other: units sampled whole are "
            "not the whole target group"
        )
    if not isinstance(clusters, np.ndarray) or clusters.dtype.kind not in "iu":
        raise ValueError("clusters must be an integer numpy array with one label per row")
    if clusters.shape != (len(data),):
        raise ValueError(f"clusters must have shape ({len(data)},), got {clusters.shape}")
    labels: IntArray = np.unique(clusters, return_inverse=True)[1].astype(np.intp)
    return labels


def _respondents(data: Answers) -> tuple[Answers, IntArray]:
    """The rows with an answer on the scale, in a canonical order (sorted by their answers), and
    their row numbers in `data`."""
    index = np.flatnonzero((data >= LOWEST).any(axis=1))
    rows = data[index]
    order = np.lexsort(rows.T[::-1]) if len(rows) else np.arange(0)
    return rows[order], index[order]


def _scale_steps(rows: Answers) -> tuple[FloatArray, FloatArray]:
    """Per item and respondent (items × respondents): the answer in steps above the lowest point
    (x − 1, 0..5; 0 where missing) and whether there is an answer on the scale (1 or 0).

    Sums stay in scale steps and become percent (× 20) only when divided by the counts: every sum
    and count is then a small whole number, exact in any order of addition.
    """
    by_item = rows.T
    on_scale = by_item >= LOWEST
    return (
        np.where(on_scale, by_item - LOWEST, 0).astype(np.float64),
        on_scale.astype(np.float64),
    )


# --- §2 and §3: scores and their uncertainty ----------------------------------------------------


class _Batch:
    """The columns of the pass up the tree: respondents, then the point estimate, then the scores
    with each jackknife group left out."""

    def __init__(self, respondents: int) -> None:
        self.each = slice(0, respondents)
        self.point = slice(respondents, respondents + 1)
        self.left_out = slice(respondents + 1, None)


class _Design(NamedTuple):
    """How the respondents were sampled: one by one or in units, from a sample or a whole group."""

    # Sampled units × respondents, 1 where the respondent is in the unit; None: each respondent is
    # a group of their own.
    membership: FloatArray | None
    correction: float  # the finite-population correction of the variance, 1 − n/N (1: none)
    sampling: Sampling

    def totals(self, each: FloatArray) -> FloatArray:
        """Per row, the sum of `each` (a column per respondent) over each jackknife group."""
        return each if self.membership is None else each @ self.membership.T

    @classmethod
    def of(
        cls, respondents: int, labels: IntArray | None, invited: int | None, whole_group: bool
    ) -> _Design:
        membership = None
        sampling = Sampling("whole_group", invited) if whole_group else Sampling()
        if labels is not None and respondents:
            membership = np.zeros((int(labels.max()) + 1, respondents))
            membership[labels, np.arange(respondents)] = 1.0
            sampling = Sampling("units", None, len(membership))
        correction = 1.0 - respondents / invited if whole_group and invited else 1.0
        return cls(membership, max(correction, 0.0), sampling)


def _with_left_out(
    steps: FloatArray, answered: FloatArray, design: _Design
) -> tuple[FloatArray, FloatArray]:
    """Per item, sums of scale steps and counts of answers for the batch's columns: each
    respondent, everyone, everyone but one jackknife group (small whole numbers: exact)."""
    result = []
    for each in (steps, answered):
        total = each.sum(axis=1, keepdims=True)
        result.append(np.hstack([each, total, total - design.totals(each)]))
    return result[0], result[1]


class _Figures(NamedTuple):
    """Per node (a row of `LevelScores.scores`): score, 95 % interval, standard error, n and the
    degrees of freedom of its t interval."""

    rows: tuple[slice, ...]
    point: FloatArray
    low: FloatArray
    high: FloatArray
    se: FloatArray
    n: IntArray
    df: IntArray
    variance: FloatArray  # of the score (finite-population correction included)
    left_out: FloatArray  # the jackknife's scores, a column per group left out
    contributes: npt.NDArray[np.bool_]  # per node and group: has an answer under the node
    correction: float

    def covariance(self, a: int, b: int) -> float:
        """The jackknife covariance of the scores of nodes (rows) `a` and `b`."""
        rows = [a, b]
        return covariance(self.left_out[rows], self.contributes[rows]) * self.correction

    @classmethod
    def of(cls, levels: LevelScores, batch: _Batch, design: _Design) -> _Figures:
        """The standard error is the jackknife's (with the finite-population correction), the
        interval the score ± t(m − 1) × SE (docs/scoring.md §3)."""
        answered = ~np.isnan(levels.scores[:, batch.each])
        contributes = (
            answered if design.membership is None else design.totals(answered.astype(float)) > 0
        )
        variance, m = jackknife(levels.scores[:, batch.left_out], contributes)
        # Small-sample correction of an item: its variance is at least that of one of its m
        # answers one scale step from all the others, (step / m)². A few answers that happen to
        # agree would otherwise give an interval of zero width.
        items = levels.rows[Level.ITEM]
        with np.errstate(divide="ignore"):
            floor = (STEP_PERCENT / m[items]) ** 2
        variance[items] = np.where(m[items] >= 2, np.fmax(variance[items], floor), np.nan)
        variance = variance * design.correction
        se = np.sqrt(variance)
        point = levels.scores[:, batch.point.start]
        low, high = t_intervals(point, se, m - 1, CONFIDENCE, _LOWEST_PERCENT, _HIGHEST_PERCENT)
        n = np.count_nonzero(answered, axis=1)
        return cls(
            levels.rows,
            point,
            low,
            high,
            se,
            n,
            m - 1,
            variance,
            levels.scores[:, batch.left_out],
            contributes,
            design.correction,
        )

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


def _quadrant(
    structure: Structure, levels: LevelScores, figures: _Figures, draws: int, seed: int
) -> Quadrant | None:
    """The type of the point estimate, and each type's probability: the share of `draws` from a
    bivariate t around the two dimension scores (their jackknife variances and covariance,
    df the smaller of the two) that falls in it."""
    rows = levels.rows[Level.DIMENSION]
    c = rows.start + structure.capability_dimension
    g = rows.start + structure.legacy_dimension
    point = (float(figures.point[c]), float(figures.point[g]))
    if math.isnan(point[0]) or math.isnan(point[1]):
        return None
    (found,) = _quadrant_index(structure, np.array([point[0]]), np.array([point[1]]))
    variances = (float(figures.variance[c]), float(figures.variance[g]))
    if math.isnan(variances[0]) or math.isnan(variances[1]):
        # A single respondent says nothing about where the true scores lie.
        probabilities = {structure.types[q]: 1.0 / len(QUADRANTS) for q in QUADRANTS}
        return Quadrant(structure.types[QUADRANTS[found]], probabilities, True)
    cov = figures.covariance(c, g)
    sample = bivariate_t_sample(
        point, variances, cov, int(min(figures.df[c], figures.df[g])), draws, seed
    )
    landed = np.bincount(
        _quadrant_index(structure, sample[:, 0], sample[:, 1]), minlength=len(QUADRANTS)
    )
    probabilities = {
        structure.types[quadrant]: float(landed[n]) / draws for n, quadrant in enumerate(QUADRANTS)
    }
    uncertain = max(probabilities.values()) < CERTAIN_QUADRANT
    return Quadrant(structure.types[QUADRANTS[found]], probabilities, uncertain)


def calibrated(probability: float) -> bool:
    """Whether a reported type probability is one the harness found calibrated (below 5 % or from
    95 %); the pages mark every other one "osäker" (uncertain)."""
    return probability < CALIBRATED_BELOW or probability >= CALIBRATED_FROM


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

    Welch's t: delta = b − a, SE = √(SE_a² + SE_b²), 95 % interval delta ± t(df) × SE with the
    Welch–Satterthwaite degrees of freedom from each side's n − 1; significant when the interval
    excludes 0.
    """
    if a.score is None or b.score is None or a.se is None or b.se is None:
        return Change(None, None, False)
    if a.n < 2 or b.n < 2:
        return Change(b.score - a.score, None, False)
    delta = b.score - a.score
    va, vb = a.se**2, b.se**2
    spread = va + vb
    if spread == 0:
        interval = (delta, delta)
    else:
        df = spread**2 / (va**2 / (a.n - 1) + vb**2 / (b.n - 1))
        margin = _welch_factor(df) * math.sqrt(spread)
        interval = (delta - margin, delta + margin)
    significant = interval[0] > 0 or interval[1] < 0
    return Change(delta, interval, significant)


def differs_from_peers(interval: tuple[float, float] | None, peer: float | None) -> bool | None:
    """ "Differs from peers" (§3): whether the peer average lies outside the score's 95 % interval.

    The peer average is taken as known (an average over at least five organizations' scores);
    None when there is no interval (too few answers) or no peer average to compare with.
    """
    if interval is None or peer is None:
        return None
    return bool(peer < interval[0] or peer > interval[1])


def _welch_factor(df: float) -> float:
    """t(0.95) at a fractional df: interpolated between the neighbouring whole numbers (in 1/df,
    where the quantile is nearly linear)."""
    below = max(1, math.floor(df))
    above = below + 1
    if df <= below:
        return t_quantile(CONFIDENCE, below)
    share = (1 / below - 1 / df) / (1 / below - 1 / above)
    return (1 - share) * t_quantile(CONFIDENCE, below) + share * t_quantile(CONFIDENCE, above)
