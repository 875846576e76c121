"""Charts as Vega-Lite specifications built in Python.

The browser draws them with the locally served Vega bundle (static/results/charts.js); the PDF gets
static SVG from `to_svg` (vl-convert). Every chart works in black and white: series differ by line
style and point shape, not only by colour, and every chart sits next to a data table and a
one-sentence summary in the templates. Labels arrive translated.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
WIDTH = 520
INK = "#1a1a1a"
GREY = "#6b6b6b"
LIGHT = "#c8c8c8"
ACCENT = "#1f4e8c"
FONT = "DejaVu Sans, Arial, sans-serif"
# Shades for the six answers and "Vet ej", dark to light, with a hatch-like order people can read
# in black and white; the data table beside the chart carries the exact figures.
ANSWER_SHADES = ["#8c2d04", "#cc4c02", "#ec7014", "#6baed6", "#3182bd", "#08519c", "#d9d9d9"]

Spec = dict[str, Any]


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
    """The share of one answer (one of the answer labels) to one statement."""

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


def _base(title: str, description: str, height: int = 300) -> Spec:
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": description,
        "width": WIDTH,
        "height": height,
        "background": "white",
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelColor": INK, "titleColor": INK, "gridColor": "#e6e6e6"},
            "legend": {"labelColor": INK, "titleColor": INK, "orient": "bottom"},
            "title": {"color": INK, "anchor": "start", "fontSize": 14},
        },
    }


def _percent(title: str) -> dict[str, Any]:
    return {"type": "quantitative", "scale": {"domain": [0, 100]}, "title": title}


def matrix(
    *,
    title: str,
    description: str,
    x_title: str,
    y_title: str,
    x: float,
    y: float,
    x_interval: tuple[float, float] | None,
    y_interval: tuple[float, float] | None,
    x_cutoff: float,
    y_cutoff: float,
    quadrant_names: dict[str, str],
    label: str,
) -> Spec:
    """The capability × legacy matrix: the position, a cross for its 95 % intervals, the types.

    `quadrant_names` keys: "low-limiting", "high-limiting", "low-enabling", "high-enabling".
    """
    spec = _base(title, description, height=WIDTH)
    at_x = {"field": "x", **_percent(x_title)}
    at_y = {"field": "y", **_percent(y_title)}
    cutoff = {"type": "rule", "color": GREY, "strokeDash": [4, 4]}
    spec["layer"] = [
        {"data": {"values": [{"x": x_cutoff}]}, "mark": cutoff, "encoding": {"x": at_x}},
        {"data": {"values": [{"y": y_cutoff}]}, "mark": cutoff, "encoding": {"y": at_y}},
        {
            "data": {"values": _quadrant_labels(x_cutoff, y_cutoff, quadrant_names)},
            "mark": {"type": "text", "color": GREY, "fontSize": 13},
            "encoding": {"x": at_x, "y": at_y, "text": {"field": "name"}},
        },
        {
            "data": {"values": _cross(x, y, x_interval, y_interval)},
            "mark": {"type": "rule", "color": INK, "strokeWidth": 2},
            "encoding": {"x": at_x, "x2": {"field": "x2"}, "y": at_y, "y2": {"field": "y2"}},
        },
        {
            "data": {"values": [{"x": x, "y": y, "label": label}]},
            "mark": {
                "type": "point",
                "shape": "diamond",
                "filled": True,
                "size": 180,
                "color": ACCENT,
                "stroke": INK,
            },
            "encoding": {
                "x": at_x,
                "y": at_y,
                "tooltip": [
                    {"field": "label", "title": " "},
                    {"field": "x", "title": x_title, "format": ".0f"},
                    {"field": "y", "title": y_title, "format": ".0f"},
                ],
            },
        },
    ]
    return spec


def _quadrant_labels(
    x_cutoff: float, y_cutoff: float, quadrant_names: dict[str, str]
) -> list[Spec]:
    """Each type's name in the middle of its quadrant."""
    corners = {
        "low-limiting": (x_cutoff / 2, y_cutoff / 2),
        "high-limiting": ((x_cutoff + 100) / 2, y_cutoff / 2),
        "low-enabling": (x_cutoff / 2, (y_cutoff + 100) / 2),
        "high-enabling": ((x_cutoff + 100) / 2, (y_cutoff + 100) / 2),
    }
    return [{"x": cx, "y": cy, "name": quadrant_names[key]} for key, (cx, cy) in corners.items()]


def _cross(
    x: float,
    y: float,
    x_interval: tuple[float, float] | None,
    y_interval: tuple[float, float] | None,
) -> list[Spec]:
    """The position's 95 % intervals as a cross through it."""
    cross = []
    if x_interval:
        cross.append({"x": x_interval[0], "x2": x_interval[1], "y": y, "y2": y})
    if y_interval:
        cross.append({"x": x, "x2": x, "y": y_interval[0], "y2": y_interval[1]})
    return cross


