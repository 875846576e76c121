"""The instrument as typed, immutable Python values.

`loader.py` turns a YAML file into these; the database keeps the reviewed YAML source of each
published version and rebuilds these from it. Nothing here touches Django, so the scoring engine and
the offline `mognad score` command can use them without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("sv", "en")


def content_language(code: str | None) -> str:
    """The content language for a language code: English for `en` and `en-*`, else Swedish.

    The one rule for which of a text's two versions a page, e-mail or report shows (the active
    language of a request is read through `mognad.instrument.language.active_language`).
    """
    return "en" if (code or "").lower().startswith("en") else "sv"


@dataclass(frozen=True)
class Text:
    """A text in every supported language."""

    sv: str
    en: str

    def get(self, language: str) -> str:
        return self.en if content_language(language) == "en" else self.sv


@dataclass(frozen=True)
class Item:
    """One statement, answered on the six-point scale or with "Vet ej"."""

    id: str
    text: Text
    weight: float = 1.0
    # Statements about technology that people outside IT often cannot judge (used by the demo data
    # and by the data-quality notes).
    technical: bool = False


@dataclass(frozen=True)
class Capability:
    id: str
    name: Text
    items: tuple[Item, ...]
    weight: float = 1.0
    suggestions: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Category:
    id: str
    name: Text
    description: Text
    capabilities: tuple[Capability, ...]
    weight: float = 1.0
    suggestions: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Dimension:
    """`role` tells the scoring engine which axis of the matrix this is: capability or legacy."""

    id: str
    role: str  # "capability" | "legacy"
    name: Text
    description: Text
    categories: tuple[Category, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class ScalePoint:
    value: int  # 1..6
    label: Text


@dataclass(frozen=True)
class OrganizationType:
    """One quadrant of the capability × legacy matrix."""

    id: str
    capability: str  # "low" | "high"
    legacy: str  # "limiting" | "enabling"
    name: Text
    description: Text
    recommendations: tuple[Text, ...]


@dataclass(frozen=True)
class GlossaryEntry:
    term: Text
    definition: Text


@dataclass(frozen=True)
class Instrument:
    id: str  # the slug, e.g. "standard"
    version: str  # e.g. "2026.1"
    name: Text
    languages: tuple[str, ...]
    scale: tuple[ScalePoint, ...]
    dont_know: Text
    dimensions: tuple[Dimension, ...]
    # Quadrant cut-offs in percent on the capability and the legacy axis.
    capability_cutoff: float
    legacy_cutoff: float
    types: tuple[OrganizationType, ...]
    glossary: tuple[GlossaryEntry, ...] = ()
    intro: Text = field(default_factory=lambda: Text("", ""))

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def categories(self) -> tuple[Category, ...]:
        return tuple(c for d in self.dimensions for c in d.categories)

    @property
    def capabilities(self) -> tuple[Capability, ...]:
        return tuple(cap for c in self.categories for cap in c.capabilities)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for cap in self.capabilities for i in cap.items)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    def dimension_for_role(self, role: str) -> Dimension:
        return next(d for d in self.dimensions if d.role == role)

    def type_for(self, capability: str, legacy: str) -> OrganizationType:
        return next(t for t in self.types if t.capability == capability and t.legacy == legacy)
