"""In Chromium: the banner by keyboard alone, and diagnostics.js really reporting to /diagnostics/.

Run with `pytest -m browser -p no:xdist mognad/tests/browser/test_consent_diagnostics.py`. It uses
the harness's one Chromium (conftest.py: a second Playwright in the same process cannot start, so
this file, once in privacy/tests with a browser of its own, failed beside the other browser tests).
"""

from __future__ import annotations

import time

import pytest

from mognad.privacy.models import ConsentRecord, DiagnosticsAggregate
from mognad.tests.browser.conftest import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(context):
    """A page of the harness's context (requests to other origins and CSP violations fail the
    test) without its check for script errors: these tests throw errors on purpose."""
    return context.new_page()


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
