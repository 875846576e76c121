"""Fast kernel: bootstrap resamples as counts (how often each respondent is drawn), cached.

A resample of n respondents drawn with replacement is represented by how often each respondent is
in it, one byte a count. The counts depend only on (respondents, resamples, seed): re-scoring draws
them for the same few group sizes again and again (always seed 0), so a process keeps the most
recently used ones. The same seed always gives the same counts, drawn in blocks or all at once, from
the cache or not (tests/test_engine_exactness.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np
import numpy.typing as npt

Counts = npt.NDArray[np.unsignedinteger[Any]]
Key = tuple[int, int, int]

# At most this many bytes of counts are kept per process. A group of 100 respondents at 2,000
# resamples takes 200 kB, and every group size up to 250 fits at once.
RESAMPLE_CACHE_BYTES = 64 * 2**20
# Resamples are drawn this many counts at a time: the temporaries then stay small and are reused
# rather than freshly mapped (on a virtual machine a page fault costs microseconds).
DRAW_BLOCK = 2**15
# Counts are kept in one byte each unless one exceeds this (one respondent drawn 256 times in one
# resample: possible in principle, never seen).
BYTE_MAX = 255


class ResampleCache:
    """A least-recently-used cache of read-only resample-count matrices, bounded in bytes."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[Key, Counts] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Key) -> Counts | None:
        with self._lock:
            counts = self._entries.get(key)
            if counts is not None:
                self._entries.move_to_end(key)
            return counts

    def put(self, key: Key, counts: Counts) -> None:
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


cache = ResampleCache(RESAMPLE_CACHE_BYTES)


def resample_counts(respondents: int, resamples: int, seed: int) -> Counts:
    """How often each respondent is drawn in each resample (resamples × respondents), read-only."""
    key = (respondents, resamples, seed)
    cacheable = type(seed) is int
    counts = cache.get(key) if cacheable else None
    if counts is None:
        counts = draw_resample_counts(respondents, resamples, seed)
        if cacheable:
            cache.put(key, counts)
    return counts


def draw_resample_counts(respondents: int, resamples: int, seed: int) -> Counts:
    """Draw `respondents` of the respondents with replacement, `resamples` times, and count how
    often each was drawn: `rng.integers(0, n, size=(resamples, n))` with
    `rng = np.random.default_rng(seed)`. Drawing the resamples in blocks takes the same numbers
    from the generator as drawing them all at once."""
    counts, highest = _draw_in_blocks(respondents, resamples, seed, np.dtype(np.uint8))
    if highest > BYTE_MAX:
        counts, _ = _draw_in_blocks(respondents, resamples, seed, np.min_scalar_type(respondents))
    return counts


def _draw_in_blocks(
    respondents: int, resamples: int, seed: int, dtype: np.dtype[Any]
) -> tuple[Counts, int]:
    """The counts in `dtype` (a larger count wraps around) and the largest count."""
    rng = np.random.default_rng(seed)
    counts = np.empty((resamples, respondents), dtype=dtype)
    block = max(1, DRAW_BLOCK // respondents)
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
