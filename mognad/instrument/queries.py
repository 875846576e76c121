"""Reading published instrument versions (instruments are platform data, not tenant data)."""

from __future__ import annotations

from mognad.instrument.models import InstrumentVersion


def published_version(
    slug: str = "standard", version: str | None = None
) -> InstrumentVersion | None:
    """That version of `slug`, or its highest published version when `version` is None;
    None when there is no such published version."""
    if version is None:
        versions = InstrumentVersion.versions_of(slug)
        return versions[0] if versions else None
    return InstrumentVersion.objects.filter(slug=slug, version=version).first()


def published_versions(slug: str = "standard") -> list[InstrumentVersion]:
    """Every published version of `slug`, highest first."""
    return InstrumentVersion.versions_of(slug)


def all_published() -> list[InstrumentVersion]:
    return list(InstrumentVersion.objects.all())
