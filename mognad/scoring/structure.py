"""The instrument's hierarchy as index arrays, the only view of an instrument the engine needs.

Items, capabilities, categories and dimensions are numbered in instrument order. Each level keeps
the index of its parent one level up and its weight, normalized so that the weights of one parent's
children sum to 1 (the dimension weights sum to 1 for the overall score). No Django here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from mognad.instrument.schema import Instrument

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
_A = TypeVar("_A", FloatArray, IntArray)

CAPABILITY = "capability"
LEGACY = "legacy"
# The four quadrants as (capability axis, legacy axis).
QUADRANTS: tuple[tuple[str, str], ...] = (
    ("low", "limiting"),
    ("high", "limiting"),
    ("low", "enabling"),
    ("high", "enabling"),
)


def _normalized(
    weights: Sequence[float], parents: IntArray, n_parents: int, what: str
) -> FloatArray:
    values = np.asarray(weights, dtype=np.float64)
    if values.shape != parents.shape:
        raise ValueError(f"{what}: {len(values)} weights for {len(parents)} entries")
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"{what}: every weight must be a positive number, got {list(values)}")
    totals = np.bincount(parents, weights=values, minlength=n_parents)
    if np.any(totals == 0):
        empty = int(np.flatnonzero(totals == 0)[0])
        raise ValueError(f"{what}: parent number {empty} has no children")
    normalized: FloatArray = values / totals[parents]
    return normalized


def _level_weights(
    what: str,
    children: Sequence[str],
    parent: IntArray,
    parent_ids: Sequence[str],
    raw: Sequence[float] | None,
) -> FloatArray:
    """Check one level's parent indexes; its weights normalized within each parent."""
    if not children:
        raise ValueError(f"the instrument has no {what}")
    if len(parent) != len(children):
        raise ValueError(f"{what}: {len(parent)} parent indexes for {len(children)} entries")
    if np.any(parent < 0) or np.any(parent >= len(parent_ids)):
        raise ValueError(f"{what}: a parent index is out of range")
    if np.any(np.diff(parent) < 0):
        raise ValueError(f"{what}: the children of one parent must be consecutive")
    raw_weights = [1.0] * len(children) if raw is None else raw
    return _normalized(raw_weights, parent, len(parent_ids), f"{what} weights")


def _index(parents: Sequence[int]) -> IntArray:
    return np.asarray(parents, dtype=np.intp).reshape(-1)


def _readonly(array: _A) -> _A:
    array = array.copy()
    array.setflags(write=False)
    return array


def _unique(ids: Sequence[str], what: str) -> tuple[str, ...]:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise ValueError(f"{what} id {value!r} appears more than once")
        seen.add(value)
    return tuple(ids)


