"""Offboarding an organization: its personal data deleted, its answers and results at its choice.

docs/privacy.md ("Offboarding an organization"); the page is views/lifecycle.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from mognad.orgs.audit import audit
from mognad.orgs.models import AuditEvent, Invitation, Membership, Organization, User
from mognad.platform.actions import ActionError
from mognad.platform.models import OutboxMessage
from mognad.privacy.erasure import (
    anonymize_user,
    forget_respondents,
    may_be_anonymized,
    pseudonymize_targets,
    subject_reference,
)
from mognad.surveys.actions import ERASED_PREFIX
from mognad.surveys.models import Answer, Measurement, Respondent, Response


@dataclass(frozen=True)
class MemberFate:
    name: str
    email: str
    role: str
    anonymized: bool  # False: the person keeps their account for other organizations


@dataclass(frozen=True)
class OffboardingPreview:
    """What offboarding an organization deletes, for the confirmation page and the audit event."""

    measurements: int
    open_measurements: list[int]
    respondents: int
    responses: int
    answers: int
    results: int
    members: list[MemberFate]
    invitations: int
    emails: int

    @property
    def anonymized(self) -> int:
        return sum(1 for member in self.members if member.anonymized)


def offboarding_preview(org: Organization) -> OffboardingPreview:
    measurements = Measurement.objects.filter(organization=org)
    memberships = (
        Membership.objects.filter(organization=org).select_related("user").order_by("user__email")
    )
    other_orgs = set(
        Membership.objects.filter(user__in=[m.user_id for m in memberships])
        .exclude(organization=org)
        .values_list("user_id", flat=True)
    )
    return OffboardingPreview(
        measurements=measurements.count(),
        open_measurements=sorted(
            measurements.filter(state=Measurement.State.OPEN).values_list("year", flat=True)
        ),
        respondents=Respondent.objects.filter(measurement__organization=org)
        .exclude(email__startswith=ERASED_PREFIX)
        .count(),
        responses=Response.objects.filter(measurement__organization=org).count(),
        answers=Answer.objects.filter(response__measurement__organization=org).count(),
        # Through the reverse relation: results is a sibling app and is not imported.
        results=measurements.aggregate(results=Count("results"))["results"],
        members=[
            MemberFate(
                name=m.user.name,
                email=m.user.email,
                role=m.get_role_display(),
                anonymized=not m.user.is_coordinator and m.user_id not in other_orgs,
            )
            for m in memberships
        ],
        invitations=Invitation.objects.filter(organization=org).count(),
        emails=OutboxMessage.objects.filter(organization=org).count(),
    )


@transaction.atomic
def offboard_organization(
    org: Organization, *, delete_answers: bool, by: User
) -> OffboardingPreview:
    """Delete all of an organization's personal data, and at its choice its answers and results.

    The organization itself, its units and its consents stay (the registry lists every
    municipality and region). Refused while a measurement is open: its links still work.
    """
    org = Organization.objects.select_for_update().get(pk=org.pk)
    preview = offboarding_preview(org)
    if preview.open_measurements:
        raise ActionError(
            _("Close the open measurement (%(years)s) first: its answering links still work.")
            % {"years": ", ".join(str(year) for year in preview.open_measurements)}
        )
    # Written first, so that the anonymization below also replaces the actor's address in it.
    audit(
        "organization.offboarded",
        by=by,
        organization=org,
        target=org.name,
        answers_deleted=delete_answers,
        measurements=preview.measurements,
        respondents=preview.respondents,
        responses=preview.responses if delete_answers else 0,
        members=len(preview.members),
        accounts_anonymized=preview.anonymized,
        invitations=preview.invitations,
        emails=preview.emails,
    )
    measurements = Measurement.objects.filter(organization=org)
    for measurement in measurements:
        forget_respondents(measurement)
    if delete_answers:
        # Cascades to respondents, responses, answers, windows and stored results.
        measurements.delete()
    users = [m.user for m in Membership.objects.filter(organization=org).select_related("user")]
    Membership.objects.filter(organization=org).delete()
    for user in users:
        if may_be_anonymized(user):
            anonymize_user(user)
    Invitation.objects.filter(organization=org).delete()
    OutboxMessage.objects.filter(organization=org).delete()
    # The coordinator's exceptions are people's addresses; the domains are not personal data.
    Organization.objects.filter(pk=org.pk).update(email_exceptions="")
    org_events = AuditEvent.objects.filter(organization=org)
    pseudonymize_targets(org_events)
    for email in set(
        org_events.filter(actor_email__contains="@").values_list("actor_email", flat=True)
    ):
        org_events.filter(actor_email=email).update(actor_email=subject_reference(email))
    return preview
