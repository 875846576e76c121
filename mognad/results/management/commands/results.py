"""`mognad results benchmarks [--year Y | --due]` and `mognad results report --org … --year …`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mognad.results import report
from mognad.results.benchmarks import compute_benchmarks, refresh_due_benchmarks


class Command(BaseCommand):
    help = (
        "Results of organizations. `benchmarks` recomputes the peer benchmarks of a year (or of "
        "every year with newer results, --due); `report` writes an organization's PDF report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", metavar="ACTION")
        bench = commands.add_parser("benchmarks", help="Recompute peer benchmarks.")
        which = bench.add_mutually_exclusive_group(required=True)
        which.add_argument("--year", type=int, help="The year to recompute.")
        which.add_argument("--due", action="store_true", help="Every year whose results are newer.")
        report.add_arguments(commands.add_parser("report", help="Write an organization's PDF."))

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        if action == "benchmarks":
            if options.get("due"):
                years = refresh_due_benchmarks()
                listed = ", ".join(map(str, years)) or "none"
                self.stdout.write(f"Recomputed the benchmarks of: {listed}.")
            else:
                stored = compute_benchmarks(options["year"])
                self.stdout.write(f"Stored {stored} benchmarks for {options['year']}.")
        elif action == "report":
            self.stdout.write(report.handle(options))
        else:
            raise CommandError(
                "Say what to do: mognad results benchmarks --year 2026, or "
                "mognad results report --org <code or slug> --year 2026 --out report.pdf"
            )
