"""The national status report of a year, as HTML and as PDF (WeasyPrint), in Swedish or English.

Generated from the database alone: the same database and year give the same report (its national
figures come from `store`, which serves stored figures only while their inputs are unchanged, so
they equal a fresh computation). It states the instrument version(s), the sample and the date of
the data (the newest stored result or measurement change it uses), never the time it was
generated. Charts are static SVG (vl-convert), each next to its table. No organization is named
unless it agreed to be named in comparisons.

Also the command-line entry points used by `mognad report national`: `add_arguments(parser)` and
`handle(options) -> str`.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.utils import translation

from mognad.national import pages, queries
from mognad.national.pages import narrative as narrative_page
from mognad.national.pages import reliability as reliability_page
from mognad.national.pages import scatter as scatter_page

STYLESHEET = Path(settings.BASE_DIR) / "static" / "national" / "report.css"
LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class NationalReport:
    """The report: the national page's sections and the facts on its cover (charts become static
    SVG in the template, through the `svg` filter)."""

    sections: pages.Sections
    data_date: datetime | None  # the newest stored result or measurement change it uses
    organizations: int
    respondents: int
    bootstrap: int
    instruments: tuple[tuple[str, int], ...]  # (instrument version, organizations)
    # The instrument's reliability as `mognad validate instrument` last stored it for the year.
    reliability: reliability_page.Reliability | None
    # Every organization in the matrix: unnamed ones as anonymous dots (pages/scatter.py).
    scatter: scatter_page.Scatter
    # Sentences from the figures: what rose, what fell, where the uncertainty is.
    narrative: tuple[str, ...]
    recommendations: tuple[narrative_page.TypeAdvice, ...]  # the instrument's, by type


def build(page: pages.NationalPage) -> NationalReport:
    stamps = [page.data_date, queries.latest_activity(page.year), page.base_data_date]
    known = [stamp for stamp in stamps if stamp is not None]
    return NationalReport(
        sections=pages.sections(page),
        data_date=max(known) if known else None,
        organizations=page.national.organizations,
        respondents=page.national.respondents,
        bootstrap=settings.BOOTSTRAP_RESAMPLES,
        instruments=tuple((page.national.quality.instruments or {page.instrument.key: 0}).items()),
        reliability=reliability_page.load(page.year, page.instrument),
        scatter=scatter_page.build(
            page.instrument, queries.year_data(page.year, units=False).organizations, page.lang
        ),
        narrative=narrative_page.build(page.instrument, page.national, page.change, page.lang),
        recommendations=narrative_page.recommendations(page.instrument, page.national, page.lang),
    )


def render_html(year: int, language: str = "sv") -> str:
    """The report as an HTML document (also the source of the PDF)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    with translation.override(language):
        return render_to_string("national/report.html", {"report": build(pages.load(year))})


def standalone_html(year: int, language: str = "sv") -> str:
    """The HTML report with its stylesheet inside, for reading as a single file."""
    css = STYLESHEET.read_text(encoding="utf-8")
    return render_html(year, language).replace("</head>", f"<style>\n{css}</style>\n</head>", 1)


def render_pdf(year: int, language: str = "sv") -> bytes:
    from weasyprint import CSS, HTML

    document = HTML(string=render_html(year, language), base_url=str(settings.BASE_DIR))
    # Tagged (PDF/UA-1), like the organization's report: headings, tables and figures with alt text.
    pdf: bytes = document.write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant="pdf/ua-1"
    )
    return pdf


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", required=True, help="The year to report on, e.g. 2026.")
    parser.add_argument("--lang", default="sv", help="sv (default) or en.")
    parser.add_argument(
        "--out", required=True, help="Where to write the report: FILE.pdf or FILE.html."
    )


def handle(options: dict[str, Any]) -> str:
    """Write the report; returns a line to print. Raises CommandError with a clear message."""
    raw_year = str(options["year"])
    if not raw_year.isdigit() or len(raw_year) != 4:
        raise CommandError(f"--year must be a year such as 2026, got {raw_year!r}.")
    year = int(raw_year)
    language = str(options.get("lang") or "sv")
    if language not in LANGUAGES:
        raise CommandError(f"--lang must be sv or en, got {language!r}.")
    out = Path(options["out"])
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".html"):
        raise CommandError(f"--out must end in .pdf or .html, got {out.name!r}.")
    if not out.parent.exists():
        raise CommandError(f"The folder {out.parent} does not exist.")
    if year not in queries.years_with_results():
        raise CommandError(f"No measurement closed with results in {year}: nothing to report.")
    try:
        if suffix == ".pdf":
            content = render_pdf(year, language)
            out.write_bytes(content)
            size = len(content)
        else:
            text = standalone_html(year, language)
            out.write_text(text, encoding="utf-8")
            size = len(text.encode())
    except pages.NoInstrument:
        raise CommandError("No instrument is published yet.") from None
    return f"Wrote {out} ({size:,} bytes)."
