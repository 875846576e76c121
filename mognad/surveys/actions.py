"""Workflows of the yearly measurement. Each is atomic; administrative ones write an audit event.

Respondents' own actions (starting, saving, submitting) are deliberately not audited: an audit row
with a time and a respondent would link an anonymous response to a person.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mognad.instrument.models import InstrumentVersion
from mognad.orgs.audit import audit
from mognad.orgs.models import Organization, Unit, User
from mognad.platform.actions import ActionError
from mognad.platform.hashing import sha256_hex
from mognad.platform.mail import enqueue_email
from mognad.platform.models import OutboxMessage
from mognad.surveys import insiders, tokens, unlinking
from mognad.surveys.emails import EMAIL_FIELDS, email_context
from mognad.surveys.importing import ImportRow
from mognad.surveys.models import (
    Measurement,
    Respondent,
    Response,
    RosterChange,
    UnitWindow,
    parse_reminder_days,
)

EMAIL_PREFIX = "surveys:"
# Respondents whose address was erased (retention, data-subject requests) keep their row for the
# response rate with this marker instead of an address; nothing is ever sent to them.
ERASED_PREFIX = "erased:"
# A link in an email body: what scrubbing replaces once the email has been sent.
_LINK_RE = re.compile(r"/r/[A-Za-z0-9_-]{43}/")
SCRUBBED_LINK = "/r/-/"

SETTINGS_FIELDS = (
    "invitation_mode",
    "anonymous",
    "sampling",
    "language",
    "reminder_days",
    "answer_by",
    "reminder_days_before",
    "intro_sv",
    "intro_en",
    *EMAIL_FIELDS,
)


def _today() -> datetime.date:
    return timezone.localdate()


# --- Measurements ---------------------------------------------------------------------------------


@transaction.atomic
def create_measurement(
    organization: Organization,
    *,
    year: int,
    instrument: InstrumentVersion,
    by: User,
    **fields: Any,
) -> Measurement:
    today = _today()
    if year not in (today.year, today.year + 1):
        raise ActionError(_("A measurement can be created for this year or next year only."))
    if Measurement.objects.filter(
        organization=organization, year=year, instrument=instrument
    ).exists():
        raise ActionError(_("There is already a measurement for %(year)s.") % {"year": year})
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown measurement settings: {sorted(unknown)}")
    measurement = Measurement.objects.create(
        organization=organization, year=year, instrument=instrument, **fields
    )
    audit(
        "measurement.create",
        by=by,
        organization=organization,
        target=str(measurement),
        year=year,
        instrument=str(instrument),
    )
    return measurement


@transaction.atomic
def update_settings(measurement: Measurement, *, by: User, **fields: Any) -> Measurement:
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown measurement settings: {sorted(unknown)}")
    if measurement.is_closed():
        raise ActionError(_("A closed measurement cannot be changed."))
    if (
        "anonymous" in fields
        and fields["anonymous"] != measurement.anonymous
        and not measurement.is_draft()
    ):
        raise ActionError(_("Anonymity can only be changed before the measurement opens."))
    for name in ("reminder_days", "reminder_days_before"):
        if name in fields:
            fields[name] = ",".join(str(d) for d in parse_reminder_days(fields[name]))
    if fields.get("answer_by") and fields["answer_by"] != measurement.answer_by:
        _check_answer_by(measurement, fields["answer_by"])
    changed = {name: value for name, value in fields.items() if getattr(measurement, name) != value}
    for name, value in changed.items():
        setattr(measurement, name, value)
    if changed:
        if measurement.is_open() and measurement.uses_open_link() and not measurement.open_nonce:
            _new_open_link(measurement)
        measurement.save()
        audit(
            "measurement.settings",
            by=by,
            organization=measurement.organization,
            target=str(measurement),
            changed=sorted(changed),
        )
    return measurement


def _check_answer_by(measurement: Measurement, day: datetime.date) -> None:
    if day.year != measurement.year:
        raise ActionError(
            _("The last day to answer must be in %(year)s, the measurement's year.")
            % {"year": measurement.year}
        )
    if day < _today():
        raise ActionError(_("The last day to answer cannot be in the past."))


def _new_open_link(measurement: Measurement) -> None:
    measurement.open_nonce = tokens.new_nonce()
    measurement.open_token_hash = sha256_hex(tokens.token_for(measurement.open_nonce))


def open_link_token(measurement: Measurement) -> str | None:
    return tokens.stored_token(measurement.open_nonce, measurement.open_token_hash)


@transaction.atomic
def open_measurement(measurement: Measurement, *, by: User | None) -> Measurement:
    """Open for answers and invite everyone not yet invited (when inviting by email)."""
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if measurement.is_open():
        raise ActionError(_("The measurement is already open."))
    if measurement.results_released_at is not None:
        raise ActionError(
            _(
                "The results of this measurement have been released, so it cannot be opened "
                "again: new answers could be worked out by comparing the new figures with the "
                "released ones. Create a new measurement next year instead."
            )
        )
    if not measurement.can_open(_today()):
        raise ActionError(
            _("Only a measurement of the current year can be opened; %(year)s is not.")
            % {"year": measurement.year}
        )
    reopening = measurement.is_closed()
    measurement.state = Measurement.State.OPEN
    measurement.opened_at = timezone.now()
    measurement.closed_at = None
    measurement.scheduled_reminders_done = 0
    if measurement.uses_open_link():
        _new_open_link(measurement)
    measurement.save()
    if reopening:
        # Links were destroyed at closing: everyone who has not completed gets a new one.
        for respondent in measurement.respondents.exclude(status=Respondent.Status.COMPLETED):
            respondent.status = Respondent.Status.PENDING
            respondent.save(update_fields=["status"])
    audit(
        "measurement.reopen" if reopening else "measurement.open",
        by=by,
        organization=measurement.organization,
        target=str(measurement),
    )
    if measurement.uses_email():
        send_invitations(measurement, by=None)
    return measurement


@transaction.atomic
def close_measurement(measurement: Measurement, *, by: User | None) -> Measurement:
    """Close, destroy every link (nonces, token hashes, response keys) and mark the measurement
    due for scoring: the results app's worker job computes and stores its results."""
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if not measurement.is_open():
        raise ActionError(_("Only an open measurement can be closed."))
    measurement.state = Measurement.State.CLOSED
    measurement.closed_at = timezone.now()
    measurement.open_nonce = None
    measurement.open_token_hash = None
    measurement.mark_scoring_due()
    measurement.save()
    destroy_links(measurement)
    counts: dict[str, int] = {}
    if measurement.anonymous:
        unlinked = unlinking.unlink_at_close(measurement, survey_emails(measurement))
        counts = asdict(unlinked)
    audit(
        "measurement.close",
        by=by,
        organization=measurement.organization,
        target=str(measurement),
        **counts,
    )
    return measurement


