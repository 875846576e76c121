"""The national page's sections and the status report are frozen, typed view models."""

from __future__ import annotations

import dataclasses

from django.utils import translation

from mognad.national import pages, report
from mognad.national.pages import types
from mognad.results.tests.view_models import problems


def test_the_sections_and_the_report_are_frozen_all_the_way_down(two_years):
    for year in (2025, 2026):
        page = pages.load(year)
        assert problems(pages.sections(page)) == []
        assert problems(report.build(page)) == []


def test_the_types_section_lists_the_types_in_the_instruments_order(two_years):
    page = pages.load(2026)
    reordered = tuple(reversed(page.instrument.types))
    page = dataclasses.replace(
        page, instrument=dataclasses.replace(page.instrument, types=reordered)
    )
    with translation.override("en"):
        section = types.build(page)
    names = tuple(t.name.en for t in reordered)
    assert section.names == names
    assert tuple(row.label for row in section.rows) == names
    assert tuple(flow.label for flow in section.flows) == names
