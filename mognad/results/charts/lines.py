"""The peer histogram and the yearly trend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from mognad.results.charts.base import (
    ACCENT,
    GREY,
    INK,
    LIGHT,
    Bin,
    Point,
    Spec,
    _base,
    _interval_text,
    _percent,
    _series_styles,
    text,
)


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
