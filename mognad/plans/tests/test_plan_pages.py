"""The plan pages: a key user makes the plan from the proposals in one step, adds, changes, marks
and deletes actions; viewers read it; unit admins see and change only their subtree's actions;
the follow-up shows each action's capabilities with the change and its interval."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mognad.orgs.models import AuditEvent
from mognad.plans.models import ActionPlan, PlannedAction
from mognad.plans.queries import proposals
from mognad.plans.tests.helpers import a_plan, measured

pytestmark = pytest.mark.django_db


@pytest.fixture
def measurement(ankeby):
    return measured(ankeby, year=2025)


def _create_url(org, year):
    return reverse("plans:create", args=[org.slug, year])


def test_without_a_plan_the_key_user_is_offered_to_create_one_from_the_latest_results(
    ankeby, alice_client, victor_client, measurement
):
    page = alice_client.get(reverse("plans:plan", args=[ankeby.slug]))
    assert page.status_code == 200
    assert _create_url(ankeby, 2025) in page.content.decode()
    viewer = victor_client.get(reverse("plans:plan", args=[ankeby.slug])).content.decode()
    assert _create_url(ankeby, 2025) not in viewer and "A key user creates the plan." in viewer


def test_the_create_page_proposes_the_suggestions_of_the_weakest_capabilities(
    ankeby, alice_client, measurement
):
    proposed = proposals(ankeby, measurement)
    assert proposed.items, "the results propose actions"
    weakest = proposed.items[0]
    page = alice_client.get(_create_url(ankeby, 2025)).content.decode()
    assert weakest.title in page and weakest.capability_name in page
    assert page.count('name="p-') >= 5 * len(proposed.items)


def _picked(proposed, picks):
    data = {
        "p-TOTAL_FORMS": str(len(proposed.items)),
        "p-INITIAL_FORMS": str(len(proposed.items)),
    }
    for n, item in enumerate(proposed.items):
        data[f"p-{n}-title"] = item.title
        data[f"p-{n}-capability"] = item.capability_id
        if n in picks:
            data[f"p-{n}-take"] = "on"
            data.update({f"p-{n}-{k}": v for k, v in picks[n].items()})
    return data


def test_the_key_user_creates_the_plan_from_picked_and_edited_proposals_in_one_step(
    ankeby, alice_client, measurement
):
    proposed = proposals(ankeby, measurement)
    picks = {0: {"owner": "IT-chef", "due": "2026-06-30"}, 1: {"title": "Egen formulering"}}
    response = alice_client.post(_create_url(ankeby, 2025), _picked(proposed, picks))
    plan = ActionPlan.objects.get(organization=ankeby, year=2025)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:year", args=[ankeby.slug, 2025])
    rows = list(plan.actions.values_list("title", "owner", "origin", "capabilities"))
    assert rows == [
        (proposed.items[0].title, "IT-chef", "suggestion", [proposed.items[0].capability_id]),
        ("Egen formulering", "", "suggestion", [proposed.items[1].capability_id]),
    ]
    page = alice_client.get(response["Location"]).content.decode()
    assert "IT-chef" in page and "Egen formulering" in page


def test_an_empty_title_on_a_picked_proposal_is_refused_and_nothing_is_written(
    ankeby, alice_client, measurement
):
    proposed = proposals(ankeby, measurement)
    response = alice_client.post(_create_url(ankeby, 2025), _picked(proposed, {0: {"title": ""}}))
    assert response.status_code == 400
    assert "Give the action a title." in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_viewers_read_the_plan_but_cannot_change_it(ankeby, alice, victor_client, measurement):
    plan = a_plan(measurement, alice, {"title": "Inventera systemen"})
    action = plan.actions.get()
    page = victor_client.get(reverse("plans:year", args=[ankeby.slug, 2025]))
    assert page.status_code == 200 and "Inventera systemen" in page.content.decode()
    assert reverse("plans:status", args=[ankeby.slug, action.pk]) not in page.content.decode()
    for name, args in [
        ("plans:status", [ankeby.slug, action.pk]),
        ("plans:edit", [ankeby.slug, action.pk]),
        ("plans:delete", [ankeby.slug, action.pk]),
        ("plans:add", [ankeby.slug, 2025]),
        ("plans:create", [ankeby.slug, 2025]),
    ]:
        assert victor_client.post(reverse(name, args=args), {"status": "done"}).status_code == 403
    action.refresh_from_db()
    assert action.status == "planned"


def test_a_unit_admin_sees_and_changes_only_the_actions_of_their_subtree(
    ankeby, alice, bob_client, measurement, elder_care, education
):
    plan = a_plan(
        measurement,
        alice,
        {"title": "Äldreomsorgens e-tjänster", "unit": elder_care},
        {"title": "Skolans systemkarta", "unit": education},
        {"title": "Hela kommunens plan"},
    )
    ours, theirs, everyone = plan.actions.order_by("id")
    page = bob_client.get(reverse("plans:year", args=[ankeby.slug, 2025])).content.decode()
    assert "Äldreomsorgens e-tjänster" in page
    assert "Skolans systemkarta" not in page and "Hela kommunens plan" not in page
    status = reverse("plans:status", args=[ankeby.slug, ours.pk])
    assert bob_client.post(status, {"status": "ongoing"}).status_code == 302
    for other in (theirs, everyone):
        url = reverse("plans:status", args=[ankeby.slug, other.pk])
        assert bob_client.post(url, {"status": "done"}).status_code == 404
    assert list(plan.actions.order_by("id").values_list("status", flat=True)) == [
        "ongoing",
        "planned",
        "planned",
    ]


def test_the_key_user_adds_changes_marks_done_and_deletes_an_action(
    ankeby, alice, alice_client, measurement, victor
):
    plan = a_plan(measurement, alice)
    capability = sorted(plan.capability_ids())[0]
    add = reverse("plans:add", args=[ankeby.slug, 2025])
    bad = alice_client.post(add, {"title": "Ny", "status": "planned"})
    assert bad.status_code == 400 and not plan.actions.exists()
    form = {
        "title": "Gemensam förvaltningsmodell",
        "capabilities": [capability],
        "owner": "Digitaliseringsstrateg",
        "owner_user": victor.pk,
        "start": "2026-01-15",
        "due": "2026-12-31",
        "status": "planned",
        "expected_effect": "Färre system utan ägare.",
    }
    assert alice_client.post(add, form).status_code == 302
    action = plan.actions.get()
    assert (action.owner_user, action.start.isoformat()) == (victor, "2026-01-15")
    edit = reverse("plans:edit", args=[ankeby.slug, action.pk])
    assert alice_client.post(edit, {**form, "due": "2025-12-31"}).status_code == 400
    assert alice_client.post(edit, {**form, "title": "Förvaltningsmodell"}).status_code == 302
    status = reverse("plans:status", args=[ankeby.slug, action.pk])
    assert alice_client.post(status, {"status": "done"}).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.is_completed()) == ("Förvaltningsmodell", True)
    delete = reverse("plans:delete", args=[ankeby.slug, action.pk])
    confirm = alice_client.get(delete)
    assert confirm.status_code == 200 and "Delete “Förvaltningsmodell”?" in confirm.content.decode()
    assert PlannedAction.objects.filter(pk=action.pk).exists()
    assert alice_client.post(delete).status_code == 302
    assert not PlannedAction.objects.filter(pk=action.pk).exists()
    codes = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert codes[-5:] == [
        "plan.created",
        "plan.action_added",
        "plan.action_changed",
        "plan.action_status",
        "plan.action_deleted",
    ]


def test_the_follow_up_shows_the_change_of_each_actions_capabilities_with_its_interval(
    ankeby, alice, alice_client, measurement
):
    capability = measurement.instrument.definition().capabilities[0]
    a_plan(measurement, alice, {"title": "Inventera systemen", "capabilities": [capability.id]})
    url = reverse("plans:year", args=[ankeby.slug, 2025])
    before = alice_client.get(url).content.decode()
    assert "The follow-up appears here when the next year's results are in." in before
    measured(ankeby, year=2026, level=5.2, seed=3)
    page = alice_client.get(url).content.decode()
    assert "Follow-up 2025–2026" in page and capability.name.get("en") in page
    assert "Yes" in page  # a rise from about 50 % to about 85 % is beyond the noise
    assert " to +" in page  # the change's interval


def test_a_plan_page_offers_the_key_user_the_plan_of_a_newer_year_with_results(
    ankeby, alice, alice_client, victor_client, measurement
):
    a_plan(measurement, alice)
    url = reverse("plans:year", args=[ankeby.slug, 2025])
    assert _create_url(ankeby, 2026) not in alice_client.get(url).content.decode()
    measured(ankeby, year=2026)
    assert _create_url(ankeby, 2026) in alice_client.get(url).content.decode()
    assert _create_url(ankeby, 2026) not in victor_client.get(url).content.decode()


def test_the_plan_pages_queries_do_not_grow_with_its_actions(
    ankeby, alice, alice_client, measurement, elder_care, victor
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Every action with a unit and a member as owner: both shown, neither read one by one.
    owned = {"unit": elder_care, "owner_user": victor}
    plan = a_plan(measurement, alice, {"title": "En", **owned}, {"title": "Två", **owned})
    measured(ankeby, year=2026, seed=4)
    url = reverse("plans:year", args=[ankeby.slug, 2025])
    counts = []
    for more in (0, 10):
        for n in range(more):
            a_action = plan.actions.first()
            a_action.pk = None
            a_action.title = f"Fler {n}"
            a_action.save()
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
