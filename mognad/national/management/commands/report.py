"""`mognad report national --year Y [--lang sv|en] --out FILE.pdf|FILE.html` and
`mognad report organization --org … --year … --out FILE.pdf`.

The organization report belongs to the results app (`mognad.results.report`, which provides
`add_arguments(parser)` and `handle(options)`); this command only dispatches to it.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mognad.national import report as national_report


def _organization_report() -> ModuleType | None:
    try:
        module = importlib.import_module("mognad.results.report")
    except ImportError:
        return None
    if not hasattr(module, "add_arguments") or not hasattr(module, "handle"):
        return None
    return module


class Command(BaseCommand):
    help = (
        "Write a report. `national` writes the national status report of a year (PDF or HTML); "
        "`organization` writes an organization's PDF report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", metavar="KIND")
        national_report.add_arguments(
            kinds.add_parser("national", help="The national status report of a year.")
        )
        organization = _organization_report()
        if organization is not None:
            organization.add_arguments(
                kinds.add_parser("organization", help="An organization's report.")
            )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options.get("kind")
        if kind == "national":
            self.stdout.write(national_report.handle(options))
            return
        organization = _organization_report()
        if kind == "organization" and organization is not None:
            self.stdout.write(str(organization.handle(options)))
            return
        raise CommandError(
            "Say which report: mognad report national --year 2026 --out report.pdf, or "
            "mognad report organization --org <code or slug> --year 2026 --out report.pdf"
        )
