"""The `mognad` command: Django's management commands with Mognad's settings."""

from __future__ import annotations

import os
import secrets
import sys

# Commands that never sign, store or send anything: they may run without a configured secret key,
# so a researcher can score a CSV file offline with nothing set up.
OFFLINE_COMMANDS = {"score"}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv if argv is None else ["mognad", *argv]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mognad.settings")
    if len(args) > 1 and args[1] in OFFLINE_COMMANDS and not os.environ.get("MOGNAD_SECRET_KEY"):
        # A random key for this process only; nothing it signs outlives the command.
        os.environ["MOGNAD_SECRET_KEY"] = secrets.token_urlsafe(50)
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
