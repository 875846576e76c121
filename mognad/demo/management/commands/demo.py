"""`mognad demo setup`: what `make run` needs to show a newcomer a working Mognad."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from mognad.demo import setup


class Command(BaseCommand):
    help = "Demo data: `setup` prepares the instrument and demo logins (used by make run)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("setup", help="Publish the default instrument and create the demo logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "setup":
            report = setup.run()
            self.stdout.write(report.describe())
