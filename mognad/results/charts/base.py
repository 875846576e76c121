"""The frame every chart shares: sizes, colours, fonts, the row types the pages hand over,
the formatting of figures in tooltips, and rendering to SVG for the PDF."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from mognad.results.wording import number

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
WIDTH = 640  # px: the whole chart, in the PDF and at most in the browser (square charts)
WIDE = 900  # px: at most in the browser for bar charts
NARROW = 320  # px: the narrow variant, for a phone's 360 px screen
NARROW_BELOW = 560  # px: containers narrower than this draw the narrow variant
FONT_SIZE = 12  # px: every label; 12 px = 9 pt in the PDF
INK = "#1a1a1a"
GREY = "#6b6b6b"
LIGHT = "#c8c8c8"
ACCENT = "#1f4e8c"
FONT = "DejaVu Sans, Arial, sans-serif"
# Shades for the six answers and "Vet ej", dark to light, with a hatch-like order people can read
# in black and white; the data table beside the chart carries the exact figures.
ANSWER_SHADES = ["#8c2d04", "#cc4c02", "#ec7014", "#6baed6", "#3182bd", "#08519c", "#d9d9d9"]

Spec = dict[str, Any]


def text(value: float | None) -> str:
    """A score as the pages write it (one rounding, `wording.rounded`): 38.5 → "39 %"."""
    return "–" if value is None else f"{number(value, 0)}\u00a0%"


@dataclass(frozen=True)
class Bar:
    """One bar: its score (None: left out), 95 % interval and the peer mean drawn as a tick."""

    label: str
    score: float | None
    low: float | None
    high: float | None
    peer: float | None = None


@dataclass(frozen=True)
class AnswerShare:
    """The share of one answer (one of the answer labels) to one statement, labelled with the
    statement's text."""

    label: str
    answer: str
    order: int
    share: float


@dataclass(frozen=True)
class Bin:
    """How many organizations scored from `start` up to `end`."""

    start: int
    end: int
    count: int


@dataclass(frozen=True)
class Point:
    """One year of one series, with its 95 % interval if it has one."""

    year: int
    series: str
    score: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Position:
    """A place in the matrix: one year of the organization, or a peer group's or the national
    average (`series` names it in the legend)."""

    series: str
    x: float
    y: float
    year: int | None = None


def _base(
    title: str,
    description: str,
    height: int | Spec = 300,
    width: int = WIDTH,
    max_width: int | None = None,
) -> Spec:
    label = {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE}
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": description,
        "width": width,
        "height": height,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "background": "white",
        "usermeta": {"max_width": max_width or width},
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {
                "labelColor": INK,
                "titleColor": INK,
                "gridColor": "#e6e6e6",
                "labelLimit": 280,
                **label,
            },
            "legend": {
                "labelColor": INK,
                "titleColor": INK,
                "orient": "bottom",
                "direction": "vertical",
                "labelLimit": 400,
                "symbolSize": 120,
                **label,
            },
            "text": {"fontSize": FONT_SIZE},
            "title": {"color": INK, "anchor": "start", "fontSize": 15},
        },
    }


def _square(spec: Spec) -> Spec:
    """A chart as high as it is wide (the browser keeps it so when it fits it to the page)."""
    spec.update(height=spec["width"], autosize={"type": "fit", "contains": "padding"})
    spec["usermeta"]["square"] = True
    return spec


def _with_narrow(spec: Spec, narrow: Spec) -> Spec:
    """The spec, with the variant the browser draws in a container narrower than NARROW_BELOW."""
    spec["usermeta"].update(narrow=narrow, narrow_below=NARROW_BELOW)
    return spec


def _percent(title: str) -> dict[str, Any]:
    return {"type": "quantitative", "scale": {"domain": [0, 100]}, "title": title}


def _series_styles(names: list[str], colours: list[str]) -> Spec:
    """Colour, line style and point shape per series, so that series differ in black and white."""

    def scale(values: list[Any]) -> Spec:
        return {"domain": names, "range": values[: len(names)]}

    def by_series(values: list[Any]) -> Spec:
        return {"field": "series", "type": "nominal", "title": None, "scale": scale(values)}

    return {
        "color": by_series(colours),
        "strokeDash": by_series([[1, 0], [6, 4], [2, 2]]),
        "shape": by_series(["circle", "square", "triangle-up"]),
    }


def _interval_text(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "–"
    return f"{number(low, 0)}–{number(high, 0)}"


def to_svg(spec: Spec) -> str:
    """Static SVG of a chart (for the PDF), drawn on the server by vl-convert."""
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(spec)
    return svg


def svg_data_uri(spec: Spec) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(to_svg(spec).encode()).decode()
