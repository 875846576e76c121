"""Fast kernel: percentiles and standard deviations of resampled scores, many nodes at once.

Both skip missing values (NaN: a node without a score in a resample) and give the same numbers as
numpy's `np.quantile` (linear interpolation) and `np.std(ddof=1)` on each node's values alone.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def percentiles(samples: FloatArray, fractions: tuple[float, ...]) -> FloatArray:
    """Per column, the linear-interpolation quantiles of the non-NaN values (NaN if none).

    The same definition as numpy's default `np.quantile`, vectorized over columns with NaNs.
    """
    return row_percentiles(samples.T, fractions)


def row_percentiles(values: FloatArray, fractions: tuple[float, ...]) -> FloatArray:
    """`percentiles` of each row of `values` (sorting contiguous rows is the fast way)."""
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


def bootstrap_se(samples: FloatArray) -> FloatArray:
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
