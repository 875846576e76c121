"""The engine's fast paths give exactly what the plain computations give.

Sums of a parent's children are added in numpy's `reduceat` order, a column with a missing child
takes the masked computation, resample counts are drawn in blocks and may come from a per-process
cache, and steps and answers share one matrix product: none of it may change a result by as much
as the last bit (test_engine_pinned.py pins whole results).
"""

import numpy as np
import pytest

from mognad.scoring.engine import packing, resampling, score
from mognad.scoring.engine.packing import sums_and_counts as _sums_and_counts
from mognad.scoring.engine.resampling import ResampleCache as _ResampleCache
from mognad.scoring.engine.resampling import draw_resample_counts as _draw_resample_counts
from mognad.scoring.engine.resampling import resample_counts as _resample_counts
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


@pytest.mark.parametrize(
    ("respondents", "resamples", "seed"),
    [(1, 10, 0), (3, 2000, 1), (65, 2000, 0), (300, 2000, 4), (40_000, 3, 2)],
)
def test_counts_drawn_in_blocks_are_those_of_drawing_every_resample_at_once(
    respondents, resamples, seed
):
    picks = np.random.default_rng(seed).integers(0, respondents, size=(resamples, respondents))
    expected = np.zeros((resamples, respondents), dtype=np.int64)
    for row, drawn in enumerate(picks):
        np.add.at(expected[row], drawn, 1)
    counts = _draw_resample_counts(respondents, resamples, seed)
    assert counts.dtype == np.uint8
    assert np.array_equal(counts, expected)


def test_counts_too_large_for_a_byte_are_drawn_again_in_a_wider_type(monkeypatch):
    expected = _draw_resample_counts(300, 50, 6)
    assert expected.max() > 2
    monkeypatch.setattr(resampling, "BYTE_MAX", 2)  # as if a count over 2 did not fit in a byte
    counts = _draw_resample_counts(300, 50, 6)
    assert counts.dtype == np.uint16
    assert np.array_equal(counts, expected)


def test_resample_counts_from_the_cache_are_those_drawn_and_cannot_be_changed():
    resampling.cache.clear()
    first = _resample_counts(37, 300, 5)
    assert np.array_equal(first, _draw_resample_counts(37, 300, 5))
    assert np.array_equal(first.sum(axis=1), np.full(300, 37.0))  # n draws per resample
    assert _resample_counts(37, 300, 5) is first
    with pytest.raises(ValueError, match="read-only"):
        first[0, 0] = 2.0


def test_the_resample_cache_stays_within_its_bytes_dropping_the_least_recently_used():
    one = np.zeros((10, 10), dtype=np.float32)  # 400 bytes
    cache = _ResampleCache(capacity=4 * one.nbytes)
    for n in range(4):
        cache.put((n, 10, 0), one.copy())
    assert cache.get((0, 10, 0)) is not None  # now the most recently used
    cache.put((4, 10, 0), one.copy())
    assert cache.get((1, 10, 0)) is None
    assert all(cache.get((n, 10, 0)) is not None for n in (0, 2, 3, 4))
    cache.put((5, 10, 0), np.zeros((20, 10), dtype=np.float32))  # over a quarter: not kept
    assert cache.get((5, 10, 0)) is None


def test_scores_are_the_same_from_a_cold_a_warm_and_an_overflowing_cache(monkeypatch):
    structure = make_structure()
    answers = np.random.default_rng(3).integers(-1, 7, size=(23, 6)).astype(np.int8)
    resampling.cache.clear()
    cold = score(answers, structure, resamples=400, seed=9).to_dict()
    assert score(answers, structure, resamples=400, seed=9).to_dict() == cold
    assert score(answers, structure, resamples=400, seed=np.int64(9)).to_dict() == cold
    monkeypatch.setattr(resampling, "cache", _ResampleCache(capacity=200_000))
    for n in range(20, 40):  # fills the small cache and pushes the group's counts out
        _resample_counts(n, 400, 9)
    assert score(answers, structure, resamples=400, seed=9).to_dict() == cold


@pytest.mark.parametrize("respondents", [1, 2, 40, 300])
def test_steps_and_answers_packed_into_one_product_split_back_exactly(respondents, monkeypatch):
    rng = np.random.default_rng(respondents)
    answered = (rng.random((9, respondents)) < 0.8).astype(np.float32)
    steps = np.where(answered > 0, rng.integers(0, 6, size=(9, respondents)), 0).astype(np.float32)
    steps[0] = 5 * answered[0]  # the largest sums of steps there can be
    drawn = _draw_resample_counts(respondents, 500, 1).astype(np.float32)
    packed = _sums_and_counts(steps, answered, drawn)
    monkeypatch.setattr(packing, "FLOAT32_WHOLE", 0)  # too large to pack: side by side
    side_by_side = _sums_and_counts(steps, answered, drawn)
    assert packed[0].dtype != side_by_side[0].dtype
    for a, b in zip(packed, side_by_side, strict=True):
        assert np.array_equal(a, b)
    assert np.array_equal(packed[0][:, respondents], steps.sum(axis=1))
    assert np.array_equal(packed[1][:, respondents + 1 :], answered @ drawn.T)


def test_a_group_too_large_to_pack_scores_as_it_would_packed(monkeypatch):
    structure = make_structure()
    answers = np.random.default_rng(8).integers(-1, 7, size=(70, 6)).astype(np.int8)
    packed = score(answers, structure, resamples=300, seed=2).to_dict()
    monkeypatch.setattr(packing, "FLOAT32_WHOLE", 0)
    assert score(answers, structure, resamples=300, seed=2).to_dict() == packed
