"""The `mognad` command: Django's management commands with Mognad's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mognad.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv if argv is None else ["mognad", *argv]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
