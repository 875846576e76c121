"""A key user makes the action plan from the suggestions, assigns owners, marks an action done;
next year's results come in and the plan shows the follow-up with intervals, and Över tid marks
the capabilities that had actions (issue 17's browser test, the plan's part; publishing an example
is the examples journey's).

Ankeby kommun's 2025 results are built by the results factories (the same code as a real close);
the 2026 results arrive during the test, about 1.2 scale steps higher.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _results(org, year: int, level: float, seed: int) -> None:
    from mognad.surveys.tests.factories import AnswerGroup, closed_measurement

    units = {unit.name: unit for unit in org.units.all()}
    closed_measurement(
        org,
        [
            AnswerGroup(7, level=level, unit=units["Kommunledningsförvaltningen"]),
            AnswerGroup(7, level=level, unit=units["Socialförvaltningen"]),
        ],
        year=year,
        seed=seed,
    )


@pytest.fixture
def ankeby_2025(ankeby, settings):
    settings.BOOTSTRAP_RESAMPLES = 100
    settings.ANONYMITY_K = 5
    _results(ankeby, 2025, 3.0, seed=2)
    return ankeby


def _action(page: Page, title: str):
    return page.get_by_role("article", name=title)


def test_a_key_user_plans_from_the_suggestions_and_sees_the_follow_up_a_year_later(
    page, persona, log_in, ankeby_2025, check_page
):
    ankeby = ankeby_2025
    log_in(page, persona("alice"))
    persona("victor")
    page.goto(f"/orgs/{ankeby.slug}/")
    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name="Handlingsplan"
    ).click()
    page.get_by_role("link", name="Skapa handlingsplanen för 2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skapa handlingsplanen för 2025")
    check_page(page, "journey-plan-create")

    # Two of the proposals, the second reworded; owners assigned.
    first_title = page.locator("#id_p-0-title").input_value()
    page.locator("#id_p-0-take").check()
    page.locator("#id_p-0-owner").fill("IT-chef")
    page.locator("#id_p-0-due").fill("2025-12-31")
    page.locator("#id_p-1-take").check()
    page.locator("#id_p-1-title").fill("Gemensam förvaltningsmodell för alla system")
    page.locator("#id_p-1-owner").fill("Digitaliseringsstrateg")
    page.get_by_role("button", name="Skapa planen").click()
    expect(page).to_have_url(re.compile(rf"/orgs/{ankeby.slug}/plan/2025/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Handlingsplan 2025: Ankeby kommun")
    expect(_action(page, first_title)).to_contain_text("IT-chef")
    second = _action(page, "Gemensam förvaltningsmodell för alla system")
    expect(second).to_contain_text("Digitaliseringsstrateg")

    # A member as the second action's owner, on its change page.
    second.get_by_role("link", name=re.compile("^Ändra")).click()
    page.get_by_label("Ägare bland medlemmarna").select_option(label="Victor Vik")
    page.get_by_role("button", name="Spara").click()
    expect(_action(page, "Gemensam förvaltningsmodell för alla system")).to_contain_text(
        "Victor Vik"
    )

    # The first action is done.
    first = _action(page, first_title)
    first.get_by_label("Ny status").select_option(label="Klar")
    first.get_by_role("button", name=re.compile("^Ändra status")).click()
    expect(_action(page, first_title).locator("[data-status]")).to_have_text("Klar")
    expect(
        page.get_by_text("Uppföljningen visas här när nästa års resultat har kommit.")
    ).to_be_visible()
    check_page(page, "journey-plan-2025")

    # A year later: the 2026 results are in.
    _results(ankeby, 2026, 4.2, seed=3)
    page.reload()
    expect(page.locator("#follow-up-note")).to_contain_text("resultaten från 2026 har kommit")
    table = _action(page, first_title).get_by_role("table", name="Uppföljning 2025–2026")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Förändring (95 %-intervall)")).to_be_visible()
    expect(table.locator("tbody tr").first).to_contain_text(
        re.compile(r"\+\d+ \(\+\d+ till \+\d+\)")
    )
    expect(table.locator("tbody tr").first).to_contain_text("Ja")
    check_page(page, "journey-plan-follow-up")

    # Över tid marks the capabilities the 2025 plan had actions for.
    page.goto(f"/orgs/{ankeby.slug}/results/over-time/")
    marked = page.locator("tr[data-planned=yes]")
    expect(marked.first).to_contain_text("I handlingsplanen")
    assert 1 <= marked.count() <= 2
    check_page(page, "journey-plan-over-time")
