"""A visitor declines optional cookies, and later allows diagnostics from the footer's cookie page.

Without consent the diagnostics script is not part of any page and nothing is sent to
/diagnostics/; after consent the script is on every page and reports the visit once.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from mognad.tests.browser.conftest import tab_to

pytestmark = pytest.mark.browser

DIAGNOSTICS_SCRIPT = "script[src*='privacy/diagnostics']"


def press(page: Page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_a_visitor_declines_diagnostics_and_later_allows_them_from_the_footer(
    page, check_page, transactional_db
):
    from mognad.privacy.models import ConsentRecord, DiagnosticsAggregate

    to_diagnostics: list[str] = []
    page.on(
        "request",
        lambda request: (
            to_diagnostics.append(request.method)
            if re.search(r"/diagnostics/$", request.url)
            else None
        ),
    )

    # First visit: the banner asks, and nothing optional runs yet.
    page.goto("/")
    banner = page.get_by_role("region", name="Kakor på Mognad")
    expect(banner).to_be_visible()
    expect(page.locator(DIAGNOSTICS_SCRIPT)).to_have_count(0)

    # "Only necessary", by keyboard: the banner goes, the visitor stays on the front page.
    press(page, "section.consent-banner button[value=necessary]")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("section.consent-banner")).to_have_count(0)
    expect(page.locator(DIAGNOSTICS_SCRIPT)).to_have_count(0)
    page.goto("/privacy/")
    expect(page.locator(DIAGNOSTICS_SCRIPT)).to_have_count(0)
    assert ConsentRecord.objects.filter(choice="necessary").count() == 1

    # Later: "Cookie settings" in the footer shows the choice and lets the visitor change it.
    press(page, "footer a[href='/cookies/']")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cookie-inställningar")
    expect(page.locator("main")).to_contain_text("Du har valt endast nödvändiga kakor.")
    check_page(page, "journey-cookies-declined")
    assert to_diagnostics == [], "a page talked to /diagnostics/ without consent"
    assert not DiagnosticsAggregate.objects.exists()

    with page.expect_request(re.compile(r"/diagnostics/$")) as visit:
        press(page, "main form.consent-form button[value=diagnostics]")
    assert visit.value.method == "POST"
    expect(page.get_by_role("status")).to_have_text("Ditt val har sparats.")
    expect(page.locator("main")).to_contain_text("Du har tillåtit diagnostik.")
    expect(page.locator(DIAGNOSTICS_SCRIPT)).to_have_count(1)
    check_page(page, "journey-cookies-allowed")

    # The script is now on every page, but the browser is counted once a day.
    page.goto("/")
    expect(page.locator(DIAGNOSTICS_SCRIPT)).to_have_count(1)
    expect(page.locator(DIAGNOSTICS_SCRIPT)).to_have_attribute("data-report-visit", "false")
    visits = DiagnosticsAggregate.objects.filter(kind=DiagnosticsAggregate.Kind.VISIT)
    assert [(row.browser, row.count) for row in visits] == [("Chrome", 1)]
    assert ConsentRecord.objects.filter(choice="diagnostics").count() == 1


def test_on_a_phone_the_banner_leaves_most_of_the_first_screen_to_the_page(page: Page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")
    banner = page.locator(".consent-banner")
    expect(banner).to_be_visible()
    box = banner.bounding_box()
    assert box is not None and box["height"] <= 740 / 2, box
    # Both choices stay large enough to tap (44 px) and side by side.
    buttons = [b.bounding_box() for b in banner.get_by_role("button").all()]
    assert len(buttons) == 2 and all(b is not None and b["height"] >= 44 for b in buttons)
    assert buttons[0]["y"] == buttons[1]["y"]
