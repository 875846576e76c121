"""Figures over groups of organizations: named organizations count as known.

An organization named in comparisons publishes its own figures, so anyone can subtract them from
a group's mean. What protects an organization that chose not to be named is only the other unnamed
organizations in the same figures. The cell rule (cells.py) is therefore applied to the *unnamed*
organizations: over every group released together (the national total, each breakdown group, the
fixed panel of a change), every cell of unnamed organizations holds 0 or at least
`unnamed_threshold()` (3) of them. A group made only of named organizations reveals nothing new.
A group also needs at least `minimum` organizations in all (named or not) to be shown at all.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from mognad.results.disclosure.cells import complementary, small_cells

Key = TypeVar("Key", bound=Hashable)


def released_groups(
    groups: Mapping[Key, frozenset[int]],
    unnamed: frozenset[int],
    k: int,
    *,
    minimum: int = 1,
    protected: Key | None = None,
) -> frozenset[Key]:
    """The groups (organization ids each) that may be shown together.

    Groups with fewer than `minimum` organizations are never shown. The rest are reduced by
    complementary suppression (smallest first, `protected` — the total — never) until every cell
    of unnamed organizations is 0 or ≥ k. If the protected group itself holds 1..k−1 unnamed
    organizations, nothing is released.
    """
    keys = [key for key, members in groups.items() if len(members) >= minimum]
    if protected is not None and protected not in keys:
        protected = None
    people = sorted(_members(groups, keys) & unnamed)
    if not keys:
        return frozenset()
    if not people:
        return frozenset(keys)  # only named organizations: nothing to protect
    matrix = _matrix(groups, keys, people)
    if protected is not None:
        total = int(matrix[:, keys.index(protected)].sum())
        if 0 < total < k:
            return frozenset()
    order = sorted(
        range(len(keys)),
        key=lambda c: (keys[c] == protected, len(groups[keys[c]]), str(keys[c])),
    )
    # A group with no unnamed organization is always safe to show: its cells are empty.
    named_only = {c for c in range(len(keys)) if not matrix[:, c].any()}
    kept = complementary(
        matrix,
        [c for c in order if c not in named_only],
        k,
        protected=keys.index(protected) if protected is not None else None,
    )
    return frozenset(keys[c] for c in (*kept, *named_only))


def _members(groups: Mapping[Key, frozenset[int]], keys: Sequence[Key]) -> set[int]:
    found: set[int] = set()
    for key in keys:
        found |= groups[key]
    return found


def extend(
    groups: Mapping[Key, frozenset[int]],
    fixed: frozenset[Key],
    candidates: Sequence[Key],
    unnamed: frozenset[int],
    k: int,
) -> frozenset[Key]:
    """Which `candidates` may be shown beside the already released `fixed` groups (in order,
    each kept only if the cell rule still holds with everything kept before it)."""
    accepted: list[Key] = []
    for candidate in candidates:
        if releasable_together(groups, [*fixed, *accepted, candidate], unnamed, k):
            accepted.append(candidate)
    return frozenset(accepted)


def releasable_together(
    groups: Mapping[Key, frozenset[int]], keys: Sequence[Key], unnamed: frozenset[int], k: int
) -> bool:
    """Whether every cell of unnamed organizations over `keys` holds 0 or ≥ k of them."""
    people = sorted(_members(groups, keys) & unnamed)
    if not people:
        return True
    return small_cells(_matrix(groups, keys, people), range(len(keys)), k) == 0


def _matrix(
    groups: Mapping[Key, frozenset[int]], keys: Sequence[Key], people: Sequence[int]
) -> npt.NDArray[np.bool_]:
    """Unnamed organizations × groups: who is in which group."""
    index = {org: row for row, org in enumerate(people)}
    matrix = np.zeros((len(people), len(keys)), dtype=bool)
    for column, key in enumerate(keys):
        for org in groups[key]:
            if org in index:
                matrix[index[org], column] = True
    return matrix
