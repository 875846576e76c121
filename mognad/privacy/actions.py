"""Privacy workflows: recording a cookie choice, editing the operator's privacy settings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mognad.orgs.audit import audit
from mognad.orgs.models import User
from mognad.privacy import consent
from mognad.privacy.models import ConsentRecord, PrivacySettings

SETTINGS_FIELDS = (
    "operator_name",
    "contact_email",
    "dpo_name",
    "dpo_email",
    "legal_basis_sv",
    "legal_basis_en",
    "extra_text_sv",
    "extra_text_en",
    "accessibility_email",
    "accessibility_phone",
    "accessibility_assessed_on",
)


def record_consent(choice: str) -> ConsentRecord:
    """An anonymous record of a choice: which one, for which text version, when. Nothing else."""
    return ConsentRecord.objects.create(choice=choice, text_version=consent.TEXT_VERSION)


def purge_consent_records(now: datetime | None = None) -> int:
    """Delete consent records older than MOGNAD_CONSENT_RETENTION_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.CONSENT_RETENTION_DAYS)
    deleted, _ = ConsentRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def update_privacy_settings(values: dict[str, Any], *, by: User) -> PrivacySettings:
    current, _ = PrivacySettings.objects.select_for_update().get_or_create(
        id=PrivacySettings.SINGLETON_ID
    )
    changed = [name for name in SETTINGS_FIELDS if getattr(current, name) != values[name]]
    for name in SETTINGS_FIELDS:
        setattr(current, name, values[name])
    current.updated_at = timezone.now()
    current.save()
    audit("privacy.settings_updated", by=by, target="privacy settings", changed=changed)
    return current
