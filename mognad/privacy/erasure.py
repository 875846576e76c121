"""Erasing a person: the building blocks of retention, offboarding and data-subject requests.

What each deletes, and why, is in docs/privacy.md ("Data lifecycle"). Three rules hold
throughout:

- **Counts stay.** A respondent row keeps its status, unit, role and language so that response rates
  of a closed measurement can still be shown; only the email address goes, replaced by the marker
  `erased:<row id>` (the row's own id: the column is unique per measurement, and the id links to
  nothing else).
- **Answers stay unless deleting them is chosen.** Cutting the link between a response and its
  respondent makes an identified response exactly as unlinkable as an anonymous one.
- **The audit log keeps no email address of an erased person.** Where a log entry names one, it is
  replaced by a pseudonymous reference (`person:<16 hex>`, a keyed hash of the address with the
  installation's secret key); the events that record the erasure itself carry only that reference
  and counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.crypto import salted_hmac

from mognad.orgs.models import AuditEvent, Membership, User
from mognad.platform.models import OutboxMessage
from mognad.surveys.actions import ERASED_PREFIX, survey_emails
from mognad.surveys.models import Measurement, Respondent, Response

# Anonymized administrator accounts get an address that can never receive mail (RFC 2606).
ERASED_USER_DOMAIN = "erased.invalid"
REFERENCE_PREFIX = "person:"
# The key of every reference already in audit logs: never change it (it names the module where
# erasure first lived).
_REFERENCE_SALT = "mognad.surveys.lifecycle.data-subject"
# Audit actions whose target is a respondent's email address (mognad/surveys/actions.py).
_RESPONDENT_AUDIT_ACTIONS = ("respondent.add", "respondent.remove")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def subject_reference(email: str) -> str:
    """A stable pseudonym of an email address for the audit log; the address cannot be read back."""
    digest = salted_hmac(_REFERENCE_SALT, normalize_email(email), algorithm="sha256").hexdigest()
    return f"{REFERENCE_PREFIX}{digest[:16]}"


def pseudonymize_targets(events: QuerySet[AuditEvent]) -> int:
    """Replace email addresses in the events' targets by their references."""
    changed = 0
    for event in events.filter(target__contains="@").only("pk", "target"):
        AuditEvent.objects.filter(pk=event.pk).update(target=subject_reference(event.target))
        changed += 1
    return changed


def _respondent_audit(measurement: Measurement) -> QuerySet[AuditEvent]:
    # The events name the measurement as "<organization> <year>"; matching the year within the
    # organization survives a renamed organization.
    return AuditEvent.objects.filter(
        organization_id=measurement.organization_id,
        action__in=_RESPONDENT_AUDIT_ACTIONS,
        details__measurement__endswith=f" {measurement.year}",
    )


@dataclass(frozen=True)
class Forgotten:
    """What forgetting a measurement's respondents changed."""

    respondents: int = 0
    unlinked: int = 0
    emails: int = 0
    audit_events: int = 0

    def __add__(self, other: Forgotten) -> Forgotten:
        return Forgotten(
            self.respondents + other.respondents,
            self.unlinked + other.unlinked,
            self.emails + other.emails,
            self.audit_events + other.audit_events,
        )

    @property
    def changed(self) -> bool:
        return any((self.respondents, self.unlinked, self.emails, self.audit_events))


def erase_respondent_rows(respondents: QuerySet[Respondent]) -> int:
    """Email → `erased:<id>`, links gone; status, unit, role and language stay for the counts."""
    return respondents.exclude(email__startswith=ERASED_PREFIX).update(
        email=Concat(
            Value(ERASED_PREFIX), Cast("id", output_field=CharField()), output_field=CharField()
        ),
        nonce=None,
        token_hash=None,
    )


def forget_respondents(measurement: Measurement) -> Forgotten:
    """Delete every personal trace of a measurement's respondents; answers and counts stay.

    Run inside a transaction by the callers (retention and offboarding).
    """
    unlinked = Response.objects.filter(measurement=measurement, respondent__isnull=False).update(
        respondent=None
    )
    erased = erase_respondent_rows(Respondent.objects.filter(measurement=measurement))
    emails, _by_model = survey_emails(measurement).delete()
    scrubbed = pseudonymize_targets(_respondent_audit(measurement))
    return Forgotten(respondents=erased, unlinked=unlinked, emails=emails, audit_events=scrubbed)


# --- Administrator accounts -----------------------------------------------------------------------


def anonymize_user(user: User) -> None:
    """Deactivate an account and remove its name, address, password and second factor.

    The row stays, so audit events keep pointing at "someone"; its old address is replaced by a
    reference wherever the audit log names it, and emails still addressed to it are deleted.
    """
    old_email = user.email
    reference = subject_reference(old_email)
    user.email = f"erased-{user.pk}@{ERASED_USER_DOMAIN}"
    user.name = ""
    user.is_active = False
    user.is_staff = False
    user.set_unusable_password()
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.last_login = None
    user.save()
    AuditEvent.objects.filter(Q(actor=user) | Q(actor_email__iexact=old_email)).update(
        actor_email=reference
    )
    AuditEvent.objects.filter(target__iexact=old_email).update(target=reference)
    OutboxMessage.objects.filter(to__iexact=old_email).delete()


def may_be_anonymized(user: User) -> bool:
    return not user.is_coordinator and not Membership.objects.filter(user=user).exists()
