"""`mognad demo setup|generate|remove`: demo data.

- `setup` (what `make run` calls): the instrument, demo logins, a small generated population and
  the demo organization Ankeby kommun with several years of results and an open measurement.
- `generate --orgs N --years 2019-2026 --seed S [--database ALIAS] [--replace]`: a synthetic public
  sector, closed and scored (docs/performance.md, "Demo data generator").
- `remove`: delete everything `generate` wrote.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from mognad.demo import setup
from mognad.demo.generate import GenerateError, generate, parse_years, remove
from mognad.scoring.engine import tune_process


class Command(BaseCommand):
    help = "Demo data: `setup` (used by make run), `generate` a synthetic population, `remove` it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        set_up = sub.add_parser(
            "setup",
            help="Publish the default instrument, create the demo logins, a demo population and "
            "the demo organization with an open measurement.",
        )
        set_up.add_argument(
            "--orgs",
            type=int,
            default=setup.POPULATION,
            help=f"Organizations in the demo population (default {setup.POPULATION}).",
        )
        gen = sub.add_parser("generate", help="Generate a synthetic population and score it.")
        gen.add_argument("--orgs", type=int, required=True, help="How many organizations.")
        gen.add_argument(
            "--years", required=True, help="The years measured, e.g. 2019-2026 (inclusive)."
        )
        gen.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        gen.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='The database alias to fill (default "default").',
        )
        gen.add_argument(
            "--replace", action="store_true", help="Remove earlier generated data first."
        )
        gen.add_argument(
            "--resamples",
            type=int,
            default=None,
            help="Bootstrap resamples when scoring (default: MOGNAD_BOOTSTRAP_RESAMPLES).",
        )
        gen.add_argument(
            "--jobs", type=int, default=1, help="Processes that score in parallel (default 1)."
        )
        rm = sub.add_parser("remove", help="Remove everything `generate` wrote.")
        rm.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        self.verbosity = int(options.get("verbosity", 1))
        try:
            if action in {"setup", "generate"}:
                tune_process()  # scores many measurements
            if action == "setup":
                report = setup.run(population=options["orgs"])
                self.stdout.write(report.describe())
            elif action == "generate":
                result = generate(
                    organizations=options["orgs"],
                    years=parse_years(options["years"]),
                    seed=options["seed"],
                    database=options["database"],
                    replace=options["replace"],
                    resamples=options["resamples"],
                    jobs=options["jobs"],
                    progress=self._progress,
                )
                self.stdout.write(result.describe())
            elif action == "remove":
                removed = remove(database=options["database"])
                self.stdout.write(f"Removed the demo data of {removed} organizations.\n")
        except GenerateError as error:
            raise CommandError(str(error)) from None

    def _progress(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stderr.write(message)
            sys.stderr.flush()
