"""The YAML of an instrument checked node by node, turned into schema values on the way.

Pure Python (no Django). `Checker` walks the parsed YAML and collects every problem it finds,
each naming the path of the bad node (`dimensions[1].categories[0].capabilities[2].items[0]
.text.en: missing`); `loader.parse` raises them together as one `InstrumentError`. The file
format is documented in `instruments/README.md`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, TypeVar

from mognad.instrument.scale import SCALE
from mognad.instrument.schema import (
    LANGUAGES,
    Capability,
    Category,
    Dimension,
    GlossaryEntry,
    Instrument,
    Item,
    OrganizationType,
    ScalePoint,
    Text,
)

ID_PATTERN = re.compile(r"[a-z][a-z0-9_.-]*")
VERSION_PATTERN = re.compile(r"[0-9]+(\.[0-9]+)*")
ROLES = ("capability", "legacy")
CAPABILITY_LEVELS = ("low", "high")
LEGACY_LEVELS = ("limiting", "enabling")
MIN_RECOMMENDATIONS, MAX_RECOMMENDATIONS = 3, 5
WEIGHT_TOLERANCE = 0.001

T = TypeVar("T")
_Weighted = TypeVar("_Weighted", Dimension, Category, Capability, Item)


def version_key(version: str) -> tuple[int, ...]:
    """`2026.10` sorts after `2026.2`: versions compare numerically, part by part."""
    return tuple(int(part) for part in version.split("."))


def is_version(text: str) -> bool:
    return VERSION_PATTERN.fullmatch(text) is not None


# --- Shapes ---------------------------------------------------------------------------------------


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int) and not isinstance(key, bool):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


_PLACEHOLDER = Text("", "")


class Checker:
    """Walks the parsed YAML, building schema values and collecting every problem on the way.

    Each method returns a value even for bad input (a placeholder) so that checking can go on and
    report the problems further down; the caller discards the result if any error was recorded.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[str] = []
        # kind of node → id → path of its first occurrence
        self.seen_ids: dict[str, dict[str, str]] = {}

    def error(self, path: str, message: str) -> None:
        self.errors.append(
            f"{self.source}: {path}: {message}" if path else f"{self.source}: {message}"
        )

    # --- generic shapes ---------------------------------------------------------------------------

    def mapping(
        self, value: object, path: str, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, f"must be a mapping of keys, got {_kind(value)}")
            return None
        allowed = required + optional
        for key in value:
            if key not in allowed:
                label = str(key)
                close = difflib.get_close_matches(label, allowed, n=1)
                hint = (
                    f" (did you mean {close[0]!r}?)"
                    if close
                    else f" (allowed: {', '.join(allowed)})"
                )
                self.error(_join(path, label), f"unknown key{hint}")
        for key in required:
            if key not in value:
                self.error(_join(path, key), "missing")
        return value

    def items_of(
        self, data: dict[str, Any], key: str, path: str, check: Callable[[object, str], T]
    ) -> tuple[T, ...]:
        """Check a required, non-empty list under `key`, each element with `check`."""
        value = data.get(key)
        path = _join(path, key)
        if key not in data:
            return ()
        if not isinstance(value, list):
            self.error(path, f"must be a list, got {_kind(value)}")
            return ()
        if not value:
            self.error(path, "must not be empty")
        return tuple(check(element, _join(path, index)) for index, element in enumerate(value))

    def string(self, data: dict[str, Any], key: str, path: str) -> str:
        if key not in data:
            return ""
        value = data[key]
        if not isinstance(value, str):
            self.error(_join(path, key), f"must be a string, got {_kind(value)}")
            return ""
        if not value.strip():
            self.error(_join(path, key), "empty")
        return value.strip()

    def text(self, value: object, path: str) -> Text:
        data = self.mapping(value, path, required=LANGUAGES)
        if data is None:
            return _PLACEHOLDER
        sv, en = (self.string(data, language, path) for language in LANGUAGES)
        return Text(sv=sv, en=en)

    def text_at(self, data: dict[str, Any], key: str, path: str) -> Text:
        return self.text(data[key], _join(path, key)) if key in data else _PLACEHOLDER

    def texts(self, data: dict[str, Any], key: str, path: str) -> tuple[Text, ...]:
        return self.items_of(data, key, path, self.text)

    def ident(self, data: dict[str, Any], path: str, kind: str) -> str:
        if "id" not in data:
            return ""
        value = data["id"]
        path = _join(path, "id")
        if not isinstance(value, str):
            self.error(path, f"must be a string, got {_kind(value)}")
            return ""
        if not ID_PATTERN.fullmatch(value):
            self.error(
                path,
                f"{value!r} is not a valid id: use lowercase letters, digits and _ . - "
                "and start with a letter",
            )
            return value
        first = self.seen_ids.setdefault(kind, {}).setdefault(value, path)
        if first != path:
            self.error(path, f"duplicate {kind} id {value!r} (also at {first.removesuffix('.id')})")
        return value

    def choice(self, data: dict[str, Any], key: str, path: str, choices: tuple[str, ...]) -> str:
        if key not in data:
            return ""
        value = data[key]
        if value not in choices:
            allowed = " or ".join(repr(c) for c in choices)
            self.error(_join(path, key), f"must be {allowed}, got {value!r}")
            return ""
        return str(value)

    def number(self, value: object, path: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, f"must be a number, got {_kind(value)}")
            return None
        if not math.isfinite(value):
            self.error(path, f"must be a finite number, got {value}")
            return None
        return float(value)

    def weights(self, siblings: list[dict[str, Any]], path: str) -> list[float]:
        """Siblings' weights, normalized to sum to 1; equal when none is given."""
        if not siblings:
            return []
        given = ["weight" in s for s in siblings]
        if not any(given):
            return [1 / len(siblings)] * len(siblings)
        values: list[float] = []
        for index, sibling in enumerate(siblings):
            weight_path = _join(_join(path, index), "weight")
            if "weight" not in sibling:
                self.error(
                    weight_path, "missing (a sibling has a weight, so every sibling needs one)"
                )
                continue
            weight = self.number(sibling["weight"], weight_path)
            if weight is None:
                continue
            if weight <= 0:
                self.error(weight_path, f"must be greater than 0, got {sibling['weight']}")
                continue
            values.append(weight)
        if len(values) != len(siblings):
            return [1 / len(siblings)] * len(siblings)
        total = sum(values)
        if abs(total - 1) > WEIGHT_TOLERANCE:
            self.error(path, f"the weights sum to {total:g}; siblings' weights must sum to 1")
        return [w / total for w in values]

    def _sibling_weights(self, data: dict[str, Any], key: str, path: str) -> list[float]:
        value = data.get(key)
        if not isinstance(value, list):
            return []
        siblings = [v if isinstance(v, dict) else {} for v in value]
        return self.weights(siblings, _join(path, key))

    def children(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        check: Callable[[object, str], _Weighted],
    ) -> tuple[_Weighted, ...]:
        """The weighted children under `key` (dimensions, categories, capabilities or items), each
        checked with `check`, with their siblings' weights checked and normalized."""
        weights = self._sibling_weights(data, key, path)
        return tuple(_reweighted(self.items_of(data, key, path, check), weights))

    # --- the instrument ---------------------------------------------------------------------------

    def instrument(self, value: object) -> Instrument | None:
        data = self.mapping(
            value,
            "",
            required=(
                "id",
                "version",
                "name",
                "scale",
                "dont_know",
                "cutoffs",
                "dimensions",
                "types",
            ),
            optional=("intro", "glossary"),
        )
        if data is None:
            return None
        slug = self.ident(data, "", "instrument")
        version = self.version(data)
        name = self.text_at(data, "name", "")
        intro = self.text_at(data, "intro", "") if "intro" in data else Text("", "")
        scale = self.scale(data)
        dont_know = self.text_at(data, "dont_know", "")
        capability_cutoff, legacy_cutoff = self.cutoffs(data)
        dimensions = self.dimensions(data)
        types = self.types(data)
        glossary = (
            self.items_of(data, "glossary", "", self.glossary_entry) if "glossary" in data else ()
        )
        return Instrument(
            id=slug,
            version=version,
            name=name,
            languages=LANGUAGES,
            scale=scale,
            dont_know=dont_know,
            dimensions=dimensions,
            capability_cutoff=capability_cutoff,
            legacy_cutoff=legacy_cutoff,
            types=types,
            glossary=glossary,
            intro=intro,
        )

    def version(self, data: dict[str, Any]) -> str:
        if "version" not in data:
            return ""
        value = data["version"]
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.error(
                "version",
                'must be in quotes, e.g. version: "2026.1"; without quotes YAML reads it as the '
                f"number {value!r} (and 2026.10 as 2026.1)",
            )
            return ""
        if not isinstance(value, str) or not is_version(value):
            self.error(
                "version", f'must be numbers separated by dots, e.g. "2026.1", got {value!r}'
            )
            return ""
        return value

    def scale(self, data: dict[str, Any]) -> tuple[ScalePoint, ...]:
        if "scale" not in data:
            return ()
        value = data["scale"]
        if not isinstance(value, dict):
            self.error("scale", f"must be a mapping from 1…6 to labels, got {_kind(value)}")
            return ()
        points = []
        for key, label in value.items():
            if isinstance(key, str) and key.strip().isdigit():
                self.error(f"scale.{key}", "write the point as a number, without quotes")
                continue
            if isinstance(key, bool) or key not in SCALE:
                self.error(f"scale.{key}", "not a point of the scale (the points are 1 to 6)")
                continue
            points.append(ScalePoint(value=key, label=self.text(label, f"scale.{key}")))
        missing = [p for p in SCALE if p not in value]
        if missing:
            self.error(
                "scale",
                f"must have exactly the six points 1 to 6, each with a label; missing: "
                f"{', '.join(str(p) for p in missing)}",
            )
        return tuple(sorted(points, key=lambda p: p.value))

    def cutoffs(self, data: dict[str, Any]) -> tuple[float, float]:
        if "cutoffs" not in data:
            return 50.0, 50.0
        cutoffs = self.mapping(data["cutoffs"], "cutoffs", required=ROLES)
        if cutoffs is None:
            return 50.0, 50.0
        found = []
        for role in ROLES:
            value = self.number(cutoffs[role], f"cutoffs.{role}") if role in cutoffs else None
            if value is not None and not 0 < value < 100:
                self.error(
                    f"cutoffs.{role}",
                    f"must be strictly between 0 and 100 (percent), got {value:g}",
                )
            found.append(50.0 if value is None else value)
        return found[0], found[1]

    def dimensions(self, data: dict[str, Any]) -> tuple[Dimension, ...]:
        dimensions = self.children(data, "dimensions", "", self.dimension)
        if "dimensions" in data and isinstance(data["dimensions"], list):
            if len(dimensions) != 2:
                self.error(
                    "dimensions",
                    f"must have exactly two dimensions (roles capability and legacy), "
                    f"found {len(dimensions)}",
                )
            roles: dict[str, int] = {}
            for index, dimension in enumerate(dimensions):
                if dimension.role in roles:
                    self.error(
                        f"dimensions[{index}].role",
                        f"role {dimension.role!r} is already used by "
                        f"dimensions[{roles[dimension.role]}]",
                    )
                elif dimension.role:
                    roles[dimension.role] = index
            if len(dimensions) == 2 and all(d.role for d in dimensions):
                for role in ROLES:
                    if role not in roles:
                        self.error("dimensions", f"no dimension has the role {role!r}")
        return dimensions

    def dimension(self, value: object, path: str) -> Dimension:
        data = self.mapping(
            value,
            path,
            required=("id", "role", "name", "description", "categories"),
            optional=("weight",),
        )
        if data is None:
            return Dimension("", "", _PLACEHOLDER, _PLACEHOLDER, ())
        ident = self.ident(data, path, "dimension")
        role = self.choice(data, "role", path, ROLES)
        name = self.text_at(data, "name", path)
        description = self.text_at(data, "description", path)
        categories = self.children(data, "categories", path, self.category)
        return Dimension(ident, role, name, description, categories)

    def category(self, value: object, path: str) -> Category:
        data = self.mapping(
            value,
            path,
            required=("id", "name", "description", "capabilities"),
            optional=("weight", "suggestions"),
        )
        if data is None:
            return Category("", _PLACEHOLDER, _PLACEHOLDER, ())
        ident = self.ident(data, path, "category")
        name = self.text_at(data, "name", path)
        description = self.text_at(data, "description", path)
        suggestions = self.texts(data, "suggestions", path)
        capabilities = self.children(data, "capabilities", path, self.capability)
        return Category(ident, name, description, capabilities, suggestions=suggestions)

    def capability(self, value: object, path: str) -> Capability:
        data = self.mapping(
            value, path, required=("id", "name", "items"), optional=("weight", "suggestions")
        )
        if data is None:
            return Capability("", _PLACEHOLDER, ())
        ident = self.ident(data, path, "capability")
        name = self.text_at(data, "name", path)
        suggestions = self.texts(data, "suggestions", path)
        items = self.children(data, "items", path, self.item)
        return Capability(ident, name, items, suggestions=suggestions)

    def item(self, value: object, path: str) -> Item:
        data = self.mapping(value, path, required=("id", "text"), optional=("weight", "technical"))
        if data is None:
            return Item("", _PLACEHOLDER)
        ident = self.ident(data, path, "item")
        text = self.text_at(data, "text", path)
        technical = data.get("technical", False)
        if not isinstance(technical, bool):
            self.error(_join(path, "technical"), f"must be true or false, got {_kind(technical)}")
            technical = False
        return Item(id=ident, text=text, technical=technical)

    def types(self, data: dict[str, Any]) -> tuple[OrganizationType, ...]:
        types = self.items_of(data, "types", "", self.organization_type)
        if "types" not in data or not isinstance(data["types"], list):
            return types
        if len(types) != 4:
            self.error(
                "types",
                f"must have exactly four organization types (capability low/high × legacy "
                f"limiting/enabling), found {len(types)}",
            )
        quadrants: dict[tuple[str, str], int] = {}
        for index, kind in enumerate(types):
            quadrant = (kind.capability, kind.legacy)
            if not all(quadrant):
                continue
            if quadrant in quadrants:
                self.error(
                    f"types[{index}]",
                    f"capability {quadrant[0]} × legacy {quadrant[1]} is already "
                    f"types[{quadrants[quadrant]}]",
                )
            else:
                quadrants[quadrant] = index
        if len(types) == 4 and all(t.capability and t.legacy for t in types):
            for capability in CAPABILITY_LEVELS:
                for legacy in LEGACY_LEVELS:
                    if (capability, legacy) not in quadrants:
                        self.error(
                            "types", f"no type for capability {capability} × legacy {legacy}"
                        )
        return types

    def organization_type(self, value: object, path: str) -> OrganizationType:
        data = self.mapping(
            value,
            path,
            required=("id", "capability", "legacy", "name", "description", "recommendations"),
        )
        if data is None:
            return OrganizationType("", "", "", _PLACEHOLDER, _PLACEHOLDER, ())
        ident = self.ident(data, path, "type")
        capability = self.choice(data, "capability", path, CAPABILITY_LEVELS)
        legacy = self.choice(data, "legacy", path, LEGACY_LEVELS)
        name = self.text_at(data, "name", path)
        description = self.text_at(data, "description", path)
        recommendations = self.texts(data, "recommendations", path)
        if isinstance(data.get("recommendations"), list) and not (
            MIN_RECOMMENDATIONS <= len(recommendations) <= MAX_RECOMMENDATIONS
        ):
            self.error(
                _join(path, "recommendations"),
                f"must have {MIN_RECOMMENDATIONS} to {MAX_RECOMMENDATIONS} recommendations, "
                f"found {len(recommendations)}",
            )
        return OrganizationType(
            id=ident,
            capability=capability,
            legacy=legacy,
            name=name,
            description=description,
            recommendations=recommendations,
        )

    def glossary_entry(self, value: object, path: str) -> GlossaryEntry:
        data = self.mapping(value, path, required=("term", "definition"))
        if data is None:
            return GlossaryEntry(_PLACEHOLDER, _PLACEHOLDER)
        term = self.text_at(data, "term", path)
        if term.sv:
            first = self.seen_ids.setdefault("glossary term", {}).setdefault(term.sv.lower(), path)
            if first != path:
                self.error(
                    _join(path, "term"), f"duplicate glossary term {term.sv!r} (also at {first})"
                )
        return GlossaryEntry(term=term, definition=self.text_at(data, "definition", path))


def _reweighted(nodes: Iterable[_Weighted], weights: list[float]) -> list[_Weighted]:
    """The nodes with their normalized weights filled in (nodes are frozen dataclasses)."""
    nodes = list(nodes)
    if len(weights) != len(nodes):
        return nodes
    return [replace(node, weight=weight) for node, weight in zip(nodes, weights, strict=True)]
