"""Data-subject requests: find, export and erase what is stored about one email address.

docs/privacy.md ("Data-subject requests"); the pages are views/lifecycle.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mognad.instrument.scale import DONT_KNOW
from mognad.orgs.audit import audit
from mognad.orgs.models import AuditEvent, Invitation, Membership, Organization, User
from mognad.platform.actions import ActionError
from mognad.platform.models import OutboxMessage
from mognad.privacy.erasure import (
    anonymize_user,
    erase_respondent_rows,
    may_be_anonymized,
    normalize_email,
    subject_reference,
)
from mognad.surveys.models import Answer, Respondent, Response


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
    erased = erase_respondent_rows(Respondent.objects.filter(pk__in=closed))
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
    if record.account is not None and may_be_anonymized(record.account):
        anonymize_user(record.account)
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
