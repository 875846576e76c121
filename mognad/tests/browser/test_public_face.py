"""What an anonymous visitor's browser fetches: no page asks for anything that is not there."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_no_page_logs_a_missing_file(page, live_server, db):
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for address in ["/", "/accounts/login/", "/privacy/", "/cookies/"]:
        page.goto(live_server.url + address)
        page.wait_for_load_state("networkidle")
    # The browser's own request for the icon, as Chromium makes it for bookmarks and tabs.
    icon = page.request.get(live_server.url + "/favicon.ico")
    assert icon.status == 200
    assert icon.headers["content-type"] == "image/x-icon"
    assert failed == []
