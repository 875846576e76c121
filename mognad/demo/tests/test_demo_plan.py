"""The demo organization's action plan: made from the results of the year before last with our
Swedish texts for its weakest capabilities, so the follow-up shows against last year's results;
a plan a user changed is never touched."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mognad.demo.plans import ACTIONS, IN_THE_PLAN, ensure_demo_plan
from mognad.plans.models import ActionPlan
from mognad.plans.queries import follow_up
from mognad.plans.tests.helpers import measured
from mognad.results.figures import ORGANIZATION, MeasurementFigures
from mognad.results.queries import results_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(ankeby):
    return [
        measured(ankeby, year=year, level=3.2 + (year - 2024) * 0.3, seed=year)
        for year in (2024, 2025)
    ]


def test_the_plan_takes_the_weakest_capabilities_it_has_texts_for_and_shows_the_follow_up(
    ankeby, history, alice_client
):
    assert ensure_demo_plan(ankeby, 2026) == "an action plan of 2024 with 4 actions"
    plan = ActionPlan.objects.get(organization=ankeby)
    assert (plan.year, plan.measurement) == (2024, history[0])
    figures = MeasurementFigures(history[0], results_of(history[0]))
    by_score = sorted(ACTIONS, key=lambda c: figures.figure(ORGANIZATION, ("capability", c)).score)
    chosen = [a.capabilities[0] for a in plan.actions.order_by("id")]
    assert sorted(chosen) == sorted(by_score[:IN_THE_PLAN])
    assert all(a.title == ACTIONS[a.capabilities[0]][0] for a in plan.actions.all())
    assert any(a.is_completed() and a.done_at for a in plan.actions.all())
    follow = follow_up(plan, list(plan.actions.all()))
    assert follow.next_year == 2025 and all(follow.by_action.values())
    page = alice_client.get(reverse("plans:year", args=[ankeby.slug, 2024])).content.decode()
    assert "Uppföljning 2024–2025" in page


def test_running_it_again_keeps_what_a_user_changed(ankeby, history):
    ensure_demo_plan(ankeby, 2026)
    plan = ActionPlan.objects.get(organization=ankeby)
    first = plan.actions.order_by("id").first()
    first.title = "Vår egen rubrik"
    first.save()
    plan.actions.exclude(pk=first.pk).delete()
    assert ensure_demo_plan(ankeby, 2026) == "an action plan of 2024 with 1 actions"
    assert list(plan.actions.values_list("title", flat=True)) == ["Vår egen rubrik"]


def test_without_results_of_the_year_before_last_there_is_no_plan(ankeby):
    measured(ankeby, year=2025)
    assert "no action plan" in ensure_demo_plan(ankeby, 2026)
    assert not ActionPlan.objects.exists()
