"""The capability × legacy matrix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from mognad.results.charts.base import (
    ACCENT,
    GREY,
    INK,
    Position,
    Spec,
    _base,
    _percent,
    _square,
    text,
)


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
    axes = _Axes(
        {"field": "x", **_percent(x_title)}, {"field": "y", **_percent(y_title)}, x_title, y_title
    )
    cutoff = {"type": "rule", "color": GREY, "strokeDash": [4, 4]}
    now = Position(label, x, y)
    spec["layer"] = [
        {"data": {"values": [{"x": x_cutoff}]}, "mark": cutoff, "encoding": {"x": axes.x}},
        {"data": {"values": [{"y": y_cutoff}]}, "mark": cutoff, "encoding": {"y": axes.y}},
        {
            "data": {"values": _quadrant_labels(x_cutoff, y_cutoff, quadrant_names)},
            "mark": {"type": "text", "color": GREY, "fontSize": 13},
            "encoding": {"x": axes.x, "y": axes.y, "text": {"field": "name"}},
        },
        {
            "data": {"values": _cross(x, y, x_interval, y_interval)},
            "mark": {"type": "rule", "color": INK, "strokeWidth": 2},
            "encoding": {"x": axes.x, "x2": {"field": "x2"}, "y": axes.y, "y2": {"field": "y2"}},
        },
        *_path_layers(axes, [p for p in path if p.year is not None], now),
        _markers_layer(axes, [*context, now], label),
    ]
    return spec


@dataclass(frozen=True)
class _Axes:
    x: Spec
    y: Spec
    x_title: str
    y_title: str

    def tooltip(self, first: str) -> list[Spec]:
        return [
            {"field": first, "title": " "},
            {"field": "x_text", "title": self.x_title},
            {"field": "y_text", "title": self.y_title},
        ]


def _shown(position: Position) -> Spec:
    return {**asdict(position), "x_text": text(position.x), "y_text": text(position.y)}


def _path_layers(axes: _Axes, earlier: list[Position], now: Position) -> list[Spec]:
    """The earlier years as small points labelled with their year, joined by a dotted line that
    ends at this year's position."""
    if not earlier:
        return []
    trail = [*earlier, now]
    return [
        {
            "data": {"values": [{**asdict(p), "order": i} for i, p in enumerate(trail)]},
            "mark": {"type": "line", "color": ACCENT, "strokeWidth": 1.5, "strokeDash": [2, 2]},
            "encoding": {"x": axes.x, "y": axes.y, "order": {"field": "order"}},
        },
        {
            "data": {"values": [_shown(p) for p in earlier]},
            "layer": [
                {
                    "mark": {"type": "point", "filled": True, "size": 50, "color": ACCENT},
                    "encoding": {"x": axes.x, "y": axes.y, "tooltip": axes.tooltip("year")},
                },
                {
                    "mark": {"type": "text", "color": INK, "align": "right", "dx": -6},
                    "encoding": {"x": axes.x, "y": axes.y, "text": {"field": "year"}},
                },
            ],
        },
    ]


def _markers_layer(axes: _Axes, marks: list[Position], label: str) -> Spec:
    """This year's position and the averages around it, each with its own shape, named in the
    legend."""
    names = list(dict.fromkeys(m.series for m in marks))
    others = iter(["square", "triangle-up", "circle", "cross", "triangle-down"])
    shapes = {name: "diamond" if name == label else next(others) for name in names}
    style = {"field": "series", "type": "nominal", "title": None, "sort": names}
    return {
        "data": {"values": [_shown(m) for m in marks]},
        "mark": {"type": "point", "filled": True, "size": 180, "stroke": INK},
        "encoding": {
            "x": axes.x,
            "y": axes.y,
            "shape": {**style, "scale": {"domain": names, "range": [shapes[n] for n in names]}},
            "color": {
                **style,
                "scale": {"domain": names, "range": [ACCENT if n == label else INK for n in names]},
            },
            "tooltip": axes.tooltip("series"),
        },
    }


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
