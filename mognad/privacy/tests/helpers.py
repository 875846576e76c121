"""Small helpers for the privacy tests."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from django.test import Client

from mognad.privacy import consent


def choose(client: Client, choice: str) -> None:
    """Give the client's browser a consent cookie for the current cookie text."""
    client.cookies[consent.COOKIE_NAME] = f"{choice}:{consent.TEXT_VERSION}"


def post_report(client: Client, payload: object, **extra: object):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return client.post("/diagnostics/", body, content_type="application/json", **extra)


class Elements(HTMLParser):
    """Collects (tag, attributes) of every start tag in a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def where(self, **wanted: str) -> list[tuple[str, dict[str, str | None]]]:
        return [
            (tag, attrs)
            for tag, attrs in self.found
            if all(attrs.get(name) == value for name, value in wanted.items())
        ]
