"""The browser harness: Debian's Chromium driven by Playwright against pytest-django's live server.

Fixtures for every browser test:
- `browser` (session): one Chromium for the whole run, never downloaded (`/usr/bin/chromium`).
- `context` / `page`: a fresh, cookie-less context per test that records every request and fails the
  test if any request goes to another origin (no CDN, fonts or analytics) or a script error or
  Content-Security-Policy violation happens.
- `log_in(page, user)`: puts a logged-in session for `user` into the page's context.
- `check_page(page, name)`: axe-core (wcag2a, wcag2aa, wcag21aa) at 1280 px and 360 px wide, zero
  violations allowed, with a full-page screenshot `test-artifacts/screenshots/<name>-<width>.png`.

Every test in this folder is marked `browser`: `make test` skips them, `make browser` runs them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# Playwright's sync API runs an event loop in the test thread; the ORM must still work there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = os.environ.get("MOGNAD_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa"]
WIDTHS = {1280: 800, 360: 740}  # width → height of the viewport
HERE = Path(__file__).resolve().parent
# Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test, even if its module forgets the marker."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@dataclass
class Traffic:
    """What the pages of one test did: requests to other origins, script errors, CSP reports."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def request(self, url: str) -> bool:
        """Record a request; False when it leaves our origin (it is then blocked)."""
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            return True
        if f"{parts.scheme}://{parts.netloc}" == self.origin:
            return True
        self.foreign.append(url)
        return False

    def console(self, kind: str, text: str) -> None:
        if kind == "error" and "Content Security Policy" in text:
            self.errors.append(f"CSP violation: {text}")

    def problems(self) -> list[str]:
        return [f"request to another origin: {url}" for url in self.foreign] + self.errors


@pytest.fixture
def traffic(live_server) -> Traffic:
    return Traffic(origin=live_server.url.rstrip("/"))


@pytest.fixture
def context(browser: Browser, live_server, traffic: Traffic) -> Iterator[BrowserContext]:
    ctx = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": WIDTHS[1280]},
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
    )
    ctx.set_default_timeout(10_000)

    def guard(route, request) -> None:
        if traffic.request(request.url):
            route.continue_()
        else:
            route.abort()

    ctx.route("**/*", guard)
    yield ctx
    ctx.close()
    problems = traffic.problems()
    assert not problems, "The pages did something they must not:\n" + "\n".join(problems)


@pytest.fixture
def page(context: BrowserContext, traffic: Traffic) -> Page:
    new_page = context.new_page()
    new_page.on("console", lambda message: traffic.console(message.type, message.text))
    new_page.on("pageerror", lambda error: traffic.errors.append(f"script error: {error}"))
    return new_page


@pytest.fixture
def log_in(live_server):
    """`log_in(page, user)`: the page's context gets a session cookie for `user` (no login form;
    past the two-factor step for users with TOTP, like mognad.test.logged_in_client)."""
    from django.conf import settings

    from mognad.test import logged_in_client

    def do_log_in(page: Page, user) -> Page:
        client = logged_in_client(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )
        return page

    return do_log_in


def _violation_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            target = ", ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node.get('html', '')[:200]}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"      {line}" for line in summary.splitlines())
    return "\n".join(lines)


# The page must not scroll sideways (WCAG 1.4.10): null, or its width and the elements sticking out.
PAGE_OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width + 1) return null;
    const clipped = (element) => {
        // Content inside a scrolling container does not widen the page, unless it escapes
        // the container by being positioned against something outside it.
        if (['absolute', 'fixed'].includes(getComputedStyle(element).position)) return false;
        for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== 'visible') return true;
        }
        return false;
    };
    const culprits = [];
    for (const element of document.body.querySelectorAll('*')) {
        const box = element.getBoundingClientRect();
        if (box.right > width + 1 && culprits.length < 8 && !clipped(element)) {
            const name = element.tagName.toLowerCase()
                + (element.id ? '#' + element.id : '')
                + (element.className && typeof element.className === 'string'
                    ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
            culprits.push(name + ' reaches ' + Math.round(box.right) + ' px');
        }
    }
    return {width: document.documentElement.scrollWidth, culprits};
}"""


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def check_page(axe: Axe):
    """`check_page(page, name)`: zero axe violations at each width, and a screenshot of each."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def check(page: Page, name: str) -> None:
        original = page.viewport_size
        failures = []
        try:
            for width, height in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": height})
                page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
                results = axe.run(
                    page,
                    options={
                        "runOnly": {"type": "tag", "values": AXE_TAGS},
                        "resultTypes": ["violations"],
                    },
                )
                violations = results.response["violations"]
                overflow = page.evaluate(PAGE_OVERFLOW)
                if overflow:
                    failures.append(
                        f"{name} ({page.url}) scrolls sideways at {width} px (WCAG 1.4.10 "
                        f"Reflow); the page is {overflow['width']} px wide because of:\n"
                        + "\n".join(f"    {culprit}" for culprit in overflow["culprits"])
                    )
                if violations:
                    failures.append(
                        f"{len(violations)} accessibility violation(s) on {name} ({page.url}) "
                        f"at {width} px:\n{_violation_report(violations)}"
                    )
        finally:
            if original:
                page.set_viewport_size(original)
        assert not failures, "\n\n".join(failures)

    return check


def tab_to(page: Page, selector: str, *, limit: int = 60, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has keyboard focus."""
    target = page.locator(selector)
    target.wait_for(state="attached")
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("element => element === document.activeElement"):
            return
    focused = page.evaluate("document.activeElement && document.activeElement.outerHTML")
    raise AssertionError(
        f"{selector} never got keyboard focus after {limit} presses of {key}; "
        f"focus ended on {focused!r}"
    )


@pytest.fixture
def world(request, transactional_db):
    """Ankeby and the personas, as the isolation matrix sees them (fills URL parameters)."""
    from mognad.tests.isolation import world_from_personas

    return world_from_personas(request)


@pytest.fixture
def persona(request, transactional_db):
    """`persona("alice")`: one of the shared personas from mognad/conftest.py, by name."""

    def get(name: str):
        return request.getfixturevalue(name)

    return get


def log_in_with_password(page: Page, email: str) -> None:
    """The login pages as a person uses them: the e-mail address first (single sign-on routing),
    then the password (mognad.test.PASSWORD); a second step, if any, is the test's."""
    from mognad.test import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
