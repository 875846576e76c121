"""The data lifecycle: retention, offboarding an organization, and data-subject requests.

What each function deletes, and why, is in docs/privacy.md ("Data lifecycle"). Three rules hold
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

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from mognad.instrument.scale import DONT_KNOW
from mognad.orgs.audit import audit
from mognad.orgs.models import AuditEvent, Invitation, Membership, Organization, User
from mognad.platform.models import OutboxMessage
from mognad.surveys.actions import ERASED_PREFIX, ActionError, survey_emails
from mognad.surveys.models import Answer, Measurement, Respondent, Response

# Anonymized administrator accounts get an address that can never receive mail (RFC 2606).
ERASED_USER_DOMAIN = "erased.invalid"
REFERENCE_PREFIX = "person:"
_REFERENCE_SALT = "mognad.surveys.lifecycle.data-subject"
# Audit actions whose target is a respondent's email address (mognad/surveys/actions.py).
_RESPONDENT_AUDIT_ACTIONS = ("respondent.add", "respondent.remove")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def subject_reference(email: str) -> str:
    """A stable pseudonym of an email address for the audit log; the address cannot be read back."""
    digest = salted_hmac(_REFERENCE_SALT, normalize_email(email), algorithm="sha256").hexdigest()
    return f"{REFERENCE_PREFIX}{digest[:16]}"


def is_erased(email: str) -> bool:
    return email.startswith(ERASED_PREFIX)


def _pseudonymize_targets(events: QuerySet[AuditEvent]) -> int:
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


def _erase_respondent_rows(respondents: QuerySet[Respondent]) -> int:
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
    erased = _erase_respondent_rows(Respondent.objects.filter(measurement=measurement))
    emails, _by_model = survey_emails(measurement).delete()
    scrubbed = _pseudonymize_targets(_respondent_audit(measurement))
    return Forgotten(respondents=erased, unlinked=unlinked, emails=emails, audit_events=scrubbed)


# --- Retention ------------------------------------------------------------------------------------


def retention_deadline(now: datetime.datetime | None = None) -> datetime.datetime:
    """Measurements closed at or before this moment have passed their retention period."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.RESPONDENT_RETENTION_DAYS)


def measurements_past_retention(now: datetime.datetime | None = None) -> QuerySet[Measurement]:
    """Closed measurements past the deadline that still hold something to forget."""
    unerased = Respondent.objects.filter(measurement=OuterRef("pk")).exclude(
        email__startswith=ERASED_PREFIX
    )
    linked = Response.objects.filter(measurement=OuterRef("pk"), respondent__isnull=False)
    return (
        Measurement.objects.filter(
            state=Measurement.State.CLOSED, closed_at__lte=retention_deadline(now)
        )
        .filter(Q(Exists(unerased)) | Q(Exists(linked)))
        .select_related("organization")
        .order_by("closed_at", "pk")
    )


@dataclass(frozen=True)
class RetentionReport:
    measurements: int = 0
    forgotten: Forgotten = field(default_factory=Forgotten)


def apply_respondent_retention(now: datetime.datetime | None = None) -> RetentionReport:
    """Forget the respondents of every measurement closed `RESPONDENT_RETENTION_DAYS` ago or more.

    Each measurement is its own transaction and writes one audit event (counts only).
    """
    total = Forgotten()
    done = 0
    for measurement in measurements_past_retention(now):
        with transaction.atomic():
            locked = Measurement.objects.select_for_update().get(pk=measurement.pk)
            if not locked.is_closed():
                continue  # reopened since the list was read
            forgotten = forget_respondents(locked)
            audit(
                "measurement.retention",
                by=None,
                organization=measurement.organization,
                target=str(measurement),
                respondents=forgotten.respondents,
                unlinked=forgotten.unlinked,
                emails=forgotten.emails,
                audit_events=forgotten.audit_events,
            )
        total += forgotten
        done += 1
    return RetentionReport(measurements=done, forgotten=total)


# --- Administrator accounts -----------------------------------------------------------------------


def _anonymize_user(user: User) -> None:
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


def _may_be_anonymized(user: User) -> bool:
    return not user.is_coordinator and not Membership.objects.filter(user=user).exists()


# --- Offboarding an organization ------------------------------------------------------------------


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
        # Through the reverse relation: the results app sits above surveys and is not imported.
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
        if _may_be_anonymized(user):
            _anonymize_user(user)
    Invitation.objects.filter(organization=org).delete()
    OutboxMessage.objects.filter(organization=org).delete()
    # The coordinator's exceptions are people's addresses; the domains are not personal data.
    Organization.objects.filter(pk=org.pk).update(email_exceptions="")
    org_events = AuditEvent.objects.filter(organization=org)
    _pseudonymize_targets(org_events)
    for email in set(
        org_events.filter(actor_email__contains="@").values_list("actor_email", flat=True)
    ):
        org_events.filter(actor_email=email).update(actor_email=subject_reference(email))
    return preview


# --- Data-subject requests ------------------------------------------------------------------------


