"""Every results tab and the PDF report build frozen, typed view models (no dicts to templates)."""

from __future__ import annotations

import pytest

from mognad.results import pages, report
from mognad.results.figures import OVERALL
from mognad.results.tests.view_models import problems


@pytest.mark.parametrize("unit_name", [None, "Äldreomsorg", "Utbildningsförvaltningen"])
def test_every_tab_and_the_report_are_frozen_all_the_way_down(
    ankeby, results_2025, benchmarks, unit_name
):
    unit = ankeby.units.get(name=unit_name) if unit_name else None
    page = pages.load(ankeby, year=None, unit=unit, scope=None)
    views = [
        pages.overview.build(page),
        pages.categories.build(page),
        pages.internal.build(page),
        pages.all_organizations.build(page, OVERALL, {}),
        pages.over_time.build(page),
        pages.suggestions.build(page),
        pages.layout(page),
        report.build(page),
    ]
    assert [problem for view in views for problem in problems(view)] == []


def test_the_check_finds_a_dict_handed_to_a_template():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Loose:
        rows: dict

    @dataclass
    class Mutable:
        label: str

    Loose.__module__ = Mutable.__module__ = "mognad.results.pages.example"
    assert problems(Loose({"a": 1})) == ["view.rows: a dict (dict)"]
    assert problems(Mutable("x")) == ["view: Mutable is not a frozen dataclass"]
