"""Small, valid instruments as plain data, for tests to mutate and dump to YAML."""

from __future__ import annotations

import copy
from typing import Any

import yaml


def text(sv: str, en: str | None = None) -> dict[str, str]:
    return {"sv": sv, "en": en if en is not None else f"{sv} (en)"}


def _recommendations(n: int = 3) -> list[dict[str, str]]:
    return [text(f"Råd {i}") for i in range(1, n + 1)]


def minimal_instrument(*, slug: str = "tiny", version: str = "1.0") -> dict[str, Any]:
    """A valid instrument: two dimensions, three categories, four capabilities, five items."""
    return copy.deepcopy(
        {
            "id": slug,
            "version": version,
            "name": text("Liten enkät", "Tiny survey"),
            "intro": text("Välkommen", "Welcome"),
            "scale": {n: text(f"Punkt {n}", f"Point {n}") for n in range(1, 7)},
            "dont_know": text("Vet ej", "Don't know"),
            "cutoffs": {"capability": 50, "legacy": 50},
            "dimensions": [_capability_dimension(), _legacy_dimension()],
            "types": _types(),
            "glossary": [{"term": text("Skugg-IT"), "definition": text("Egna lösningar")}],
        }
    )


def _capability_dimension() -> dict[str, Any]:
    """Two categories: efficiency (three items in two capabilities) and innovation (one)."""
    return {
        "id": "capability",
        "role": "capability",
        "name": text("Digital förmåga", "Digital capability"),
        "description": text("Förmåga", "Capability"),
        "categories": [
            {
                "id": "efficiency",
                "name": text("Effektivitet", "Efficiency"),
                "description": text("Effektivt", "Efficient"),
                "suggestions": [text("Gör så")],
                "capabilities": [
                    {
                        "id": "eff.strategy",
                        "name": text("Strategi", "Strategy"),
                        "items": [
                            {"id": "eff.strategy", "text": text("Mål finns")},
                            {"id": "eff.plan", "text": text("Plan finns")},
                        ],
                    },
                    {
                        "id": "eff.security",
                        "name": text("Säkerhet", "Security"),
                        "suggestions": [text("Skydda")],
                        "items": [{"id": "eff.security", "text": text("Säkert")}],
                    },
                ],
            },
            {
                "id": "innovation",
                "name": text("Innovation", "Innovation"),
                "description": text("Nytt", "New"),
                "capabilities": [
                    {
                        "id": "inn.users",
                        "name": text("Användare", "Users"),
                        "items": [{"id": "inn.users", "text": text("Vi frågar")}],
                    }
                ],
            },
        ],
    }


def _legacy_dimension() -> dict[str, Any]:
    """One category, technology, with one technical item."""
    return {
        "id": "legacy",
        "role": "legacy",
        "name": text("Digitalt arv", "Digital legacy"),
        "description": text("Arv", "Legacy"),
        "categories": [
            {
                "id": "technology",
                "name": text("Teknik", "Technology"),
                "description": text("System", "Systems"),
                "capabilities": [
                    {
                        "id": "tek.shadow_it",
                        "name": text("Skugg-IT", "Shadow IT"),
                        "items": [
                            {
                                "id": "tek.shadow_it",
                                "text": text("Inga egna lösningar"),
                                "technical": True,
                            }
                        ],
                    }
                ],
            }
        ],
    }


def _types() -> list[dict[str, Any]]:
    """The four maturity types, one per quadrant of the two dimensions."""
    return [
        {
            "id": kind,
            "capability": capability,
            "legacy": legacy,
            "name": text(kind.title()),
            "description": text(f"Typen {kind}"),
            "recommendations": _recommendations(),
        }
        for kind, capability, legacy in [
            ("stalled", "low", "limiting"),
            ("constrained", "high", "limiting"),
            ("untapped", "low", "enabling"),
            ("forerunner", "high", "enabling"),
        ]
    ]


def to_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def minimal_yaml(**kwargs: Any) -> str:
    return to_yaml(minimal_instrument(**kwargs))
