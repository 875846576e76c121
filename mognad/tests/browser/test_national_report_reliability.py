"""The national report's section on the instrument's reliability passes axe at 1280 and 360 px,
in Swedish and English (the report is the PDF's HTML source, with its stylesheet inside)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def reliability_stored(transactional_db, settings, monkeypatch):
    from mognad.national.tests.factories import build_two_years
    from mognad.scoring import reliability

    settings.BOOTSTRAP_RESAMPLES = 100
    settings.ANONYMITY_K = 5
    build_two_years()
    # The factories' 96 responses are too few for the usual 10 per statement: allow the factor
    # analysis, so the report shows every table of the section.
    monkeypatch.setattr(reliability, "RESPONDENTS_PER_STATEMENT", 2)
    call_command(
        "validate",
        "instrument",
        "--year",
        "2026",
        "--draws",
        "5",
        stdout=StringIO(),
        stderr=StringIO(),
    )


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_reliability_section_passes_axe(page, reliability_stored, check_page, language):
    from mognad.national.report import standalone_html

    page.set_content(standalone_html(2026, language))
    heading = (
        "Instrumentets tillförlitlighet" if language == "sv" else "The instrument's reliability"
    )
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("#reliability-heading ~ .table-scroll table")).to_have_count(3)
    check_page(page, f"national-report-reliability-{language}")
