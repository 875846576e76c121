"""`mognad validate instrument --year Y [--format text|json] [--out FILE]`: the instrument's
reliability over a year's national answers (mognad/national/reliability.py, docs/scoring.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mognad.national.reliability import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    as_json,
    as_text,
    store,
    validate_year,
)
from mognad.scoring.reliability import ReliabilityError


class Command(BaseCommand):
    help = (
        "Validate the instrument: `instrument` reports its reliability over a year's answers "
        "and stores the figures for the national report and the research codebook."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_subparsers(dest="what", metavar="WHAT")
        instrument = what.add_parser(
            "instrument",
            help="α, ω, item–rest correlations, ICC, r_wg, CFA and measurement invariance.",
        )
        instrument.add_argument("--year", type=int, required=True, help="The year to analyse.")
        instrument.add_argument("--format", choices=("text", "json"), default="text")
        instrument.add_argument("--out", type=Path, help="Write to this file instead of stdout.")
        instrument.add_argument(
            "--draws",
            type=int,
            default=DEFAULT_DRAWS,
            help=f"Bootstrap draws for the α and ω intervals (default {DEFAULT_DRAWS}).",
        )
        instrument.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Seed of the bootstrap."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("what") != "instrument":
            raise CommandError("Say what to validate: mognad validate instrument --year 2026")
        if options["draws"] < 0:
            raise CommandError("--draws cannot be negative")
        try:
            report = validate_year(options["year"], draws=options["draws"], seed=options["seed"])
        except ReliabilityError as error:
            raise CommandError(str(error)) from error
        text = as_json(report) + "\n" if options["format"] == "json" else as_text(report)
        out: Path | None = options.get("out")
        if out is not None:
            try:
                out.write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot write {out}: {error.strerror}") from error
        store(report)
        if out is None:
            self.stdout.write(text, ending="")
        else:
            self.stdout.write(f"Wrote {out}")
        self.stderr.write(
            f"Stored for the national report and the research codebook of {report.year}."
        )
