"""The instrument's levels and the pass up the tree that scores them (docs/scoring.md §2).

Items are scored first, then capabilities, categories, dimensions and the overall score, each as the
weighted mean of its children that have a score. The pass runs on a batch of columns at once (each
respondent alone, the point estimate, the scores with one respondent or unit left out).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from mognad.instrument.scale import STEP_PERCENT
from mognad.scoring.engine.summation import weighted_mean
from mognad.scoring.structure import Structure

FloatArray = npt.NDArray[np.float64]


class Level(IntEnum):
    """The levels of an instrument, bottom up: each is the weighted mean of the one below."""

    ITEM = 0
    CAPABILITY = 1
    CATEGORY = 2
    DIMENSION = 3
    OVERALL = 4


OVERALL_ID = "overall"


def node_ids(structure: Structure, level: Level) -> tuple[str, ...]:
    """The ids of a level's nodes in instrument order (the overall score is one node)."""
    return {
        Level.ITEM: structure.item_ids,
        Level.CAPABILITY: structure.capability_ids,
        Level.CATEGORY: structure.category_ids,
        Level.DIMENSION: structure.dimension_ids,
        Level.OVERALL: (OVERALL_ID,),
    }[level]


class LevelScores(NamedTuple):
    """Scores at every level for a batch of columns.

    `scores` has a row per node of each distinct level and a column per member of the batch;
    `rows[level]` is the slice of that level's nodes. A level whose parents each have exactly one
    child has the same scores as the level below it and shares its rows.
    """

    scores: FloatArray
    rows: tuple[slice, slice, slice, slice, slice]

    def of(self, level: Level, columns: slice = slice(None)) -> FloatArray:
        """One level's scores as (columns × nodes)."""
        return self.scores[self.rows[level], columns].T


def score_levels(
    structure: Structure, steps: npt.NDArray[np.number[Any]], counts: npt.NDArray[np.number[Any]]
) -> LevelScores:
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
    np.multiply(steps, STEP_PERCENT, out=items, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        np.divide(items, counts, out=items)
    rows = [slice(0, heights[0])]
    for starts, weights in structure.aggregations:
        below = rows[-1]
        if len(starts) == below.stop - below.start:
            rows.append(below)  # every parent has exactly one child: its score is the child's
            continue
        here = slice(below.stop, below.stop + len(starts))
        weighted_mean(scores[below], starts, weights, out=scores[here])
        rows.append(here)
    return LevelScores(scores, (rows[0], rows[1], rows[2], rows[3], rows[4]))
