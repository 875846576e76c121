"""Drafts, their frozen files, the key users' flags and the published releases (see the package)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Immutable(Exception):
    """A stored snapshot, file or release is never changed or deleted."""


class _WriteOnce(models.Model):
    """A row written once: saving it again or deleting it raises `Immutable`."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise Immutable(f"{type(self).__name__} {self.pk} is stored and cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise Immutable(f"{type(self).__name__} {self.pk} is stored and cannot be deleted.")


class PublicationDraft(models.Model):
    """A frozen snapshot of a year's figures, open for key users' corrections until `closes_at`."""

    class State(models.TextChoices):
        OPEN = "open", "open"
        SUPERSEDED = "superseded", "superseded"  # a newer draft of the year replaced it
        PUBLISHED = "published", "published"

    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()  # 1, 2, … per year
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closes_at = models.DateTimeField()  # the end of the correction window
    # What this draft corrects (shown as the errata note when it is published as version 2, …).
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="publication_draft_number")
        ]

    def __str__(self) -> str:
        return f"draft {self.number} of {self.year}"

    def window_open(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) < self.closes_at

    def file(self, name: str) -> bytes:
        return bytes(self.files.get(name=name).content)


class PublicationFile(_WriteOnce):
    """One file of a draft's snapshot, as bytes with their sha256."""

    draft = models.ForeignKey(PublicationDraft, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=120)  # e.g. "opendata/datapackage.json"
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["draft", "name"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "name"], name="publication_file_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.size} bytes)"

    @classmethod
    def of(cls, draft: PublicationDraft, name: str, content: bytes) -> PublicationFile:
        return cls(
            draft=draft,
            name=name,
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
        )


class PublicationOrganization(_WriteOnce):
    """What a draft publishes about one organization with results: its open-data row (header and
    values as JSON), and whether it is named (only named organizations' rows are published)."""

    draft = models.ForeignKey(
        PublicationDraft, on_delete=models.PROTECT, related_name="organizations"
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    named = models.BooleanField()
    row = models.TextField()  # JSON: [[column, value], …] in the file's column order

    class Meta:
        ordering = ["draft", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "organization"], name="publication_organization_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} in {self.draft}"


class PublicationFlag(models.Model):
    """A key user's report of an error in what a draft publishes about their organization."""

    draft = models.ForeignKey(PublicationDraft, on_delete=models.PROTECT, related_name="flags")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["draft", "created_at", "id"]

    def __str__(self) -> str:
        return f"flag {self.pk} on {self.draft}"


class PublishedRelease(_WriteOnce):
    """A published, immutable version of a year's figures: the files of the draft it was made from.
    Version 1, 2, … per year; a version after the first carries an errata note."""

    year = models.PositiveSmallIntegerField()
    version = models.PositiveSmallIntegerField()
    draft = models.OneToOneField(PublicationDraft, on_delete=models.PROTECT, related_name="release")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    errata = models.TextField(blank=True)
    licence = models.CharField(max_length=20)  # the open data's licence id, e.g. "CC0-1.0"

    class Meta:
        ordering = ["year", "version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="published_release_version")
        ]

    def __str__(self) -> str:
        return f"{self.year} version {self.version}"

    def file(self, name: str) -> bytes:
        """The file `name` of the release (e.g. "opendata/organizations.csv"), byte for byte."""
        return self.draft.file(name)

    def file_names(self) -> list[str]:
        return list(self.draft.files.order_by("name").values_list("name", flat=True))

    def figures(self) -> Any:
        """The national figures as they were released (`mognad.national.store.YearFigures`)."""
        from mognad.national import store

        return store.decode(self.file("figures.json").decode())
