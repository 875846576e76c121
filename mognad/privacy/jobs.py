"""Periodic jobs of the privacy app, run by the worker (see mognad/orgs/schedule.py)."""

from __future__ import annotations

from mognad.orgs.schedule import every
from mognad.privacy.diagnostics import purge_diagnostics

DAY = 24 * 3600


@every(DAY, "privacy.purge_diagnostics")
def purge_old_diagnostics() -> int:
    return purge_diagnostics()