def spider(
    *,
    title: str,
    description: str,
    axes: list[str],
    series: list[tuple[str, list[float | None]]],
) -> Spec:
    """A radar chart of the categories: each series a closed polygon, told apart by line style
    and point shape. Coordinates are computed here, so the chart is a plain x/y line chart."""
    spec = _base(title, description, height=WIDTH)
    at = _spokes_at(len(axes))
    hidden_axis = {"type": "quantitative", "scale": {"domain": [-130, 130]}, "axis": None}
    x = {"field": "x", **hidden_axis}
    y = {"field": "y", **hidden_axis}
    spec["layer"] = [
        {
            "data": {"values": _spider_grid(at, len(axes))},
            "mark": {"type": "line", "color": LIGHT, "strokeWidth": 1},
            "encoding": {"x": x, "y": y, "detail": {"field": "ring"}, "order": {"field": "order"}},
        },
        {
            "data": {"values": _spider_spokes(at, axes)},
            "layer": [
                {
                    "mark": {"type": "rule", "color": LIGHT},
                    "encoding": {"x": x, "y": y, "x2": {"field": "x2"}, "y2": {"field": "y2"}},
                },
                {
                    "mark": {"type": "text", "color": INK, "fontSize": 12},
                    "encoding": {
                        "x": {"field": "lx", **hidden_axis},
                        "y": {"field": "ly", **hidden_axis},
                        "text": {"field": "name"},
                    },
                },
            ],
        },
        {
            "data": {"values": _spider_points(at, axes, series)},
            "mark": {"type": "line", "point": {"filled": True, "size": 70}, "strokeWidth": 2},
            "encoding": {
                "x": x,
                "y": y,
                "order": {"field": "order"},
                **_series_styles([name for name, _ in series], [ACCENT, GREY, INK]),
                "tooltip": [
                    {"field": "series"},
                    {"field": "category"},
                    {"field": "score", "format": ".0f"},
                ],
            },
        },
    ]
    return spec


def _spokes_at(count: int) -> Callable[[int, float], tuple[float, float]]:
    """Where a value lies on the `index`-th of `count` spokes, the first pointing up."""

    def at(index: int, value: float) -> tuple[float, float]:
        angle = math.pi / 2 - 2 * math.pi * index / count
        return (value * math.cos(angle), value * math.sin(angle))

    return at


def _spider_grid(at: Callable[[int, float], tuple[float, float]], count: int) -> list[Spec]:
    grid = []
    for ring in (25, 50, 75, 100):
        for order, index in enumerate([*range(count), 0]):
            gx, gy = at(index, ring)
            grid.append({"ring": str(ring), "order": order, "x": gx, "y": gy})
    return grid


def _spider_spokes(at: Callable[[int, float], tuple[float, float]], axes: list[str]) -> list[Spec]:
    spokes = []
    for index, name in enumerate(axes):
        ex, ey = at(index, 100)
        lx, ly = at(index, 118)
        spokes.append({"x": 0, "y": 0, "x2": ex, "y2": ey, "lx": lx, "ly": ly, "name": name})
    return spokes


def _spider_points(
    at: Callable[[int, float], tuple[float, float]],
    axes: list[str],
    series: list[tuple[str, list[float | None]]],
) -> list[Spec]:
    """Each series' shown values, the first repeated at the end to close the polygon."""
    points = []
    for name, values in series:
        shown = [(i, v) for i, v in enumerate(values) if v is not None]
        for order, (index, value) in enumerate([*shown, *shown[:1]]):
            px, py = at(index, value)
            points.append(
                {
                    "series": name,
                    "order": order,
                    "x": px,
                    "y": py,
                    "category": axes[index],
                    "score": round(value, 1),
                }
            )
    return points


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


def bars(
    *,
    title: str,
    description: str,
    rows: Sequence[Bar],
    x_title: str,
    own_label: str,
    peer_label: str | None = None,
) -> Spec:
    """Horizontal bars with 95 % intervals; a peer mean as a black tick if given."""
    values = [asdict(r) for r in rows if r.score is not None]
    spec = _base(title, description, height=max(60, 24 * len(values)))
    order = [r["label"] for r in values]
    y = {"field": "label", "type": "nominal", "sort": order, "title": None}
    x = _percent(x_title)
    layers: list[Spec] = [
        {
            "mark": {"type": "bar", "color": ACCENT, "height": 14},
            "encoding": {
                "y": y,
                "x": {"field": "score", **x},
                "tooltip": [
                    {"field": "label", "title": " "},
                    {"field": "score", "title": own_label, "format": ".0f"},
                    {"field": "low", "format": ".0f"},
                    {"field": "high", "format": ".0f"},
                ],
            },
        },
        {
            "transform": [{"filter": "datum.low != null"}],
            "mark": {"type": "rule", "color": INK, "strokeWidth": 1.5},
            "encoding": {"y": y, "x": {"field": "low", **x}, "x2": {"field": "high"}},
        },
    ]
    if peer_label:
        layers.append(
            {
                "transform": [{"filter": "datum.peer != null"}],
                "mark": {"type": "tick", "color": INK, "thickness": 3, "size": 22},
                "encoding": {
                    "y": y,
                    "x": {"field": "peer", **x},
                    "tooltip": [{"field": "peer", "title": peer_label, "format": ".0f"}],
                },
            }
        )
    spec["data"] = {"values": values}
    spec["layer"] = layers
    return spec


