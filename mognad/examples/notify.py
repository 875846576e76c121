"""E-mails of the example library, queued in the outbox after the action's transaction commits:
the national coordinators hear of an example waiting for review, its author of the decision."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from mognad.examples.models import Example
from mognad.orgs.models import User
from mognad.platform.mail import enqueue_email


def example_waiting(example: Example) -> None:
    url = settings.BASE_URL + reverse("examples:review", args=[example.pk])
    stamp = example.submitted_at.isoformat() if example.submitted_at else ""
    coordinators = list(User.objects.filter(is_coordinator=True, is_active=True))

    def send() -> None:
        for person in coordinators:
            enqueue_email(
                to=person.email,
                template="example-waiting",
                context={"title": example.title, "review_url": url},
                language=person.language or "sv",
                dedupe_key=f"example-waiting:{example.pk}:{person.pk}:{stamp}",
                organization=example.organization,
            )

    transaction.on_commit(send)


def example_reviewed(example: Example) -> None:
    author = example.created_by
    if author is None or not author.is_active:
        return
    context = {
        "title": example.title,
        "published": example.status == Example.Status.APPROVED,
        "note": example.coordinator_note,
        "url": settings.BASE_URL + reverse("examples:detail", args=[example.pk]),
    }
    stamp = example.reviewed_at.isoformat() if example.reviewed_at else ""
    transaction.on_commit(
        lambda: enqueue_email(
            to=author.email,
            template="example-reviewed",
            context=context,
            language=author.language or "sv",
            dedupe_key=f"example-reviewed:{example.pk}:{stamp}",
            organization=example.organization,
        )
    )
