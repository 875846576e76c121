"""The anonymity threshold: THE one door every figure passes through before anyone sees it.

Pages, exports, the PDF report and the API show a figure only if this module says so.

- **Primary suppression**: a group (or one node of a group, e.g. one statement) with fewer than
  `k = settings.ANONYMITY_K` respondents gets no figure.
- **Complementary suppression**: a hidden figure must not be derivable by subtraction. Groups form
  *partitions*: a total and the parts it is made of (a unit = its child units + the respondents
  placed directly in it; the organization = its top units + respondents without a unit; the
  organization = its roles + respondents without a role). When the total is known (shown, or itself
  derivable), the parts that are not shown can be recovered together by subtraction, so their
  combined count must be 0 or at least k. Otherwise the smallest shown part is hidden as well (or,
  if none is left, the total), until no partition leaks. A part that is the only unknown one of a
  known total counts as known, so derivations chain through the tree.
- **Across years**: a change between two years is shown only when both years' figures are shown
  (`change_visible`), so a hidden figure cannot be recovered from a shown figure and the change.

Hiding more never makes anything derivable that was not before, so a group hidden here for any
reason stays safe when callers hide more (e.g. a node that is suppressed although its group is not).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings

Cell = Hashable


def threshold() -> int:
    """The anonymity threshold k of this installation (MOGNAD_ANONYMITY_K, default 5)."""
    return int(settings.ANONYMITY_K)


def too_small(n: int | None, k: int | None = None) -> bool:
    """Primary suppression: a group of n respondents is too small to show (n < k)."""
    return n is None or n < (threshold() if k is None else k)


@dataclass(frozen=True)
class Partition:
    """`total` is made of exactly `parts` (every respondent of the total is in one part)."""

    total: Cell
    parts: tuple[Cell, ...]


def _known(
    counts: Mapping[Cell, int], hidden: set[Cell], partitions: Sequence[Partition]
) -> tuple[set[Cell], dict[Cell, Partition]]:
    """Cells whose figure is shown or derivable, and the partition each derived one came from."""
    known = {cell for cell, n in counts.items() if cell not in hidden or n == 0}
    source: dict[Cell, Partition] = {}
    changed = True
    while changed:
        changed = False
        for partition in partitions:
            unknown = [c for c in partition.parts if c not in known]
            if partition.total in known and len(unknown) == 1:
                known.add(unknown[0])
                source[unknown[0]] = partition
                changed = True
            elif partition.total not in known and not unknown:
                known.add(partition.total)
                source[partition.total] = partition
                changed = True
    return known, source


def _leak(
    counts: Mapping[Cell, int],
    known: set[Cell],
    partitions: Sequence[Partition],
    k: int,
) -> Partition | None:
    """The first partition whose unknown parts together are a small, recoverable group."""
    for partition in partitions:
        if partition.total not in known:
            continue
        missing = sum(counts[c] for c in partition.parts if c not in known)
        if 0 < missing < k:
            return partition
    for cell in counts:
        if cell in known and 0 < counts[cell] < k:
            # Derived although too small (e.g. a total made only of known parts).
            return _NOT_A_PARTITION
    return None


_NOT_A_PARTITION = Partition(total=("", "no partition"), parts=())


def suppress(
    counts: Mapping[Cell, int],
    partitions: Iterable[Partition] = (),
    *,
    unpublished: Collection[Cell] = (),
    k: int | None = None,
) -> frozenset[Cell]:
    """The cells whose figures must not be shown.

    `counts` maps every cell to its number of respondents (every cell named in a partition must be
    in it). `unpublished` cells are never shown by the caller (e.g. "respondents directly in this
    unit"): they count as hidden from the start. Deterministic: ties are broken by the order of the
    partitions and their parts.
    """
    k = threshold() if k is None else k
    partitions = list(partitions)
    for partition in partitions:
        for cell in (partition.total, *partition.parts):
            if cell not in counts:
                raise ValueError(f"cell {cell!r} of a partition has no count")
    hidden = {cell for cell, n in counts.items() if 0 < n < k} | set(unpublished)
    while True:
        known, source = _known(counts, hidden, partitions)
        leaking = _leak(counts, known, partitions, k)
        if leaking is None:
            return frozenset(hidden)
        if leaking is _NOT_A_PARTITION:
            cell = next(c for c in counts if c in known and 0 < counts[c] < k)
            leaking = source[cell]
        victim = _smallest_shown(counts, hidden, leaking)
        if victim is None:
            # Nothing left to hide in this partition: hide the total, or break how it is derived.
            total = leaking.total
            if total not in hidden:
                victim = total
            else:
                victim = _smallest_shown(counts, hidden, source[total], include_total=True)
        if victim is None:  # pragma: no cover - every derivation has a shown cell to remove
            raise RuntimeError("suppression could not close a leak")
        hidden.add(victim)


def _smallest_shown(
    counts: Mapping[Cell, int],
    hidden: set[Cell],
    partition: Partition,
    *,
    include_total: bool = False,
) -> Cell | None:
    cells = list(partition.parts) + ([partition.total] if include_total else [])
    shown = [c for c in cells if c not in hidden and counts[c] > 0]
    if not shown:
        return None
    return min(shown, key=lambda c: (counts[c], cells.index(c)))


def change_visible(before_visible: bool, after_visible: bool) -> bool:
    """A change between two years is shown only when both years' figures are shown."""
    return before_visible and after_visible
