"""Issue 17's browser test, the examples' part: a key user marks an action of the plan done and
publishes it as an example; the national coordinator approves it; another organization's key user
finds it beside their weakest capability ("Organisationer som din som höjde …"). axe at 1280 and
360 px on every page.

Ankeby kommun raised every capability from 2025 to 2026 (the same respondents' draws, two scale
steps higher); four other municipalities of size class M have two years too, so the count of
organizations like Bebyholm is shown; Bebyholm's weakest capability is the one the action was for.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _two_years(org, before: float, after: float, seed: int) -> None:
    from mognad.results.tests.factories import Answers, closed_measurement

    closed_measurement(org, [Answers(8, level=before)], year=2025, seed=seed)
    closed_measurement(org, [Answers(8, level=after)], year=2026, seed=seed)


@pytest.fixture
def world(ankeby, bebyholm, alice, settings):
    """Ankeby's plan for 2025 with an action about Bebyholm's weakest capability of 2026."""
    from mognad.examples.dialogue import weakest
    from mognad.orgs.models import Organization
    from mognad.plans.tests.helpers import a_plan
    from mognad.results import pages
    from mognad.results.tests.factories import Answers, closed_measurement

    settings.BOOTSTRAP_RESAMPLES = 100
    settings.ANONYMITY_K = 5
    for org in (ankeby, bebyholm):
        org.size_class, org.named_in_comparisons = "M", True
        org.save()
    _two_years(ankeby, 2.3, 4.5, seed=7)
    for i in range(4):
        peer = Organization.objects.create(
            name=f"Jämförby {i} kommun",
            slug=f"jamforby-{i}",
            kind="municipality",
            size_class="M",
            named_in_comparisons=True,
        )
        _two_years(peer, 3.4, 3.4, seed=20 + i)
    closed_measurement(bebyholm, [Answers(8, level=2.4)], year=2026, seed=40)
    page = pages.load(bebyholm, year=2026, unit=None, scope=None)
    capability = weakest(page)[0]
    measurement = ankeby.measurements.get(year=2025)
    a_plan(
        measurement,
        alice,
        {
            "title": "Systemägare för de viktigaste systemen",
            "description": "Ledningsgruppen utsåg en systemägare per system.",
            "capabilities": [capability.id],
            "owner": "IT-chef",
        },
    )
    return {"ankeby": ankeby, "bebyholm": bebyholm, "capability": capability.name}


TITLE = "Systemägare för de viktigaste systemen"


def _as(page: Page, log_in, user) -> None:
    page.context.clear_cookies()
    log_in(page, user)


def test_an_action_becomes_an_example_that_another_organization_finds_beside_its_weakest(
    page, persona, log_in, world, check_page
):
    ankeby, bebyholm = world["ankeby"], world["bebyholm"]

    # Ankeby's key user marks the action done and publishes it as an example.
    _as(page, log_in, persona("alice"))
    page.goto(f"/orgs/{ankeby.slug}/plan/2025/")
    action = page.get_by_role("article", name=TITLE)
    action.get_by_label("Ny status").select_option(label="Klar")
    action.get_by_role("button", name=re.compile("^Ändra status")).click()
    action = page.get_by_role("article", name=TITLE)
    action.get_by_role("link", name=re.compile("^Publicera som exempel")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriv ett exempel")
    expect(page.get_by_label("Rubrik", exact=True)).to_have_value(TITLE)
    expect(page.get_by_label(world["capability"], exact=True)).to_be_checked()
    page.get_by_label("Liten (några veckor, inom befintlig budget)").check()
    page.get_by_label("Kontakt (en roll, inte ett namn)").fill("IT-strateg")
    page.get_by_label("Visa vår organisations namn och våra siffror före och efter").check()
    check_page(page, "journey-examples-write")
    page.get_by_role("button", name="Spara som utkast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name="Skicka för granskning").click()
    expect(page.locator("main")).to_contain_text("Status: Väntar på granskning")
    check_page(page, "journey-examples-sent")

    # The national coordinator publishes it.
    _as(page, log_in, persona("nadia"))
    page.goto("/examples/review/")
    check_page(page, "journey-examples-review-list")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Granska exemplet")
    check_page(page, "journey-examples-review")
    page.get_by_label("Publicera exemplet").check()
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.locator("main")).to_contain_text("Exemplet publicerades.")

    # Bebyholm's key user finds it beside its weakest capability.
    _as(page, log_in, persona("charlie"))
    page.goto(f"/orgs/{bebyholm.slug}/results/suggestions/")
    beside = page.get_by_role(
        "region",
        name=f"Organisationer som din som höjde {world['capability']} med mer än 10 punkter "
        "gjorde så här",
    )
    expect(beside).to_contain_text(re.compile(r"1 av 5 organisationer som din höjde"))
    check_page(page, "journey-examples-beside")
    beside.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("Ankeby kommun")
    figures = page.get_by_role("table")
    expect(figures.get_by_role("columnheader", name="Förändring (95 %-intervall)")).to_be_visible()
    expect(figures.locator("tbody tr").first).to_contain_text("Ja")
    check_page(page, "journey-examples-found")


def test_the_result_dialogue_records_a_conclusion_that_becomes_an_action(
    page, persona, log_in, world, check_page
):
    ankeby = world["ankeby"]
    _as(page, log_in, persona("alice"))
    page.goto(f"/orgs/{ankeby.slug}/dialogue/?year=2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultatdialog 2026: Ankeby kommun")
    expect(page.get_by_role("heading", name="Där de svarande är minst eniga")).to_be_visible()
    weakest = page.locator(".dialogue-capability").first
    expect(weakest.locator("ol li")).to_have_count(3)
    name = weakest.get_by_role("heading", level=3).inner_text()
    check_page(page, "journey-dialogue")
    page.get_by_label(f"Slutsats om {name}").fill("Utse en ägare för varje system.")
    page.get_by_role("button", name="Spara slutsatserna").click()
    expect(page.locator("main")).to_contain_text("Slutsatserna sparades.")
    page.get_by_role("button", name=re.compile("^Gör till en åtgärd i handlingsplanen")).click()
    expect(page).to_have_url(re.compile(rf"/orgs/{ankeby.slug}/plan/2026/$"))
    action = page.get_by_role("article", name=f"{name}: Utse en ägare för varje system.")
    expect(action).to_contain_text("Från resultatdialogen")
    check_page(page, "journey-dialogue-plan")
