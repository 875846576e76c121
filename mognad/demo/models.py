"""What the demo data generator wrote, so that `--replace` removes exactly that and nothing else."""

from __future__ import annotations

from django.db import models

from mognad.orgs.models import Organization


class GeneratedOrganization(models.Model):
    """An organization the generator filled with units, measurements and answers.

    `created`: the generator created the organization itself (an invented agency or company); it is
    deleted on replace. Otherwise it is a registry municipality or region: its generated units and
    measurements are deleted, and the fields the generator filled in are restored from `previous`.
    """

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="+")
    created = models.BooleanField()
    # Field values before the generator filled them in (registry organizations only).
    previous = models.JSONField(default=dict, blank=True)
    seed = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.organization_id} (seed {self.seed})"
