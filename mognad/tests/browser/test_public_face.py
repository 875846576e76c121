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


def test_a_visitor_finds_the_accessibility_statement_from_the_footer(page, live_server, check_page):
    page.goto(live_server.url + "/")
    page.locator("footer").get_by_role("link", name="Tillgänglighet").click()
    page.wait_for_url("**/accessibility/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tillgänglighetsredogörelse"
    check_page(page, "accessibility-statement-sv")
    page.locator("footer").get_by_role("button", name="In English").click()
    page.wait_for_url("**/accessibility/")
    assert page.get_by_role("heading", level=1).inner_text() == "Accessibility statement"
    check_page(page, "accessibility-statement-en")
