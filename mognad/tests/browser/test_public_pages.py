"""An anonymous visitor reads the public face (issue 14): from the front page to each public page.

Eight municipalities measured in 2025 and 2026 (two agreed to be named); 2026 is published as a
release, and afterwards a new organization's results and an open draft change the live figure.
Every public page answers 200, passes axe at 1280 and 360 px, and shows the published figure –
never the draft's.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LINKS = {
    "Nationella resultat": "/figures/",
    "Namngivna organisationer": "/figures/organizations/",
    "Metod": "/method/",
    "Enkät": "/instrument/",
    "Öppna data": "/open-data/",
    "Så går ni med": "/join/",
    "Tillgänglighetsredogörelse": "/accessibility/",
}


@pytest.fixture
def published_with_a_draft(transactional_db, settings):
    from mognad.national import store
    from mognad.national.publishing import actions
    from mognad.national.tests.factories import Group, build_two_years, measured, organization
    from mognad.test import make_user

    settings.BOOTSTRAP_RESAMPLES = 100
    settings.ANONYMITY_K = 5
    build_two_years()
    nadia = make_user("nadia.public@mognad.example", coordinator=True)
    draft = actions.draft_year(2026, by=nadia)
    release = actions.publish_draft(draft, by=nadia, early=True)
    measured(organization("Ny kommun", county="Alän"), [Group(8, value=6)], year=2026, seed=7)
    actions.draft_year(2026, by=nadia)
    return release.figures().national.overall.mean, store.figures(2026).national.overall.mean


def test_an_anonymous_visitor_reaches_every_public_page_from_the_front_page(
    page, live_server, published_with_a_draft, check_page
):
    from mognad.results.wording import percent

    published, draft = published_with_a_draft
    shown, hidden = percent(published).replace("\u00a0", " "), percent(draft).replace("\u00a0", " ")
    assert shown != hidden
    for label, path in LINKS.items():
        page.goto(live_server.url + "/")
        page.locator("main").get_by_role("link", name=label, exact=True).click()
        page.wait_for_url(f"**{path}")
        assert page.evaluate("() => document.readyState") == "complete"
        body = page.locator("main").inner_text().replace("\u00a0", " ")
        assert hidden not in body, f"{path} shows the draft's figure {hidden}"
        if path == "/figures/":
            expect(page.get_by_role("heading", level=1)).to_have_text("Nationella resultat 2026")
            assert shown in body
            expect(page.locator("[data-chart] svg").first).to_be_visible()
        check_page(page, "public" + path.strip("/").replace("/", "-"))


def test_every_public_page_answers_200(page, live_server, published_with_a_draft):
    for path in LINKS.values():
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path


def test_the_figures_read_in_english_pass_axe_too(
    page, live_server, published_with_a_draft, check_page
):
    page.goto(live_server.url + "/figures/")
    page.locator("footer").get_by_role("button", name="In English").click()
    page.wait_for_url("**/figures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("National figures 2026")
    expect(page.locator("[data-chart] svg").first).to_be_visible()
    check_page(page, "public-figures-en")
