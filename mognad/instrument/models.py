"""Published instrument versions, kept as their reviewed YAML source.

A published version is immutable: every measurement pins the version it used, so changing one
would silently change what old answers meant. `save()` refuses a change to a stored row, `delete()`
refuses to delete, and the query set refuses `update()` and `delete()`. (Raw SQL and
`manage.py flush` are not guarded; nothing in Mognad uses them on these tables.) To change an
instrument, publish a new version.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from mognad.instrument.checker import version_key
from mognad.instrument.loader import parse
from mognad.instrument.schema import Instrument, Text

# Parsed instruments by the sha256 of their source: parsing is pure, so one parse per process.
_definitions: dict[str, Instrument] = {}


class ImmutableError(Exception):
    """Raised on any attempt to change or delete a published instrument version."""


_M = TypeVar("_M", bound=models.Model)


class _ImmutableQuerySet(models.QuerySet[_M]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableError(
            f"{self.model.__name__} rows are immutable: publish a new instrument version instead."
        )

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableError(
            f"{self.model.__name__} rows are immutable: a published version is never deleted."
        )


class _Immutable(models.Model):
    """Rows that can be created but never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            row = type(self)._default_manager.filter(pk=self.pk).values().first()
            stored: dict[str, Any] | None = dict(row) if row is not None else None
            current = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}
            if stored != current:
                raise ImmutableError(
                    f"{self} is published and cannot be changed; publish a new version instead."
                )
            return
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError(f"{self} is published and cannot be deleted.")


class InstrumentVersion(_Immutable):
    slug = models.CharField(max_length=50)
    version = models.CharField(max_length=20)
    name_sv = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    # The reviewed YAML exactly as published; `definition()` is rebuilt from it.
    source = models.TextField()
    sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField(default=timezone.now)
    # Who published it, as text: the instrument app sits below the accounts app.
    published_by = models.CharField(max_length=254, blank=True)

    objects = _ImmutableQuerySet["InstrumentVersion"].as_manager()

    class Meta:
        ordering = ["slug", "published_at"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="unique_instrument_version")
        ]

    def __str__(self) -> str:
        return f"{self.slug}@{self.version}"

    @property
    def key(self) -> str:
        return f"{self.slug}@{self.version}"

    @property
    def name(self) -> Text:
        return Text(sv=self.name_sv, en=self.name_en)

    def definition(self) -> Instrument:
        """The parsed instrument (cached per process by the source's sha256)."""
        if self.sha256 not in _definitions:
            _definitions[self.sha256] = parse(self.source, source=self.key)
        return _definitions[self.sha256]

    @classmethod
    def versions_of(cls, slug: str) -> list[InstrumentVersion]:
        """Every published version of `slug`, highest version first."""
        found = list(cls.objects.filter(slug=slug))
        return sorted(found, key=lambda v: version_key(v.version), reverse=True)

    @classmethod
    def latest(cls, slug: str = "standard") -> InstrumentVersion:
        """The highest published version of `slug` (versions compare numerically part by part)."""
        versions = cls.versions_of(slug)
        if not versions:
            raise cls.DoesNotExist(
                f"No version of the instrument {slug!r} is published yet; publish one with "
                f"`mognad instrument load instruments/{slug}/<version>.yaml`."
            )
        return versions[0]


class InstrumentItem(_Immutable):
    """One statement of a published version, so that answers can point at it with a foreign key
    and SQL can group answers by capability, category and dimension."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="items")
    item_id = models.CharField(max_length=100)
    position = models.PositiveIntegerField()
    capability_id = models.CharField(max_length=100)
    category_id = models.CharField(max_length=100)
    dimension_id = models.CharField(max_length=100)
    technical = models.BooleanField(default=False)

    objects = _ImmutableQuerySet["InstrumentItem"].as_manager()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "item_id"], name="unique_item_per_version"),
        ]
        indexes = [models.Index(fields=["item_id"])]

    def __str__(self) -> str:
        return f"{self.version_id}:{self.item_id}"
