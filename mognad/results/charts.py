"""Charts as Vega-Lite specifications built in Python.

The browser draws them with the locally served Vega bundle (static/results/charts.js); the PDF gets
static SVG from `to_svg` (vl-convert). Every chart works in black and white: series differ by line
style and point shape, not only by colour, every chart with more than one series has a legend,
and every chart sits next to a data table and a one-sentence summary in the templates. Labels
arrive translated; rows are labelled with names and statement texts, never with internal ids.

Sizes: each spec is drawn `WIDTH` px wide as a whole (axis labels included, `autosize` fit), which
is also its width in the PDF (≤ the A4 text width, so labels of `FONT_SIZE` px stay ≥ 8 pt there).
In the browser charts.js fits it to its container (up to `WIDTH`, larger charts to `WIDE`), and
below `NARROW_BELOW` px it draws `usermeta.narrow` instead when a chart has one (statement texts
wrapped shorter, shorter axis labels), so that labels keep their size on a phone.
"""

from __future__ import annotations

import base64
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
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
    path: Sequence[Position] = (),
    context: Sequence[Position] = (),
) -> Spec:
    """The capability × legacy matrix: the position, a cross for its 95 % intervals, the types;
    the organization's own path over the earlier years (each point labelled with its year) and,
    as context, averages such as the peer group's and the national one (`context`).

    `quadrant_names` keys: "low-limiting", "high-limiting", "low-enabling", "high-enabling".
    """
    spec = _square(_base(title, description))
    at_x = {"field": "x", **_percent(x_title)}
    at_y = {"field": "y", **_percent(y_title)}
    cutoff = {"type": "rule", "color": GREY, "strokeDash": [4, 4]}
    now = Position(label, x, y)
    marks = [*context, now]
    names = list(dict.fromkeys(m.series for m in marks))
    shapes = {label: "diamond"}
    others = iter(["square", "triangle-up", "circle", "cross"])
    colours = {label: ACCENT}
    for name in names:
        if name not in shapes:
            shapes[name], colours[name] = next(others), INK
    style = {
        "field": "series",
        "type": "nominal",
        "title": None,
        "sort": names,
    }
    earlier = [asdict(p) for p in path if p.year is not None]
    layers: list[Spec] = [
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
    ]
    if earlier:
        trail = [*earlier, {**asdict(now), "year": None}]
        layers.append(
            {
                "data": {"values": [{**row, "order": i} for i, row in enumerate(trail)]},
                "mark": {"type": "line", "color": ACCENT, "strokeWidth": 1.5, "strokeDash": [2, 2]},
                "encoding": {"x": at_x, "y": at_y, "order": {"field": "order"}},
            }
        )
        layers.append(
            {
                "data": {"values": [{**row, "text": text(row["x"])} for row in earlier]},
                "layer": [
                    {
                        "mark": {
                            "type": "point",
                            "filled": True,
                            "size": 50,
                            "color": ACCENT,
                            "opacity": 0.6,
                        },
                        "encoding": {
                            "x": at_x,
                            "y": at_y,
                            "tooltip": [
                                {"field": "year", "title": " "},
                                {"field": "text", "title": x_title},
                            ],
                        },
                    },
                    {
                        "mark": {"type": "text", "color": INK, "dy": -11},
                        "encoding": {"x": at_x, "y": at_y, "text": {"field": "year"}},
                    },
                ],
            }
        )
    layers.append(
        {
            "data": {
                "values": [{**asdict(m), "x_text": text(m.x), "y_text": text(m.y)} for m in marks]
            },
            "mark": {"type": "point", "filled": True, "size": 180, "stroke": INK},
            "encoding": {
                "x": at_x,
                "y": at_y,
                "shape": {**style, "scale": {"domain": names, "range": [shapes[n] for n in names]}},
                "color": {
                    **style,
                    "scale": {"domain": names, "range": [colours[n] for n in names]},
                },
                "tooltip": [
                    {"field": "series", "title": " "},
                    {"field": "x_text", "title": x_title},
                    {"field": "y_text", "title": y_title},
                ],
            },
        }
    )
    spec["layer"] = layers
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
    spec = _square(_base(title, description))
    at = _spokes_at(len(axes))
    hidden_axis = {"type": "quantitative", "scale": {"domain": [-150, 150]}, "axis": None}
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
                *(
                    {
                        # Names right of the centre start at their spoke's end, names left of
                        # it end there, so that none runs over the polygon or off the chart.
                        "transform": [{"filter": f"datum.align == '{align}'"}],
                        "mark": {"type": "text", "color": INK, "align": align},
                        "encoding": {
                            "x": {"field": "lx", **hidden_axis},
                            "y": {"field": "ly", **hidden_axis},
                            "text": {"field": "name"},
                        },
                    }
                    for align in ("left", "center", "right")
                ),
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
                    {"field": "text", "title": " "},
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
        lx, ly = at(index, 108)
        align = "center" if abs(lx) < 5 else ("left" if lx > 0 else "right")
        ly += 8 if ly > 5 else (-8 if ly < -5 else 0)
        spokes.append(
            {"x": 0, "y": 0, "x2": ex, "y2": ey, "lx": lx, "ly": ly, "name": name, "align": align}
        )
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
                    "score": value,
                    "text": text(value),
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


