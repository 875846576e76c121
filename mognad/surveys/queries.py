"""Read-only queries behind the key users' pages (tenant access is checked before they run)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet

from mognad.instrument.models import InstrumentVersion
from mognad.orgs.models import Organization, Unit
from mognad.platform.models import OutboxMessage
from mognad.surveys.actions import EMAIL_PREFIX, ERASED_PREFIX
from mognad.surveys.models import Measurement, Respondent, Response, Role

# An invitation queued less than this long ago is "recent": a reminder on top of it is noise.
RECENT = datetime.timedelta(days=1)


@dataclass
class Rate:
    label: str
    total: int = 0
    invited: int = 0
    started: int = 0
    completed: int = 0

    @property
    def percent(self) -> int | None:
        if not self.invited:
            return None
        return round(100 * self.completed / self.invited)


@dataclass
class ResponseRates:
    total: Rate
    by_unit: list[Rate] = field(default_factory=list)
    by_role: list[Rate] = field(default_factory=list)
    open_link_started: int = 0
    open_link_submitted: int = 0


def _rate(label: str, row: dict[str, int]) -> Rate:
    return Rate(
        label=label,
        total=row["total"],
        invited=row["invited"],
        started=row["started"],
        completed=row["completed"],
    )


_COUNTS = {
    "total": Count("id"),
    "invited": Count("id", filter=~Q(status=Respondent.Status.PENDING)),
    "started": Count("id", filter=Q(status=Respondent.Status.STARTED)),
    "completed": Count("id", filter=Q(status=Respondent.Status.COMPLETED)),
}


def response_rates(
    measurement: Measurement, respondents: QuerySet[Respondent], *, label: str, no_unit: str
) -> ResponseRates:
    """Live response rate of `respondents` (already limited to what the user may see)."""
    total = _rate(label, respondents.aggregate(**_COUNTS))
    unit_names = dict(
        Unit.objects.filter(organization=measurement.organization).values_list("pk", "name")
    )
    unit_paths = dict(
        Unit.objects.filter(organization=measurement.organization).values_list("pk", "path")
    )
    by_unit = [
        _rate(unit_names.get(row["unit"], no_unit) if row["unit"] else no_unit, row)
        for row in sorted(
            respondents.values("unit").annotate(**_COUNTS),
            key=lambda row: unit_paths.get(row["unit"], "~"),
        )
    ]
    role_labels = dict(Role.choices)
    by_role = [
        _rate(str(role_labels.get(row["role"], row["role"])), row)
        for row in respondents.values("role").annotate(**_COUNTS).order_by("role")
    ]
    rates = ResponseRates(total=total, by_unit=by_unit, by_role=by_role)
    if measurement.uses_open_link():
        counts = Response.objects.filter(
            measurement=measurement, channel=Response.Channel.OPEN_LINK
        ).aggregate(
            started=Count("id"), submitted=Count("id", filter=Q(state=Response.State.SUBMITTED))
        )
        rates.open_link_started = counts["started"]
        rates.open_link_submitted = counts["submitted"]
    return rates


def organization_units(org: Organization) -> QuerySet[Unit]:
    return Unit.objects.filter(organization=org)


def existing_respondents(measurement: Measurement) -> dict[str, int | None]:
    return dict(measurement.respondents.values_list("email", "unit_id"))


def latest_instrument() -> InstrumentVersion:
    return InstrumentVersion.latest()


# --- What the outbox says: whether an email has really gone -------------------------------------


def _unsent(measurement: Measurement, kind: str) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(
        dedupe_key__startswith=f"{EMAIL_PREFIX}{measurement.pk}:{kind}:",
        status__in=[
            OutboxMessage.Status.PENDING,
            OutboxMessage.Status.SENDING,
            OutboxMessage.Status.FAILED,
        ],
    )


def _respondent_and_round(dedupe_key: str) -> tuple[int, int]:
    """ "surveys:<measurement>:invitation:<respondent>:<round>" → (respondent, round)."""
    respondent, number = dedupe_key.rsplit(":", 2)[1:]
    return int(respondent), int(number)


def invitation_mail_states(
    measurement: Measurement, respondents: list[Respondent]
) -> dict[int, str]:
    """Respondent id → "queued" or "failed" while their latest invitation has not gone out.

    The stored status says "invited" from the moment the email is queued; the outbox says whether
    it went. A sent email may be purged from the outbox later: no message means sent.
    """
    # In an anonymous measurement the state must not depend on whether someone has answered.
    shown = [Respondent.Status.INVITED, Respondent.Status.STARTED]
    if measurement.anonymous:
        shown.append(Respondent.Status.COMPLETED)
    rounds = {
        respondent.pk: respondent.invitations_sent
        for respondent in respondents
        if respondent.status in shown
    }
    states: dict[int, str] = {}
    for key, status in _unsent(measurement, "invitation").values_list("dedupe_key", "status"):
        respondent, number = _respondent_and_round(key)
        if rounds.get(respondent) == number:
            states[respondent] = "failed" if status == OutboxMessage.Status.FAILED else "queued"
    return states


@dataclass(frozen=True)
class Recipients:
    """Who an action on a measurement reaches, for its confirmation step."""

    pending: int  # not invited yet: opening or "invite" mails them
    waiting: int  # invited, not completed: a reminder mails them, closing ends their links
    started: int  # of `waiting`, those who have begun answering
    completed: int
    invited_recently: int  # of `waiting`, those whose invitation was queued in the last day
    last_reminder_at: datetime.datetime | None  # when the newest reminder went out
    reminders_queued: int  # reminders queued but not sent yet

    @property
    def reopened(self) -> int:
        """Reopening invites everyone who has not completed, with a new link."""
        return self.pending + self.waiting


def recipients(measurement: Measurement, *, now: datetime.datetime) -> Recipients:
    mailable = measurement.respondents.exclude(email__startswith=ERASED_PREFIX)
    counts = mailable.aggregate(
        pending=Count("id", filter=Q(status=Respondent.Status.PENDING)),
        waiting=Count(
            "id", filter=Q(status__in=[Respondent.Status.INVITED, Respondent.Status.STARTED])
        ),
        started=Count("id", filter=Q(status=Respondent.Status.STARTED)),
        completed=Count("id", filter=Q(status=Respondent.Status.COMPLETED)),
    )
    prefix = f"{EMAIL_PREFIX}{measurement.pk}:"
    recent_keys = OutboxMessage.objects.filter(
        dedupe_key__startswith=f"{prefix}invitation:", created_at__gte=now - RECENT
    ).values_list("dedupe_key", flat=True)
    waiting_ids = set(
        mailable.filter(
            status__in=[Respondent.Status.INVITED, Respondent.Status.STARTED]
        ).values_list("pk", flat=True)
    )
    recent = {_respondent_and_round(key)[0] for key in recent_keys} & waiting_ids
    reminders = OutboxMessage.objects.filter(dedupe_key__startswith=f"{prefix}reminder:")
    return Recipients(
        **counts,
        invited_recently=len(recent),
        last_reminder_at=reminders.aggregate(last=Max("sent_at"))["last"],
        reminders_queued=_unsent(measurement, "reminder").count(),
    )
