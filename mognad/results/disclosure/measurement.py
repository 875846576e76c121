"""What one measurement releases: which groups, and which statements in each group.

`decide` applies the cell rule (cells.py) twice:

1. **Groups.** Over the submitted responses, the candidate groups (the organization, every unit's
   subtree, every role) are reduced until every cell of respondents holds 0 or ≥ k people. This
   protects every count a group shows ("Vet ej", unanswered, respondents).
2. **Statements.** For each statement, over the people who answered it on the scale, the released
   groups are reduced again until every cell of answerers holds 0 or ≥ k; the statement is hidden
   in the groups dropped here. Statements are separate variables, so rule 2 per statement protects
   every linear combination over all statements together.

Parents (capabilities, categories, dimensions, the overall score) are computed from the statements
released in their group only, so they are functions of released figures and reveal nothing more.

**Earlier releases.** A measurement's first release is remembered (`Release.to_dict`). Every later
decision for it (a re-score, a new method, a raised k) starts from the earlier release: only its
groups, each with exactly its earlier members, and only its released statements are candidates, so
what is shown again is a subset of what was shown before and no difference between two releases
can single anyone out. Reopening a measurement whose results were released is refused (surveys).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from mognad.results.disclosure.cells import complementary, releasable

GroupKey = tuple[str, str]  # (kind, key): ("organization", ""), ("unit", "12"), ("role", "it")
ORGANIZATION: GroupKey = ("organization", "")


@dataclass(frozen=True)
class Candidate:
    """A group that could be released: its key and which responses (rows) belong to it."""

    key: GroupKey
    members: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Release:
    """The decision for one measurement: released groups (in candidate order), the statements
    hidden in each released group, and the candidate groups withheld entirely."""

    k: int
    groups: tuple[GroupKey, ...]
    hidden: Mapping[GroupKey, frozenset[str]] = field(default_factory=dict)
    withheld: tuple[GroupKey, ...] = ()
    # How many responses each released group had: a later decision releases a group again only
    # with exactly as many (its members cannot change after closing; if a unit was deleted they
    # can, and then the group stays withheld).
    sizes: Mapping[GroupKey, int] = field(default_factory=dict)

    def hidden_in(self, group: GroupKey) -> frozenset[str]:
        return self.hidden.get(group, frozenset())

    def to_dict(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "groups": [list(g) for g in self.groups],
            "hidden": {
                f"{kind}:{key}": sorted(items) for (kind, key), items in self.hidden.items()
            },
            "withheld": [list(g) for g in self.withheld],
            "sizes": {f"{kind}:{key}": n for (kind, key), n in self.sizes.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Release:
        def split(name: str) -> GroupKey:
            kind, _, key = name.partition(":")
            return kind, key

        hidden = {split(name): frozenset(items) for name, items in data.get("hidden", {}).items()}
        return cls(
            k=int(data["k"]),
            groups=tuple((str(kind), str(key)) for kind, key in data["groups"]),
            hidden=hidden,
            withheld=tuple((str(kind), str(key)) for kind, key in data.get("withheld", [])),
            sizes={split(name): int(n) for name, n in data.get("sizes", {}).items()},
        )


def _rank(candidates: Sequence[Candidate]) -> list[int]:
    """Drop order for ties: smaller groups first, the organization last."""
    return sorted(
        range(len(candidates)),
        key=lambda i: (
            candidates[i].key == ORGANIZATION,
            int(candidates[i].members.sum()),
            i,
        ),
    )


def decide(
    candidates: Sequence[Candidate],
    answered: npt.NDArray[np.bool_],
    item_ids: Sequence[str],
    k: int,
    *,
    earlier: Release | None = None,
) -> Release:
    """The release for responses × candidate groups; `answered[r, i]` is True when response r
    answered statement i on the scale. With `earlier`, only what it released may be released."""
    if k < 1:
        raise ValueError("k must be at least 1")
    everyone = [c.key for c in candidates]
    if candidates and answered.shape != (len(candidates[0].members), len(item_ids)):
        raise ValueError("answered must be responses × statements")
    if earlier is not None:
        k = max(k, earlier.k)
        candidates = [
            c
            for c in candidates
            if c.key in earlier.groups and int(c.members.sum()) == earlier.sizes.get(c.key)
        ]
    if not candidates:
        return Release(k=k, groups=(), withheld=tuple(everyone))
    members = np.column_stack([c.members for c in candidates])
    order = _rank(candidates)
    protected = next((i for i, c in enumerate(candidates) if c.key == ORGANIZATION), None)
    kept = set(complementary(members, order, k, protected=protected))
    released = [i for i in order if i in kept]
    hidden: dict[GroupKey, set[str]] = {}
    # Statements answered by the same people (often all) get the same answer: decided once.
    decided: dict[tuple[bytes, tuple[int, ...]], set[int]] = {}
    for column, item_id in enumerate(item_ids):
        allowed_here = [
            i
            for i in released
            if earlier is None or item_id not in earlier.hidden_in(candidates[i].key)
        ]
        who = answered[:, column]
        key = (np.packbits(who).tobytes(), tuple(allowed_here))
        if key not in decided:
            answerers = members[who]
            if len(allowed_here) == len(released) and releasable(answerers, released, k):
                decided[key] = set(released)
            else:
                decided[key] = set(complementary(answerers, allowed_here, k, protected=protected))
        showing = decided[key]
        for i in released:
            if i not in showing:
                hidden.setdefault(candidates[i].key, set()).add(item_id)
    shown = {candidates[i].key: int(candidates[i].members.sum()) for i in kept}
    return Release(
        k=k,
        groups=tuple(key for key in everyone if key in shown),
        hidden={group: frozenset(items) for group, items in hidden.items()},
        withheld=tuple(key for key in everyone if key not in shown),
        sizes=shown,
    )
