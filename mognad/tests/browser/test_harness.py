"""The harness must be able to fail: it catches violations, foreign requests and CSP breaks."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser


def test_check_page_fails_on_an_accessibility_violation_and_names_it(page, check_page):
    page.goto("/")
    page.evaluate(
        """() => {
            const image = document.createElement('img');
            image.src = '/static/no-such-image.png';
            document.querySelector('main').appendChild(image);
        }"""
    )
    with pytest.raises(AssertionError) as failure:
        check_page(page, "harness-broken-page")
    message = str(failure.value)
    assert "image-alt" in message
    assert "at 1280 px" in message and "at 360 px" in message
    assert "main > .wrap > img" in message or "img" in message


def test_a_request_to_another_origin_is_blocked_and_recorded(page, traffic):
    # A navigation is not subject to the page's CSP, so only the harness's guard stops it.
    with pytest.raises(PlaywrightError):
        page.goto("https://cdn.example.com/library.js")
    assert traffic.foreign == ["https://cdn.example.com/library.js"]
    traffic.foreign.clear()  # the problem was expected here; do not fail the teardown


def test_an_inline_script_is_refused_by_the_csp_and_recorded(page, traffic):
    page.goto("/")
    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.ranInline = true';
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ranInline === undefined")
    assert any("CSP violation" in error for error in traffic.errors), traffic.errors
    traffic.errors.clear()


def test_a_page_from_our_own_origin_passes(page, traffic, check_page):
    page.goto("/")
    check_page(page, "harness-front-page")
    assert traffic.problems() == []


def test_check_page_fails_when_the_page_scrolls_sideways_on_a_phone(page, check_page):
    page.goto("/")
    page.evaluate(
        """() => {
            const wide = document.createElement('p');
            wide.id = 'too-wide';
            wide.textContent = 'A very long line';
            wide.className = 'muted';
            document.querySelector('main').appendChild(wide);
            wide.style.width = '600px';
        }"""
    )
    with pytest.raises(AssertionError) as failure:
        check_page(page, "harness-too-wide")
    message = str(failure.value)
    assert "scrolls sideways at 360 px" in message
    assert "p#too-wide.muted reaches" in message
    assert "at 1280 px" not in message
