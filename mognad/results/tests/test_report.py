"""The PDF report: rendered, its text checked, its pages turned into images."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from mognad.results.tests.helpers import url


def pdf_text(path):
    return subprocess.run(  # noqa: S603 - a fixed program on a file the test wrote
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def page_count(path):
    info = subprocess.run(  # noqa: S603
        ["pdfinfo", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


@pytest.fixture
def report_pdf(alice_client, ankeby, results_2025, benchmarks, tmp_path):
    response = alice_client.get(url("report_pdf", ankeby))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    return path


def test_the_report_has_every_section_in_swedish(report_pdf):
    text = pdf_text(report_pdf)
    for heading in (
        "Digital mognad 2026",
        "Sammanfattning",
        "Matrisen",
        "Kategorier och förmågor",
        "Intern jämförelse",
        "Alla organisationer",
        "Över tid",
        "Förbättringsförslag",
        "Metod och datakvalitet",
    ):
        assert heading in text, heading
    assert "Utbildningsförvaltningen" in text
    assert "1 / " in text  # page numbers
    # Six pages or so of them are the statements of the six categories, a chart and a table each.
    assert 8 <= page_count(report_pdf) <= 24


def pdf_info(path):
    return subprocess.run(  # noqa: S603
        ["pdfinfo", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout


# DejaVu Sans's glyph box (ascender + descender) is 1.164 of its size: pdftotext's word boxes.
GLYPH_BOX = 1.164


def word_sizes(path):
    """Each horizontal word of the PDF (text of the charts included: WeasyPrint draws their SVG
    text as text) with its font size in pt, from the word's box."""
    out = subprocess.run(  # noqa: S603
        ["pdftotext", "-bbox", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out
    )
    for x0, y0, x1, y1, word in words:
        width, height = float(x1) - float(x0), float(y1) - float(y0)
        if width >= height:  # a vertical axis title's box is as wide as its font is high
            yield word, height / GLYPH_BOX


def test_the_report_is_a_tagged_pdf_with_no_text_under_8_pt_and_no_ids(report_pdf, ankeby):
    info = pdf_info(report_pdf)
    assert "Tagged:          yes" in info
    assert "Title:           Digital mognad 2026: Ankeby kommun" in info
    small = sorted({(w, round(size, 1)) for w, size in word_sizes(report_pdf) if size < 7.95})
    assert small == []
    from mognad.results.tests.chart_labels import ID_PATTERN, instrument_ids

    text = pdf_text(report_pdf)
    ids = instrument_ids(ankeby.measurements.first().instrument.definition())
    assert [m for m in ID_PATTERN.findall(text) if m in ids] == []
    # Names are there instead (the capabilities' chart and table).
    assert "Kompetensförsörjning" in text and "Öppna data" in text


def test_the_pages_render_as_images(report_pdf, tmp_path):
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "3",
            str(report_pdf),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == 3
    assert all(image.stat().st_size > 1000 for image in images)


def test_the_command_writes_an_english_report(ankeby, results_2026, tmp_path):
    out = tmp_path / "ankeby.pdf"
    call_command(
        "results", "report", "--org", "9901", "--year", "2026", "--lang", "en", "--out", str(out)
    )
    text = pdf_text(out)
    assert "Digital maturity 2026" in text
    assert "Method and data quality" in text


def test_the_command_explains_an_unknown_organization_or_year(ankeby, results_2026, tmp_path):
    out = str(tmp_path / "x.pdf")
    with pytest.raises(CommandError, match="No organization"):
        call_command("results", "report", "--org", "0000", "--year", "2026", "--out", out)
    with pytest.raises(CommandError, match="no closed measurement"):
        call_command("results", "report", "--org", ankeby.slug, "--year", "2019", "--out", out)


def test_outsiders_get_404_and_anonymous_visitors_log_in(
    charlie_client, client, ankeby, results_2026
):
    assert charlie_client.get(url("report_pdf", ankeby)).status_code == 404
    response = client.get(url("report_pdf", ankeby))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_mognad_report_organization_writes_the_report(ankeby, results_2026, tmp_path, capsys):
    out = tmp_path / "via-report.pdf"
    call_command(
        "report", "organization", "--org", ankeby.slug, "--year", "2026", "--out", str(out)
    )
    assert "Digital mognad 2026" in pdf_text(out)
    assert str(out) in capsys.readouterr().out


def test_each_category_has_a_chart_of_its_statements_labelled_with_their_texts(report_pdf, ankeby):
    from mognad.results import pages, report

    instrument = ankeby.measurements.first().instrument.definition()
    page = pages.load(ankeby, year=2026, unit=None, scope=None)
    groups = report.build(page).statements
    assert [g.category for g in groups] == [c.name.get("sv") for c in instrument.categories]
    for group, category in zip(groups, instrument.categories, strict=True):
        texts = [i.text.get("sv") for cap in category.capabilities for i in cap.items]
        assert [row.label for row in group.rows] == texts
        assert group.chart is not None
        labels = {row["label"] for row in group.chart["layer"][0]["data"]["values"]}
        assert labels == set(texts)
        assert group.chart["title"] == f"Svar per påstående: {category.name.get('sv')}"
    # In the PDF: each chart's title and statement texts drawn as text (the PDF's words are
    # checked for ids and for size >= 8 pt above), in a tagged PDF.
    words = " ".join(pdf_text(report_pdf).split())
    assert "Påståenden och svar" in words
    for group in groups:
        assert f"Svar per påstående: {group.category}" in words
    assert "Tagged:          yes" in pdf_info(report_pdf)


def test_no_page_ends_with_a_heading(report_pdf, ankeby):
    """No orphaned headings: a heading always has what it introduces below it on its page."""
    from mognad.results import pages, report

    page = pages.load(ankeby, year=2026, unit=None, scope=None)
    html = report.render_html(page)
    headings = {
        " ".join(re.sub(r"<[^>]+>", "", text).split())
        for text in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html, re.S)
    }
    assert "Påståenden och svar" in headings and "Effektivitet" in headings
    for number in range(1, page_count(report_pdf) + 1):
        lines = subprocess.run(  # noqa: S603
            ["pdftotext", "-f", str(number), "-l", str(number), str(report_pdf), "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        content = [" ".join(line.split()) for line in lines if line.strip()]
        content = [line for line in content if not re.fullmatch(r"\d+ / \d+", line)]
        assert content and content[-1] not in headings, (number, content[-3:])
