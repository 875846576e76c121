"""Every page in PAGES passes axe at 1280 and 360 px wide, with screenshots: one line per page."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from mognad.tests.isolation import route_named

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Screen:
    name: str  # screenshot name: test-artifacts/screenshots/<name>-<width>.png
    # A path ("/x/") or a route name ("orgs:detail"); parameters come from the isolation matrix's
    # SAMPLES (mognad/tests/isolation.py), so they name Ankeby's objects.
    url: str
    as_user: str | None = None  # a persona from mognad/conftest.py, or anonymous
    status: int = 200
    # A known defect, tracked here until fixed (strict: the test fails once the page passes).
    known_defect: str | None = None

    def path(self, world) -> str:
        return self.url if self.url.startswith("/") else route_named(self.url).path(world)


PAGES = [
    Screen("front-page", "home"),
    Screen("login", "login"),
    Screen("not-found", "/no-such-page/", status=404),
    Screen("front-page-logged-in", "home", as_user="alice"),
    Screen("instrument-preview", "instrument:preview", as_user="alice"),
    Screen("cookies", "privacy:cookies"),
    Screen("privacy-notices", "privacy:notices"),
    Screen("privacy-respondents", "privacy:respondents"),
    Screen("privacy-administrators", "privacy:administrators"),
    Screen("privacy-settings", "privacy:settings", as_user="nadia"),
    Screen("accessibility-statement", "privacy:accessibility"),
    Screen("diagnostics-overview", "privacy:diagnostics", as_user="nadia"),
    Screen("account", "orgs:account", as_user="alice"),
    Screen("dashboard", "orgs:dashboard", as_user="alice"),
    Screen("organization", "orgs:detail", as_user="alice"),
    Screen("members", "orgs:members", as_user="alice"),
    Screen("organization-settings", "orgs:settings", as_user="alice"),
    Screen("audit-log", "orgs:audit", as_user="alice"),
    Screen("unit-admin-organization", "orgs:detail", as_user="bob"),
    Screen("year", "surveys:year", as_user="alice"),
    Screen("outbox", "surveys:outbox", as_user="nadia"),
    Screen("measurements", "surveys:list", as_user="alice"),
    Screen("measurement", "surveys:detail", as_user="alice"),
    Screen("measurement-settings", "surveys:settings", as_user="alice"),
    Screen("measurement-windows", "surveys:windows", as_user="alice"),
    Screen("respondents", "surveys:respondents", as_user="alice"),
    Screen("respondents-import", "surveys:import", as_user="alice"),
    Screen("questionnaire-preview", "surveys:preview", as_user="alice"),
    Screen("invitation-preview", "surveys:preview_email", as_user="alice"),
    Screen("national-report-form", "national:report", as_user="nadia"),
    Screen("api-tokens", "api:tokens", as_user="alice"),
    Screen("offboard", "privacy:offboard", as_user="alice"),
    Screen("data-subject", "privacy:data_subject", as_user="alice"),
    Screen("data-subject-all", "privacy:data_subject_all", as_user="nadia"),
]


def _cases() -> list:
    return [
        pytest.param(
            screen,
            id=screen.name,
            marks=[pytest.mark.xfail(reason=screen.known_defect, strict=True)]
            if screen.known_defect
            else [],
        )
        for screen in PAGES
    ]


@pytest.mark.parametrize("screen", _cases())
def test_the_page_has_no_accessibility_violations(screen, page, world, persona, log_in, check_page):
    if screen.as_user:
        log_in(page, persona(screen.as_user))
    path = screen.path(world)
    response = page.goto(path)
    assert response is not None and response.status == screen.status
    assert page.url.endswith(path), f"{screen.name} redirected to {page.url}"
    check_page(page, screen.name)
