"""An organization's results for the API, built ONLY from `MeasurementFigures`.

Every figure passes the same disclosure-control door as the pages (results/disclosure/, stored
as released; read through results/figures.py): a withheld group or hidden statement is `null`
with `suppressed: true`, so the API shows exactly what the results pages show.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from mognad.orgs.models import Organization, Unit
from mognad.results import queries
from mognad.results.figures import ORGANIZATION, GroupKey, MeasurementFigures, NodeKey
from mognad.results.models import MeasurementResult
from mognad.results.wording import language, node_names, role_name
from mognad.surveys.models import Measurement


class NoResults(Exception):
    """The measurement has no stored results (not closed yet, or not computed yet)."""


def figures_for(measurement: Measurement) -> MeasurementFigures:
    """The measurement's figures; NoResults unless it is closed and its results are stored."""
    if not measurement.is_closed():
        raise NoResults
    stored = queries.results_of(measurement)
    if not any(r.group_kind == MeasurementResult.GroupKind.ORGANIZATION for r in stored):
        raise NoResults
    return MeasurementFigures(measurement, stored)


def _nodes(measurement: Measurement) -> list[tuple[NodeKey, str]]:
    instrument = measurement.instrument.definition()
    names = node_names(instrument, language())
    keys: list[NodeKey] = [("overall", "")]
    keys += [("dimension", d.id) for d in instrument.dimensions]
    keys += [("category", c.id) for c in instrument.categories]
    keys += [("capability", c.id) for c in instrument.capabilities]
    keys += [("item", i.id) for i in instrument.items]
    return [(key, names[key]) for key in keys]


def _score(figures: MeasurementFigures, group: GroupKey, node: NodeKey) -> dict[str, Any]:
    figure = figures.figure(group, node)
    if figure is not None:
        return {
            "node": node[0],
            "id": node[1],
            "score": figure.score,
            "low": figure.low,
            "high": figure.high,
            "n": figure.n,
            "suppressed": False,
        }
    # No figure: withheld by the disclosure-control door, or simply nobody answered this node.
    suppressed = figures.respondents(group) is None or (
        node[0] == "item" and node[1] in figures.hidden_items(group)
    )
    return {
        "node": node[0],
        "id": node[1],
        "score": None,
        "low": None,
        "high": None,
        "n": None,
        "suppressed": suppressed,
    }


def results(
    organization: Organization, measurement: Measurement, *, root: Unit | None
) -> dict[str, Any]:
    """The results seen from `root` (None: the whole organization): the root group, every unit
    below it and, for the whole organization, every role."""
    figures = figures_for(measurement)
    nodes = _nodes(measurement)
    root_key: GroupKey = ("unit", str(root.pk)) if root is not None else ORGANIZATION
    groups = list(figures.subtree(root_key))
    if root is None:
        groups += figures.roles()

    def describe(key: GroupKey, unit_name: str) -> dict[str, Any]:
        kind, group_key = key
        if kind == "organization":
            return {"kind": kind, "unit_id": None, "role": None, "name": organization.name}
        if kind == "role":
            return {"kind": kind, "unit_id": None, "role": group_key, "name": role_name(group_key)}
        name = unit_name or _("A unit that no longer exists")
        return {"kind": kind, "unit_id": int(group_key), "role": None, "name": name}

    rows = []
    for group in groups:
        respondents = figures.respondents(group.key)
        rows.append(
            {
                **describe(group.key, group.unit_name),
                "respondents": respondents,
                "invited": figures.invited(group.key),
                "suppressed": respondents is None,
                "scores": [_score(figures, group.key, node) for node, _name in nodes],
            }
        )
    return {
        "measurement_id": measurement.pk,
        "year": measurement.year,
        "instrument": measurement.instrument.key,
        "threshold": figures.k,
        "unit_id": root.pk if root is not None else None,
        "nodes": [{"node": key[0], "id": key[1], "name": name} for key, name in nodes],
        "groups": rows,
    }
