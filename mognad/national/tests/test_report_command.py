"""`mognad report national`: the status report as PDF (text read back with pdftotext, pages turned
into PNG with pdftoppm) and HTML; reproducible; names only organizations that opted in."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from mognad.national.tests.factories import build_two_years

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "national"


@pytest.fixture(scope="module")
def tools():
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.fail("poppler-utils (pdftotext, pdftoppm) are needed to check the PDF report")


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} (poppler-utils) is needed to check the PDF report"
    return found


def pdf_text(path: Path) -> str:
    """The text of the PDF with every run of whitespace as one space."""
    words = subprocess.run(  # noqa: S603 (a fixed tool on our own file)
        [_tool("pdftotext"), str(path), "-"], check=True, capture_output=True, text=True
    ).stdout.split()
    return " ".join(words)


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def swedish_pdf(django_db_setup, django_db_blocker, tmp_path_factory):
    """The Swedish PDF of the two-year population, rendered once for this module's tests (the
    data is built in a transaction that is rolled back afterwards)."""
    out = tmp_path_factory.mktemp("report") / "rapport.pdf"
    with django_db_blocker.unblock(), override_settings(BOOTSTRAP_RESAMPLES=100, ANONYMITY_K=5):
        try:
            with transaction.atomic():
                build_two_years()
                call_command("report", "national", "--year", "2026", "--out", str(out))
                raise _Rollback
        except _Rollback:
            pass
    return out


def test_the_pdf_report_has_every_section_in_swedish(swedish_pdf, tools):
    assert swedish_pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(swedish_pdf)
    for heading in (
        "Digital mognad i offentlig sektor 2026",
        "Sammanfattning",
        "Deltagande",
        "Nationell mognad och dess förändring",
        "De fyra mognadstyperna",
        "Dimensioner, kategorier och förmågor",
        "Organisationsslag och storleksklasser",
        "Län och kommungrupper",
        "Verksamhetstyper",
        "Spridning inom och mellan organisationer",
        "Datakvalitet",
        "Metod",
    ):
        assert heading in text, heading
    assert "standard@2026.1" in text
    assert "Underlaget per" in text


def test_the_pages_turn_into_images(swedish_pdf, tools):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("report-*.png"):
        old.unlink()
    subprocess.run(  # noqa: S603 (a fixed tool on our own file)
        [_tool("pdftoppm"), "-png", "-r", "40", str(swedish_pdf), str(ARTIFACTS / "report")],
        check=True,
    )
    pages = sorted(ARTIFACTS.glob("report-*.png"))
    assert len(pages) >= 10
    assert all(p.read_bytes().startswith(b"\x89PNG") and p.stat().st_size > 1000 for p in pages)


def test_it_names_only_organizations_that_opted_in(swedish_pdf, tools):
    text = pdf_text(swedish_pdf)
    assert "Kommun 0" in text and "Kommun 1" in text
    # ("Kommun 299 …" is the row of municipalities in the participation table.)
    for i in range(2, 8):
        assert not re.search(rf"Kommun {i}(?!\d)", text)
    assert "Sovande kommun" not in text


def test_the_same_database_and_year_give_the_same_report(two_years, tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    call_command("report", "national", "--year", "2026", "--out", str(first))
    call_command("report", "national", "--year", "2026", "--out", str(second))
    assert first.read_bytes() == second.read_bytes()


def test_the_html_report_in_english_carries_its_stylesheet_and_chart_images(two_years, tmp_path):
    out = tmp_path / "report.html"
    call_command("report", "national", "--year", "2026", "--lang", "en", "--out", str(out))
    html = out.read_text()
    assert '<html lang="en">' in html
    assert "<style>" in html and "@page" in html
    assert html.count('src="data:image/svg+xml;base64,') >= 5
    assert "Spread within and between organizations" in html
    assert "The fixed panel" not in html or "fixed panel" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2026", "--out", "report.docx"], "must end in .pdf or .html"),
        (["--year", "26", "--out", "report.pdf"], "--year must be a year"),
        (["--year", "2026", "--lang", "fi", "--out", "report.pdf"], "--lang must be sv or en"),
        (["--year", "2019", "--out", "report.pdf"], "No measurement closed with results in 2019"),
    ],
)
def test_bad_arguments_get_a_clear_error_and_write_nothing(two_years, tmp_path, args, message):
    args = [str(tmp_path / a) if a.startswith("report.") else a for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("report", "national", *args)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_gets_a_clear_error(two_years, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "report", "national", "--year", "2026", "--out", str(tmp_path / "no" / "r.pdf")
        )


def test_without_a_kind_it_says_which_reports_there_are(db):
    with pytest.raises(CommandError, match="mognad report national"):
        call_command("report")


def test_the_organization_report_is_dispatched_to_the_results_app(db, tmp_path):
    pytest.importorskip("mognad.results.report")
    with pytest.raises(CommandError, match="No organization has the code or slug"):
        call_command(
            "report",
            "organization",
            "--org",
            "nobody",
            "--year",
            "2026",
            "--out",
            str(tmp_path / "r.pdf"),
        )
