"""The plans' access rule, tried on many plans: whoever asks, they see exactly the actions of
their part of the organization and change exactly those their role allows (hypothesis draws which
unit each action belongs to, or none)."""

from __future__ import annotations

import pytest
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mognad.plans import access
from mognad.plans.models import PlannedAction
from mognad.plans.tests.helpers import a_plan
from mognad.surveys.tests.factories import AnswerGroup, closed_measurement

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(ankeby, alice):
    measurement = closed_measurement(ankeby, [AnswerGroup(6, level=3.5)], year=2025)
    return a_plan(measurement, alice)


def _expected(person, action, ankeby):
    """The rule in words: key users and viewers read everything; unit admins the actions of a
    unit in their subtree; only key users and unit admins (their subtree) change; outsiders
    nothing."""
    membership = person.memberships.filter(organization=ankeby).first()
    if membership is None:
        return False, False
    if membership.role == "unit_admin":
        mine = action.unit is not None and action.unit.path.startswith(membership.unit.path)
        return mine, mine
    return True, membership.role == "key_user"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(units=st.lists(st.integers(min_value=-1, max_value=5), min_size=1, max_size=6))
def test_everyone_sees_and_changes_exactly_their_part(
    units, plan, ankeby, alice, bob, ulla, victor, charlie
):
    tree = list(ankeby.units.order_by("path"))
    capability = sorted(plan.capability_ids())[0]
    plan.actions.all().delete()
    for n, index in enumerate(units):
        unit = tree[index % len(tree)] if index >= 0 else None
        PlannedAction.objects.create(
            plan=plan, title=f"Åtgärd {n}", capabilities=[capability], unit=unit
        )
    actions = list(plan.actions.select_related("unit"))
    for person in (alice, bob, ulla, victor, charlie):
        expected = {a.pk: _expected(person, a, ankeby) for a in actions}
        if person is charlie:
            with pytest.raises(Http404):
                access.actions_visible_to(person, plan)
            continue
        seen = {a.pk for a in access.actions_visible_to(person, plan)}
        changeable = access.changeable_action_ids(person, plan)
        assert seen == {pk for pk, (read, _write) in expected.items() if read}, person
        assert changeable == {pk for pk, (_read, write) in expected.items() if write}, person
