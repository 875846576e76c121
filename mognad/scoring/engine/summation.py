"""Fast kernel: weighted means of a parent's children, added in a fixed order.

The engine's results are pinned to the last bit (tests/test_engine_pinned.py). Summing a parent's
children row by row is several times faster than `np.add.reduceat` on the engine's long, narrow
arrays, so these functions repeat reduceat's order of additions exactly
(tests/test_engine_exactness.py checks it).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Starts = npt.NDArray[np.intp]

# `segment_sums` repeats `np.add.reduceat`'s additions for segments of up to this many children.
ORDERED_SEGMENT = 8


def segment_sums(values: FloatArray, starts: Starts, out: FloatArray) -> None:
    """Sums of consecutive rows into `out` (a row per segment), bit for bit the sums that
    `np.add.reduceat(values.T, starts, axis=1)` takes on the transposed, row-major layout.

    reduceat adds a segment's first member to the sum of the others taken from left to right
    (numpy sums fewer than 8 numbers one after the other). Adding whole rows in that order is
    several times faster than reduceat on these long, narrow arrays. A segment of more than
    `ORDERED_SEGMENT` members (summed pairwise by numpy) is left to reduceat itself.
    """
    ends = [*starts[1:].tolist(), len(values)]
    for j, (first, end) in enumerate(zip(starts.tolist(), ends, strict=True)):
        if end - first > ORDERED_SEGMENT:
            rows = np.ascontiguousarray(values[first:end].T)
            out[j] = np.add.reduceat(rows, [0], axis=1)[:, 0]
        elif end - first == 1:
            out[j] = values[first]
        else:
            rest = values[first + 1].copy()
            for row in range(first + 2, end):
                rest += values[row]
            np.add(values[first], rest, out=out[j])


def weighted_mean(
    children: FloatArray, starts: Starts, weights: FloatArray, out: FloatArray
) -> None:
    """Weighted mean of the children that have a score, per column, into `out`; NaN where none has
    one.

    `children` has a row per child, `out` a row per parent; each parent's children are consecutive
    rows starting at `starts`. Leaving out a child without a score renormalizes the weights of the
    others: the denominator sums only their weights. (Sums of rows rather than a matrix product:
    a BLAS call would add in another order.)

    Most columns (the scores with one respondent left out, in a group of any size) have a score for
    every child: their denominators are the plain weight sums. Only the columns with a missing
    child take the masked sums, which add the same numbers in the same order (a missing child adds
    0), so every column gets the result it would get on its own.
    """
    segment_sums(children * weights[:, None], starts, out)
    out /= np.add.reduceat(weights[None, :], starts, axis=1).T
    gaps = np.flatnonzero(np.isnan(out).any(axis=0))  # columns with a child without a score
    if len(gaps):
        out[:, gaps] = masked_weighted_mean(children[:, gaps].T.copy(), starts, weights).T


def masked_weighted_mean(children: FloatArray, starts: Starts, weights: FloatArray) -> FloatArray:
    """`weighted_mean` for rows with missing children, row-major (rows × children)."""
    has = ~np.isnan(children)
    numerator = np.add.reduceat(np.where(has, children * weights, 0.0), starts, axis=1)
    denominator = np.add.reduceat(np.where(has, weights, 0.0), starts, axis=1)
    result = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=result, where=denominator > 0)
    return result
