"""Formatting of figures on the results pages and in the PDF reports (numbers: `wording`)."""

from __future__ import annotations

from typing import Any

from django import template

from mognad.results import charts, wording
from mognad.results.wording import number

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    """56.4 → "56 %"; None → "" (templates show why a figure is missing)."""
    if value is None or value == "":
        return ""
    return f"{number(float(value), 0)}\u00a0%"


@register.filter
def points(value: Any) -> str:
    """A signed difference in percentage points: +3, −2."""
    if value is None:
        return ""
    text = number(abs(float(value)), 0)
    return ("+" if float(value) >= 0 else "−") + text


@register.filter
def interval(figure: Any) -> str:
    """A figure's 95 % interval as "48–60"."""
    if figure is None or getattr(figure, "low", None) is None or figure.high is None:
        return ""
    return wording.interval(figure.low, figure.high, 0)


@register.filter
def decimal(value: Any, digits: int = 2) -> str:
    if value is None:
        return ""
    return number(float(value), int(digits))


@register.filter
def indent(depth: int) -> str:
    """CSS class for a unit's depth in the tree (no inline styles: the CSP forbids them)."""
    return f"depth-{min(int(depth), 6)}"


@register.filter
def svg(spec: charts.Spec | None) -> str:
    """A chart as static SVG in a data URI, for the PDF reports (drawn by vl-convert)."""
    return charts.svg_data_uri(spec) if spec else ""
