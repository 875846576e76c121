"""The national coordinator reads the national view and generates the status report.

Eight municipalities measured in 2025 and 2026 (and one that has not started), built by the national
factories, which score and store through the real compute path.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mognad.tests.browser.test_journey_respondent import new_device  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

SLOW = 120_000  # the PDF of a whole year takes a while on a busy machine


@pytest.fixture
def two_years(transactional_db, settings):
    from mognad.national.tests.factories import build_two_years

    settings.BOOTSTRAP_RESAMPLES = 100
    settings.ANONYMITY_K = 5
    return build_two_years()


def download(page: Page, button: str, tmp_path: Path) -> tuple[str, bytes]:
    with page.expect_download(timeout=SLOW) as arrived:
        page.get_by_role("button", name=button).click(timeout=SLOW)
    file = tmp_path / arrived.value.suggested_filename
    arrived.value.save_as(file)
    return arrived.value.suggested_filename, file.read_bytes()


CHARTS_DEFECT = (
    "static/results/charts.js (used by the national view too): vega-embed injects <style> "
    "elements, which the Content-Security-Policy blocks; pass defaultStyle: false (and no default "
    "tooltip style) to vegaEmbed"
)


def test_the_coordinator_reads_the_national_view_of_two_years(
    page, persona, log_in, two_years, check_page, traffic
):
    log_in(page, persona("nadia"))
    page.goto("/national/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nationell bild 2026")
    expect(page.locator("main")).to_contain_text("Sovande kommun")  # has not started
    expect(page.locator("[data-chart] svg").first).to_be_visible()
    check_page(page, "journey-national-2026")

    page.get_by_label("År", exact=True).select_option("2025")
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(re.compile(r"year=2025"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nationell bild 2025")
    check_page(page, "journey-national-2025")
    assert not traffic.problems(), traffic.problems()


def test_the_coordinator_generates_the_status_report(
    new_device,  # noqa: F811 (the fixture imported above)
    persona,
    log_in,
    two_years,
    tmp_path,
):
    # Without JavaScript the charts are not drawn (their tables remain); the way to the report and
    # the report itself do not depend on scripts.
    page = new_device(java_script_enabled=False)
    log_in(page, persona("nadia"))
    page.goto("/national/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nationell bild 2026")
    page.get_by_role("link", name="Lägesrapporten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Den nationella lägesrapporten")
    page.get_by_label("År", exact=True).select_option("2026")
    page.get_by_label("Språk").select_option("sv")
    page.get_by_label("Format").select_option("pdf")
    name, pdf = download(page, "Ladda ner rapporten", tmp_path)
    assert name == "mognad-national-2026-sv.pdf"
    assert pdf.startswith(b"%PDF-"), pdf[:20]

    response = page.context.request.get(
        "/national/report/?year=2026&language=sv&format=pdf", timeout=SLOW
    )
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_the_report_form_passes_axe(page, persona, log_in, two_years, check_page):
    log_in(page, persona("nadia"))
    page.goto("/national/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Den nationella lägesrapporten")
    check_page(page, "journey-national-report-form")


def test_a_year_without_results_gets_a_clear_error_on_the_report_form(
    page, persona, log_in, two_years, check_page
):
    log_in(page, persona("nadia"))
    response = page.goto("/national/report/?year=1999&language=sv&format=pdf")
    assert response is not None and response.status == 400
    year = page.get_by_label("År", exact=True)
    expect(year).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"[id='{year.get_attribute('aria-describedby')}']")
    expect(error).to_have_text("Det finns inga resultat för det året att rapportera.")
    check_page(page, "journey-national-report-form-error")


def test_a_key_user_gets_the_not_found_page_for_the_national_view(page, persona, log_in):
    log_in(page, persona("alice"))
    response = page.goto("/national/")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text("Nationell bild")
    report = page.context.request.get("/national/report/?year=2026&language=sv&format=pdf")
    assert report.status == 404 and not report.body().startswith(b"%PDF")
