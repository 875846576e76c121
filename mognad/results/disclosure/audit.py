"""The differencing attack as an audit: what a coordinator with every roster could work out.

For every closed measurement the audit rebuilds, from what the channels show (the stored results:
released groups and the statements with a figure in each) and from what a coordinator knows (each
response's unit and role, who answered which statement), the attacker's linear system per
statement and per group count. Two people whose columns are identical in every released row can
never be told apart by any combination of the figures; the audit checks that every class of
identical columns that appears in some figure holds 0 or at least k people. That is a sufficient
condition for "no released combination determines a sum over fewer than k respondents", checked
here independently of how the door decided (it reads only stored output).

It also counts the cost: groups and statements with at least k respondents/answerers (what the
old one-at-a-time threshold would have shown) against what the door released.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from mognad.instrument.scale import DONT_KNOW, UNANSWERED
from mognad.results.answers import load_answers
from mognad.results.compute import candidate_groups
from mognad.results.disclosure.cells import small_cells
from mognad.results.disclosure.door import threshold
from mognad.results.models import MeasurementRelease, MeasurementResult
from mognad.surveys.models import Measurement


@dataclass
class Audit:
    measurements: int = 0
    groups: int = 0  # candidate groups with at least one response
    groups_over_k: int = 0  # of those, with at least k responses
    groups_shown: int = 0
    statements_over_k: int = 0  # (group, statement) pairs with at least k answerers
    statements_shown: int = 0  # (group, statement) pairs with a released figure
    parents_shown: int = 0  # parent figures (capability … overall) of released groups
    # … of which the other tree rule (hide every parent of a hidden statement) would hide.
    parents_hidden_by_the_other_rule: int = 0
    exposed: list[str] = field(default_factory=list)  # what could be worked out, if anything

    def add(self, other: Audit) -> None:
        for name in (
            "measurements",
            "groups",
            "groups_over_k",
            "groups_shown",
            "statements_over_k",
            "statements_shown",
            "parents_shown",
            "parents_hidden_by_the_other_rule",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.exposed += other.exposed


def audit_measurement(measurement: Measurement, k: int | None = None) -> Audit:
    """The attack on one measurement (see the module doc); k defaults to its release's k."""
    release = MeasurementRelease.objects.filter(measurement=measurement).first()
    if k is None:
        k = release.k if release else threshold()
    matrix = load_answers(measurement)
    groups = candidate_groups(measurement, matrix, release.unit_subtrees if release else None)
    stored = {
        (r.group_kind, r.group_key): r
        for r in MeasurementResult.objects.filter(measurement=measurement)
    }
    answered = (matrix.values != UNANSWERED) & (matrix.values != DONT_KNOW)
    found = Audit(measurements=1, groups=len(groups))
    found.groups_over_k = sum(1 for g in groups if int(g.mask.sum()) >= k)
    shown = [g for g in groups if g.group in stored]
    found.groups_shown = len(shown)
    if shown:
        members = np.column_stack([g.mask for g in shown])
        if small_cells(members, range(len(shown)), k):
            found.exposed.append(f"{measurement}: respondent counts")
    parents = _parents(measurement)
    for group in shown:
        _count_parents(found, parents, stored[group.group])
    for column, item_id in enumerate(matrix.item_ids):
        who = answered[:, column]
        found.statements_over_k += sum(1 for g in groups if int((g.mask & who).sum()) >= k)
        rows = [g for g in shown if _has_figure(stored[g.group], item_id)]
        found.statements_shown += len(rows)
        if rows:
            members = np.column_stack([g.mask[who] for g in rows])
            if small_cells(members, range(len(rows)), k):
                found.exposed.append(f"{measurement}: statement {item_id}")
    return found


def _parents(measurement: Measurement) -> list[tuple[str, str, set[str]]]:
    """Every parent node (payload section, id) with the statements below it."""
    instrument = measurement.instrument.definition()
    parents: list[tuple[str, str, set[str]]] = [("overall", "", {i.id for i in instrument.items})]
    for dimension in instrument.dimensions:
        below = {i.id for c in dimension.categories for p in c.capabilities for i in p.items}
        parents.append(("dimensions", dimension.id, below))
        for category in dimension.categories:
            parents.append(
                ("categories", category.id, {i.id for p in category.capabilities for i in p.items})
            )
            parents += [
                ("capabilities", p.id, {i.id for i in p.items}) for p in category.capabilities
            ]
    return parents


def _count_parents(
    found: Audit, parents: list[tuple[str, str, set[str]]], result: MeasurementResult
) -> None:
    """Count the group's parent figures, and those the hide-every-parent rule would hide."""
    hidden = set(result.payload.get("hidden_items", []))
    for section, node_id, items in parents:
        entry = result.payload.get(section) if section == "overall" else None
        if entry is None:
            entry = result.payload.get(section, {}).get(node_id)
        if not entry or entry.get("score") is None:
            continue
        found.parents_shown += 1
        found.parents_hidden_by_the_other_rule += bool(items & hidden)


def _has_figure(result: MeasurementResult, item_id: str) -> bool:
    entry = result.payload.get("items", {}).get(item_id)
    return bool(entry) and entry.get("score") is not None and int(entry.get("n", 0)) > 0


def audit(measurements: Iterable[Measurement]) -> Audit:
    total = Audit()
    for measurement in measurements:
        total.add(audit_measurement(measurement))
    return total


def closed(year: int | None = None) -> list[Measurement]:
    found = Measurement.objects.filter(state=Measurement.State.CLOSED).select_related(
        "instrument", "organization"
    )
    if year is not None:
        found = found.filter(year=year)
    return list(found.order_by("year", "pk"))
