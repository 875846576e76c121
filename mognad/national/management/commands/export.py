"""`mognad export opendata --year Y --out DIR`, `mognad export research --years Y1-Y2 --out DIR`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mognad.national import opendata, pages, queries, research
from mognad.national.publishing import queries as publishing

YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def _year(raw: str) -> int:
    if not re.fullmatch(r"\d{4}", raw):
        raise CommandError(f"--year must be a year such as 2026, got {raw!r}.")
    return int(raw)


def _years(raw: str) -> tuple[int, int]:
    match = YEARS.match(raw)
    if not match:
        raise CommandError(f"--years must be a year or a range such as 2019-2026, got {raw!r}.")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise CommandError(f"--years must run forward in time ({first} is after {last}).")
    return first, last


def _folder(raw: str) -> Path:
    out = Path(raw)
    if out.exists() and not out.is_dir():
        raise CommandError(f"--out must be a folder; {out} is a file.")
    if not out.parent.exists():
        raise CommandError(f"The folder {out.parent} does not exist.")
    out.mkdir(exist_ok=True)
    return out


class Command(BaseCommand):
    help = (
        "Export data. `opendata` writes a year's per-organization scores (organizations that "
        "agreed to be named) and national aggregates as CSV with datapackage.json; `research` "
        "writes the anonymized respondent-level research dataset with its codebook."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", metavar="KIND")
        open_data = kinds.add_parser("opendata", help="A year's open data.")
        open_data.add_argument("--year", required=True, help="The year, e.g. 2026.")
        open_data.add_argument("--out", required=True, help="The folder to write into.")
        open_data.add_argument(
            "--release",
            help="A published version of the year (1, 2, …): its files exactly as published, "
            "instead of the current figures.",
        )
        research_data = kinds.add_parser("research", help="The research dataset.")
        research_data.add_argument("--years", required=True, help="A year or a range: 2019-2026.")
        research_data.add_argument("--out", required=True, help="The folder to write into.")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options.get("kind")
        if kind == "opendata" and options.get("release"):
            self._release(_year(str(options["year"])), str(options["release"]), options)
        elif kind == "opendata":
            year = _year(str(options["year"]))
            if year not in queries.years_with_results():
                raise CommandError(
                    f"No measurement closed with results in {year}: nothing to export."
                )
            out = _folder(str(options["out"]))
            try:
                written = opendata.export(year, out)
            except pages.NoInstrument:
                raise CommandError("No instrument is published yet.") from None
            files = ", ".join(f"{name} ({rows} rows)" for name, rows in written.items())
            self.stdout.write(f"Wrote {files}, README.md and datapackage.json to {out}.")
        elif kind == "research":
            first, last = _years(str(options["years"]))
            out = _folder(str(options["out"]))
            found = research.export(first, last, out)
            self.stdout.write(
                f"Wrote {found.answers} answers of {found.organizations} organizations "
                f"({found.organization_years} organization-years), organizations.csv, "
                f"codebook.md and datapackage.json to {out}."
            )
        else:
            raise CommandError(
                "Say what to export: mognad export opendata --year 2026 --out DIR, or "
                "mognad export research --years 2019-2026 --out DIR"
            )

    def _release(self, year: int, raw: str, options: dict[str, Any]) -> None:
        if not raw.isdigit():
            raise CommandError(f"--release must be a version number such as 1, got {raw!r}.")
        found = publishing.release(year, int(raw))
        if found is None:
            published = [str(r.version) for r in publishing.releases(year)]
            raise CommandError(
                f"Version {raw} of {year} is not published"
                + (f" (published: {', '.join(reversed(published))})." if published else ".")
            )
        out = _folder(str(options["out"]))
        names = [name for name in found.file_names() if name.startswith("opendata/")]
        for name in names:
            (out / name.removeprefix("opendata/")).write_bytes(found.file(name))
        self.stdout.write(f"Wrote {len(names)} files of {year} version {raw} to {out}.")
