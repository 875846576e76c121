"""Horizontal bars: scores with intervals and peer ticks, and the answers per statement."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from mognad.results.charts.base import (
    ACCENT,
    ANSWER_SHADES,
    INK,
    NARROW,
    WIDE,
    WIDTH,
    AnswerShare,
    Bar,
    Spec,
    _base,
    _interval_text,
    _percent,
    _with_narrow,
    text,
)
from mognad.results.wording import number

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
        height: int | Spec = {"step": 22} if rows_above is None else {"step": rows_above.step}
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
