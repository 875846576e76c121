"""The coordinators hear of an example waiting for review, its author of the decision (in the
author's language, once per event)."""

from __future__ import annotations

import pytest

from mognad.examples import actions
from mognad.examples.tests.conftest import text
from mognad.platform.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_coordinator_is_told_when_an_example_waits(
    ankeby, alice, nadia, ankeby_2026, django_capture_on_commit_callbacks
):
    example = actions.create_example(ankeby, text(), by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_example(example, by=alice)
    [message] = OutboxMessage.objects.all()
    assert message.to == nadia.email
    assert (
        example.title in message.subject and f"/examples/review/{example.pk}/" in message.body_text
    )


@pytest.mark.parametrize(
    ("decision", "words"), [("approve", "publicerat"), ("reject", "skickat tillbaka")]
)
def test_the_author_hears_the_decision_with_the_note(
    decision, words, ankeby, alice, nadia, ankeby_2026, django_capture_on_commit_callbacks
):
    example = actions.submit_example(actions.create_example(ankeby, text(), by=alice), by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        if decision == "approve":
            actions.approve_example(example, by=nadia, note="Tack!")
        else:
            actions.reject_example(example, by=nadia, note="Skriv mer om kostnaden.")
    [message] = OutboxMessage.objects.filter(to=alice.email)
    assert words in message.body_text and example.title in message.subject
    assert ("Tack!" if decision == "approve" else "Skriv mer om kostnaden.") in message.body_text
