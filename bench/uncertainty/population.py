"""Simulated organizations with known true scores, drawn from the demo generator's answer model.

Each organization is a municipality of the demo generator's medium size (its units and their
sector effects, its maturity and category profile drawn as `mognad demo generate` draws them) with
a large population of people who submitted (`POPULATION` asked, about two thirds answer), answered
exactly as the demo generator answers: the same latent-trait model, role mix, "Vet ej" rates and
straight-liners. The organization's true scores are the scores of that whole population; a unit's
true scores those of the unit's people. The population is large enough that its scores stand in for
the infinite-population values (their sampling error is below 8 % of the error at n = 120).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from mognad.demo.answers import ItemModel, sample_measurement
from mognad.demo.population import MATURITY_SD, UNIT_TEMPLATES, plan_existing
from mognad.instrument.schema import Instrument
from mognad.orgs.models import Organization as OrgModel
from mognad.scoring.engine import OrganizationScore, score
from mognad.scoring.structure import Structure

Answers = npt.NDArray[np.int8]
FloatArray = npt.NDArray[np.float64]

# People asked in a simulated organization's population (about 68 % submit).
POPULATION = 20_000
YEAR = 2025
# The levels every figure is shown at, bottom up, as the harness reports them.
LEVELS = ("overall", "dimension", "category", "capability", "item")
# A medium-sized municipality: every unit template of the generator, with sub-units.
EMPLOYEES = 4_000


@dataclass(frozen=True)
class Figures:
    """Per level (LEVELS), the scores and 95 % interval bounds of every node (NaN: none)."""

    score: dict[str, FloatArray]
    low: dict[str, FloatArray]
    high: dict[str, FloatArray]
    probabilities: FloatArray | None  # per quadrant type, in the structure's type order
    item_n: npt.NDArray[np.intp] | None = None  # per item, the answers on the scale (m)

    @classmethod
    def of(cls, scored: OrganizationScore, structure: Structure) -> Figures:
        parts: dict[str, list[Any]] = {
            "overall": [scored.overall],
            "dimension": list(scored.dimensions.values()),
            "category": list(scored.categories.values()),
            "capability": list(scored.capabilities.values()),
            "item": list(scored.items.values()),
        }
        nan = float("nan")
        score_ = {
            k: np.array([nan if e.score is None else e.score for e in v]) for k, v in parts.items()
        }
        low = {k: np.array([nan if e.ci is None else e.ci[0] for e in v]) for k, v in parts.items()}
        high = {
            k: np.array([nan if e.ci is None else e.ci[1] for e in v]) for k, v in parts.items()
        }
        quadrant = scored.quadrant
        probabilities = (
            None
            if quadrant is None
            else np.array([quadrant.probabilities[t] for t in type_order(structure)])
        )
        item_n = np.array([item.n for item in scored.items.values()], dtype=np.intp)
        return cls(score_, low, high, probabilities, item_n)


def type_order(structure: Structure) -> tuple[str, ...]:
    from mognad.scoring.structure import QUADRANTS

    return tuple(structure.types[q] for q in QUADRANTS)


def true_type(structure: Structure, truth: Figures) -> int:
    """Index (in `type_order`) of the type of the true dimension scores."""
    dims = truth.score["dimension"]
    high = dims[structure.capability_dimension] >= structure.capability_cutoff
    enabling = dims[structure.legacy_dimension] >= structure.legacy_cutoff
    return int(high) + 2 * int(enabling)


@dataclass(frozen=True)
class SimulatedOrganization:
    people: Answers  # one row per person who submitted
    units: npt.NDArray[np.intp]  # each person's unit (index into `unit_weights`)
    unit_weights: FloatArray  # share of the organization's people in each unit
    truth: Figures
    unit_truth: tuple[Figures, ...]
    dont_know_rate: FloatArray  # per item, in the whole population


def point_figures(values: Answers, structure: Structure) -> Figures:
    """The scores of a whole population (no interval needed)."""
    return Figures.of(score(values, structure, resamples=1), structure)


def simulate(
    instrument: Instrument,
    structure: Structure,
    index: int,
    *,
    seed: int,
    population: int = POPULATION,
    shift: float = 0.0,
) -> SimulatedOrganization:
    """Organization number `index` of the harness's population (`shift`: scale points added to
    its maturity, for a population whose scores changed)."""
    rng = np.random.default_rng([seed, index])
    kind = OrgModel.Kind.MUNICIPALITY.value
    units: list[tuple[str, str, int | None]] = []
    for name, unit_type, _smallest, children in UNIT_TEMPLATES[kind]:
        parent = len(units)
        units.append((name, str(unit_type), None))
        units += [(child, str(child_type), parent) for child, child_type in children]
    plan = plan_existing(
        index=10_000 + index,
        kind=kind,
        name=f"Simulated {index}",
        employees=EMPLOYEES,
        units=units,
        years=(YEAR,),
        seed=seed,
        categories=len(instrument.categories),
        maturity=float(rng.normal(0.0, MATURITY_SD)) + shift,
    )
    plan = replace(plan, respondents=population)
    items = ItemModel.build(instrument, seed)
    sample = sample_measurement(plan, YEAR, earlier=0, items=items, seed=seed)
    submitted = sample.submitted
    people = sample.answers[submitted]
    unit_of = sample.units[submitted]
    weights = np.array([u.weight for u in plan.units])
    seen = (people != 0).sum(axis=0)
    return SimulatedOrganization(
        people=people,
        units=unit_of,
        unit_weights=weights,
        truth=point_figures(people, structure),
        unit_truth=tuple(
            point_figures(people[unit_of == u], structure) for u in range(len(plan.units))
        ),
        dont_know_rate=(people == -1).sum(axis=0) / np.maximum(seen, 1),
    )
