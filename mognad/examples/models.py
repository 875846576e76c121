"""The example library and the result dialogue's conclusions.

`Example`: an organization's account of an action that worked ("Exempel från andra
organisationer"). A key user writes it (prefilled from a completed planned action, when there is
one), submits it, and the national coordinator approves or rejects it with a note; only approved
examples are seen outside the organization. The before/after figures are copied from the
organization's *released* results when it is submitted, and only when the organization agrees to
be named (`named`); an unnamed example carries no figures.

`Conclusion`: what a result dialogue (workshop) concluded about one capability in one year's
results; it can become a planned action in the plan (origin "dialogue").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mognad.orgs.models import Organization
from mognad.plans.models import PlannedAction
from mognad.surveys.models import Measurement


class Example(models.Model):
    class Effort(models.TextChoices):
        SMALL = "small", _("Small (a few weeks, within existing budget)")
        MEDIUM = "medium", _("Medium (a few months, some extra resources)")
        LARGE = "large", _("Large (a year or more, a project of its own)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for review")
        APPROVED = "approved", _("Published")
        REJECTED = "rejected", _("Returned")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="examples"
    )
    # The completed planned action the example tells about, when it came from the plan.
    source_action = models.ForeignKey(
        PlannedAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="examples"
    )
    # The year whose results the action answered ("before"); "after" is the next measurement.
    year = models.PositiveSmallIntegerField(_("year of the results before the action"))
    title = models.CharField(_("title"), max_length=200)
    what_was_done = models.TextField(_("what was done"), max_length=4000)
    effort = models.CharField(_("cost and effort"), max_length=10, choices=Effort.choices)
    contact_role = models.CharField(_("contact (a role, not a name)"), max_length=200)
    # Instrument capability ids (e.g. "eff.management").
    capabilities = models.JSONField(default=list)
    named = models.BooleanField(_("show our organization's name and figures"), default=False)
    # The organization's maturity type in the before year's released results ("" if not shown).
    maturity_type = models.CharField(max_length=50, blank=True)
    # {capability id: {"before": score, "after": score, "before_year": y, "after_year": y}}, from
    # released figures, only when named; empty otherwise.
    figures = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    coordinator_note = models.TextField(_("note from the coordinator"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Examples the demo seeded carry a key, so seeding again never touches or duplicates them.
    seed_key = models.CharField(max_length=60, blank=True, db_index=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.title

    def is_published(self) -> bool:
        return self.status == self.Status.APPROVED

    def can_be_edited(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.REJECTED)


class Conclusion(models.Model):
    """A result dialogue's conclusion about one capability of one year's results."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="dialogue_conclusions"
    )
    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="+")
    capability = models.CharField(max_length=100)
    text = models.TextField(_("conclusion"), max_length=2000)
    # The planned action (origin "dialogue") the conclusion became, once it did.
    planned_action = models.ForeignKey(
        PlannedAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measurement", "capability"]
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "capability"], name="one_conclusion_per_capability"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measurement_id} {self.capability}"
