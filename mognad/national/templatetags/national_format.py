"""Template filters for the national page and report (see mognad/national/formatting.py)."""

from __future__ import annotations

from typing import Any

from django import template

from mognad.national import formatting

register = template.Library()


@register.filter
def num(value: Any, digits: int = 1) -> str:
    return formatting.number(None if value is None else float(value), int(digits))


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    return formatting.percent(None if value is None else float(value), int(digits))


@register.filter
def signed(value: Any) -> str:
    return formatting.signed(None if value is None else float(value))


@register.filter
def span(row: Any) -> str:
    """A row's (dict or object) 95 % interval, "41,2–47,9"."""
    if isinstance(row, dict):
        return formatting.interval(row.get("low"), row.get("high"))
    return formatting.interval(getattr(row, "low", None), getattr(row, "high", None))


@register.filter
def share(value: Any) -> str:
    """0.734 → "73 %"."""
    return "–" if value is None else formatting.percent(float(value) * 100, 0)


@register.filter
def pvalue(value: Any) -> str:
    if value is None:
        return "–"
    if float(value) < 0.001:
        return "< " + formatting.number(0.001, 3)
    return formatting.number(float(value), 3)
