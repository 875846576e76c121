"""Consent records, diagnostics aggregates and the operator's privacy settings.

Nothing here identifies a person: a consent record is a choice, a text version and a time; a
diagnostics row is a count per day, browser, major version and error signature.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mognad.instrument.schema import content_language


class Choice(models.TextChoices):
    NECESSARY = "necessary", _("Only necessary")
    DIAGNOSTICS = "diagnostics", _("Allow diagnostics")


class ConsentRecord(models.Model):
    """One cookie choice as it was made. Deliberately no IP address, user, session or browser."""

    choice = models.CharField(max_length=20, choices=Choice.choices)
    text_version = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.choice} (v{self.text_version}, {self.created_at:%Y-%m-%d})"


class DiagnosticsAggregate(models.Model):
    """How often something was seen on one day: a browser (kind=visit) or an error (kind=error)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Browser seen")
        ERROR = "error", _("Error")

    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    browser = models.CharField(max_length=30)
    major_version = models.PositiveIntegerField()
    # Empty for visits; for errors the cleaned message and where it happened (path:line).
    signature = models.CharField(max_length=300, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "kind", "browser", "major_version", "signature"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "browser", "major_version", "signature"],
                name="one_diagnostics_row_per_day_and_key",
            )
        ]
        indexes = [models.Index(fields=["day"], name="privacy_diag_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.browser} {self.major_version}: {self.count}"


class PrivacySettings(models.Model):
    """The operator-specific parts of the privacy notices; one row, edited by the coordinator."""

    SINGLETON_ID = 1

    # Not an auto-increment: every row is row 1, so a second one cannot exist.
    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    operator_name = models.CharField(_("operator name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email address"), blank=True)
    dpo_name = models.CharField(_("data protection officer"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("data protection officer's email address"), blank=True)
    legal_basis_sv = models.TextField(_("legal basis (Swedish)"), max_length=4000, blank=True)
    legal_basis_en = models.TextField(_("legal basis (English)"), max_length=4000, blank=True)
    extra_text_sv = models.TextField(_("additional text (Swedish)"), max_length=4000, blank=True)
    extra_text_en = models.TextField(_("additional text (English)"), max_length=4000, blank=True)
    # The accessibility statement (privacy/accessibility.html) shows the same operator and these.
    accessibility_email = models.EmailField(
        _("email address for accessibility problems"), blank=True
    )
    accessibility_phone = models.CharField(
        _("telephone for accessibility problems"), max_length=40, blank=True
    )
    accessibility_assessed_on = models.DateField(
        _("date of the latest accessibility assessment"), null=True, blank=True
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="privacy_settings_singleton")
        ]

    def __str__(self) -> str:
        return self.operator_name or "privacy settings"

    def in_language(self, field: str, language: str) -> tuple[str, str]:
        """The text of a field pair (`legal_basis`, `extra_text`) in `language`, else the other one.

        Returns (text, language of the text); empty text when neither language is filled in.
        """
        own = content_language(language)
        other = "sv" if own == "en" else "en"
        for code in (own, other):
            text: str = getattr(self, f"{field}_{code}")
            if text.strip():
                return text, code
        return "", own
