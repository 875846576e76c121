"""An organization's stored results as figures that have passed the anonymity threshold.

`MeasurementFigures` wraps the stored `MeasurementResult` rows of one measurement (every group:
the organization, each unit's subtree, each role) and hands out a figure only when
`suppression.suppress` allows it, computed once per node over the whole organization, so every
user, page and export sees the same suppression.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mognad.instrument.schema import Instrument
from mognad.results.models import MeasurementResult
from mognad.results.suppression import Partition, suppress, threshold
from mognad.surveys.models import Measurement

GroupKey = tuple[str, str]
NodeKey = tuple[str, str]

ORGANIZATION: GroupKey = ("organization", "")
OVERALL: NodeKey = ("overall", "")
RESPONDENTS: NodeKey = ("respondents", "")
_PAYLOAD_KEYS = {
    "dimension": "dimensions",
    "category": "categories",
    "capability": "capabilities",
    "item": "items",
}


@dataclass(frozen=True)
class Figure:
    """A shown score: percent of optimal preconditions, its 95 % interval and counts."""

    score: float
    low: float | None
    high: float | None
    se: float | None
    n: int
    dont_know: int = 0
    distribution: tuple[int, ...] = ()

    @property
    def dont_know_share(self) -> float | None:
        seen = self.n + self.dont_know
        return self.dont_know / seen if seen else None


@dataclass
class Group:
    key: GroupKey
    result: MeasurementResult
    parent: GroupKey | None = None
    children: list[GroupKey] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.key[0]

    @property
    def respondents(self) -> int:
        return int(self.result.respondents)


def _node_payload(payload: dict[str, Any], node: NodeKey) -> dict[str, Any] | None:
    kind, node_id = node
    if kind == "overall":
        found: dict[str, Any] | None = payload.get("overall")
        return found
    section = payload.get(_PAYLOAD_KEYS.get(kind, ""), {})
    entry: dict[str, Any] | None = section.get(node_id)
    return entry


def node_n(payload: dict[str, Any], node: NodeKey) -> int:
    if node == RESPONDENTS:
        return int(payload.get("respondents", 0))
    entry = _node_payload(payload, node)
    return int(entry.get("n", 0)) if entry else 0


class MeasurementFigures:
    """The suppressed figures of one measurement. Build with the measurement's stored results."""

    def __init__(
        self,
        measurement: Measurement,
        results: Iterable[MeasurementResult],
        *,
        k: int | None = None,
    ) -> None:
        self.measurement = measurement
        self.k = threshold() if k is None else k
        self.groups: dict[GroupKey, Group] = {}
        for result in results:
            key = (result.group_kind, result.group_key)
            self.groups[key] = Group(key, result)
        self._hidden: dict[NodeKey, frozenset[Any]] = {}
        self._build_tree()

    # --- Structure ---------------------------------------------------------------------------

    def _build_tree(self) -> None:
        units = {key: group for key, group in self.groups.items() if key[0] == "unit"}
        by_id = {key[1]: key for key in units}
        self._orphans: list[GroupKey] = []
        for key, group in units.items():
            unit = group.result.unit
            if unit is None:
                # The unit was deleted after closing: its place in the tree is unknown.
                self._orphans.append(key)
                group.parent = ORGANIZATION
                continue
            ancestors = [part for part in unit.path.strip("/").split("/") if part][:-1]
            parent = next(
                (by_id[a] for a in reversed(ancestors) if a in by_id),
                ORGANIZATION,
            )
            group.parent = parent
        for key, group in sorted(units.items(), key=lambda item: self._sort_key(item[1])):
            if group.parent in self.groups:
                self.groups[group.parent].children.append(key)

    @staticmethod
    def _sort_key(group: Group) -> tuple[str, str]:
        unit = group.result.unit
        return (unit.name if unit else "", group.key[1])

    @property
    def organization(self) -> Group | None:
        return self.groups.get(ORGANIZATION)

    def roles(self) -> list[Group]:
        return [g for key, g in sorted(self.groups.items()) if key[0] == "role"]

    def units(self) -> list[Group]:
        """Units in tree order (depth first, siblings by name)."""
        ordered: list[Group] = []

        def walk(key: GroupKey) -> None:
            for child in self.groups[key].children:
                ordered.append(self.groups[child])
                walk(child)

        if ORGANIZATION in self.groups:
            walk(ORGANIZATION)
        return ordered

    def subtree(self, root: GroupKey) -> list[Group]:
        """The group and every unit group below it, in tree order."""
        if root not in self.groups:
            return []
        ordered = [self.groups[root]]

        def walk(key: GroupKey) -> None:
            for child in self.groups[key].children:
                ordered.append(self.groups[child])
                walk(child)

        walk(root)
        return ordered

    def depth(self, key: GroupKey) -> int:
        depth = 0
        group = self.groups.get(key)
        while group is not None and group.parent is not None:
            depth += 1
            group = self.groups.get(group.parent)
        return depth

    # --- Suppression --------------------------------------------------------------------------

    def hidden_cells(self, node: NodeKey) -> frozenset[Any]:
        """Every group (and unpublished remainder) whose figure for `node` is not shown."""
        if node not in self._hidden:
            self._hidden[node] = self._suppress(node)
        return self._hidden[node]

    def _suppress(self, node: NodeKey) -> frozenset[Any]:
        counts: dict[Any, int] = {
            key: node_n(group.result.payload, node) for key, group in self.groups.items()
        }
        partitions: list[Partition] = []
        unpublished: set[Any] = set()
        forced: set[Any] = set(self._orphans)
        for key, group in self.groups.items():
            if key[0] == "role" or not group.children:
                continue
            self._partition(key, group.children, counts, partitions, unpublished, forced)
        if ORGANIZATION in self.groups:
            roles = [g.key for g in self.roles()]
            if roles:
                self._partition(
                    ORGANIZATION, roles, counts, partitions, unpublished, forced, tag="role"
                )
        hidden = suppress(counts, partitions, unpublished=unpublished | forced, k=self.k)
        return hidden

    def _partition(
        self,
        total: GroupKey,
        parts: list[GroupKey],
        counts: dict[Any, int],
        partitions: list[Partition],
        unpublished: set[Any],
        forced: set[Any],
        tag: str = "unit",
    ) -> None:
        rest = ("rest", tag, total)
        remainder = counts[total] - sum(counts[p] for p in parts)
        if remainder < 0:
            # The tree changed after closing (a unit moved): sums no longer add up, so hide the
            # parts rather than guess.
            forced.update(parts)
            remainder = 0
        counts[rest] = remainder
        unpublished.add(rest)
        partitions.append(Partition(total, (*parts, rest)))

    def visible(self, group: GroupKey, node: NodeKey = OVERALL) -> bool:
        if group not in self.groups:
            return False
        if group in self.hidden_cells(RESPONDENTS):
            return False
        if node_n(self.groups[group].result.payload, node) == 0:
            return False
        return group not in self.hidden_cells(node)

    def respondents(self, group: GroupKey) -> int | None:
        """The group's number of respondents, or None when it is hidden."""
        if group not in self.groups or group in self.hidden_cells(RESPONDENTS):
            return None
        return self.groups[group].respondents

    def invited(self, group: GroupKey) -> int | None:
        if self.respondents(group) is None:
            return None
        invited = self.groups[group].result.invited
        return int(invited) if invited is not None else None

    def figure(self, group: GroupKey, node: NodeKey) -> Figure | None:
        """The node's figure for the group, or None when it is hidden or has no score."""
        if not self.visible(group, node):
            return None
        entry = _node_payload(self.groups[group].result.payload, node)
        if not entry or entry.get("score") is None:
            return None
        ci = entry.get("ci") or (None, None)
        return Figure(
            score=float(entry["score"]),
            low=ci[0],
            high=ci[1],
            se=entry.get("se"),
            n=int(entry.get("n", 0)),
            dont_know=int(entry.get("dont_know", 0)),
            distribution=tuple(entry.get("distribution", ())),
        )

    def payload(self, group: GroupKey) -> dict[str, Any] | None:
        """The stored extras (quadrant, strengths, consensus, flags) of a shown group."""
        if self.respondents(group) is None:
            return None
        payload: dict[str, Any] = self.groups[group].result.payload
        return payload

    def quadrant(self, group: GroupKey, instrument: Instrument) -> dict[str, Any] | None:
        """The type and quadrant probabilities, shown only when both dimensions are shown."""
        payload = self.payload(group)
        if payload is None or not payload.get("quadrant"):
            return None
        if not all(self.visible(group, ("dimension", d.id)) for d in instrument.dimensions):
            return None
        quadrant: dict[str, Any] = payload["quadrant"]
        return quadrant

    def consensus(self, group: GroupKey, category_id: str) -> dict[str, Any] | None:
        payload = self.payload(group)
        if payload is None or not self.visible(group, ("category", category_id)):
            return None
        entry: dict[str, Any] | None = payload.get("consensus", {}).get(category_id)
        if not entry or entry.get("sd") is None:
            return None
        return entry

    def ranked(self, group: GroupKey, which: str) -> list[str]:
        """The stored strongest or weakest categories, if every category is shown."""
        payload = self.payload(group)
        if payload is None:
            return []
        ids: list[str] = list(payload.get(which, []))
        categories = payload.get("categories", {})
        if not all(self.visible(group, ("category", c)) for c in categories):
            return []
        return ids

    def flags(self, group: GroupKey) -> list[dict[str, Any]]:
        payload = self.payload(group)
        if payload is None:
            return []
        shown = []
        for flag in payload.get("flags", []):
            subject = flag.get("subject", "")
            if subject and not self.visible(group, ("item", subject)):
                continue
            shown.append(flag)
        return shown
