"""Fast kernel: the sums and counts of every item for a whole batch in one float32 matrix product.

The batch is every respondent on their own, all respondents together (the point estimate) and each
bootstrap resample. Sums of scale steps (x − 1, 0..5) and counts of answers are small whole numbers,
exact in float32 as long as they stay below 2**24, so the fast product changes no result
(tests/test_engine_exactness.py checks it against the plain product).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from mognad.instrument.scale import HIGHEST, LOWEST

Float32Array = npt.NDArray[np.float32]
Sums = npt.NDArray[np.number[Any]]

# Whole numbers up to this are exact in float32, and so is every sum of them that stays below it.
FLOAT32_WHOLE = 2**24
# The largest scale step: an answer's distance from the lowest point.
_TOP_STEP = HIGHEST - LOWEST


def sums_and_counts(
    steps: Float32Array, answered: Float32Array, drawn: Float32Array
) -> tuple[Sums, Sums]:
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
    shift = (_TOP_STEP * respondents).bit_length()  # 2**shift > 5 × respondents
    if ((1 << shift) + _TOP_STEP) * respondents <= FLOAT32_WHOLE:
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
