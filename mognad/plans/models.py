"""Action plans: an organization's planned actions for the year after a measurement.

One `ActionPlan` per organization and year, made from the year's measurement (its released results
propose the actions; its instrument defines the capabilities an action may name). A
`PlannedAction` is one action of the plan. An action is *completed* when its status is `done`
(`PlannedAction.is_completed()`, `done_at` says when); the example library publishes only
completed actions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mognad.orgs.models import Organization, Unit
from mognad.surveys.models import Measurement


class ActionPlan(models.Model):
    """The organization's action plan for one year (the year of the measurement it builds on)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="action_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="action_plans"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_plan_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"

    def capability_ids(self) -> set[str]:
        """The capabilities of the measurement's instrument: what an action may name."""
        return {c.id for c in self.measurement.instrument.definition().capabilities}


class PlannedAction(models.Model):
    """One action of a plan, linked to one or more of the instrument's capabilities."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    class Origin(models.TextChoices):
        SUGGESTION = "suggestion", _("From the suggestions")
        DIALOGUE = "dialogue", _("From the result dialogue")
        OWN = "own", _("Our own")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    expected_effect = models.TextField(_("expected effect"), blank=True)
    # Free text (a name or a role), optionally one of the organization's members.
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner among the members"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    start = models.DateField(_("start"), null=True, blank=True)
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    # The instrument's capability ids (at least one), in the order chosen.
    capabilities = models.JSONField(_("capabilities"), default=list)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.OWN)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "id"]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        return self.title

    def is_completed(self) -> bool:
        """Done: the action was carried out (the example library publishes only these)."""
        return self.status == self.Status.DONE
