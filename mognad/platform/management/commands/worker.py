"""`mognad worker`: run background tasks, periodic jobs (email delivery …) and a heartbeat."""

from __future__ import annotations

import logging
import signal
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand

from mognad.platform.worker import Worker


def _interval(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ArgumentTypeError(f"{raw!r} is not a number of seconds") from None
    if not 0 < value <= 3600:
        raise ArgumentTypeError("the interval must be more than 0 and at most 3600 seconds")
    return value


class Command(BaseCommand):
    help = (
        "Run the background worker: tasks, periodic jobs such as email delivery, and a heartbeat."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="Do one pass and exit (for tests).")
        parser.add_argument(
            "--interval",
            type=_interval,
            default=1.0,
            help="Seconds to wait between passes when there is nothing to do (default: 1).",
        )
        parser.add_argument("--worker-id", default=None, help="A unique name for this worker.")

    def handle(
        self, *args: Any, once: bool, interval: float, worker_id: str | None, **options: Any
    ) -> None:
        if options["verbosity"] > 0 and not logging.getLogger("mognad").handlers:
            # -v 2 also logs every periodic job's run with the time of its claim.
            level = logging.DEBUG if options["verbosity"] > 1 else logging.INFO
            logging.getLogger("mognad").setLevel(level)
        worker = Worker(interval=interval, worker_id=worker_id)
        previous = {sig: signal.signal(sig, worker.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            worker.run(once=once)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if once:
            self.stdout.write(f"worker {worker.worker_id}: one pass done")
