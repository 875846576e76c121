"""`mognad retention`: apply the retention periods now (the worker also does it daily).

- respondents of measurements closed `MOGNAD_RESPONDENT_RETENTION_DAYS` ago or more lose their email
  addresses (and, in identified measurements, the link to their answers);
- sent and failed emails older than `MOGNAD_OUTBOX_RETENTION_DAYS` are deleted from the outbox.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from mognad.platform.mail import purge_outbox
from mognad.privacy.retention import apply_respondent_retention


class Command(BaseCommand):
    help = (
        "Delete respondents' email addresses of measurements past their retention period and "
        "old sent or failed emails from the outbox."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = apply_respondent_retention()
        forgotten = report.forgotten
        self.stdout.write(
            f"Respondents: {forgotten.respondents} email address(es) deleted and "
            f"{forgotten.unlinked} identified response(s) unlinked in {report.measurements} "
            f"measurement(s) closed at least {settings.RESPONDENT_RETENTION_DAYS} days ago."
        )
        deleted = purge_outbox()
        self.stdout.write(
            f"Outbox: {deleted + forgotten.emails} email(s) deleted "
            f"(sent or failed more than {settings.OUTBOX_RETENTION_DAYS} days ago, or to "
            "respondents whose addresses were deleted)."
        )
