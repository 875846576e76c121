"""The plan's actions: a plan made in one step from picked proposals, actions added, changed,
marked done and deleted, each audited in plain words; bad input refused with a specific message
and nothing written; unit admins limited to their subtree."""

from __future__ import annotations

import datetime

import pytest

from mognad.orgs.audit_sentences import sentence
from mognad.orgs.models import AuditEvent
from mognad.plans import actions
from mognad.plans.actions import ActionFields
from mognad.plans.models import ActionPlan, PlannedAction
from mognad.plans.tests.helpers import a_plan, measured
from mognad.platform.actions import ActionError

pytestmark = pytest.mark.django_db


@pytest.fixture
def measurement(ankeby):
    return measured(ankeby)


@pytest.fixture
def capabilities(measurement):
    return [c.id for c in measurement.instrument.definition().capabilities]


def test_a_key_user_creates_the_years_plan_with_picked_actions_in_one_step(
    measurement, alice, capabilities, social_services
):
    plan = a_plan(
        measurement,
        alice,
        {"title": "Inventera systemen", "origin": "suggestion", "owner": "IT-chef"},
        {"title": "Förvaltningsmodell", "capabilities": capabilities[:2], "unit": social_services},
    )
    assert (plan.organization, plan.year, plan.measurement) == (
        measurement.organization,
        2026,
        measurement,
    )
    titles = list(plan.actions.values_list("title", "origin", "capabilities"))
    assert titles == [
        ("Inventera systemen", "suggestion", capabilities[:1]),
        ("Förvaltningsmodell", "own", capabilities[:2]),
    ]
    event = AuditEvent.objects.get(action="plan.created")
    assert event.actor == alice and event.organization == measurement.organization
    assert sentence(event.action, event.details) == (
        "The action plan for 2026 was created with 2 actions."
    )


def test_a_second_plan_for_the_same_year_is_refused(measurement, alice):
    a_plan(measurement, alice)
    with pytest.raises(ActionError, match="already has an action plan for 2026"):
        a_plan(measurement, alice)
    assert ActionPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "  "}, "title", "Give the action a title."),
        ({"title": "x" * 201}, "title", "too long"),
        ({"title": "A", "capabilities": []}, "capabilities", "at least one capability"),
        ({"title": "A", "capabilities": ["no.such"]}, "capabilities", "no capability no.such"),
        ({"title": "A", "status": "finished"}, "status", "status from the list"),
        ({"title": "A", "origin": "magic"}, "origin", "where the action comes from"),
        (
            {"title": "A", "start": datetime.date(2027, 5, 1), "due": datetime.date(2027, 4, 1)},
            "due",
            "before the start",
        ),
    ],
)
def test_bad_input_is_refused_with_a_specific_message_and_nothing_is_written(
    measurement, alice, fields, field, message
):
    with pytest.raises(ActionError, match=message) as refused:
        a_plan(measurement, alice, {"title": "Fine"}, fields)
    assert refused.value.field == field
    assert not ActionPlan.objects.exists() and not PlannedAction.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="plan.").exists()


def test_a_unit_or_owner_of_another_organization_is_refused(measurement, alice, charlie, bebyholm):
    plan = a_plan(measurement, alice)
    other_unit = bebyholm.units.first()
    with pytest.raises(ActionError, match="units in the list") as refused:
        actions.add_action(plan, _fields(plan, unit=other_unit), by=alice)
    assert refused.value.field == "unit"
    with pytest.raises(ActionError, match="must be a member of Ankeby") as refused:
        actions.add_action(plan, _fields(plan, owner_user=charlie), by=alice)
    assert refused.value.field == "owner_user"
    assert plan.actions.count() == 0


def _fields(plan, **extra):
    first = sorted(plan.capability_ids())[0]
    return ActionFields.of({"title": "Åtgärd", "capabilities": [first], **extra})


def test_a_unit_admin_adds_actions_only_for_units_of_their_subtree(
    measurement, alice, bob, social_services, elder_care, education
):
    plan = a_plan(measurement, alice)
    with pytest.raises(ActionError, match="Choose one of your units"):
        actions.add_action(plan, _fields(plan), by=bob)
    with pytest.raises(ActionError, match="units in the list"):
        actions.add_action(plan, _fields(plan, unit=education), by=bob)
    added = actions.add_action(plan, _fields(plan, unit=elder_care), by=bob)
    assert added.unit == elder_care
    assert not actions.access.may_change_plan(bob, plan.organization)
    with pytest.raises(ActionError, match="Only key users"):
        actions.create_plan(measured(plan.organization, year=2027), by=bob)


def test_marking_an_action_done_records_when_and_the_audit_says_so_in_swedish(measurement, alice):
    from django.utils import translation

    plan = a_plan(measurement, alice, {"title": "Inventera systemen"})
    action = plan.actions.get()
    assert not action.is_completed() and action.done_at is None
    actions.set_status(action, "done", by=alice)
    action.refresh_from_db()
    assert action.is_completed() and action.done_at is not None
    event = AuditEvent.objects.get(action="plan.action_status")
    assert event.details["before"] == "planned"
    with translation.override("sv"):
        assert sentence(event.action, event.details) == (
            "En åtgärd i handlingsplanen har nu status ”Klar”: Inventera systemen."
        )
    actions.set_status(action, "ongoing", by=alice)
    action.refresh_from_db()
    assert action.done_at is None
    with pytest.raises(ActionError, match="status from the list"):
        actions.set_status(action, "finished", by=alice)


def test_changing_and_deleting_an_action_is_audited(measurement, alice):
    plan = a_plan(measurement, alice, {"title": "Gammal"})
    action = plan.actions.get()
    actions.update_action(action, _fields(plan, title="Ny titel", owner="Ekonomichef"), by=alice)
    action.refresh_from_db()
    assert (action.title, action.owner) == ("Ny titel", "Ekonomichef")
    actions.delete_action(action, by=alice)
    assert not plan.actions.exists()
    codes = list(AuditEvent.objects.order_by("id").values_list("action", "details__title"))
    assert codes[-2:] == [("plan.action_changed", "Ny titel"), ("plan.action_deleted", "Ny titel")]


def test_a_plan_needs_a_closed_measurement(ankeby, alice):
    from mognad.surveys.tests.factories import make_measurement

    with pytest.raises(ActionError, match="closed measurement"):
        actions.create_plan(make_measurement(ankeby), by=alice)
