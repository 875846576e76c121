"""The registry command: `mognad orgs load-registry | import FILE | import-groups FILE`."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mognad.orgs import actions, registry


def _read(path: str) -> str:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file")
    if file.stat().st_size > 5 * 1024 * 1024:
        raise CommandError(f"{path}: larger than 5 MB")
    try:
        return file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text; save the file as CSV UTF-8") from None


class Command(BaseCommand):
    help = "The organization registry: load the built-in municipalities and regions, import others."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "load-registry", help="Create or correct the 290 municipalities and 21 regions."
        )
        imp = sub.add_parser(
            "import", help="Import agencies and companies: name, kind, code, county, employees."
        )
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="Check the file, write nothing.")
        groups = sub.add_parser(
            "import-groups", help="Import SKR municipality groups: code, group."
        )
        groups.add_argument("file")
        groups.add_argument("--dry-run", action="store_true", help="Check the file, write nothing.")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "load-registry":
            created, updated = registry.load_registry()
            self.stdout.write(f"registry: {created} created, {updated} updated")
            return
        text = _read(options["file"])
        parse = registry.parse_organizations if action == "import" else registry.parse_groups
        result = parse(text)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"{options['file']}: {error}")
            raise CommandError(f"{len(result.errors)} bad row(s); nothing was imported")
        if options["dry_run"]:
            self.stdout.write(f"{len(result.rows)} row(s) are valid; dry run, nothing written")
            return
        if action == "import":
            created, updated = actions.import_organizations(result.rows, by=None)
            self.stdout.write(f"organizations: {created} created, {updated} updated")
        else:
            changed = actions.import_municipality_groups(result.rows, by=None)
            self.stdout.write(f"municipality groups: {changed} changed")
