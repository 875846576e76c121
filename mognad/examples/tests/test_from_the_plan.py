"""A completed action of the plan becomes an example: the plan page offers it to key users, the
form starts from the action's words, and the example remembers where it came from."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mognad import test
from mognad.examples import actions
from mognad.examples.models import Example
from mognad.examples.tests.conftest import text
from mognad.plans.actions import set_status
from mognad.plans.models import PlannedAction
from mognad.plans.tests.helpers import a_plan
from mognad.platform.actions import ActionError

pytestmark = pytest.mark.django_db

PUBLISH = "?action="


@pytest.fixture
def done_action(alice, ankeby_2025, ankeby_2026):
    plan = a_plan(
        ankeby_2025,
        alice,
        {
            "title": "Systemägare utsedda",
            "description": "Varje system fick en ägare.",
            "expected_effect": "Tydligare ansvar.",
            "capabilities": ["eff.management"],
        },
        {"title": "Ännu inte klar", "capabilities": ["tek.debt"]},
    )
    action = plan.actions.get(title="Systemägare utsedda")
    return set_status(action, PlannedAction.Status.DONE, by=alice)


def test_the_plan_page_offers_a_key_user_to_publish_a_done_action(
    alice_client, victor_client, ankeby, done_action
):
    url = reverse("plans:year", args=[ankeby.slug, 2025])
    page = alice_client.get(url).content.decode()
    assert page.count(PUBLISH) == 1 and f"{PUBLISH}{done_action.pk}" in page
    assert PUBLISH not in victor_client.get(url).content.decode()


def test_the_form_starts_from_the_actions_words_and_keeps_the_link(
    alice_client, ankeby, done_action
):
    url = reverse("examples:create", args=[ankeby.slug]) + f"{PUBLISH}{done_action.pk}"
    form = alice_client.get(url).context["form"]
    assert form.initial["title"] == "Systemägare utsedda"
    assert form.initial["what_was_done"] == "Varje system fick en ägare.\n\nTydligare ansvar."
    assert form.initial["capabilities"] == ["eff.management"] and form.initial["year"] == 2025
    response = alice_client.post(
        reverse("examples:create", args=[ankeby.slug]),
        {
            "action": done_action.pk,
            "title": "Systemägare utsedda",
            "what_was_done": "Varje system fick en ägare.",
            "effort": "small",
            "contact_role": "IT-strateg",
            "capabilities": ["eff.management"],
            "year": "2025",
        },
    )
    assert response.status_code == 302
    assert Example.objects.get().source_action == done_action


def test_an_action_that_is_not_done_cannot_become_an_example(alice, ankeby, done_action):
    waiting = PlannedAction.objects.get(title="Ännu inte klar")
    with pytest.raises(ActionError):
        actions.create_example(ankeby, text(), by=alice, source_action=waiting)
    assert not Example.objects.exists()


def test_another_organizations_action_is_not_found(charlie, bebyholm, done_action):
    client = test.logged_in_client(charlie)
    url = reverse("examples:create", args=[bebyholm.slug]) + f"{PUBLISH}{done_action.pk}"
    assert client.get(url).status_code == 404
