"""Plans for the tests: a closed measurement of Ankeby with results, a plan built on it."""

from __future__ import annotations

from typing import Any

from mognad.orgs.models import Organization, User
from mognad.plans.actions import ActionFields, create_plan
from mognad.plans.models import ActionPlan
from mognad.surveys.models import Measurement
from mognad.surveys.tests.factories import AnswerGroup, closed_measurement


def measured(org: Organization, *, year: int = 2026, level: float = 3.5, **kw: Any) -> Measurement:
    """A closed measurement with released results: 8 respondents around `level`, 4 of them in
    each of Ankeby's two administrations when the organization has them."""
    units = list(org.units.filter(parent=None).order_by("name")[:2])
    if len(units) == 2:
        groups = [AnswerGroup(6, level=level, unit=u) for u in units]
    else:
        groups = [AnswerGroup(8, level=level)]
    return closed_measurement(org, groups, year=year, **kw)


def a_plan(measurement: Measurement, by: User, *actions: dict[str, Any]) -> ActionPlan:
    """The measurement's plan with the actions (field mappings; a capability by default)."""
    first = measurement.instrument.definition().capabilities[0].id
    fields = [ActionFields.of({"capabilities": [first], **a}) for a in actions]
    return create_plan(measurement, by=by, actions=fields)