@dataclass(frozen=True, eq=False)
class Structure:
    """The scoring view of an instrument. Build it with `Structure.from_instrument` or `build`."""

    key: str
    item_ids: tuple[str, ...]
    capability_ids: tuple[str, ...]
    category_ids: tuple[str, ...]
    dimension_ids: tuple[str, ...]
    # Parent index of each entry one level up.
    item_capability: IntArray
    capability_category: IntArray
    category_dimension: IntArray
    # Weights normalized within each parent; dimension weights sum to 1.
    item_weights: FloatArray
    capability_weights: FloatArray
    category_weights: FloatArray
    dimension_weights: FloatArray
    # Index of the dimension with role "capability" and of the one with role "legacy".
    capability_dimension: int
    legacy_dimension: int
    capability_cutoff: float
    legacy_cutoff: float
    # Organization type id per quadrant, keyed by (capability "low"/"high", legacy
    # "limiting"/"enabling").
    types: Mapping[tuple[str, str], str]

    @classmethod
    def build(
        cls,
        *,
        key: str,
        item_ids: Sequence[str],
        capability_ids: Sequence[str],
        category_ids: Sequence[str],
        dimension_ids: Sequence[str],
        item_capability: Sequence[int],
        capability_category: Sequence[int],
        category_dimension: Sequence[int],
        item_weights: Sequence[float] | None = None,
        capability_weights: Sequence[float] | None = None,
        category_weights: Sequence[float] | None = None,
        dimension_weights: Sequence[float] | None = None,
        capability_dimension: int,
        legacy_dimension: int,
        capability_cutoff: float = 50.0,
        legacy_cutoff: float = 50.0,
        types: Mapping[tuple[str, str], str],
    ) -> Structure:
        """Validate the parts and normalize the weights (default: equal)."""
        items = _unique(item_ids, "item")
        capabilities = _unique(capability_ids, "capability")
        categories = _unique(category_ids, "category")
        dimensions = _unique(dimension_ids, "dimension")
        levels = (
            ("item", items, _index(item_capability), capabilities, item_weights),
            (
                "capability",
                capabilities,
                _index(capability_category),
                categories,
                capability_weights,
            ),
            ("category", categories, _index(category_dimension), dimensions, category_weights),
        )
        parents = [parent for _, _, parent, _, _ in levels]
        weights = [_level_weights(*level) for level in levels]
        top = _index([0] * len(dimensions))
        raw_dimension = [1.0] * len(dimensions) if dimension_weights is None else dimension_weights
        dimension_normalized = _normalized(raw_dimension, top, 1, "dimension weights")
        for name, index in (("capability", capability_dimension), ("legacy", legacy_dimension)):
            if not 0 <= index < len(dimensions):
                raise ValueError(f"the {name} dimension index {index} is out of range")
        if capability_dimension == legacy_dimension:
            raise ValueError("the capability and the legacy dimension must differ")
        for name, cutoff in (("capability", capability_cutoff), ("legacy", legacy_cutoff)):
            if not 0 <= cutoff <= 100:
                raise ValueError(f"the {name} cut-off {cutoff} is not between 0 and 100")
        missing = [quadrant for quadrant in QUADRANTS if quadrant not in types]
        if missing:
            raise ValueError(f"no organization type for the quadrant(s) {missing}")
        return cls(
            key=key,
            item_ids=items,
            capability_ids=capabilities,
            category_ids=categories,
            dimension_ids=dimensions,
            item_capability=_readonly(parents[0]),
            capability_category=_readonly(parents[1]),
            category_dimension=_readonly(parents[2]),
            item_weights=_readonly(weights[0]),
            capability_weights=_readonly(weights[1]),
            category_weights=_readonly(weights[2]),
            dimension_weights=_readonly(dimension_normalized),
            capability_dimension=capability_dimension,
            legacy_dimension=legacy_dimension,
            capability_cutoff=float(capability_cutoff),
            legacy_cutoff=float(legacy_cutoff),
            types=MappingProxyType({quadrant: types[quadrant] for quadrant in QUADRANTS}),
        )

    @classmethod
    def from_instrument(cls, instrument: Instrument) -> Structure:
        roles = [d.role for d in instrument.dimensions]
        for role in (CAPABILITY, LEGACY):
            if roles.count(role) != 1:
                raise ValueError(
                    f"{instrument.key}: needs exactly one dimension with role {role!r}, "
                    f"found {roles.count(role)}"
                )
        unknown = sorted(set(roles) - {CAPABILITY, LEGACY})
        if unknown:
            raise ValueError(f"{instrument.key}: unknown dimension role(s) {unknown}")
        categories = instrument.categories
        capabilities = instrument.capabilities
        types: dict[tuple[str, str], str] = {}
        for organization_type in instrument.types:
            quadrant = (organization_type.capability, organization_type.legacy)
            if quadrant not in QUADRANTS:
                raise ValueError(f"{instrument.key}: type {organization_type.id!r} has no quadrant")
            if quadrant in types:
                raise ValueError(f"{instrument.key}: two types for the quadrant {quadrant}")
            types[quadrant] = organization_type.id
        return cls.build(
            key=instrument.key,
            item_ids=[i.id for cap in capabilities for i in cap.items],
            capability_ids=[cap.id for cap in capabilities],
            category_ids=[c.id for c in categories],
            dimension_ids=[d.id for d in instrument.dimensions],
            item_capability=[n for n, cap in enumerate(capabilities) for _ in cap.items],
            capability_category=[n for n, c in enumerate(categories) for _ in c.capabilities],
            category_dimension=[
                n for n, d in enumerate(instrument.dimensions) for _ in d.categories
            ],
            item_weights=[i.weight for cap in capabilities for i in cap.items],
            capability_weights=[cap.weight for cap in capabilities],
            category_weights=[c.weight for c in categories],
            dimension_weights=[d.weight for d in instrument.dimensions],
            capability_dimension=roles.index(CAPABILITY),
            legacy_dimension=roles.index(LEGACY),
            capability_cutoff=instrument.capability_cutoff,
            legacy_cutoff=instrument.legacy_cutoff,
            types=types,
        )

    @cached_property
    def aggregations(self) -> tuple[tuple[IntArray, FloatArray], ...]:
        """Per level (item→capability, capability→category, category→dimension, dimension→overall):
        the index of each parent's first child and the children's normalized weights."""
        levels = (
            (self.item_capability, self.item_weights),
            (self.capability_category, self.capability_weights),
            (self.category_dimension, self.category_weights),
            (np.zeros(len(self.dimension_ids), dtype=np.intp), self.dimension_weights),
        )
        return tuple((_readonly(_first_children(parents)), weights) for parents, weights in levels)


def _first_children(parents: IntArray) -> IntArray:
    """Where each parent's run of (consecutive) children starts."""
    starts: IntArray = np.flatnonzero(np.r_[True, parents[1:] != parents[:-1]]).astype(np.intp)
    return starts
