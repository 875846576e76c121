"""The consent cookie: what it holds, how it is read and how a choice is written to a response.

The cookie value is `<choice>:<text version>`, e.g. `diagnostics:1`. A cookie written for an older
version of the cookie text counts as no choice at all, so the banner asks again after the text
changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from mognad.privacy.models import Choice

COOKIE_NAME = "mognad_consent"
COOKIE_AGE = 365 * 24 * 3600
# Bump when the banner or the cookie settings page changes what a visitor agrees to.
TEXT_VERSION = "1"

# Set only with consent: the day this browser was last counted (so it is counted once a day).
DIAGNOSTICS_COOKIE_NAME = "mognad_diagnostics"


@dataclass(frozen=True)
class Consent:
    choice: str | None

    @property
    def made(self) -> bool:
        return self.choice is not None

    @property
    def diagnostics(self) -> bool:
        return self.choice == Choice.DIAGNOSTICS


def parse(value: str | None) -> Consent:
    if not value or ":" not in value:
        return Consent(None)
    choice, _, version = value.partition(":")
    if version != TEXT_VERSION or choice not in Choice.values:
        return Consent(None)
    return Consent(choice)


def from_request(request: HttpRequest) -> Consent:
    return parse(request.COOKIES.get(COOKIE_NAME))


def write(response: HttpResponse, choice: str) -> None:
    """Store the choice in the browser; "only necessary" also removes the diagnostics cookie."""
    response.set_cookie(
        COOKIE_NAME,
        f"{choice}:{TEXT_VERSION}",
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    if choice != Choice.DIAGNOSTICS:
        response.delete_cookie(DIAGNOSTICS_COOKIE_NAME, samesite="Lax")
