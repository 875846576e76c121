"""The stored national figures of a year (see `mognad.national.store`)."""

from __future__ import annotations

from django.db import models


class NationalYear(models.Model):
    """A year's national figures as computed from the stored results, with the fingerprint of the
    inputs they were computed from. Language-independent: labels are added when a page is shown.
    """

    year = models.PositiveSmallIntegerField(unique=True)
    # sha256 of the inputs (`store.fingerprint`); the figures are served only while it matches.
    fingerprint = models.CharField(max_length=64)
    # `store.YearFigures` as JSON (text, not a JSON column: floats and key order come back as they
    # were written, and the page decodes it in one call).
    figures = models.TextField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"national figures {self.year}"


class ReliabilityYear(models.Model):
    """The instrument's reliability over a year's answers, as `mognad validate instrument` last
    computed it (`reliability.as_dict`, JSON text), for the national report and the codebook."""

    year = models.PositiveSmallIntegerField(unique=True)
    figures = models.TextField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"instrument reliability {self.year}"


# The publishing workflow's models live beside their code (mognad/national/publishing/).
from mognad.national.publishing.models import (  # noqa: E402
    PublicationDraft,
    PublicationFile,
    PublicationFlag,
    PublicationOrganization,
    PublishedRelease,
)

__all__ = [
    "NationalYear",
    "PublicationDraft",
    "PublicationFile",
    "PublicationFlag",
    "PublicationOrganization",
    "PublishedRelease",
    "ReliabilityYear",
]
