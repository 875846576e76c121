"""The action plan endpoints: read plans and actions, add, change (mark done) and delete actions
with a token, by the plan pages' rules – key users everything, unit admins their subtree, viewers
read only, other organizations nothing – and bad input refused with the field named."""

from __future__ import annotations

import json

import pytest

from mognad.orgs.models import AuditEvent
from mognad.plans.models import PlannedAction
from mognad.plans.tests.helpers import a_plan, measured

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(ankeby, alice, elder_care, education):
    measurement = measured(ankeby, year=2025)
    return a_plan(
        measurement,
        alice,
        {"title": "Äldreomsorgens e-tjänster", "unit": elder_care},
        {"title": "Skolans systemkarta", "unit": education},
    )


@pytest.fixture
def capability(plan):
    return sorted(plan.capability_ids())[0]


def _patch(api, path, data):
    return api.client.patch(
        path, json.dumps(data).encode(), content_type="application/json", headers=api.headers
    )


def test_a_key_user_reads_the_plans_and_a_unit_admin_only_their_subtrees_actions(
    api_as, alice, bob, plan, ankeby
):
    everything = api_as(alice).get(f"/api/v1/organizations/{ankeby.slug}/plans/")
    assert everything.status_code == 200
    (found,) = everything.json()
    assert found["year"] == 2025 and found["measurement_id"] == plan.measurement_id
    assert [a["title"] for a in found["actions"]] == [
        "Äldreomsorgens e-tjänster",
        "Skolans systemkarta",
    ]
    theirs = api_as(bob).get(f"/api/v1/organizations/{ankeby.slug}/plans/2025/").json()
    assert [a["title"] for a in theirs["actions"]] == ["Äldreomsorgens e-tjänster"]
    school = plan.actions.get(title="Skolans systemkarta")
    path = f"/api/v1/organizations/{ankeby.slug}/actions/{school.pk}/"
    assert api_as(bob).get(path).status_code == 404
    assert api_as(alice).get(path).json()["unit_id"] == school.unit_id


def test_another_organization_and_an_anonymous_caller_get_nothing(
    api_as, charlie, plan, ankeby, capability
):
    action = plan.actions.first()
    outsider = api_as(charlie)
    for path in (
        f"/api/v1/organizations/{ankeby.slug}/plans/",
        f"/api/v1/organizations/{ankeby.slug}/plans/2025/",
        f"/api/v1/organizations/{ankeby.slug}/actions/{action.pk}/",
    ):
        assert outsider.get(path).status_code == 404
    add = f"/api/v1/organizations/{ankeby.slug}/plans/2025/actions/"
    assert outsider.post(add, {"title": "X", "capabilities": [capability]}).status_code == 404
    assert (
        outsider.delete(f"/api/v1/organizations/{ankeby.slug}/actions/{action.pk}/").status_code
        == 404
    )
    from mognad.api.tests.conftest import ApiClient

    assert ApiClient(None).get(f"/api/v1/organizations/{ankeby.slug}/plans/").status_code == 401
    assert PlannedAction.objects.filter(pk=action.pk).exists()


def test_a_key_user_adds_an_action_marks_it_done_and_deletes_it(
    api_as, alice, victor, plan, ankeby, capability
):
    api = api_as(alice)
    added = api.post(
        f"/api/v1/organizations/{ankeby.slug}/plans/2025/actions/",
        {
            "title": "Gemensam förvaltningsmodell",
            "capabilities": [capability],
            "owner": "IT-chef",
            "owner_user_id": victor.pk,
            "due": "2026-06-30",
            "origin": "dialogue",
        },
    )
    assert added.status_code == 201, added.json()
    body = added.json()
    assert (body["status"], body["origin"], body["owner_user_id"]) == (
        "planned",
        "dialogue",
        victor.pk,
    )
    path = f"/api/v1/organizations/{ankeby.slug}/actions/{body['id']}/"
    done = _patch(api, path, {"status": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert done.json()["done_at"] is not None and done.json()["owner"] == "IT-chef"
    assert api.delete(path).status_code == 204
    assert not PlannedAction.objects.filter(pk=body["id"]).exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="plan.action")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["plan.action_added", "plan.action_status", "plan.action_deleted"]


def test_viewers_may_read_but_not_write(api_as, victor, plan, ankeby, capability):
    api = api_as(victor)
    action = plan.actions.first()
    path = f"/api/v1/organizations/{ankeby.slug}/actions/{action.pk}/"
    assert api.get(path).status_code == 200
    add = f"/api/v1/organizations/{ankeby.slug}/plans/2025/actions/"
    assert api.post(add, {"title": "X", "capabilities": [capability]}).status_code == 403
    assert _patch(api, path, {"status": "done"}).status_code == 403
    assert api.delete(path).status_code == 403
    action.refresh_from_db()
    assert action.status == "planned"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "capabilities": ["x"]}, "title"),
        ({"title": "A", "capabilities": []}, "capabilities"),
        ({"title": "A", "capabilities": ["no.such"]}, "capabilities"),
        ({"title": "A", "capabilities": ["CAP"], "status": "finished"}, "status"),
        ({"title": "A", "capabilities": ["CAP"], "unit_id": 999999}, "unit_id"),
        ({"title": "A", "capabilities": ["CAP"], "owner_user_id": 999999}, "owner_user_id"),
        (
            {"title": "A", "capabilities": ["CAP"], "start": "2026-05-01", "due": "2026-04-01"},
            "due",
        ),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    api_as, alice, plan, ankeby, capability, data, field
):
    data = {
        k: [capability if c == "CAP" else c for c in v] if k == "capabilities" else v
        for k, v in data.items()
    }
    response = api_as(alice).post(f"/api/v1/organizations/{ankeby.slug}/plans/2025/actions/", data)
    assert response.status_code == 422, response.json()
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert plan.actions.count() == 2


def test_a_unit_admin_adds_only_for_a_unit_of_their_subtree(
    api_as, bob, plan, ankeby, capability, elder_care, education
):
    api = api_as(bob)
    add = f"/api/v1/organizations/{ankeby.slug}/plans/2025/actions/"
    missing = api.post(add, {"title": "X", "capabilities": [capability]})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "unit_id"
    other = api.post(add, {"title": "X", "capabilities": [capability], "unit_id": education.pk})
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "unit_id"
    ours = api.post(add, {"title": "X", "capabilities": [capability], "unit_id": elder_care.pk})
    assert ours.status_code == 201
    school = plan.actions.get(title="Skolans systemkarta")
    path = f"/api/v1/organizations/{ankeby.slug}/actions/{school.pk}/"
    assert _patch(api, path, {"status": "done"}).status_code == 404
