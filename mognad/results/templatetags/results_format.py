"""Formatting of figures on the results pages and in the PDF report."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

register = template.Library()


def _number(value: float, digits: int = 0) -> str:
    text = f"{value:.{digits}f}"
    if (translation.get_language() or "sv").startswith("sv"):
        text = text.replace(".", ",").replace("-", "−")
    return text


@register.filter
def pct(value: Any) -> str:
    """56.4 → "56 %"; None → "" (templates show why a figure is missing)."""
    if value is None or value == "":
        return ""
    return f"{_number(float(value))}\u00a0%"


@register.filter
def points(value: Any) -> str:
    """A signed difference in percentage points: +3, −2."""
    if value is None:
        return ""
    number = _number(abs(float(value)))
    return ("+" if float(value) >= 0 else "−") + number


@register.filter
def interval(figure: Any) -> str:
    """A figure's 95 % interval as "48–60"."""
    if figure is None or getattr(figure, "low", None) is None or figure.high is None:
        return ""
    return f"{_number(figure.low)}–{_number(figure.high)}"


@register.filter
def decimal(value: Any, digits: int = 2) -> str:
    if value is None:
        return ""
    return _number(float(value), int(digits))


@register.filter
def indent(depth: int) -> str:
    """CSS class for a unit's depth in the tree (no inline styles: the CSP forbids them)."""
    return f"depth-{min(int(depth), 6)}"
