"""An organization's stored results as figures, exactly as the disclosure-control door released
them.

The door decides at scoring time (disclosure/measurement.py, via compute.py) and only released
groups and statements are stored, so `MeasurementFigures` hides nothing on its own: every user,
page, export and API route reads the same released figures through it. What the door withheld is
listed by name (`withheld`, `hidden_items`) so pages can say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mognad.instrument.schema import Instrument
from mognad.results.disclosure.door import threshold
from mognad.results.models import MeasurementResult
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
    """A group of the measurement. A `withheld` group (the door released nothing of it) has an
    empty, unsaved result and only its name and place in the unit tree, so pages can list it."""

    key: GroupKey
    result: MeasurementResult
    parent: GroupKey | None = None
    children: list[GroupKey] = field(default_factory=list)
    withheld: bool = False
    name: str = ""
    path: str = ""

    @property
    def unit_name(self) -> str:
        """The unit's name ("" for a unit deleted since, and for other kinds of group)."""
        unit = self.result.unit if self.result.unit_id else None
        return unit.name if unit else self.name

    @property
    def unit_path(self) -> str:
        unit = self.result.unit if self.result.unit_id else None
        return unit.path if unit else self.path

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
    """The released figures of one measurement. Build with the measurement's stored results."""

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
        for entry in self.withheld():
            key = (str(entry["kind"]), str(entry["key"]))
            self.groups[key] = Group(
                key,
                MeasurementResult(group_kind=key[0], group_key=key[1], respondents=0, payload={}),
                withheld=True,
                name=str(entry.get("name", "")),
                path=str(entry.get("path", "")),
            )
        self._build_tree()

    # --- Structure ---------------------------------------------------------------------------

    def _build_tree(self) -> None:
        units = {key: group for key, group in self.groups.items() if key[0] == "unit"}
        by_id = {key[1]: key for key in units}
        for group in units.values():
            path = group.unit_path
            if not path:
                # The unit was deleted after closing: its place in the tree is unknown.
                group.parent = ORGANIZATION
                continue
            ancestors = [part for part in path.strip("/").split("/") if part][:-1]
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
        unit = group.result.unit if group.result.unit_id else None
        return (unit.name if unit else group.name, group.key[1])

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

    # --- What the door released -----------------------------------------------------------------

    def visible(self, group: GroupKey, node: NodeKey = OVERALL) -> bool:
        """Whether the group's figure for the node was released (and has answers)."""
        if group not in self.groups or self.groups[group].withheld:
            return False
        payload = self.groups[group].result.payload
        if node[0] == "item" and node[1] in payload.get("hidden_items", ()):
            return False
        return node_n(payload, node) > 0

    def hidden_items(self, group: GroupKey) -> list[str]:
        """The statements the door hid in this group (its parents are computed without them)."""
        if group not in self.groups:
            return []
        return list(self.groups[group].result.payload.get("hidden_items", []))

    def withheld(self) -> list[dict[str, Any]]:
        """The groups the door withheld entirely: kind, key and (for units) name and path."""
        organization = self.groups.get(ORGANIZATION)
        if organization is None:
            return []
        return list(organization.result.payload.get("withheld", []))

    def respondents(self, group: GroupKey) -> int | None:
        """The group's number of respondents, or None when it was not released."""
        if group not in self.groups or self.groups[group].withheld:
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
