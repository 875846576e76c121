"""Small instruments built directly as `schema.Instrument` values (no YAML) for the engine tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mognad.instrument import schema
from mognad.scoring.structure import Structure

# A compact spec: {dimension id: (role, {category id: {capability id: [item ids]}})}.
# Weights go in `weights` by id (any level); default 1.
Spec = Mapping[str, tuple[str, Mapping[str, Mapping[str, Sequence[str]]]]]

TINY: Spec = {
    "cap": ("capability", {"eff": {"e1": ["i1", "i2"]}, "inn": {"n1": ["i3"]}}),
    "leg": ("legacy", {"org": {"o1": ["i4"]}, "tek": {"t1": ["i5", "i6"]}}),
}


def _text(value: str) -> schema.Text:
    return schema.Text(value, value)


def make_instrument(
    spec: Spec = TINY,
    *,
    weights: Mapping[str, float] | None = None,
    capability_cutoff: float = 50.0,
    legacy_cutoff: float = 50.0,
) -> schema.Instrument:
    weights = weights or {}
    dimensions = tuple(
        schema.Dimension(
            id=dimension_id,
            role=role,
            name=_text(dimension_id),
            description=_text(""),
            weight=weights.get(dimension_id, 1.0),
            categories=tuple(
                schema.Category(
                    id=category_id,
                    name=_text(category_id),
                    description=_text(""),
                    weight=weights.get(category_id, 1.0),
                    capabilities=tuple(
                        schema.Capability(
                            id=capability_id,
                            name=_text(capability_id),
                            weight=weights.get(capability_id, 1.0),
                            items=tuple(
                                schema.Item(id=i, text=_text(i), weight=weights.get(i, 1.0))
                                for i in item_ids
                            ),
                        )
                        for capability_id, item_ids in capabilities.items()
                    ),
                )
                for category_id, capabilities in categories.items()
            ),
        )
        for dimension_id, (role, categories) in spec.items()
    )
    types = tuple(
        schema.OrganizationType(
            id=f"{capability}-{legacy}",
            capability=capability,
            legacy=legacy,
            name=_text(f"{capability}-{legacy}"),
            description=_text(""),
            recommendations=(),
        )
        for capability in ("low", "high")
        for legacy in ("limiting", "enabling")
    )
    return schema.Instrument(
        id="tiny",
        version="1",
        name=_text("Tiny"),
        languages=("sv", "en"),
        scale=tuple(schema.ScalePoint(v, _text(str(v))) for v in range(1, 7)),
        dont_know=_text("Vet ej"),
        dimensions=dimensions,
        capability_cutoff=capability_cutoff,
        legacy_cutoff=legacy_cutoff,
        types=types,
    )


def make_structure(spec: Spec = TINY, **options: object) -> Structure:
    return Structure.from_instrument(make_instrument(spec, **options))  # type: ignore[arg-type]
