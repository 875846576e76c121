"""What every page needs to know about the visitor's cookie choice (templates/base.html).

Reads the consent cookie only; it never touches the database, so error pages can use it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from mognad.privacy import consent


@dataclass(frozen=True)
class PrivacyContext:
    choice: str | None
    # The banner stays until a choice is made for the current cookie text.
    show_banner: bool
    # Only then is diagnostics.js part of the page at all.
    diagnostics: bool
    # Whether diagnostics.js should count this browser (once a day).
    report_visit: bool


def privacy(request: HttpRequest) -> dict[str, PrivacyContext]:
    current = consent.from_request(request)
    counted_today = request.COOKIES.get(consent.DIAGNOSTICS_COOKIE_NAME) == (
        timezone.localdate().isoformat()
    )
    return {
        "privacy_consent": PrivacyContext(
            choice=current.choice,
            # Not on the cookie settings page itself: it offers the same choice in full.
            show_banner=not current.made and request.path != reverse("privacy:cookies"),
            diagnostics=current.diagnostics,
            report_visit=current.diagnostics and not counted_today,
        )
    }
