"""The PDF report of an organization's results (WeasyPrint), in Swedish or English.

Sections: cover, summary, matrix, categories, the statements of each category (a chart of their
answers and a table), internal comparison, peers, over time, suggestions, method and data-quality
notes; page numbers; charts as static SVG (vl-convert), each with its table
and summary, readable in black and white.

Also the command-line entry points, used by `mognad results report` and by the `report`
command's `organization` subcommand (`mognad report organization --org … --year … --out …`):
`add_arguments(parser)` and `handle(options) -> str`.
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
from django.utils import timezone, translation

from mognad.orgs.models import Organization
from mognad.results import extensions, pages, queries
from mognad.results.figures import ORGANIZATION, OVERALL
from mognad.results.models import Benchmark

STYLESHEET = Path(settings.BASE_DIR) / "static" / "results" / "report.css"


@dataclass(frozen=True)
class Report:
    """Everything the report shows, from the same builders as the pages (charts become static
    SVG in the template, through the `svg` filter)."""

    organization: Organization
    layout: pages.Layout
    is_organization: bool
    generated: datetime
    overview: pages.overview.Overview
    categories: pages.categories.Categories
    statements: tuple[pages.categories.StatementGroup, ...]  # per category, its own chart
    internal: pages.internal.Internal
    peers: pages.all_organizations.AllOrganizations
    trend: pages.over_time.OverTime
    suggestions: pages.suggestions.Suggestions
    sections: tuple[str, ...] = ()  # sections other apps add (results/extensions.py)


def build(page: pages.Page) -> Report:
    categories = pages.categories.build(page)
    return Report(
        organization=page.organization,
        layout=pages.layout(page),
        is_organization=page.group == ORGANIZATION,
        generated=timezone.localtime(),
        overview=pages.overview.build(page),
        categories=categories,
        statements=pages.categories.statement_groups(page, categories),
        internal=pages.internal.build(page),
        peers=pages.all_organizations.build(page, OVERALL, {}),
        trend=pages.over_time.build(page),
        suggestions=pages.suggestions.build(page),
        sections=tuple(extensions.report_sections(page)),
    )


def render_html(page: pages.Page) -> str:
    context = {"report": build(page), "min_peers": Benchmark.MIN_PEERS}
    return render_to_string("results/report.html", context)


def render_pdf(page: pages.Page) -> bytes:
    from weasyprint import CSS, HTML

    html = render_html(page)
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    # PDF/UA-1: tagged (headings, tables, figures with their alternative text), with the
    # document language and title, so screen readers can read it (WeasyPrint 70).
    pdf: bytes = document.write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))], pdf_variant="pdf/ua-1"
    )
    return pdf


def organization_pdf(org_code_or_slug: str, year: int, language: str = "sv") -> bytes:
    """The report of an organization (by registry code or slug) for a year, for batch use."""
    org = queries.find_organization(org_code_or_slug)
    if org is None:
        raise CommandError(f"No organization has the code or slug {org_code_or_slug!r}.")
    with translation.override(language):
        try:
            page = pages.load(org, year=year, unit=None, scope=None)
        except pages.NoResults:
            raise CommandError(
                f"{org.name} has no closed measurement with results for {year}."
            ) from None
        if page.year != year:  # pragma: no cover - load picks the requested year or fails
            raise CommandError(f"{org.name} has no results for {year}.")
        return render_pdf(page)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--org", required=True, help="The organization's registry code or slug.")
    parser.add_argument("--year", required=True, type=int, help="The year of the measurement.")
    parser.add_argument("--lang", default="sv", choices=["sv", "en"], help="Language (sv).")
    parser.add_argument("--out", required=True, help="Where to write the PDF.")


def handle(options: dict[str, Any]) -> str:
    """Write the PDF; returns a line to print. Raises CommandError with a clear message."""
    out = Path(options["out"])
    if not out.parent.exists():
        raise CommandError(f"The folder {out.parent} does not exist.")
    pdf = organization_pdf(str(options["org"]), int(options["year"]), str(options["lang"]))
    out.write_bytes(pdf)
    return f"Wrote {out} ({len(pdf):,} bytes)."
