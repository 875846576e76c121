"""Reading action plans: the proposals a plan starts from and the follow-up a year later.

Callers pass objects they got through `mognad.plans.access`. Every figure comes from the results
the disclosure-control door released (`results.pages` → `results.figures`); the proposals are the
suggestions tab's own (`results/pages/suggestions.py`), the follow-up's change test is the
over-time tab's (`results/pages/over_time.change`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mognad.orgs.models import Organization, Unit
from mognad.plans.models import ActionPlan, PlannedAction
from mognad.results import pages, queries
from mognad.results.figures import ORGANIZATION, Figure, GroupKey, MeasurementFigures
from mognad.results.pages.over_time import change as change_between
from mognad.results.pages.over_time import comparable
from mognad.scoring.engine import Change
from mognad.surveys.models import Measurement


@dataclass(frozen=True)
class Proposal:
    """An action the results propose: a suggestion for one of the weakest capabilities, or a
    recommendation for the organization's maturity type (proposed for the weakest capability)."""

    title: str
    capability_id: str
    capability_name: str
    score: float
    from_type: bool = False


@dataclass(frozen=True)
class Proposals:
    measurement: Measurement
    type_name: str | None
    items: tuple[Proposal, ...]
    capability_names: dict[str, str]


def capability_names(measurement: Measurement, lang: str | None = None) -> dict[str, str]:
    """Capability id → name in the page's language, in the instrument's order."""
    from mognad.results.wording import language

    lang = lang or language()
    return {c.id: c.name.get(lang) for c in measurement.instrument.definition().capabilities}


def measurements_for_plans(org: Organization) -> list[Measurement]:
    """The closed measurements with released results a plan can build on, oldest first."""
    return queries.closed_measurements(org)


def proposals(org: Organization, measurement: Measurement) -> Proposals:
    """The suggestions tab's weakest capabilities with their suggestions, and the maturity
    type's recommendations, as proposed actions (the organization's released figures)."""
    page = pages.load(org, year=measurement.year, unit=None, scope=None)
    built = pages.suggestions.build(page)
    items = [
        Proposal(text, weak.node_id, weak.name, weak.score)
        for weak in built.weakest_capabilities
        for text in weak.suggestions
    ]
    if built.weakest_capabilities:
        weakest = built.weakest_capabilities[0]
        items += [
            Proposal(text, weakest.node_id, weakest.name, weakest.score, from_type=True)
            for text in built.recommendations
        ]
    return Proposals(
        page.measurement,
        built.type_name,
        tuple(items),
        capability_names(page.measurement, page.lang),
    )


# --- Follow-up --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapabilityChange:
    """One capability of an action: its figure in the plan's year and the next, and the change
    with its interval (None when either figure was not released)."""

    capability_id: str
    name: str
    before: Figure | None
    after: Figure | None
    change: Change | None

    @property
    def beyond_noise(self) -> bool:
        return bool(self.change and self.change.significant)


@dataclass(frozen=True)
class FollowUp:
    """The plan's actions against the next year's results (`next_year` None: none yet)."""

    next_year: int | None
    comparable: bool
    by_action: dict[int, tuple[CapabilityChange, ...]]


def next_measurement(plan: ActionPlan) -> Measurement | None:
    """The organization's first closed measurement with results after the plan's year."""
    later = [m for m in measurements_for_plans(plan.organization) if m.year > plan.year]
    return later[0] if later else None


def follow_up(
    plan: ActionPlan, actions: Iterable[PlannedAction], scope: Unit | None = None
) -> FollowUp:
    """The change of every action's capabilities from the plan's year to the next, for the
    organization (or, for a unit admin, their unit), from the released figures."""
    after_measurement = next_measurement(plan)
    if after_measurement is None:
        return FollowUp(None, False, {})
    if not comparable(plan.measurement, after_measurement):
        return FollowUp(after_measurement.year, False, {})
    group: GroupKey = ("unit", str(scope.pk)) if scope is not None else ORGANIZATION
    before = MeasurementFigures(plan.measurement, queries.results_of(plan.measurement))
    after = MeasurementFigures(after_measurement, queries.results_of(after_measurement))
    names = capability_names(after_measurement)
    by_action = {}
    for action in actions:
        rows = []
        for cap in action.capabilities:
            old = before.figure(group, ("capability", cap))
            new = after.figure(group, ("capability", cap))
            moved = change_between(old, new) if old is not None and new is not None else None
            rows.append(CapabilityChange(cap, names.get(cap, cap), old, new, moved))
        by_action[action.pk] = tuple(rows)
    return FollowUp(after_measurement.year, True, by_action)


def planned_capabilities(org: Organization, year: int, scope: Unit | None = None) -> frozenset[str]:
    """The capabilities that had actions (not dropped) in the organization's plan of `year`; with
    a `scope` (a unit admin's unit) only the actions of its subtree, as the plan page shows them."""
    found: set[str] = set()
    rows = PlannedAction.objects.filter(plan__organization=org, plan__year=year).exclude(
        status=PlannedAction.Status.DROPPED
    )
    if scope is not None:
        rows = rows.filter(unit__path__startswith=scope.path)
    for capabilities in rows.values_list("capabilities", flat=True):
        found.update(capabilities or ())
    return frozenset(found)
