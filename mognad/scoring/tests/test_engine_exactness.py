"""The engine's fast paths give exactly what the plain computations give.

Sums of a parent's children are added in numpy's `reduceat` order, a column with a missing child
takes the masked computation, and the jackknife's leave-one-out scores come from the totals minus
each respondent's (or unit's) sums in one pass: none of it may change a result by more than
rounding (test_engine_pinned.py pins whole results).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mognad.scoring.engine import score
from mognad.scoring.engine.summation import masked_weighted_mean as _masked_weighted_mean
from mognad.scoring.engine.summation import segment_sums as _segment_sums
from mognad.scoring.engine.summation import weighted_mean as _weighted_mean
from mognad.scoring.tests.factories import make_structure

# Segments of 1 to 12 members: numpy adds up to 8 one after the other and more pairwise.
STARTS = np.array([0, 1, 3, 8, 16, 25, 37], dtype=np.intp)
ROWS = 43


def values(rng: np.random.Generator, columns: int) -> np.ndarray:
    """Magnitudes from 1e-6 to 1e6, so that a different order of additions shows in the result."""
    return rng.random((ROWS, columns)) * 10.0 ** rng.integers(-6, 7, size=(ROWS, 1))


@pytest.mark.parametrize("seed", range(5))
def test_the_sums_of_consecutive_rows_equal_reduceats_bit_for_bit(seed):
    rng = np.random.default_rng(seed)
    data = values(rng, 500)
    out = np.empty((len(STARTS), 500))
    _segment_sums(data, STARTS, out)
    expected = np.add.reduceat(np.ascontiguousarray(data.T), STARTS, axis=1).T
    assert np.array_equal(out, expected)


def test_a_weighted_mean_equals_the_masked_computation_in_every_column_with_or_without_gaps():
    rng = np.random.default_rng(7)
    children = values(rng, 300)
    children[rng.random(children.shape) < 0.02] = np.nan
    children[1:3, 10] = np.nan  # a parent none of whose children has a score
    weights = rng.random(ROWS) + 0.1
    out = np.empty((len(STARTS), 300))
    _weighted_mean(children, STARTS, weights, out=out)
    expected = _masked_weighted_mean(np.ascontiguousarray(children.T), STARTS, weights).T
    assert np.isnan(out[1, 10])
    assert np.isnan(out).any(axis=0).sum() < 300  # both kinds of columns were there
    np.testing.assert_array_equal(out, expected)


def brute_force_jackknife_se(data: np.ndarray, groups: np.ndarray) -> float | None:
    """The overall score's jackknife SE by re-scoring the data with each group's rows removed."""
    structure = make_structure()
    left_out, contributing = [], 0
    for group in np.unique(groups):
        rows = data[groups == group]
        if not (rows >= 1).any():
            continue  # no answer on the scale: leaving it out changes nothing
        contributing += 1
        left_out.append(score(data[groups != group], structure, resamples=1).overall.score)
    if contributing < 2:
        return None
    values = np.array(left_out)
    return float(np.sqrt((contributing - 1) / contributing * ((values - values.mean()) ** 2).sum()))


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.int8, st.tuples(st.integers(2, 14), st.just(6)), elements=st.integers(-1, 6)),
    st.booleans(),
)
def test_the_jackknife_equals_re_scoring_without_each_respondent_or_unit(data, by_unit):
    groups = np.arange(len(data)) % 3 if by_unit else np.arange(len(data))
    result = score(data, make_structure(), clusters=groups if by_unit else None)
    expected = brute_force_jackknife_se(data, groups)
    if result.overall.score is None:
        return
    if expected is None:
        assert result.overall.se is None
    else:
        assert result.overall.se == pytest.approx(expected, rel=1e-9, abs=1e-9)
