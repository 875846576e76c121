"""The interactive API reference (/api/v1/docs): Swagger UI from our own static files, CSP-safe.

The `page` fixture fails the test on any request to another origin, any script error and any
Content-Security-Policy violation reported on the console.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_reference_lists_the_operations_without_a_csp_violation(page, live_server, db):
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/api/v1/")
    reference = page.evaluate("() => document.body.innerText")
    assert "/api/v1/docs" in reference
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    shown = {
        t.replace("\u200b", "") for t in page.locator(".opblock-summary-path").all_inner_texts()
    }
    schema = page.request.get(live_server.url + "/api/v1/openapi.json").json()
    assert shown == set(schema["paths"])
    assert "/api/v1/organizations/" in shown
    assert console == []


def test_an_operation_opens_with_its_parameters(page, live_server, db):
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".opblock-summary-control").first.click()
    page.locator(".opblock-body").first.wait_for()
    assert page.locator(".opblock-body").first.is_visible()


def test_the_reference_passes_axe(page, live_server, db, check_page):
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    check_page(page, "api-reference")


def test_an_opened_operation_passes_axe(page, live_server, db, check_page):
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".opblock-summary-control").first.click()
    page.locator(".opblock-body").first.wait_for()
    check_page(page, "api-reference-operation")
