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

from collections import Counter
from collections.abc import Sequence

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
    # Each person's membership as bytes (8 groups a byte): equal bytes, equal cell.
    packed = np.packbits(seen, axis=1).tobytes()
    width = len(packed) // len(seen)
    cells = Counter(packed[i : i + width] for i in range(0, len(packed), width))
    return sum(n for n in cells.values() if n < k)


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
    violation = small_cells(members, keep, k)
    while violation:
        best: tuple[int, int] | None = None  # (people left in small cells, position in keep)
        for position, column in enumerate(keep):
            if column == protected:
                continue
            left = small_cells(members, keep[:position] + keep[position + 1 :], k)
            if best is None or left < best[0]:
                best = (left, position)
                if left == 0:
                    break
        if best is None:  # only the protected group is left, and it is a single cell
            return ()
        violation = best[0]
        del keep[best[1]]
    return tuple(keep)
