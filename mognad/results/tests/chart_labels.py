"""What a chart shows a reader, as a check the results and national tests share: every string a
Vega-Lite spec puts on the screen or in the PDF (titles, descriptions, the data rows' values,
texts of marks, legend and scale domains), including the narrow variant drawn on phones.
`raw_ids` finds the ones that are internal ids (`eff.strategy`) instead of names or texts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from mognad.instrument.schema import Instrument

# An instrument id of a statement or capability: lowercase words joined by a dot.
ID_PATTERN = re.compile(r"\b[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\b")
# Keys whose values are Vega-Lite's own, never shown as such (field names, expressions, formats).
_NOT_SHOWN = {"$schema", "field", "filter", "format", "type", "mark", "sort_field", "font"}


def shown_strings(spec: Any, key: str = "") -> Iterator[str]:
    """Every string in the spec a reader may see."""
    if isinstance(spec, dict):
        for name, value in spec.items():
            if name in _NOT_SHOWN or name == "transform":
                continue
            yield from shown_strings(value, name)
    elif isinstance(spec, list | tuple):
        for value in spec:
            yield from shown_strings(value, key)
    elif isinstance(spec, str):
        yield spec


def instrument_ids(instrument: Instrument) -> set[str]:
    ids = {d.id for d in instrument.dimensions} | {c.id for c in instrument.categories}
    ids |= {c.id for c in instrument.capabilities} | {i.id for i in instrument.items}
    return ids


def raw_ids(spec: Any, instrument: Instrument) -> list[str]:
    """The shown strings that are, or contain, an internal id of the instrument's nodes."""
    ids = instrument_ids(instrument)
    found = []
    for text in shown_strings(spec):
        if text in ids or any(match in ids for match in ID_PATTERN.findall(text)):
            found.append(text)
        elif ID_PATTERN.fullmatch(text):
            found.append(text)  # id-like, even if not (or no longer) in the instrument
    return found
