"""The cell rule and complementary suppression: pure functions over a membership matrix.

People (respondents, or organizations on the national side) × candidate groups, as a boolean
matrix. Two people with the same membership in every released group form one *cell*: nothing the
released figures say can tell them apart, so every sum or mean that can be derived from the figures
of the released groups is a sum over whole cells (the released figures span exactly the cell
indicators' combinations). A set of groups may be released when every cell that lies in at least
one released group holds 0 or at least k people; people in no released group appear in no figure.

When a cell is too small, groups are dropped (complementary suppression) until the rule holds:
each step drops the group whose removal leaves the fewest people in too-small cells, ties broken by
the caller's rank (the first group in rank order goes first); the whole organization is never the
one dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
import numpy.typing as npt

Membership = npt.NDArray[np.bool_]  # people × groups


def small_cells(members: Membership, keep: Sequence[int], k: int) -> int:
    """How many people are in cells of 1..k−1 people, counting only cells in a kept group."""
    if not len(keep) or members.shape[0] == 0:
        return 0
    columns = members[:, list(keep)]
    seen = columns[columns.any(axis=1)]
    if not len(seen):
        return 0
    # Each person's membership packed into 64-bit words (64 groups a word): equal words, equal
    # cell. np.unique counts the cells without a Python loop over people.
    packed = np.packbits(seen, axis=1)
    padding = -packed.shape[1] % 8
    if padding:
        packed = np.pad(packed, ((0, 0), (0, padding)))
    words = np.ascontiguousarray(packed).view(np.uint64)
    if words.shape[1] == 1:
        _cells, counts = np.unique(words[:, 0], return_counts=True)
    else:
        _cells, counts = np.unique(words, axis=0, return_counts=True)
    return int(counts[counts < k].sum())


def releasable(members: Membership, keep: Sequence[int], k: int) -> bool:
    """Whether releasing the groups `keep` satisfies the cell rule."""
    return small_cells(members, keep, k) == 0


def complementary(
    members: Membership, candidates: Sequence[int], k: int, *, protected: int | None = None
) -> tuple[int, ...]:
    """The greedy subset of `candidates` (column indexes in rank order: on a tie the first is
    dropped first) whose cells are all 0 or ≥ k people. A group with fewer than k members never
    survives (a group is a union of its cells). The `protected` column (the whole organization,
    or all organizations) is never dropped: once every other group is gone it is a single cell
    of at least k people, so the search always ends with it kept."""
    keep = [c for c in candidates if int(members[:, c].sum()) >= k]
    # Up to 64 groups, each person's membership is one machine word (fast); beyond, bytes.
    fast = len(keep) <= _WORD
    small = _WordCells(members, keep).small if fast else partial(small_cells, members)
    violation = small(keep, k)
    while violation:
        best: tuple[int, int] | None = None  # (people left in small cells, position in keep)
        for position, column in enumerate(keep):
            if column == protected:
                continue
            left = small(keep[:position] + keep[position + 1 :], k)
            if best is None or left < best[0]:
                best = (left, position)
                if left == 0:
                    break
        if best is None:  # only the protected group is left, and it is a single cell
            return ()
        violation = best[0]
        del keep[best[1]]
    return tuple(keep)


_WORD = 64


class _WordCells:
    """`small_cells` for up to 64 groups, with each person's membership as one 64-bit word built
    once: dropping groups is masking bits, so each trial costs one masked np.unique."""

    def __init__(self, members: Membership, columns: Sequence[int]) -> None:
        self.bit = {column: np.uint64(1) << np.uint64(i) for i, column in enumerate(columns)}
        words = np.zeros(members.shape[0], dtype=np.uint64)
        for column, bit in self.bit.items():
            words[members[:, column]] |= bit
        self.words = words

    def small(self, keep: Sequence[int], k: int) -> int:
        mask = np.uint64(0)
        for column in keep:
            mask |= self.bit[column]
        cells = self.words & mask
        cells = cells[cells != 0]
        if not len(cells):
            return 0
        _cells, counts = np.unique(cells, return_counts=True)
        return int(counts[counts < k].sum())
