"""`mognad results benchmarks [--year Y | --due]`, `mognad results rescore --year Y [--jobs N]`,
`mognad results report --org … --year …` and `mognad results audit [--year Y]`."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mognad.results import report
from mognad.results.benchmarks import compute_benchmarks, refresh_due_benchmarks
from mognad.results.disclosure import audit
from mognad.results.rescore import rescore_year


class Command(BaseCommand):
    help = (
        "Results of organizations. `benchmarks` recomputes the peer benchmarks of a year (or of "
        "every year with newer results, --due); `rescore` recomputes every closed measurement's "
        "results of a year, then its benchmarks; `report` writes an organization's PDF report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", metavar="ACTION")
        bench = commands.add_parser("benchmarks", help="Recompute peer benchmarks.")
        which = bench.add_mutually_exclusive_group(required=True)
        which.add_argument("--year", type=int, help="The year to recompute.")
        which.add_argument("--due", action="store_true", help="Every year whose results are newer.")
        rescore = commands.add_parser(
            "rescore", help="Recompute a year's results (every closed measurement) and benchmarks."
        )
        rescore.add_argument("--year", type=int, required=True, help="The year to re-score.")
        rescore.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="Scoring processes (default: one per core).",
        )
        report.add_arguments(commands.add_parser("report", help="Write an organization's PDF."))
        check = commands.add_parser(
            "audit",
            help="Run the differencing attack on every closed measurement (docs/privacy.md).",
        )
        check.add_argument("--year", type=int, help="Only this year's measurements.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action")
        if action == "audit":
            self._audit(options.get("year"))
        elif action == "benchmarks":
            if options.get("due"):
                years = refresh_due_benchmarks()
                listed = ", ".join(map(str, years)) or "none"
                self.stdout.write(f"Recomputed the benchmarks of: {listed}.")
            else:
                stored = compute_benchmarks(options["year"])
                self.stdout.write(f"Stored {stored} benchmarks for {options['year']}.")
        elif action == "rescore":
            if options["jobs"] < 1:
                raise CommandError(f"--jobs must be at least 1, not {options['jobs']}.")
            done = rescore_year(options["year"], jobs=options["jobs"], progress=self.stdout.write)
            if not done.measurements:
                raise CommandError(f"No closed measurement of {options['year']} to re-score.")
            self.stdout.write(
                f"Re-scored {done.measurements} measurements of {options['year']} "
                f"({done.groups} groups) in {done.scoring_seconds:.1f} s and stored "
                f"{done.benchmarks} benchmarks in {done.benchmark_seconds:.1f} s."
            )
        elif action == "report":
            self.stdout.write(report.handle(options))
        else:
            raise CommandError(
                "Say what to do: mognad results benchmarks --year 2026, "
                "mognad results rescore --year 2026, or "
                "mognad results report --org <code or slug> --year 2026 --out report.pdf"
            )

    def _audit(self, year: int | None) -> None:
        found = audit.audit(audit.closed(year))
        if not found.measurements:
            raise CommandError("No closed measurement to audit.")

        other_rule = found.parents_hidden_by_the_other_rule

        def share(part: int, whole: int) -> str:
            return f"{part}/{whole} ({100 * part / whole:.1f} %)" if whole else "0/0"

        self.stdout.write(
            f"Audited {found.measurements} closed measurements.\n"
            f"Groups shown: {share(found.groups_shown, found.groups)} of all groups, "
            f"{share(found.groups_shown, found.groups_over_k)} of those with at least k.\n"
            f"Statement figures shown: {share(found.statements_shown, found.statements_over_k)} "
            f"of those with at least k answerers.\n"
            f"Parent figures shown: {found.parents_shown}; hiding every parent of a hidden "
            f"statement instead would hide {share(other_rule, found.parents_shown)}.\n"
            f"Worked out by subtraction: {len(found.exposed)}."
        )
        if found.exposed:
            raise CommandError("Exposed: " + "; ".join(found.exposed[:20]))
