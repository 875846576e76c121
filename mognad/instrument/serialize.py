"""The instrument as plain JSON data (`mognad instrument show --json`, the API)."""

from __future__ import annotations

from typing import Any

from mognad.instrument.schema import Instrument, Text


def _text(text: Text) -> dict[str, str]:
    return {"sv": text.sv, "en": text.en}


def instrument_as_json(instrument: Instrument) -> dict[str, Any]:
    """Weights are normalized: siblings' weights sum to 1."""
    return {
        "id": instrument.id,
        "version": instrument.version,
        "name": _text(instrument.name),
        "languages": list(instrument.languages),
        "scale": [{"value": p.value, "label": _text(p.label)} for p in instrument.scale],
        "dont_know": _text(instrument.dont_know),
        "cutoffs": {
            "capability": instrument.capability_cutoff,
            "legacy": instrument.legacy_cutoff,
        },
        "dimensions": [
            {
                "id": dimension.id,
                "role": dimension.role,
                "name": _text(dimension.name),
                "weight": dimension.weight,
                "categories": [
                    {
                        "id": category.id,
                        "name": _text(category.name),
                        "weight": category.weight,
                        "capabilities": [
                            {
                                "id": capability.id,
                                "name": _text(capability.name),
                                "weight": capability.weight,
                                "items": [
                                    {
                                        "id": item.id,
                                        "text": _text(item.text),
                                        "weight": item.weight,
                                        "technical": item.technical,
                                    }
                                    for item in capability.items
                                ],
                            }
                            for capability in category.capabilities
                        ],
                    }
                    for category in dimension.categories
                ],
            }
            for dimension in instrument.dimensions
        ],
        "types": [
            {
                "id": kind.id,
                "capability": kind.capability,
                "legacy": kind.legacy,
                "name": _text(kind.name),
                "description": _text(kind.description),
                "recommendations": [_text(r) for r in kind.recommendations],
            }
            for kind in instrument.types
        ],
        "glossary": [
            {"term": _text(entry.term), "definition": _text(entry.definition)}
            for entry in instrument.glossary
        ],
    }