# Rows labelled above their bar (statements, and every bar chart on a phone): line height, bar
# height and the gap to the next row, in px.
LINE, BAR, GAP = 15, 16, 12
WRAP, WRAP_NARROW = 88, 44  # characters per line of a label above its bar


@dataclass(frozen=True)
class _Rows:
    """Where rows labelled above their bars go: each label's lines, the rows' step and how far
    the bar sits below the middle of its row."""

    lines: dict[str, list[str]]
    step: int
    offset: float

    @classmethod
    def of(cls, labels: Sequence[str], wrap: int) -> _Rows:
        lines = {
            label: textwrap.wrap(label, wrap, break_on_hyphens=False) or [label] for label in labels
        }
        most = max((len(found) for found in lines.values()), default=1)
        step = most * LINE + 4 + BAR + GAP
        return cls(lines, step, most * LINE + 4 + BAR / 2 - step / 2)

    def labels_layer(self, y: Spec) -> Spec:
        """The labels as text above each row's bar (no axis labels)."""
        return {
            "data": {"values": [{"label": k, "lines": v} for k, v in self.lines.items()]},
            "mark": {
                "type": "text",
                "align": "left",
                "baseline": "top",
                "lineHeight": LINE,
                "color": INK,
            },
            "encoding": {
                "y": {**y, "bandPosition": 0},
                "x": {"value": 0},
                "text": {"field": "lines"},
            },
        }


def _legend_of(names: list[str], colours: list[str]) -> Spec:
    """A colour scale for series told apart by mark as well (bar, tick), with a legend."""
    return {"domain": names, "range": colours}


def bars(
    *,
    title: str,
    description: str,
    rows: Sequence[Bar],
    x_title: str,
    own_label: str,
    peer_label: str | None = None,
) -> Spec:
    """Horizontal bars with 95 % intervals; a peer mean as a black tick if given (then with a
    legend). On a phone each bar's label stands above it."""
    shown = [r for r in rows if r.score is not None]
    values = [
        {
            **asdict(r),
            "text": text(r.score),
            "interval": _interval_text(r.low, r.high),
            "peer_text": text(r.peer),
        }
        for r in shown
    ]
    order = [r.label for r in shown]
    with_peers = bool(peer_label) and any(r.peer is not None for r in shown)

    def build(width: int, rows_above: _Rows | None) -> Spec:
        height: int | Spec = {"step": 26} if rows_above is None else {"step": rows_above.step}
        spec = _base(title, description, height=height, width=width, max_width=WIDE)
        y: Spec = {"field": "label", "type": "nominal", "sort": order, "title": None}
        if rows_above is not None:
            y["axis"] = None
        offset = {"yOffset": rows_above.offset} if rows_above is not None else {}
        x = _percent(x_title)
        colour: Spec = {}
        if with_peers:
            scale = _legend_of([own_label, str(peer_label)], [ACCENT, INK])
            colour = {"color": {"datum": own_label, "scale": scale, "title": None}}
        layers: list[Spec] = [
            {
                "mark": {"type": "bar", "color": ACCENT, "height": BAR, **offset},
                "encoding": {
                    "y": y,
                    "x": {"field": "score", **x},
                    **colour,
                    "tooltip": [
                        {"field": "label", "title": " "},
                        {"field": "text", "title": own_label},
                        {"field": "interval", "title": "95 %"},
                    ],
                },
            },
            {
                "transform": [{"filter": "datum.low != null"}],
                "mark": {"type": "rule", "color": INK, "strokeWidth": 1.5, **offset},
                "encoding": {"y": y, "x": {"field": "low", **x}, "x2": {"field": "high"}},
            },
        ]
        if with_peers:
            layers.append(
                {
                    "transform": [{"filter": "datum.peer != null"}],
                    "mark": {"type": "tick", "color": INK, "thickness": 3, "size": 22, **offset},
                    "encoding": {
                        "y": y,
                        "x": {"field": "peer", **x},
                        "color": {"datum": str(peer_label)},
                        "tooltip": [
                            {"field": "label", "title": " "},
                            {"field": "peer_text", "title": peer_label},
                        ],
                    },
                }
            )
        spec["data"] = {"values": values}
        spec["layer"] = layers if rows_above is None else [*layers, rows_above.labels_layer(y)]
        return spec

    return _with_narrow(build(WIDTH, None), build(NARROW, _Rows.of(order, WRAP_NARROW)))


