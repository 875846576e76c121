"""The follow-up: the plan page's changes use the over-time tab's one test on released figures;
the results' Över tid page marks the capabilities the plan of the year before had actions for;
the organization's PDF report has the plan and the follow-up as a section (still tagged)."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from mognad.plans.queries import follow_up
from mognad.plans.tests.helpers import a_plan, measured
from mognad.results import extensions, pages, report
from mognad.results.figures import ORGANIZATION, MeasurementFigures
from mognad.results.pages.over_time import change
from mognad.results.queries import results_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years(ankeby):
    return measured(ankeby, year=2025, level=3.0), measured(ankeby, year=2026, level=4.5, seed=5)


@pytest.fixture
def capabilities(two_years):
    return two_years[0].instrument.definition().capabilities


def test_the_follow_up_is_the_over_time_change_of_the_released_figures(
    ankeby, alice, two_years, capabilities
):
    before_m, after_m = two_years
    first, second, dropped = capabilities[0], capabilities[1], capabilities[2]
    plan = a_plan(
        before_m,
        alice,
        {"title": "Två förmågor", "capabilities": [first.id, second.id]},
        {"title": "Avbruten", "capabilities": [dropped.id], "status": "dropped"},
    )
    action = plan.actions.get(title="Två förmågor")
    found = follow_up(plan, [action]).by_action[action.pk]
    before = MeasurementFigures(before_m, results_of(before_m))
    after = MeasurementFigures(after_m, results_of(after_m))
    for row, capability in zip(found, (first, second), strict=True):
        old = before.figure(ORGANIZATION, ("capability", capability.id))
        new = after.figure(ORGANIZATION, ("capability", capability.id))
        assert row.before == old and row.after == new
        assert row.change == change(old, new)
        assert row.change.ci[0] < row.change.delta < row.change.ci[1]
        assert row.beyond_noise == row.change.significant is True  # 1.5 scale steps up


def test_a_hidden_group_shows_no_figures_in_the_follow_up(
    ankeby, alice, two_years, capabilities, education
):
    # Utbildningsförvaltningen has no respondents: the door released nothing for it.
    plan = a_plan(two_years[0], alice, {"title": "Skolan", "unit": education})
    action = plan.actions.get()
    (row,) = follow_up(plan, [action], scope=education).by_action[action.pk]
    assert (row.before, row.after, row.change, row.beyond_noise) == (None, None, None, False)


def test_over_time_marks_the_capabilities_the_plan_of_the_year_before_had_actions_for(
    ankeby, alice, alice_client, two_years, capabilities
):
    first, dropped = capabilities[0], capabilities[2]
    a_plan(
        two_years[0],
        alice,
        {"title": "Inventera", "capabilities": [first.id]},
        {"title": "Avbruten", "capabilities": [dropped.id], "status": "dropped"},
    )
    response = alice_client.get(reverse("results:over_time", args=[ankeby.slug]))
    view = response.context["view"]
    marked = {row.name for row in view.capabilities if row.had_actions}
    assert view.plan_year == 2025 and marked == {first.name.get("en")}
    assert len(view.capabilities) == len(capabilities)
    assert response.content.decode().count('data-planned="yes"') == 1
    earlier = alice_client.get(reverse("results:over_time", args=[ankeby.slug]) + "?year=2025")
    assert earlier.context["view"].capabilities == ()


def test_a_unit_admins_marks_come_from_the_actions_of_their_subtree_only(
    ankeby, alice, two_years, capabilities, elder_care, education, social_services
):
    ours, theirs, everyones = capabilities[0], capabilities[1], capabilities[2]
    a_plan(
        two_years[0],
        alice,
        {"title": "Äldreomsorgen", "capabilities": [ours.id], "unit": elder_care},
        {"title": "Skolan", "capabilities": [theirs.id], "unit": education},
        {"title": "Hela kommunen", "capabilities": [everyones.id]},
    )
    assert extensions.planned_capabilities(ankeby, 2025) == {ours.id, theirs.id, everyones.id}
    assert extensions.planned_capabilities(ankeby, 2025, social_services) == {ours.id}
    assert extensions.planned_capabilities(ankeby, 2024) == frozenset()


def _pdf_text(pdf, tmp_path, *args):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603 - fixed programs on a file the test wrote
        [*args, str(path), "-"] if args[0] == "pdftotext" else [*args, str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_report_has_the_plan_and_the_follow_up_as_a_tagged_section(
    ankeby, alice, two_years, capabilities, tmp_path
):
    before_m, after_m = two_years
    a_plan(before_m, alice, {"title": "Inventera systemen", "capabilities": [capabilities[0].id]})
    a_plan(after_m, alice, {"title": "Gemensam förvaltningsmodell", "owner": "IT-chef"})
    with translation.override("sv"):
        page = pages.load(ankeby, year=2026, unit=None, scope=None)
        pdf = report.render_pdf(page)
        html = report.render_html(pages.load(ankeby, year=2025, unit=None, scope=None))
    text = " ".join(_pdf_text(pdf, tmp_path, "pdftotext").split())
    for expected in (
        "Handlingsplan 2026",
        "Gemensam förvaltningsmodell",
        "IT-chef",
        "Uppföljning 2025–2026",
        "Inventera systemen",
        "Större än bruset?",
    ):
        assert expected in text, expected
    assert "Tagged:          yes" in _pdf_text(pdf, tmp_path, "pdfinfo")
    # The report of 2025 never shows a later year: its plan, no follow-up.
    assert "Inventera systemen" in html and "Uppföljning 2025–2026" not in html
