"""Reads of the published releases and the drafts, for pages, the API and other helpers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from mognad.national.publishing.models import (
    PublicationDraft,
    PublicationOrganization,
    PublishedRelease,
)
from mognad.orgs.models import Organization


def releases(year: int | None = None) -> QuerySet[PublishedRelease]:
    """Published releases, newest year first and, within a year, newest version first."""
    found = PublishedRelease.objects.select_related("draft").order_by("-year", "-version")
    return found if year is None else found.filter(year=year)


def latest_release(year: int | None = None) -> PublishedRelease | None:
    """The newest version of the year's release; without a year, of the newest year published."""
    return releases(year).first()


def release(year: int, version: int) -> PublishedRelease | None:
    return releases(year).filter(version=version).first()


def published_years() -> list[int]:
    return sorted(set(PublishedRelease.objects.values_list("year", flat=True)))


def drafts(year: int | None = None) -> QuerySet[PublicationDraft]:
    """Drafts, newest first."""
    found = PublicationDraft.objects.order_by("-year", "-number")
    return found if year is None else found.filter(year=year)


def open_drafts_for(organization: Organization) -> QuerySet[PublicationDraft]:
    """Open drafts (newest first) that publish something about the organization."""
    return drafts().filter(
        state=PublicationDraft.State.OPEN, organizations__organization=organization
    )


def draft_or_404(pk: int) -> PublicationDraft:
    """A draft by id, for the national coordinator (views check the role first)."""
    found = PublicationDraft.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def release_or_404(year: int, version: int) -> PublishedRelease:
    """A published release (drafts are never found here)."""
    found = release(year, version)
    if found is None:
        raise Http404
    return found


def rows_for(draft: PublicationDraft, organization: Organization) -> PublicationOrganization | None:
    """What the draft publishes about the organization (None: nothing)."""
    return draft.organizations.filter(organization=organization).first()


def flags_of(draft: PublicationDraft, organization: Organization | None = None) -> list[Any]:
    found = draft.flags.select_related("organization", "created_by")
    return list(found if organization is None else found.filter(organization=organization))
