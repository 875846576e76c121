"""The status report's scatter of every organization, its narrative and recommendations by type.

The scatter is checked against the disclosure rules by trying to break them: an unnamed
organization's dot carries nothing but its position, and too few unnamed organizations are left
out rather than pointed out. The narrative's sentences are checked with fixed figures.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
from datetime import UTC, datetime

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from mognad.instrument.loader import find_instrument
from mognad.instrument.schema import Text
from mognad.national import figures, pages, report
from mognad.national.pages import narrative, scatter
from mognad.national.queries import OVERALL, OrganizationYear
from mognad.national.stats import Difference, Mean

INSTRUMENT = find_instrument("standard")
CAPABILITY = next(d.id for d in INSTRUMENT.dimensions if d.role == "capability")
LEGACY = next(d.id for d in INSTRUMENT.dimensions if d.role == "legacy")


def org(i: int, x: float, y: float, *, named: bool = False, **fields: str) -> OrganizationYear:
    values = {"kind": "municipality", "size_class": "M", "county": "Alän", "municipality_group": ""}
    return OrganizationYear(
        organization_id=i,
        name=f"Org {i}",
        code=str(i),
        named=named,
        research=False,
        **{**values, **fields},
        measurement_id=i,
        instrument=INSTRUMENT.key,
        respondents=10,
        invited=None,
        computed_at=datetime(2026, 5, 1, tzinfo=UTC),
        scores={OVERALL: (x + y) / 2, ("dimension", CAPABILITY): x, ("dimension", LEGACY): y},
        quadrant="forerunner" if x >= 50 and y >= 50 else "stalled",
    )


# --- The scatter and the disclosure rules ---------------------------------------------------------


def test_named_dots_carry_their_names_and_unnamed_dots_only_their_position():
    orgs = [org(1, 70, 60, named=True), org(2, 30, 20), org(3, 40, 45), org(4, 55, 65)]
    found = scatter.build(INSTRUMENT, orgs, "en")
    assert [d.name for d in found.named] == ["Org 1"]
    layers = json.dumps(found.spec)
    for hidden in ("Org 2", "Org 3", "Org 4"):
        assert hidden not in layers
    anonymous = [
        layer
        for layer in found.spec["layer"]
        if layer.get("mark", {}).get("color") == "#6b6b6b" and layer["mark"].get("type") == "point"
    ]
    assert len(anonymous) == 1
    assert all(set(value) == {"x", "y"} for value in anonymous[0]["data"]["values"])
    assert "tooltip" not in anonymous[0]["encoding"] and "color" not in anonymous[0]["encoding"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 100),
            st.floats(0, 100),
            st.booleans(),
            st.sampled_from(["municipality", "region", "agency"]),
            st.sampled_from(["S", "M", "L"]),
        ),
        max_size=12,
    )
)
def test_no_unnamed_organization_is_ever_named_coloured_or_shown_below_the_threshold(rows):
    orgs = [
        org(i, x, y, named=named, kind=kind, size_class=size)
        for i, (x, y, named, kind, size) in enumerate(rows)
    ]
    drawn, hidden = scatter.dots(INSTRUMENT, orgs, 3)
    unnamed = sum(1 for o in orgs if not o.named)
    shown_unnamed = [d for d in drawn if d.name is None]
    assert len(shown_unnamed) in (0, unnamed)
    assert not 0 < len(shown_unnamed) < 3
    assert hidden == (unnamed if 0 < unnamed < 3 else 0)
    assert {d.name for d in drawn if d.name} == {o.name for o in orgs if o.named}
    # Ordered by position: the order says nothing about ids or registration.
    assert drawn == sorted(drawn, key=lambda d: (d.capability, d.legacy, d.name or ""))
    text = json.dumps(scatter._spec(INSTRUMENT, drawn, "", "en")) if drawn else ""
    for o in orgs:
        if not o.named:
            assert f'"{o.name}"' not in text
    for kind in ("municipality", "region", "agency"):
        assert kind not in text


def test_two_unnamed_organizations_are_left_out_and_the_report_says_so():
    orgs = [org(1, 70, 60, named=True), org(2, 30, 20), org(3, 40, 45)]
    with translation.override("en"):
        found = scatter.build(INSTRUMENT, orgs, "en")
    assert [d.name for d in found.dots] == ["Org 1"]
    assert found.unnamed_hidden == 2
    assert "2 organizations that did not agree to be named are left out" in found.summary


def test_the_counts_by_type_add_up_to_the_dots():
    orgs = [org(1, 70, 60, named=True), org(2, 30, 20), org(3, 40, 45), org(4, 55, 65)]
    found = scatter.build(INSTRUMENT, orgs, "en")
    assert sum(c.named + c.unnamed for c in found.counts) == 4
    by_label = {c.label: (c.named, c.unnamed) for c in found.counts}
    names = {t.id: t.name.get("en") for t in INSTRUMENT.types}
    assert by_label[names["forerunner"]] == (1, 1)
    assert by_label[names["stalled"]] == (0, 2)


# --- The narrative, from fixed figures ------------------------------------------------------------


def difference(delta, low, high):
    return Difference(delta, low, high, 0.01, 10)


def node_change(node, delta, low, high):
    nothing = Difference(None, None, None, None, 0)
    return figures.NodeChange(node, difference(delta, low, high), None, None, nothing, None, None)


def change(*nodes, panel=10):
    return figures.Change(
        base_year=2025,
        year=2026,
        panel=panel,
        joined=0,
        left=0,
        joined_mean=None,
        left_mean=None,
        nodes={n.node: n for n in nodes},
        flows={},
    )


NAMES = {("category", "a"): "Leadership", ("category", "b"): "Data", ("category", "c"): "Skills"}


def test_the_narrative_names_what_rose_and_what_fell_beyond_the_uncertainty():
    found = change(
        node_change(("category", "a"), 4.25, 1.5, 7.0),
        node_change(("category", "b"), -3.0, -5.0, -1.0),
        node_change(("category", "c"), 2.0, -1.0, 5.0),  # within the uncertainty: not named
    )
    with translation.override("en"):
        sentences = narrative.change_sentences(found, NAMES)
    assert sentences == [
        "From 2025 to 2026, among the 10 organizations measured both years, these rose: "
        "Leadership +4.3 points (95 % interval +1.5 … +7.0).",
        "These fell: Data -3.0 points (95 % interval -5.0 … -1.0).",
    ]


def test_the_narrative_says_when_nothing_changed_beyond_the_uncertainty():
    found = change(node_change(("category", "c"), 2.0, -1.0, 5.0))
    with translation.override("en"):
        assert narrative.change_sentences(found, NAMES) == [
            "From 2025 to 2026, no measure changed by more than its uncertainty among the 10 "
            "organizations measured both years."
        ]
    with translation.override("sv"):
        (swedish,) = narrative.change_sentences(found, NAMES)
    assert swedish.startswith("Från 2025 till 2026")


def test_the_narrative_without_a_year_to_compare_with():
    with translation.override("en"):
        assert narrative.change_sentences(None, NAMES) == [
            "There is no earlier year with results to compare with."
        ]


def test_only_the_largest_three_rises_are_named():
    found = change(
        *(
            node_change(("category", c), d, 0.5, d + 1)
            for c, d in zip("abcd", [1, 4, 3, 2], strict=True)
        )
    )
    names = {**NAMES, ("category", "d"): "Culture"}
    with translation.override("en"):
        (sentence,) = narrative.change_sentences(found, names)
    assert sentence.index("Data") < sentence.index("Skills") < sentence.index("Culture")
    assert "Leadership" not in sentence


def test_the_uncertainty_sentence_names_the_widest_interval_and_uncertain_types():
    nodes = {
        OVERALL: Mean(50.0, 20.0, 80.0, 5.0, 3),  # not a dimension or category: not compared
        ("category", "a"): Mean(50.0, 45.0, 55.0, 5.0, 12),
        ("category", "b"): Mean(40.0, 30.0, 52.5, 9.0, 6),
    }
    with translation.override("en"):
        sentences = narrative.uncertainty_sentences(nodes, NAMES, 2)
    assert sentences == [
        "The least certain national figure is Data: its 95 % interval 30.0–52.5 is 22.5 points "
        "wide (6 organizations).",
        "2 organizations lie so close to a cut-off that their type is uncertain.",
    ]


# --- Recommendations by type, from the instrument -------------------------------------------------


def test_recommendations_come_from_the_instruments_type_data():
    national = dataclasses.replace(_empty_national(), types={})
    advice = narrative.recommendations(INSTRUMENT, national, "sv")
    assert [a.name for a in advice] == [t.name.get("sv") for t in INSTRUMENT.types]
    assert [a.recommendations for a in advice] == [
        tuple(r.get("sv") for r in t.recommendations) for t in INSTRUMENT.types
    ]
    assert all(a.recommendations for a in advice)
    changed = dataclasses.replace(
        INSTRUMENT,
        types=tuple(
            dataclasses.replace(t, recommendations=(Text("Gör X", "Do X"),))
            for t in INSTRUMENT.types
        ),
    )
    assert {a.recommendations for a in narrative.recommendations(changed, national, "en")} == {
        ("Do X",)
    }


def _empty_national():
    return figures.NationalFigures(
        year=2026,
        organizations=0,
        respondents=0,
        hidden=0,
        nodes={},
        types={},
        uncertain_types=0,
        by_kind=[],
        by_size_class=[],
        by_county=[],
        by_municipality_group=[],
        by_unit_type=[],
        spread=[],
        sector_spread=None,
        quality=None,
    )


# --- In the report --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_report_has_the_scatter_narrative_and_recommendations(two_years):
    html = report.render_html(2026, "en")
    assert "Every organization in the matrix" in html
    assert "What changed, and how certain it is" in html
    assert "Recommendations by type" in html
    with translation.override("en"):
        built = report.build(pages.load(2026))
    assert len(built.scatter.dots) == 8
    assert {d.name for d in built.scatter.named} == {"Kommun 0", "Kommun 1"}
    for sentence in built.narrative:
        assert sentence in html.replace("&#x27;", "'")
    for unnamed in ("Kommun 2", "Kommun 5", "Kommun 7"):
        assert unnamed not in html


@pytest.mark.django_db
def test_the_swedish_pdf_report_is_tagged_and_has_the_new_sections(two_years, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report.render_pdf(2026, "sv"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)  # noqa: S603, S607
    assert "Tagged:          yes" in info.stdout
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)  # noqa: S603, S607
    for heading in ("Alla organisationer i matrisen", "Rekommendationer per typ"):
        assert heading in text.stdout
