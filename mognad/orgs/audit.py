"""The audit log: every administrative change writes one event (who, what, when, details)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mognad.orgs.models import AuditEvent, Organization, User


def audit(
    action: str,
    *,
    by: User | None,
    organization: Organization | None = None,
    target: str = "",
    **details: Any,
) -> AuditEvent:
    """Record `action` (e.g. "unit.created") done by `by` (None: the system)."""
    return AuditEvent.objects.create(
        action=action,
        actor=by,
        actor_email=by.email if by else "",
        organization=organization,
        target=str(target)[:200],
        details=details,
    )


def events_for(organization: Organization | None) -> QuerySet[AuditEvent]:
    """Newest first; None: every event of the platform (for the national coordinator)."""
    events = AuditEvent.objects.select_related("organization").order_by("-created_at", "-id")
    return events if organization is None else events.filter(organization=organization)
