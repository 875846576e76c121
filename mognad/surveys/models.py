"""The yearly measurement: who is asked, how they are invited, what they answered.

The stored results live in the results app, which surveys never imports: closing marks a
measurement as due for scoring (`Measurement.scoring_due`) and the results app's worker job scores
it (docs/architecture.md, "Scoring after a close").

Anonymous mode shapes these tables (see docs/privacy.md, "Anonymous measurements"): a `Response` has
no link to its `Respondent` and no timestamp, its primary key is random, and it is found only
through `response_key`, a hash of the respondent's link token, which the database never holds.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mognad.instrument.scale import DONT_KNOW, HIGHEST, LOWEST
from mognad.orgs.models import Organization, Unit


class Role(models.TextChoices):
    """The respondent roles that drive internal comparisons."""

    POLITICIAN = "politician", _("Politician")
    TOP_MANAGEMENT = "top_management", _("Top management")
    MANAGER = "manager", _("Manager")
    STRATEGIST = "strategist", _("Strategist or business developer")
    IT = "it", _("IT and digitalization")
    STAFF = "staff", _("Staff")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    SV = "sv", "Svenska"
    EN = "en", "English"


class Measurement(models.Model):
    """One organization's measurement in one calendar year with one pinned instrument version."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class InvitationMode(models.TextChoices):
        EMAIL = "email", _("Personal links by email")
        OPEN_LINK = "open_link", _("An open link")
        BOTH = "both", _("Both personal links and an open link")

    class Sampling(models.TextChoices):
        """Who was asked, as the confidence intervals need to know (docs/scoring.md §3)."""

        SAMPLE = "sample", _("A sample of the target group")
        WHOLE_GROUP = "whole_group", _("The whole target group was invited")
        UNITS = "units", _("Whole units were chosen; people in other units were not asked")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="measurements"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    instrument = models.ForeignKey(
        "instrument.InstrumentVersion", on_delete=models.PROTECT, related_name="measurements"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    invitation_mode = models.CharField(
        _("invitation mode"),
        max_length=10,
        choices=InvitationMode.choices,
        default=InvitationMode.EMAIL,
    )
    anonymous = models.BooleanField(_("anonymous"), default=True)
    sampling = models.CharField(
        _("who was asked"), max_length=12, choices=Sampling.choices, default=Sampling.SAMPLE
    )
    language = models.CharField(
        _("default language"), max_length=2, choices=Language.choices, default=Language.SV
    )
    # Days after opening when reminders go out automatically, e.g. "7,14"; empty for none.
    reminder_days = models.CharField(_("reminder days"), max_length=50, blank=True, default="7,14")
    # The planned last answer day ("svara senast"): shown in the emails and the intro; the worker
    # closes the measurement at the end of that day (local time).
    answer_by = models.DateField(_("last day to answer"), null=True, blank=True)
    # Days before `answer_by` when reminders go out automatically, e.g. "7,2"; empty for none.
    reminder_days_before = models.CharField(
        _("reminder days before the last day"), max_length=50, blank=True, default=""
    )
    # How many of the scheduled reminder rounds have gone out since the measurement opened.
    scheduled_reminders_done = models.PositiveSmallIntegerField(default=0)
    # Anonymous measurements: the respondents' invitation and reminder counts, added up when it
    # closed (the per-person counts are reset then; see surveys/unlinking.py).
    invitations_sent = models.PositiveIntegerField(default=0)
    reminders_sent = models.PositiveIntegerField(default=0)
    intro_sv = models.TextField(_("introduction (Swedish)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    # The emails' own words (issue 13): empty for the standard text.
    sender_name = models.CharField(_("sender name"), max_length=100, blank=True)
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    invitation_text_sv = models.TextField(_("invitation text (Swedish)"), blank=True)
    invitation_text_en = models.TextField(_("invitation text (English)"), blank=True)
    reminder_text_sv = models.TextField(_("reminder text (Swedish)"), blank=True)
    reminder_text_en = models.TextField(_("reminder text (English)"), blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The hand-off to the results app: its stored results no longer match the answers (set at
    # closing), and when a scorer took it on (None while nobody is on it). The results app's job
    # claims a due measurement, scores it and clears both together with storing the results.
    scoring_due = models.BooleanField(default=False)
    scoring_claimed_at = models.DateTimeField(null=True, blank=True)
    # When results were first released through the disclosure-control door (results app). A
    # measurement with released results never opens again: new answers after a release could be
    # subtracted from the released figures (docs/privacy.md, "Disclosure control").
    results_released_at = models.DateTimeField(null=True, blank=True)
    # The open link is HMAC(key, open_nonce); only its hash is stored, for lookup.
    # NULL, not "", when absent: unique columns must allow many rows without a link.
    open_nonce = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    open_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "instrument"], name="one_measurement_per_year"
            )
        ]
        indexes = [
            models.Index(
                fields=["scoring_due"],
                condition=models.Q(scoring_due=True),
                name="measurement_scoring_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"

    def mark_scoring_due(self) -> None:
        """Its stored results no longer match its answers: the results app's job scores it again.
        A scorer already on it loses its claim (what it read may be older). The caller saves."""
        self.scoring_due = True
        self.scoring_claimed_at = None

    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    def can_open(self, today: datetime.date) -> bool:
        """Only a measurement of the current calendar year opens; an earlier year never reopens,
        and neither does one whose results were released."""
        return not self.is_open() and self.year == today.year and self.results_released_at is None

    def why_it_cannot_open(self, today: datetime.date) -> str | None:
        """Why the measurement cannot be opened today, in the user's words; None when it can."""
        if self.is_open():
            return str(_("The measurement is already open."))
        if self.results_released_at is not None:
            return str(
                _(
                    "The results of this measurement have been released, so it cannot be opened "
                    "again: new answers could be worked out by comparing the new figures with the "
                    "released ones. Create a new measurement next year instead."
                )
            )
        if self.year > today.year:
            return str(
                _(
                    "It can be opened from 1 January %(year)s: a measurement opens only in its "
                    "own calendar year."
                )
                % {"year": self.year}
            )
        if self.year < today.year:
            return str(
                _("A measurement of an earlier year (%(year)s) can never be opened again.")
                % {"year": self.year}
            )
        return None

    def uses_email(self) -> bool:
        return self.invitation_mode in (self.InvitationMode.EMAIL, self.InvitationMode.BOTH)

    def uses_open_link(self) -> bool:
        return self.invitation_mode in (self.InvitationMode.OPEN_LINK, self.InvitationMode.BOTH)

    def reminder_day_list(self) -> list[int]:
        return parse_reminder_days(self.reminder_days)

    def last_answer_day(self) -> datetime.date:
        """The planned last day to answer, or else the year's last day: a measurement never runs
        into the next year (the calendar year is the comparison point)."""
        return self.answer_by or datetime.date(self.year, 12, 31)

    def reminder_dates(self) -> list[datetime.date]:
        """When the scheduled reminders go out: days after opening and days before the last day,
        each after the opening day and not after the last day."""
        if self.opened_at is None:
            return []
        opened_on = timezone.localdate(self.opened_at)
        last = self.last_answer_day()
        dates = {opened_on + datetime.timedelta(days=day) for day in self.reminder_day_list()}
        if self.answer_by:
            dates |= {
                self.answer_by - datetime.timedelta(days=day)
                for day in parse_reminder_days(self.reminder_days_before)
            }
        return sorted(day for day in dates if opened_on < day <= last)

    def next_reminder(self, today: datetime.date) -> datetime.date | None:
        return next((day for day in self.reminder_dates() if day > today), None)

    def intro(self, language: str) -> str:
        return self.intro_en if language == "en" else self.intro_sv

    def email_text(self, template: str, language: str) -> str:
        """The key user's own words for the "invitation" or "reminder" email, or ""."""
        return str(getattr(self, f"{template}_text_{'en' if language == 'en' else 'sv'}", ""))


def parse_reminder_days(raw: str) -> list[int]:
    """ "7, 14" → [7, 14]; raises ValueError with a reason for anything else."""
    days: list[int] = []
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 365:
            raise ValueError(part)
        days.append(int(part))
    return sorted(set(days))


class UnitWindow(models.Model):
    """A unit's own answering window inside the year; it applies to the unit's whole subtree."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="windows")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        ordering = ["opens_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["measurement", "unit"], name="one_window_per_unit"),
            models.CheckConstraint(
                condition=models.Q(opens_on__lte=models.F("closes_on")), name="window_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.opens_on}–{self.closes_on}"

    def contains(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class Respondent(models.Model):
    """A person asked to answer. Holds no timestamp of answering (anonymous mode depends on it)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not invited yet")
        INVITED = "invited", _("Invited")
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")

    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="respondents"
    )
    email = models.EmailField(_("email address"))
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.SV
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # When a key user marked the person as having left the organization: next year's list, copied
    # from this one, leaves them out.
    left_at = models.DateTimeField(null=True, blank=True)
    invitations_sent = models.PositiveSmallIntegerField(default=0)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    # The link token is HMAC(key, nonce): computed when an email is rendered, never stored.
    # NULL, not "", when destroyed: unique columns must allow many rows without a link.
    nonce = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "email"], name="one_respondent_per_email"
            )
        ]

    def __str__(self) -> str:
        return self.email

    def has_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class Response(models.Model):
    """The owner of one person's answers.

    Random primary key and no timestamps, so neither id order nor time links it to a respondent.
    `respondent` is set only in identified measurements.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Personal link")
        OPEN_LINK = "open_link", _("Open link")

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="responses")
    respondent = models.OneToOneField(
        Respondent, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    # sha256("response:" + token) for personal links, sha256("open:" + browser id) for open links.
    response_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.SV)
    state = models.CharField(max_length=12, choices=State.choices, default=State.IN_PROGRESS)

    class Meta:
        indexes = [models.Index(fields=["measurement", "state"])]

    def __str__(self) -> str:
        return str(self.pk)

    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED


class Answer(models.Model):
    """One answer: a point of the scale (1..6), or DONT_KNOW ("Vet ej"). Unanswered means no row."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(
        "instrument.InstrumentItem", on_delete=models.PROTECT, related_name="+"
    )
    value = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item"),
            models.CheckConstraint(
                condition=models.Q(value=DONT_KNOW)
                | models.Q(value__gte=LOWEST, value__lte=HIGHEST),
                name="answer_value_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"


class RosterChange(models.Model):
    """Respondents added to, removed from or moved into a unit after the measurement opened, as a
    count per unit, kind and day. The results pages list them: a group that changed while people
    answered is worth a second look (docs/privacy.md, "Insiders"; surveys/insiders.py)."""

    class Kind(models.TextChoices):
        ADDED = "added", _("added")
        REMOVED = "removed", _("removed")
        MOVED = "moved", _("moved")

    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="roster_changes"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        # Rows of the same unit, kind and day are added up when listed (insiders.py).
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.count} ({self.unit_id}) {self.day}"
