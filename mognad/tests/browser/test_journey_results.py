"""A key user reads every results page of her organization and downloads the report and exports.

Ankeby kommun has two closed years (2025 and 2026) and six peer organizations, built by the results
factories, which score and store through the same code as a real close
(`mognad.results.compute.compute_and_store`), and the benchmarks are computed as the job does.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mognad.tests.browser.test_journey_respondent import new_device  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

RESULT_PAGES = [
    ("Översikt", "overview"),
    ("Kategorier och förmågor", "categories"),
    ("Intern jämförelse", "internal"),
    ("Alla organisationer", "all-organizations"),
    ("Över tid", "over-time"),
    ("Förbättringsförslag", "suggestions"),
]


@pytest.fixture
def ankeby_results(ankeby, settings):
    """Ankeby 2025 and 2026 (24 respondents each, one unit under k) and six peers in 2026."""
    from mognad.results.benchmarks import compute_benchmarks
    from mognad.results.tests.factories import Answers, closed_measurement, peer_organizations

    settings.BOOTSTRAP_RESAMPLES = 100
    settings.ANONYMITY_K = 5
    units = {unit.name: unit for unit in ankeby.units.all()}

    def groups(shift: float) -> list[Answers]:
        return [
            Answers(4, units["Kommunledningsförvaltningen"], "manager", 4.2 + shift),
            Answers(4, units["Kommunledningsförvaltningen"], "top_management", 4.5 + shift),
            Answers(6, units["Socialförvaltningen"], "staff", 3.0 + shift),
            Answers(7, units["Äldreomsorg"], "staff", 2.8 + shift),
            Answers(3, units["Utbildningsförvaltningen"], "it", 4.0 + shift),
        ]

    closed_measurement(ankeby, groups(-0.8), year=2025, seed=2)
    closed_measurement(ankeby, groups(0.0), year=2026, seed=1)
    peer_organizations(6, named=2)
    compute_benchmarks(2026)
    return ankeby


def download(page: Page, link_name: str, tmp_path: Path) -> tuple[str, bytes]:
    """Click a download link; the suggested file name and the bytes that arrived."""
    # The PDF report takes a while to render on a busy machine.
    with page.expect_download(timeout=120_000) as arrived:
        page.get_by_role("region", name="Ladda ner").get_by_role("link", name=link_name).click(
            timeout=120_000
        )
    file = tmp_path / arrived.value.suggested_filename
    arrived.value.save_as(file)
    return arrived.value.suggested_filename, file.read_bytes()


def keep_pdf_pages(pdf: Path, name: str) -> list[Path]:
    """Pages of the report (the matrix, the categories with their charts, and the first chart of
    the statements) as PNG images next to the pages' screenshots, for a person to look at; the
    PDF is tagged."""
    from mognad.tests.browser.conftest import SCREENSHOTS

    info = subprocess.run(  # noqa: S603 - fixed programs on a file the test wrote
        ["pdfinfo", str(pdf)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    kept = []
    pages_count = int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))  # type: ignore[union-attr]
    statements = next(
        number
        for number in range(1, pages_count + 1)
        if "Svar per påstående:"
        in subprocess.run(  # noqa: S603
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    for number in (3, 4, statements):
        prefix = SCREENSHOTS / f"{name}-page-{number}"
        pages = ["-f", str(number), "-l", str(number)]
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-png", "-r", "100", "-singlefile", *pages, str(pdf), str(prefix)],  # noqa: S607
            check=True,
        )
        kept.append(prefix.with_suffix(".png"))
    assert all(path.stat().st_size > 10_000 for path in kept), kept
    return kept


# Defects found by this journey in mognad/results (still being built), reported to the lead; the
# test fails as soon as they are fixed, so this marker must then go.
RESULTS_DEFECTS = (
    "mognad/results: (1) every results page's h1 reads ': Ankeby kommun 2026' because "
    "page_title is never set for _layout.html's heading; (2) the .table-scroll wrappers are not "
    "focusable (axe scrollable-region-focusable at 360 px, also at 1280 px on internal and "
    "over time); (3) vega-embed injects <style> elements, which the CSP blocks (pass "
    "defaultStyle: false, and no default tooltip style, in static/results/charts.js)"
)


def test_a_key_user_reads_every_results_page(page, persona, log_in, ankeby_results, check_page):
    alice = persona("alice")
    log_in(page, alice)
    page.goto(f"/orgs/{ankeby_results.slug}/")
    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name="Resultat", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ankeby kommun 2026")

    results_nav = page.get_by_role("navigation", name="Resultat", exact=True)
    for link_name, screenshot in RESULT_PAGES:
        results_nav.get_by_role("link", name=link_name).click()
        page.wait_for_load_state()
        expect(results_nav.get_by_role("link", name=link_name)).to_have_attribute(
            "aria-current", "page"
        )
        expect(page.get_by_role("heading", level=1)).to_contain_text(link_name)
        check_page(page, f"journey-results-{screenshot}")

    # An earlier year, chosen in the year form.
    results_nav.get_by_role("link", name="Översikt").click()
    page.get_by_label("År", exact=True).select_option("2025")
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(re.compile(r"year=2025"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025")
    check_page(page, "journey-results-overview-2025")


def test_a_key_user_walks_every_year_of_over_time(
    page, persona, log_in, ankeby_results, check_page
):
    log_in(page, persona("alice"))
    page.goto(f"/orgs/{ankeby_results.slug}/results/")
    results_nav = page.get_by_role("navigation", name="Resultat", exact=True)
    results_nav.get_by_role("link", name="Över tid").click()
    # The year list offers the years with results, nothing else (the trend chart's marks are
    # labelled "År: …" too, hence the role).
    year_list = page.get_by_role("combobox", name="År")
    years = year_list.locator("option").all_inner_texts()
    assert years == ["2025", "2026"], years
    for year in years:
        year_list.select_option(year)
        page.get_by_role("button", name="Visa").click()
        expect(page).to_have_url(re.compile(rf"/results/over-time/\?year={year}$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text(
            f"Över tid: Ankeby kommun {year}"
        )
        expect(results_nav.get_by_role("link", name="Över tid")).to_have_attribute(
            "aria-current", "page"
        )
        expect(year_list).to_have_value(year)
        check_page(page, f"journey-results-over-time-{year}")


def test_a_key_user_downloads_the_report_and_the_exports(
    new_device,  # noqa: F811 (the fixture imported above)
    persona,
    log_in,
    ankeby_results,
    tmp_path,
):
    # Without JavaScript (no charts drawn): the pages and their download links work all the same.
    page = new_device(java_script_enabled=False)
    log_in(page, persona("alice"))
    page.goto(f"/orgs/{ankeby_results.slug}/results/")
    page.get_by_label("År", exact=True).select_option("2025")
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(re.compile(r"year=2025"))

    name, pdf = download(page, "Rapport (PDF)", tmp_path)
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF-"), (name, pdf[:20])
    keep_pdf_pages(tmp_path / name, "journey-results-report")
    name, xlsx = download(page, "Resultat som Excel", tmp_path)
    assert name.endswith(".xlsx") and xlsx.startswith(b"PK"), (name, xlsx[:20])
    name, csv = download(page, "Resultat som CSV", tmp_path)
    text = csv.decode("utf-8-sig")
    assert name.endswith(".csv") and "Ankeby kommun" in text and "2025" in text, name

    report_link = page.get_by_role("region", name="Ladda ner").get_by_role(
        "link", name="Rapport (PDF)"
    )
    response = page.context.request.get(report_link.get_attribute("href") or "", timeout=120_000)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_an_outsider_gets_the_not_found_page_for_another_organizations_results(
    page, persona, log_in, ankeby_results
):
    log_in(page, persona("charlie"))
    response = page.goto(f"/orgs/{ankeby_results.slug}/results/")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text("Ankeby")
    pdf = page.context.request.get(f"/orgs/{ankeby_results.slug}/results/report.pdf")
    assert pdf.status == 404 and not pdf.body().startswith(b"%PDF")