@dataclass
class SubjectRecord:
    """Everything stored about one email address, within one organization or (None) everywhere."""

    email: str
    organization: Organization | None
    respondents: list[Respondent]
    answers: dict[int, list[tuple[str, int]]]  # respondent id → (item id, value), identified only
    account: User | None
    memberships: list[Membership]
    invitations: list[Invitation]
    audit_events: list[AuditEvent]
    emails: list[OutboxMessage]

    @property
    def reference(self) -> str:
        return subject_reference(self.email)

    def is_empty(self) -> bool:
        return not (
            self.respondents
            or self.account
            or self.memberships
            or self.invitations
            or self.audit_events
            or self.emails
        )

    def rows(self) -> list[tuple[Respondent, int | None]]:
        """Each respondent row with its number of answers (None: anonymous, not linkable)."""
        return [
            (r, None if r.measurement.anonymous else len(self.answers.get(r.pk, [])))
            for r in self.respondents
        ]

    def answer_count(self) -> int:
        return sum(len(answers) for answers in self.answers.values())

    def account_will_be_anonymized(self) -> bool:
        """True when erasing removes the account itself (no membership would be left)."""
        if self.account is None or self.account.is_coordinator:
            return False
        ours = {m.pk for m in self.memberships}
        return not Membership.objects.filter(user=self.account).exclude(pk__in=ours).exists()

    def as_json(self) -> dict[str, Any]:
        """The export handed to the person: their data only, other people's addresses withheld."""
        return {
            "email": self.email,
            "exported_at": timezone.now().isoformat(),
            "scope": self.organization.name if self.organization else "all organizations",
            "respondents": [self._respondent_json(r) for r in self.respondents],
            "account": self._account_json(),
            "memberships": [
                {
                    "organization": m.organization.name,
                    "role": m.role,
                    "unit": m.unit.name if m.unit else None,
                    "since": m.created_at.isoformat(),
                }
                for m in self.memberships
            ],
            "invitations": [
                {
                    "organization": i.organization.name,
                    "role": i.role,
                    "created_at": i.created_at.isoformat(),
                    "expires_at": i.expires_at.isoformat(),
                    "accepted_at": i.accepted_at.isoformat() if i.accepted_at else None,
                }
                for i in self.invitations
            ],
            "audit_events": [
                {
                    "at": e.created_at.isoformat(),
                    "organization": e.organization.name if e.organization else None,
                    "action": e.action,
                    "by_this_person": self._is_theirs(e.actor_email)
                    or (self.account is not None and e.actor_id == self.account.pk),
                    "target": self._shown_target(e.target),
                }
                for e in self.audit_events
            ],
            "emails": [
                {
                    "subject": m.subject,
                    "status": m.status,
                    "queued_at": m.created_at.isoformat(),
                    "sent_at": m.sent_at.isoformat() if m.sent_at else None,
                }
                for m in self.emails
            ],
        }

    def _is_theirs(self, email: str) -> bool:
        return normalize_email(email) == self.email

    def _shown_target(self, target: str) -> str:
        if "@" in target and not self._is_theirs(target):
            return "(another person)"
        return target

    def _respondent_json(self, respondent: Respondent) -> dict[str, Any]:
        measurement = respondent.measurement
        reduced = measurement.anonymous and measurement.is_closed()
        answers: list[dict[str, Any]] | None = None
        if not measurement.anonymous:
            answers = [
                {"item": item, "answer": "dont_know" if value == DONT_KNOW else value}
                for item, value in self.answers.get(respondent.pk, [])
            ]
        return {
            "organization": measurement.organization.name,
            "year": measurement.year,
            "questionnaire": str(measurement.instrument),
            "anonymous": measurement.anonymous,
            "unit": respondent.unit.name if respondent.unit else None,
            "role": respondent.role,
            "language": respondent.language,
            "status": respondent.status,
            # Closing an anonymous measurement reduces these to totals (surveys/unlinking.py).
            "invitations_sent": None if reduced else respondent.invitations_sent,
            "reminders_sent": None if reduced else respondent.reminders_sent,
            # Anonymous measurements: the answers cannot be told apart from anyone else's.
            "answers": answers,
        }

    def _account_json(self) -> dict[str, Any] | None:
        user = self.account
        if user is None:
            return None
        return {
            "name": user.name,
            "email": user.email,
            "language": user.language,
            "active": user.is_active,
            "national_coordinator": user.is_coordinator,
            "joined_at": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "two_factor_authentication": user.has_totp,
        }