def destroy_links(measurement: Measurement) -> None:
    """Nothing left in the database leads from a respondent to a response, or lets anyone answer."""
    measurement.respondents.update(nonce=None, token_hash=None)
    measurement.responses.update(response_key=None)
    outbox = survey_emails(measurement)
    outbox.filter(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED]).delete()
    scrub_sent_links(outbox)


def scrub_sent_links(messages: QuerySet[OutboxMessage] | None = None) -> int:
    """Remove links from sent invitations and reminders in the outbox; returns how many changed."""
    if messages is None:
        messages = OutboxMessage.objects.filter(
            dedupe_key__startswith=EMAIL_PREFIX, status=OutboxMessage.Status.SENT
        )
    changed = 0
    for message in messages.filter(
        status=OutboxMessage.Status.SENT, body_text__regex=_LINK_RE.pattern
    ):
        message.body_text = _LINK_RE.sub(SCRUBBED_LINK, message.body_text)
        message.body_html = _LINK_RE.sub(SCRUBBED_LINK, message.body_html)
        message.save(update_fields=["body_text", "body_html"])
        changed += 1
    return changed


@transaction.atomic
def set_unit_window(
    measurement: Measurement,
    *,
    unit: Unit,
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
    by: User | None,
) -> UnitWindow | None:
    """Give a unit (and its subtree) its own answering window; no dates removes it."""
    if unit.organization_id != measurement.organization_id:
        raise ActionError(_("The unit belongs to another organization."))
    if opens_on is None and closes_on is None:
        UnitWindow.objects.filter(measurement=measurement, unit=unit).delete()
        window = None
    else:
        if opens_on is None or closes_on is None:
            raise ActionError(_("Give both the first and the last day of the window."))
        if opens_on > closes_on:
            raise ActionError(_("The window must open before it closes."))
        if opens_on.year != measurement.year or closes_on.year != measurement.year:
            raise ActionError(
                _("The window must lie inside %(year)s.") % {"year": measurement.year}
            )
        window, _created = UnitWindow.objects.update_or_create(
            measurement=measurement,
            unit=unit,
            defaults={"opens_on": opens_on, "closes_on": closes_on},
        )
    audit(
        "measurement.window",
        by=by,
        organization=measurement.organization,
        target=str(measurement),
        unit=unit.name,
        opens_on=str(opens_on or ""),
        closes_on=str(closes_on or ""),
    )
    return window


