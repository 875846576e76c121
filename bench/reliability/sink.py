"""A mail sink on loopback that records every message it accepts: `python -m bench.reliability.sink
--port P --record FILE`.

Each accepted message becomes one JSON line (recipients, Message-ID, the link in its text) written
and fsynced before the server answers "250", so the record holds every message the sender was told
was delivered. SIGTERM stops it (the mail server going away); the scenario starts a new one later
on the same port and record file.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import os
import re
import signal
import threading
from typing import Any

from aiosmtpd.controller import Controller

LINK_RE = re.compile(r"/r/([A-Za-z0-9_-]{43})/")


def summarize(content: bytes, recipients: list[str]) -> dict[str, Any]:
    """The facts the scenario checks about one message."""
    message = email.message_from_bytes(content, policy=email.policy.default)
    text = ""
    body = message.get_body(preferencelist=("plain",))
    if body is not None:
        text = body.get_content()
    found = LINK_RE.search(text)
    return {
        "to": [address.lower() for address in recipients],
        "message_id": str(message.get("Message-ID", "")),
        "subject": str(message.get("Subject", "")),
        "token": found.group(1) if found else "",
    }


class Recorder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        line = json.dumps(summarize(envelope.content, list(envelope.rcpt_tos)))
        with self.lock, open(self.path, "a", encoding="utf-8") as record:
            record.write(line + "\n")
            record.flush()
            os.fsync(record.fileno())
        return "250 Message accepted for delivery"


def read_record(path: str) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as record:
            return [json.loads(line) for line in record if line.strip()]
    except FileNotFoundError:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--record", required=True)
    args = parser.parse_args()
    controller = Controller(Recorder(args.record), hostname="127.0.0.1", port=args.port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()
    print(f"sink listening on 127.0.0.1:{args.port}", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
