"""In Chromium: the banner by keyboard alone, and diagnostics.js really reporting to /diagnostics/.

Marked `browser` (skipped by `make test`); run with
`pytest -m browser -p no:xdist mognad/privacy/tests/test_browser_consent.py`.
"""

from __future__ import annotations

import time

import pytest

from mognad.privacy.models import ConsentRecord, DiagnosticsAggregate
from mognad.tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context(base_url=live_server.url, locale="sv-SE")
        context.set_default_timeout(10_000)
        foreign = []

        def guard(route, request):
            if request.url.startswith(live_server.url) or request.url.startswith("data:"):
                route.continue_()
            else:
                foreign.append(request.url)
                route.abort()

        context.route("**/*", guard)
        yield context.new_page()
        browser.close()
    assert not foreign, f"requests to other origins: {foreign}"


def _wait_for(page, condition, seconds=10.0):
    # Playwright's sync API only serves the request router while it is called: never time.sleep.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        page.wait_for_timeout(100)
    return False


def test_a_keyboard_user_allows_diagnostics_and_the_browser_and_an_error_are_counted(page):
    page.goto("/")
    assert page.locator("script[src$='privacy/diagnostics.js']").count() == 0
    tab_to(page, "button[value=diagnostics]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator(".consent-banner").count() == 0
    assert page.locator("script[src$='privacy/diagnostics.js']").count() == 1
    assert list(ConsentRecord.objects.values_list("choice", flat=True)) == ["diagnostics"]
    assert _wait_for(page, lambda: DiagnosticsAggregate.objects.filter(kind="visit").exists())
    visit = DiagnosticsAggregate.objects.get(kind="visit")
    assert visit.browser == "Chrome" and visit.major_version > 0 and visit.count == 1

    page.evaluate(
        "setTimeout(() => { throw new Error('Boom at https://x.example/svar/?token=s3cr3t') })"
    )
    assert _wait_for(page, lambda: DiagnosticsAggregate.objects.filter(kind="error").exists())
    error = DiagnosticsAggregate.objects.get(kind="error")
    assert error.signature.startswith("Uncaught Error: Boom at https://x.example/svar/")
    assert "token" not in error.signature and "s3cr3t" not in error.signature

    page.reload()  # counted today already: the visit is not counted again
    page.wait_for_timeout(500)
    assert DiagnosticsAggregate.objects.get(kind="visit").count == 1


def test_a_keyboard_user_chooses_only_necessary_and_nothing_is_reported(page):
    page.goto("/privacy/")
    tab_to(page, "button[value=necessary]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/privacy/")
    assert page.locator(".consent-banner").count() == 0
    page.evaluate("setTimeout(() => { throw new Error('not reported') })")
    page.wait_for_timeout(500)
    assert page.locator("script[src$='privacy/diagnostics.js']").count() == 0
    assert not DiagnosticsAggregate.objects.exists()