def _interval_text(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "–"
    return f"{number(low, 0)}–{number(high, 0)}"


def distribution(
    *,
    title: str,
    description: str,
    rows: Sequence[AnswerShare],
    answer_labels: list[str],
    x_title: str,
) -> Spec:
    """Stacked bars of the share of each answer (and "Vet ej") per statement, each statement's
    text above its bar."""
    labels = list(dict.fromkeys(r.label for r in rows))
    values = [{**asdict(r), "text": f"{number(100 * r.share, 0)}\u00a0%"} for r in rows]

    def build(width: int, wrap: int, columns: int) -> Spec:
        layout = _Rows.of(labels, wrap)
        spec = _base(title, description, height={"step": layout.step}, width=width, max_width=WIDE)
        y = {"field": "label", "type": "nominal", "sort": labels, "title": None, "axis": None}
        bars_layer = {
            "data": {"values": values},
            "mark": {
                "type": "bar",
                "stroke": "white",
                "strokeWidth": 0.5,
                "height": BAR,
                "yOffset": layout.offset,
            },
            "encoding": {
                "y": y,
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
                    "scale": {
                        "domain": answer_labels,
                        "range": ANSWER_SHADES[: len(answer_labels)],
                    },
                    "legend": {"columns": columns, "direction": "horizontal"},
                },
                "order": {"field": "order"},
                "tooltip": [
                    {"field": "label", "title": " "},
                    {"field": "answer"},
                    {"field": "text", "title": " "},
                ],
            },
        }
        spec["layer"] = [bars_layer, layout.labels_layer(y)]
        return spec

    return _with_narrow(build(WIDTH, WRAP, 4), build(NARROW, WRAP_NARROW, 2))


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
            "data": {"values": [{**asdict(b), "band": f"{b.start}–{b.end}"} for b in bins]},
            "mark": {"type": "bar", "color": LIGHT, "stroke": GREY},
            "encoding": {
                "x": {"field": "start", **x, "bin": {"binned": True, "step": 5}},
                "x2": {"field": "end"},
                "y": {"field": "count", "type": "quantitative", "title": y_title},
                "tooltip": [
                    {"field": "band", "title": x_title},
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
    """Yearly series with 95 % intervals; series told apart by colour, line style and shape,
    named in the legend."""
    spec = _base(title, description, height=320)
    series = list(dict.fromkeys(r.series for r in rows))
    years = sorted({r.year for r in rows})
    x = {
        "field": "year",
        "type": "ordinal",
        "title": x_title,
        "sort": years,
        "axis": {"labelAngle": 0},
    }
    y = _percent(y_title)
    styles = _series_styles(series, [ACCENT, INK, GREY])
    spec["data"] = {
        "values": [
            {**asdict(r), "text": text(r.score), "interval": _interval_text(r.low, r.high)}
            for r in rows
        ]
    }
    spec["layer"] = [
        {
            "transform": [{"filter": "datum.low != null"}],
            "mark": {"type": "rule", "strokeWidth": 1.5},
            "encoding": {
                "x": x,
                "y": {"field": "low", **y},
                "y2": {"field": "high"},
                "color": styles["color"],
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
                    {"field": "text", "title": " "},
                    {"field": "interval", "title": "95 %"},
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
