"""The publishing workflow's actions: draft a year, flag an error, publish a draft.

Each is a verb with keyword-only `by=`, runs in one transaction, writes an audit event and refuses
with `ActionError`. Permission checks are the views' (access.py); the rules of the workflow – the
correction window, which draft can be published, the errata note of a correction – are here.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from mognad.national import pages, queries
from mognad.national.publishing import snapshot
from mognad.national.publishing.models import (
    PublicationDraft,
    PublicationFile,
    PublicationFlag,
    PublicationOrganization,
    PublishedRelease,
)
from mognad.orgs.audit import audit
from mognad.orgs.models import Membership, Organization, User
from mognad.platform.actions import ActionError
from mognad.platform.mail import enqueue_email

FLAG_LENGTH = 2000


def _require_coordinator(by: User) -> None:
    if not by.is_coordinator:
        raise ActionError(_("Only the national coordinator can do this."))


@transaction.atomic
def draft_year(
    year: int, *, by: User, window_days: int | None = None, note: str = ""
) -> PublicationDraft:
    """Freeze the year's figures as a new draft, open for corrections for `window_days` days
    (default MOGNAD_PUBLICATION_CORRECTION_DAYS); earlier open drafts of the year are superseded.
    Key users of every organization in it get an email."""
    _require_coordinator(by)
    if year not in queries.years_with_results():
        raise ActionError(
            _("No measurement closed with results in %(year)s: nothing to publish.")
            % {"year": year},
            field="year",
        )
    days = settings.PUBLICATION_CORRECTION_DAYS if window_days is None else window_days
    if not 1 <= days <= 365:
        raise ActionError(_("The correction window must be 1 to 365 days."), field="window_days")
    try:
        frozen = snapshot.take(year)
    except pages.NoInstrument:
        raise ActionError(_("No instrument is published yet.")) from None
    now = timezone.now()
    latest = PublicationDraft.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0
    PublicationDraft.objects.filter(year=year, state=PublicationDraft.State.OPEN).update(
        state=PublicationDraft.State.SUPERSEDED
    )
    draft = PublicationDraft.objects.create(
        year=year,
        number=latest + 1,
        created_at=now,
        created_by=by,
        closes_at=now + timedelta(days=days),
        note=note.strip(),
    )
    PublicationFile.objects.bulk_create(
        PublicationFile.of(draft, name, content) for name, content in sorted(frozen.files.items())
    )
    PublicationOrganization.objects.bulk_create(
        PublicationOrganization(
            draft=draft,
            organization_id=row.organization_id,
            named=row.named,
            row=json.dumps(row.row, ensure_ascii=False),
        )
        for row in frozen.organizations
    )
    _tell_key_users(draft, [row.organization_id for row in frozen.organizations])
    audit(
        "publication.drafted",
        by=by,
        target=str(draft),
        year=year,
        number=draft.number,
        organizations=len(frozen.organizations),
        days=days,
    )
    return draft


def _tell_key_users(draft: PublicationDraft, organization_ids: list[int]) -> None:
    memberships = (
        Membership.objects.filter(
            organization_id__in=organization_ids,
            role=Membership.Role.KEY_USER,
            user__is_active=True,
        )
        .select_related("user", "organization")
        .order_by("organization_id", "user_id")
    )
    for membership in memberships:
        user, org = membership.user, membership.organization
        with override(user.language):
            closes = formats.date_format(timezone.localtime(draft.closes_at), "DATE_FORMAT")
        enqueue_email(
            to=user.email,
            template="publication-draft",
            context={
                "organization_name": org.name,
                "year": draft.year,
                "closes_at": closes,
                "review_url": settings.BASE_URL
                + reverse("national:publication_review", args=[org.slug]),
            },
            language=user.language,
            dedupe_key=f"publication-draft:{draft.pk}:{org.pk}:{user.pk}",
            organization=org,
        )


@transaction.atomic
def flag_error(
    draft: PublicationDraft, organization: Organization, text: str, *, by: User
) -> PublicationFlag:
    """A key user's report of an error in what the draft publishes about their organization."""
    draft = PublicationDraft.objects.select_for_update().get(pk=draft.pk)
    text = text.strip()
    if not text:
        raise ActionError(_("Describe the error."), field="text")
    if len(text) > FLAG_LENGTH:
        raise ActionError(_("Keep it under %(n)s characters.") % {"n": FLAG_LENGTH}, field="text")
    if not draft.organizations.filter(organization=organization).exists():
        raise ActionError(_("This draft publishes nothing about your organization."))
    if draft.state != PublicationDraft.State.OPEN:
        raise ActionError(
            _("This draft is no longer open for corrections; look at the newest one.")
        )
    if not draft.window_open():
        closed = formats.date_format(timezone.localtime(draft.closes_at), "DATETIME_FORMAT")
        raise ActionError(
            _(
                "The correction window closed on %(date)s, so errors can no longer be flagged "
                "here. Contact the national coordinator."
            )
            % {"date": closed}
        )
    flag = PublicationFlag.objects.create(
        draft=draft, organization=organization, text=text, created_by=by, created_at=timezone.now()
    )
    audit(
        "publication.flagged",
        by=by,
        organization=organization,
        target=str(draft),
        year=draft.year,
        number=draft.number,
    )
    return flag


@transaction.atomic
def publish_draft(
    draft: PublicationDraft, *, by: User, errata: str = "", early: bool = False
) -> PublishedRelease:
    """Publish the draft as the year's next version. Before its correction window has ended only
    with `early`; a version after the first needs an errata note (what changed)."""
    _require_coordinator(by)
    draft = PublicationDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.state != PublicationDraft.State.OPEN:
        raise ActionError(_("Only the newest open draft of a year can be published."))
    if draft.window_open() and not early:
        raise ActionError(
            _(
                "The correction window is still open. Wait until it has closed, or confirm that "
                "you publish before it ends."
            ),
            field="early",
        )
    latest = PublishedRelease.objects.filter(year=draft.year).aggregate(n=Max("version"))["n"]
    errata = errata.strip()
    if latest and not errata:
        raise ActionError(
            _("Version %(n)s corrects a published release: write an errata note (what changed).")
            % {"n": latest + 1},
            field="errata",
        )
    published = PublishedRelease.objects.create(
        year=draft.year,
        version=(latest or 0) + 1,
        draft=draft,
        published_at=timezone.now(),
        published_by=by,
        errata=errata,
        licence=settings.OPEN_DATA_LICENCE,
    )
    PublicationDraft.objects.filter(pk=draft.pk).update(state=PublicationDraft.State.PUBLISHED)
    audit(
        "publication.published",
        by=by,
        target=str(published),
        year=published.year,
        version=published.version,
    )
    return published
