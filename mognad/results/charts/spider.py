"""The radar chart of the categories."""

from __future__ import annotations

import math
from collections.abc import Callable

from mognad.results.charts.base import (
    ACCENT,
    GREY,
    INK,
    LIGHT,
    Spec,
    _base,
    _series_styles,
    _square,
    text,
)


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