# --- Respondents ----------------------------------------------------------------------------------


@transaction.atomic
def add_respondent(
    measurement: Measurement,
    *,
    email: str,
    unit: Unit | None,
    role: str,
    language: str,
    by: User,
) -> Respondent:
    if measurement.is_closed():
        raise ActionError(_("Respondents cannot be added to a closed measurement."))
    if unit is not None and unit.organization_id != measurement.organization_id:
        raise ActionError(_("The unit belongs to another organization."))
    email = email.strip().lower()
    if refused := insiders.refusal(measurement, [email]):
        raise ActionError(refused)
    if measurement.respondents.filter(email=email).exists():
        raise ActionError(_("%(email)s is already a respondent.") % {"email": email})
    respondent = Respondent.objects.create(
        measurement=measurement, email=email, unit=unit, role=role, language=language
    )
    insiders.record(measurement, RosterChange.Kind.ADDED, [respondent.unit_id])
    audit(
        "respondent.add",
        by=by,
        organization=measurement.organization,
        target=email,
        measurement=str(measurement),
    )
    if measurement.is_open() and measurement.uses_email():
        _invite(measurement, respondent)
    return respondent


@transaction.atomic
def remove_respondent(respondent: Respondent, *, by: User) -> None:
    """Remove a person; answers they already gave stay in the measurement, without their name."""
    measurement = respondent.measurement
    email = respondent.email
    Response.objects.filter(respondent=respondent).update(respondent=None)
    respondent.delete()
    insiders.record(measurement, RosterChange.Kind.REMOVED, [respondent.unit_id])
    audit(
        "respondent.remove",
        by=by,
        organization=measurement.organization,
        target=email,
        measurement=str(measurement),
    )


@transaction.atomic
def import_respondents(
    measurement: Measurement, rows: list[ImportRow], *, by: User
) -> tuple[int, int]:
    """Write checked rows: new people are added, known ones updated. Returns (added, updated)."""
    if measurement.is_closed():
        raise ActionError(_("Respondents cannot be added to a closed measurement."))
    valid_units = set(
        Unit.objects.filter(organization=measurement.organization).values_list("pk", flat=True)
    )
    if any(row.unit_id is not None and row.unit_id not in valid_units for row in rows):
        raise ActionError(_("The list names a unit that no longer exists; check the file again."))
    if refused := insiders.refusal(measurement, [row.email for row in rows]):
        raise ActionError(refused)
    existing = {
        r.email: r for r in measurement.respondents.filter(email__in=[r.email for r in rows])
    }
    new: list[Respondent] = []
    changed: list[Respondent] = []
    for row in rows:
        known = existing.get(row.email)
        if known is None:
            new.append(
                Respondent(
                    measurement=measurement,
                    email=row.email,
                    unit_id=row.unit_id,
                    role=row.role,
                    language=row.language,
                )
            )
        elif (known.unit_id, known.role, known.language) != (row.unit_id, row.role, row.language):
            known.unit_id, known.role, known.language = row.unit_id, row.role, row.language
            changed.append(known)
    Respondent.objects.bulk_create(new, batch_size=500)
    Respondent.objects.bulk_update(changed, ["unit", "role", "language"], batch_size=500)
    insiders.record(measurement, RosterChange.Kind.ADDED, [r.unit_id for r in new])
    insiders.record(measurement, RosterChange.Kind.MOVED, [r.unit_id for r in changed])
    audit(
        "respondent.import",
        by=by,
        organization=measurement.organization,
        target=str(measurement),
        added=len(new),
        updated=len(changed),
    )
    if measurement.is_open() and measurement.uses_email() and new:
        send_invitations(measurement, by=None)
    return len(new), len(changed)


