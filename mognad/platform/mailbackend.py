"""Development email backend: one line per email instead of the raw MIME of Django's console
backend (250 lines per invitation buried the printed logins, issue 13). The whole email is on the
outbox page (/outbox/)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class OneLineConsoleBackend(BaseEmailBackend):
    def __init__(self, *args: Any, stream: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        with self._lock:
            for message in email_messages:
                self.stream.write(
                    f"[email] to {', '.join(message.to)}: {message.subject} "
                    f"(read it at {settings.BASE_URL}/outbox/)\n"
                )
            self.stream.flush()
        return len(email_messages)
