"""The national page's sections and the status report are frozen, typed view models."""

from __future__ import annotations

from mognad.national import pages, report
from mognad.results.tests.view_models import problems


def test_the_sections_and_the_report_are_frozen_all_the_way_down(two_years):
    for year in (2025, 2026):
        page = pages.load(year)
        assert problems(pages.sections(page)) == []
        assert problems(report.build(page)) == []