# --- Invitations and reminders --------------------------------------------------------------------


def _email_prefix(measurement: Measurement) -> str:
    return f"{EMAIL_PREFIX}{measurement.pk}:"


def survey_emails(measurement: Measurement) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(dedupe_key__startswith=_email_prefix(measurement))


def link_for(respondent: Respondent) -> str:
    token = tokens.stored_token(respondent.nonce, respondent.token_hash)
    assert token, "a respondent gets a link only while the measurement is open"
    return f"{settings.BASE_URL}/r/{token}/"


def _ensure_link(respondent: Respondent) -> None:
    # A new link only when none of the configured keys renders the one stored (tokens.py).
    if tokens.stored_token(respondent.nonce, respondent.token_hash) is not None:
        return
    nonce = tokens.new_nonce()
    respondent.nonce = nonce
    respondent.token_hash = sha256_hex(tokens.token_for(nonce))


def _invite(measurement: Measurement, respondent: Respondent) -> None:
    _ensure_link(respondent)
    respondent.invitations_sent += 1
    if respondent.status == Respondent.Status.PENDING:
        respondent.status = Respondent.Status.INVITED
    respondent.save(update_fields=["nonce", "token_hash", "invitations_sent", "status"])
    enqueue_email(
        to=respondent.email,
        template="invitation",
        context=email_context(measurement, link=link_for(respondent), language=respondent.language),
        language=respondent.language,
        dedupe_key=f"{_email_prefix(measurement)}invitation:{respondent.pk}:{respondent.invitations_sent}",
        organization=measurement.organization,
        sender_name=measurement.sender_name,
        reply_to=measurement.reply_to,
    )


@transaction.atomic
def send_invitations(measurement: Measurement, *, by: User | None) -> int:
    """Invite every respondent who has not been invited yet; returns how many were invited."""
    if not measurement.is_open():
        raise ActionError(_("Invitations go out when the measurement is open."))
    if not measurement.uses_email():
        raise ActionError(_("This measurement does not invite by email."))
    pending = list(
        measurement.respondents.filter(status=Respondent.Status.PENDING)
        .exclude(email__startswith=ERASED_PREFIX)
        .select_for_update()
    )
    for respondent in pending:
        _invite(measurement, respondent)
    if by is not None:
        audit(
            "measurement.invite",
            by=by,
            organization=measurement.organization,
            target=str(measurement),
            invited=len(pending),
        )
    return len(pending)


@transaction.atomic
def send_reminders(measurement: Measurement, *, by: User | None) -> int:
    """Remind everyone invited who has not completed; returns how many reminders were queued."""
    if not measurement.is_open():
        raise ActionError(_("Reminders go out only while the measurement is open."))
    if not measurement.uses_email():
        raise ActionError(_("This measurement does not invite by email."))
    waiting = list(
        measurement.respondents.filter(
            status__in=[Respondent.Status.INVITED, Respondent.Status.STARTED]
        )
        .exclude(email__startswith=ERASED_PREFIX)
        .select_for_update()
    )
    for respondent in waiting:
        _ensure_link(respondent)
        respondent.reminders_sent += 1
        respondent.save(update_fields=["nonce", "token_hash", "reminders_sent"])
        enqueue_email(
            to=respondent.email,
            template="reminder",
            context=email_context(
                measurement, link=link_for(respondent), language=respondent.language
            ),
            language=respondent.language,
            dedupe_key=f"{_email_prefix(measurement)}reminder:{respondent.pk}:{respondent.reminders_sent}",
            organization=measurement.organization,
            sender_name=measurement.sender_name,
            reply_to=measurement.reply_to,
        )
    audit(
        "measurement.remind",
        by=by,
        organization=measurement.organization,
        target=str(measurement),
        reminded=len(waiting),
        scheduled=by is None,
    )
    return len(waiting)
