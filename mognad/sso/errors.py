"""Why a single sign-on was refused: a code for the audit log and a message for the person."""

from __future__ import annotations

from django.utils.functional import Promise


class SsoError(Exception):
    """A login through an identity provider that must not go through.

    `reason` is a short code for the audit log ("state", "signature", "audience", "expired",
    "replay", "not_invited" …); `message` tells the person what happened and what to do.
    """

    def __init__(self, reason: str, message: str | Promise) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = str(message)


class ConfigurationError(ValueError):
    """A configuration that cannot work (unreachable discovery, invalid metadata …)."""