def find_subject(email: str, *, organization: Organization | None) -> SubjectRecord:
    """Everything stored about `email`: in `organization`, or everywhere when it is None."""
    email = normalize_email(email)
    respondents = Respondent.objects.filter(email=email).select_related(
        "measurement__organization", "measurement__instrument", "unit"
    )
    memberships = Membership.objects.filter(user__email__iexact=email).select_related(
        "organization", "unit", "user"
    )
    invitations = Invitation.objects.filter(email__iexact=email).select_related("organization")
    events = AuditEvent.objects.filter(
        Q(actor__email__iexact=email) | Q(actor_email__iexact=email) | Q(target__iexact=email)
    ).select_related("organization")
    emails = OutboxMessage.objects.filter(to__iexact=email)
    account = User.objects.filter(email__iexact=email).first()
    if organization is not None:
        respondents = respondents.filter(measurement__organization=organization)
        memberships = memberships.filter(organization=organization)
        invitations = invitations.filter(organization=organization)
        events = events.filter(organization=organization)
        emails = emails.filter(organization=organization)
        # A key user sees the account only of a member of their own organization.
        if account is not None and not memberships.exists():
            account = None
    respondent_list = list(respondents.order_by("-measurement__year", "measurement__pk"))
    identified = [r.pk for r in respondent_list if not r.measurement.anonymous]
    answers: dict[int, list[tuple[str, int]]] = {}
    for respondent_id, item, value in (
        Answer.objects.filter(response__respondent_id__in=identified)
        .order_by("response__respondent_id", "item__position")
        .values_list("response__respondent_id", "item__item_id", "value")
    ):
        answers.setdefault(respondent_id, []).append((item, value))
    return SubjectRecord(
        email=email,
        organization=organization,
        respondents=respondent_list,
        answers=answers,
        account=account,
        memberships=list(memberships.order_by("organization__name")),
        invitations=list(invitations),
        audit_events=list(events.order_by("-created_at", "-id")),
        emails=list(emails.order_by("-created_at", "-id")),
    )


def record_lookup(record: SubjectRecord, *, by: User, exported: bool) -> None:
    """Audit a search or an export; the address itself is not stored."""
    audit(
        "data_subject.exported" if exported else "data_subject.searched",
        by=by,
        organization=record.organization,
        target=record.reference,
        found=not record.is_empty(),
    )


@dataclass(frozen=True)
class ErasureReport:
    respondents_erased: int = 0  # rows kept for the counts, address replaced
    respondents_deleted: int = 0  # rows of measurements not yet closed
    answers_unlinked: int = 0
    memberships: int = 0
    invitations: int = 0
    emails: int = 0
    audit_events: int = 0
    account_anonymized: bool = False


@transaction.atomic
def erase_subject(email: str, *, organization: Organization | None, by: User) -> ErasureReport:
    """Erase what `find_subject` finds (see docs/privacy.md, "Data-subject requests").

    Respondents: in a closed measurement the row keeps its counts and loses its address; in a draft
    or open one it is deleted (and its link with it). Identified answers lose their link to the
    person and stay, like anonymous answers. Memberships, invitations and emails are deleted;
    the audit log keeps a reference instead of the address; an account left without any
    organization is deactivated and anonymized.
    """
    email = normalize_email(email)
    if email == normalize_email(by.email):
        raise ActionError(_("You cannot erase your own data here; ask another key user."))
    record = find_subject(email, organization=organization)
    if record.is_empty():
        raise ActionError(_("Nothing is stored about this email address."))
    if organization is None and record.account is not None and record.account.is_coordinator:
        raise ActionError(
            _("This is a national coordinator's account: remove the coordinator role first.")
        )
    respondent_ids = [r.pk for r in record.respondents]
    unlinked = Response.objects.filter(respondent_id__in=respondent_ids).update(respondent=None)
    closed = [r.pk for r in record.respondents if r.measurement.is_closed()]
    erased = _erase_respondent_rows(Respondent.objects.filter(pk__in=closed))
    deleted, _by_model = (
        Respondent.objects.filter(pk__in=respondent_ids).exclude(pk__in=closed).delete()
    )
    memberships, _by_model = Membership.objects.filter(
        pk__in=[m.pk for m in record.memberships]
    ).delete()
    invitations, _by_model = Invitation.objects.filter(
        pk__in=[i.pk for i in record.invitations]
    ).delete()
    emails, _by_model = OutboxMessage.objects.filter(pk__in=[m.pk for m in record.emails]).delete()
    reference = record.reference
    events = AuditEvent.objects.filter(pk__in=[e.pk for e in record.audit_events])
    events.filter(target__iexact=email).update(target=reference)
    events.filter(actor_email__iexact=email).update(actor_email=reference)
    anonymized = False
    if record.account is not None and _may_be_anonymized(record.account):
        _anonymize_user(record.account)
        anonymized = True
    report = ErasureReport(
        respondents_erased=erased,
        respondents_deleted=deleted,
        answers_unlinked=unlinked,
        memberships=memberships,
        invitations=invitations,
        emails=emails,
        audit_events=len(record.audit_events),
        account_anonymized=anonymized,
    )
    audit(
        "data_subject.erased",
        by=by,
        organization=organization,
        target=reference,
        respondents_erased=report.respondents_erased,
        respondents_deleted=report.respondents_deleted,
        answers_unlinked=report.answers_unlinked,
        memberships=report.memberships,
        invitations=report.invitations,
        emails=report.emails,
        audit_events=report.audit_events,
        account_anonymized=report.account_anonymized,
    )
    return report