def distribution(
    *,
    title: str,
    description: str,
    rows: Sequence[AnswerShare],
    answer_labels: list[str],
    x_title: str,
) -> Spec:
    """Stacked bars of the share of each answer (and "Vet ej") per statement."""
    labels = list(dict.fromkeys(r.label for r in rows))
    spec = _base(title, description, height=max(60, 22 * len(labels)))
    spec["data"] = {"values": [asdict(r) for r in rows]}
    spec["mark"] = {"type": "bar", "stroke": "white", "strokeWidth": 0.5}
    spec["encoding"] = {
        "y": {"field": "label", "type": "nominal", "sort": labels, "title": None},
        "x": {
            "field": "share",
            "type": "quantitative",
            "stack": "normalize",
            "title": x_title,
            "axis": {"format": ".0%"},
        },
        "color": {
            "field": "answer",
            "type": "ordinal",
            "title": None,
            "scale": {"domain": answer_labels, "range": ANSWER_SHADES[: len(answer_labels)]},
        },
        "order": {"field": "order"},
        "tooltip": [
            {"field": "label", "title": " "},
            {"field": "answer"},
            {"field": "share", "format": ".0%"},
        ],
    }
    return spec


def peer_histogram(
    *,
    title: str,
    description: str,
    bins: Sequence[Bin],
    own: float | None,
    own_label: str,
    x_title: str,
    y_title: str,
) -> Spec:
    """How many organizations scored in each 5-point band; the own score as a labelled rule."""
    spec = _base(title, description, height=260)
    x = {"type": "quantitative", "scale": {"domain": [0, 100]}, "title": x_title}
    layers: list[Spec] = [
        {
            "data": {"values": [asdict(b) for b in bins]},
            "mark": {"type": "bar", "color": LIGHT, "stroke": GREY},
            "encoding": {
                "x": {"field": "start", **x, "bin": {"binned": True, "step": 5}},
                "x2": {"field": "end"},
                "y": {"field": "count", "type": "quantitative", "title": y_title},
                "tooltip": [
                    {"field": "start", "title": x_title},
                    {"field": "count", "title": y_title},
                ],
            },
        }
    ]
    if own is not None:
        layers.append(
            {
                "data": {"values": [{"x": own, "label": own_label}]},
                "layer": [
                    {
                        "mark": {"type": "rule", "color": ACCENT, "strokeWidth": 3},
                        "encoding": {"x": {"field": "x", **x}},
                    },
                    {
                        "mark": {
                            "type": "text",
                            "align": "left",
                            "dx": 5,
                            "dy": -5,
                            "y": 0,
                            "baseline": "top",
                            "color": INK,
                            "fontWeight": "bold",
                        },
                        "encoding": {"x": {"field": "x", **x}, "text": {"field": "label"}},
                    },
                ],
            }
        )
    spec["layer"] = layers
    return spec


def trend(
    *,
    title: str,
    description: str,
    rows: Sequence[Point],
    y_title: str,
    x_title: str,
) -> Spec:
    """Yearly series with 95 % intervals; series told apart by colour, line style and shape."""
    spec = _base(title, description, height=300)
    series = list(dict.fromkeys(r.series for r in rows))
    years = sorted({r.year for r in rows})
    x = {"field": "year", "type": "ordinal", "title": x_title, "sort": years}
    y = _percent(y_title)
    styles = _series_styles(series, [ACCENT, INK, GREY])
    spec["data"] = {"values": [asdict(r) for r in rows]}
    spec["layer"] = [
        {
            "transform": [{"filter": "datum.low != null"}],
            "mark": {"type": "rule", "strokeWidth": 1.5},
            "encoding": {
                "x": x,
                "y": {"field": "low", **y},
                "y2": {"field": "high"},
                "color": {**styles["color"], "legend": None},
            },
        },
        {
            "mark": {"type": "line", "point": {"filled": True, "size": 60}, "strokeWidth": 2},
            "encoding": {
                "x": x,
                "y": {"field": "score", **y},
                **styles,
                "tooltip": [
                    {"field": "year"},
                    {"field": "series"},
                    {"field": "score", "format": ".0f"},
                ],
            },
        },
    ]
    return spec


def to_svg(spec: Spec) -> str:
    """Static SVG of a chart (for the PDF), drawn on the server by vl-convert."""
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(spec)
    return svg


def svg_data_uri(spec: Spec) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(to_svg(spec).encode()).decode()
