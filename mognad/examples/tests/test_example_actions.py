"""Writing, submitting and reviewing an example: what each step refuses, and that the figures an
example carries are the organization's released ones, only when it agreed to be named."""

from __future__ import annotations

import pytest

from mognad.examples import actions
from mognad.examples.models import Example
from mognad.examples.tests.conftest import text
from mognad.orgs.models import AuditEvent
from mognad.platform.actions import ActionError
from mognad.results import queries
from mognad.results.figures import ORGANIZATION, MeasurementFigures

pytestmark = pytest.mark.django_db


def test_a_key_user_writes_a_draft_that_nobody_else_sees_yet(ankeby, alice, ankeby_2026):
    example = actions.create_example(ankeby, text(), by=alice)
    assert example.status == Example.Status.DRAFT
    assert example.capabilities == ["eff.management"] and example.figures == {}
    assert AuditEvent.objects.filter(action="example.created", organization=ankeby).exists()


def test_a_year_without_results_is_refused_on_the_year(ankeby, alice, ankeby_2026):
    with pytest.raises(ActionError) as refused:
        actions.create_example(ankeby, text(year=2019), by=alice)
    assert refused.value.field == "year"
    assert not Example.objects.exists()


def test_a_capability_the_questionnaire_does_not_have_is_refused(ankeby, alice, ankeby_2026):
    with pytest.raises(ActionError) as refused:
        actions.create_example(ankeby, text(capabilities=["eff.nonsense"]), by=alice)
    assert refused.value.field == "capabilities" and "eff.nonsense" in refused.value.message


@pytest.mark.parametrize(
    "words", ["Här i Ankeby kommun gjorde vi så", "I ANKEBY  gjorde vi", "ankeby-modellen"]
)
def test_an_unnamed_example_may_not_name_its_organization(ankeby, alice, ankeby_2026, words):
    with pytest.raises(ActionError) as refused:
        actions.create_example(ankeby, text(what_was_done=words), by=alice)
    assert refused.value.field == "what_was_done"
    # Named, the same words are fine.
    actions.create_example(ankeby, text(what_was_done=words, named=True), by=alice)


def test_a_named_example_carries_the_released_figures_before_and_after(
    ankeby, alice, ankeby_2025, ankeby_2026
):
    example = actions.create_example(
        ankeby, text(named=True, capabilities=["eff.management", "tek.debt"]), by=alice
    )
    actions.submit_example(example, by=alice)
    example.refresh_from_db()
    assert example.status == Example.Status.SUBMITTED
    before = MeasurementFigures(ankeby_2025, queries.results_of(ankeby_2025))
    after = MeasurementFigures(ankeby_2026, queries.results_of(ankeby_2026))
    for capability in ("eff.management", "tek.debt"):
        shown = example.figures[capability]
        node = ("capability", capability)
        assert shown["before"] == before.figure(ORGANIZATION, node).score
        assert shown["after"] == after.figure(ORGANIZATION, node).score
        assert (shown["before_year"], shown["after_year"]) == (2025, 2026)
        assert shown["change"] == pytest.approx(shown["after"] - shown["before"])
        assert shown["significant"] and shown["ci"][0] > 0


def test_an_unnamed_example_carries_no_figures(ankeby, alice, ankeby_2026):
    example = actions.submit_example(actions.create_example(ankeby, text(), by=alice), by=alice)
    assert example.figures == {}


def test_a_submitted_example_cannot_be_changed_or_sent_again(ankeby, alice, ankeby_2026):
    example = actions.submit_example(actions.create_example(ankeby, text(), by=alice), by=alice)
    with pytest.raises(ActionError):
        actions.update_example(example, text(title="Nytt"), by=alice)
    with pytest.raises(ActionError):
        actions.submit_example(example, by=alice)


def test_only_the_coordinator_approves_and_only_what_waits(ankeby, alice, nadia, ankeby_2026):
    example = actions.create_example(ankeby, text(), by=alice)
    with pytest.raises(ActionError):
        actions.approve_example(example, by=nadia)  # a draft is not waiting
    actions.submit_example(example, by=alice)
    with pytest.raises(ActionError):
        actions.approve_example(example, by=alice)
    approved = actions.approve_example(example, by=nadia, note="Bra!")
    assert approved.is_published() and approved.coordinator_note == "Bra!"
    assert AuditEvent.objects.filter(action="example.approved", actor=nadia).exists()


def test_returning_an_example_needs_a_reason_and_lets_the_organization_edit_it(
    ankeby, alice, nadia, ankeby_2026
):
    example = actions.submit_example(actions.create_example(ankeby, text(), by=alice), by=alice)
    with pytest.raises(ActionError) as refused:
        actions.reject_example(example, by=nadia, note="  ")
    assert refused.value.field == "note"
    returned = actions.reject_example(example, by=nadia, note="Skriv mer om kostnaden.")
    assert returned.status == Example.Status.REJECTED
    changed = actions.update_example(returned, text(what_was_done="Det kostade lite."), by=alice)
    assert actions.submit_example(changed, by=alice).coordinator_note == ""
