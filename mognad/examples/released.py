"""An organization's own released figures for an example: before and after, and its type.

Everything here reads the stored results through `MeasurementFigures`, i.e. exactly what the
disclosure-control door released for the organization as a whole; nothing is computed from
answers. The change before → after is the over-time tab's one test (`over_time.change`, Welch's t
on the two years' figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mognad.instrument.schema import Instrument
from mognad.orgs.models import Organization
from mognad.results import queries
from mognad.results.figures import ORGANIZATION, MeasurementFigures
from mognad.results.pages.over_time import change
from mognad.surveys.models import Measurement


@dataclass(frozen=True)
class Years:
    before: Measurement | None
    after: Measurement | None


def years(org: Organization, year: int) -> Years:
    """The organization's closed measurement of `year` and the next one after it."""
    measurements = queries.closed_measurements(org)
    before = queries.pick_year(measurements, year)
    later = [m for m in measurements if before is not None and m.year > before.year]
    return Years(before, later[0] if later else None)


def capability_ids(instrument: Instrument) -> set[str]:
    return {cap.id for cap in instrument.capabilities}


def maturity_type(measurement: Measurement) -> str:
    """The organization's type in the measurement's released results ("" when not shown)."""
    figures = MeasurementFigures(measurement, queries.results_of(measurement))
    quadrant = figures.quadrant(ORGANIZATION, measurement.instrument.definition())
    return str(quadrant["type"]) if quadrant and not quadrant.get("uncertain") else ""


def before_and_after(span: Years, capabilities: list[str]) -> dict[str, dict[str, Any]]:
    """Per capability, the released scores before and after with the change and its interval;
    only capabilities shown in both years (nothing when there is no later year)."""
    if span.before is None or span.after is None:
        return {}
    first = MeasurementFigures(span.before, queries.results_of(span.before))
    second = MeasurementFigures(span.after, queries.results_of(span.after))
    found: dict[str, dict[str, Any]] = {}
    for capability in capabilities:
        a = first.figure(ORGANIZATION, ("capability", capability))
        b = second.figure(ORGANIZATION, ("capability", capability))
        if a is None or b is None:
            continue
        moved = change(a, b)
        found[capability] = {
            "before": a.score,
            "after": b.score,
            "before_year": span.before.year,
            "after_year": span.after.year,
            "change": moved.delta,
            "ci": list(moved.ci) if moved.ci else None,
            "significant": moved.significant,
        }
    return found
