"""Charts speak the reader's language: no chart of a results tab, of the PDF report or of the
national page labels anything with an internal id (`eff.strategy`); every chart with more than
one series has a legend; labels are large enough to read (≥ 11 px on screen, ≥ 8 pt in the PDF)."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

import pytest
from django.utils import translation

from mognad.results import charts, pages, report
from mognad.results.figures import OVERALL
from mognad.results.models import PeerGroup
from mognad.results.tests.chart_labels import raw_ids, shown_strings


def chart_specs(value: Any, path: str = "view") -> list[tuple[str, dict]]:
    """Every chart spec in a view model (a field holding a Vega-Lite spec), with where it is."""
    if isinstance(value, dict) and "$schema" in value:
        return [(path, value)]
    found: list[tuple[str, dict]] = []
    if is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            found += chart_specs(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            found += chart_specs(item, f"{path}[{index}]")
    return found


def every_chart(page: pages.Page) -> list[tuple[str, dict]]:
    """The charts of every tab (categories against every peer group) and of the PDF report."""
    views: list[tuple[str, Any]] = [
        ("overview", pages.overview.build(page)),
        ("internal", pages.internal.build(page)),
        ("all", pages.all_organizations.build(page, OVERALL, {})),
        ("over_time", pages.over_time.build(page)),
        ("report", report.build(page)),
    ]
    views += [(f"categories[{g}]", pages.categories.build(page, g)) for g in PeerGroup.values]
    return [found for name, view in views for found in chart_specs(view, name)]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("unit_name", [None, "Socialförvaltningen"])
def test_no_chart_of_the_tabs_or_the_report_is_labelled_with_an_id(
    ankeby, results_2025, benchmarks, language, unit_name
):
    unit = ankeby.units.get(name=unit_name) if unit_name else None
    with translation.override(language):
        page = pages.load(ankeby, year=2026, unit=unit, scope=None)
        specs = every_chart(page)
    names = {path.split(".")[0].split("[")[0] for path, _spec in specs}
    # Every kind of chart was looked at (the over-time chart and the matrix's path need the
    # earlier year, the categories' peer ticks the benchmarks).
    assert {"overview", "internal", "all", "over_time", "report"} <= names
    assert len(specs) >= 10, [path for path, _spec in specs]
    # The PDF's chart of each category's statements is among them.
    statements = [path for path, _spec in specs if path.startswith("report.statements")]
    if unit_name is None:
        assert len(statements) == len(page.instrument.categories), statements
    found = {path: ids for path, spec in specs if (ids := raw_ids(spec, page.instrument))}
    assert found == {}


def test_the_statements_chart_is_labelled_with_their_texts(ankeby, results_2026):
    page = pages.load(ankeby, year=None, unit=None, scope=None)
    spec = pages.categories.build(page).item_chart
    shown = set(shown_strings(spec))
    texts = {item.text.get("sv") for item in page.instrument.items}
    labels = {row["label"] for row in spec["layer"][0]["data"]["values"]}
    assert labels <= texts and len(labels) == len(page.instrument.items)
    # The phone's variant wraps the same texts into lines above each bar.
    narrow = spec["usermeta"]["narrow"]
    lines = {" ".join(row["lines"]) for row in narrow["layer"][1]["data"]["values"]}
    assert lines == labels and labels <= shown


def test_the_check_finds_an_id_wherever_a_chart_shows_it(ankeby, results_2026):
    page = pages.load(ankeby, year=None, unit=None, scope=None)
    as_label = charts.distribution(
        title="t",
        description="d",
        rows=[charts.AnswerShare("eff.strategy", "1", 0, 1.0)],
        answer_labels=["1"],
        x_title="x",
    )
    assert "eff.strategy" in raw_ids(as_label, page.instrument)
    in_a_title = charts.bars(
        title="Resultat för inn.open_data",
        description="d",
        rows=[charts.Bar("Öppna data", 50.0, 40.0, 60.0)],
        x_title="x",
        own_label="o",
    )
    assert raw_ids(in_a_title, page.instrument) == ["Resultat för inn.open_data"] * 2
    # An id the instrument no longer has still looks like one.
    unknown = charts.bars(
        title="t",
        description="d",
        rows=[charts.Bar("old.statement", 50.0, None, None)],
        x_title="x",
        own_label="o",
    )
    assert "old.statement" in raw_ids(unknown, page.instrument)


def _legend_series(spec: dict) -> list[list[str]]:
    """The domains of the scales that have a legend (series told apart by colour or shape)."""
    domains = []
    for layer in _layers(spec):
        for channel in ("color", "shape", "strokeDash"):
            encoding = layer.get("encoding", {}).get(channel)
            if encoding and encoding.get("legend", {}) is not None and "scale" in encoding:
                domains.append(list(encoding["scale"].get("domain", [])))
    return domains


def _layers(spec: dict):
    yield spec
    for layer in spec.get("layer", []):
        yield from _layers(layer)


def test_every_chart_with_more_than_one_series_has_a_legend(ankeby, results_2025, benchmarks):
    page = pages.load(ankeby, year=2026, unit=None, scope=None)
    categories = pages.categories.build(page, PeerGroup.ALL)
    over_time = pages.over_time.build(page)
    overview = pages.overview.build(page)
    # Own bars and the peer average's ticks.
    assert ["Ankeby kommun", "Alla organisationer"] in _legend_series(
        categories.capability_chart or {}
    )
    # Overall maturity and both dimensions over the years.
    assert any(len(domain) == 3 for domain in _legend_series(over_time.chart or {}))
    assert all(
        encoding.get("legend", {}) is not None
        for layer in _layers(over_time.chart or {})
        for channel, encoding in layer.get("encoding", {}).items()
        if channel == "color"
    )
    # The organization and the averages around it in the matrix.
    assert any("Riksgenomsnitt" in domain for domain in _legend_series(overview.matrix_chart or {}))
    # Own and peer polygons of the categories.
    assert any(len(domain) == 2 for domain in _legend_series(categories.spider_chart or {}))


def test_chart_labels_are_at_least_11_px_and_the_pdf_draws_them_at_least_8_pt(
    ankeby, results_2025, benchmarks
):
    page = pages.load(ankeby, year=2026, unit=None, scope=None)
    for path, spec in every_chart(page):
        for variant in (spec, spec["usermeta"].get("narrow")):
            if variant is None:
                continue
            config = variant["config"]
            sizes = [
                config["axis"]["labelFontSize"],
                config["axis"]["titleFontSize"],
                config["legend"]["labelFontSize"],
                config["text"]["fontSize"],
            ]
            sizes += [
                mark["fontSize"]
                for layer in _layers(variant)
                if isinstance(mark := layer.get("mark"), dict) and "fontSize" in mark
            ]
            assert min(sizes) >= 11, path
        # The PDF draws the spec at its own width, which fits the A4 text width (170 mm =
        # 643 px): nothing is scaled down, so 12 px labels are 9 pt.
        assert spec["width"] <= charts.WIDTH <= 643, path
