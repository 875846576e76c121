"""`mognad privacy purge`: delete diagnostics aggregates past their retention period."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mognad.privacy.diagnostics import purge_diagnostics, retention_start


class Command(BaseCommand):
    help = "Privacy housekeeping. `purge` deletes diagnostics older than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", metavar="ACTION")
        commands.add_parser(
            "purge",
            help="Delete diagnostics aggregates older than MOGNAD_DIAGNOSTICS_RETENTION_DAYS.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "purge":
            raise CommandError("Say what to do: mognad privacy purge")
        deleted = purge_diagnostics()
        self.stdout.write(
            f"Deleted {deleted} diagnostics aggregate(s) from before {retention_start():%Y-%m-%d} "
            f"(retention {settings.DIAGNOSTICS_RETENTION_DAYS} days)."
        )
