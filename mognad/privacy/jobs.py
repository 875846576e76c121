"""Periodic jobs of the privacy app, run by the worker (see mognad/platform/schedule.py)."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings

from mognad.platform.schedule import every
from mognad.privacy.actions import purge_consent_records
from mognad.privacy.diagnostics import purge_diagnostics
from mognad.privacy.retention import apply_respondent_retention

DAY = 24 * 3600


@every(DAY, "privacy.purge_diagnostics")
def purge_old_diagnostics() -> int:
    return purge_diagnostics()


@every(DAY, "privacy.respondent_retention")
def respondent_retention() -> None:
    """Respondents' addresses go RESPONDENT_RETENTION_DAYS after closing (docs/privacy.md)."""
    apply_respondent_retention()


@every(DAY, "privacy.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Expired sessions hold who was logged in; Django leaves them in the table until cleared."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


@every(DAY, "privacy.purge_consent_records")
def purge_old_consent_records() -> int:
    return purge_consent_records()
