"""Template filters for the national page and report (numbers: mognad/results/wording.py)."""

from __future__ import annotations

from typing import Any

from django import template

from mognad.results import wording

register = template.Library()


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


@register.filter
def num(value: Any, digits: int = 1) -> str:
    return wording.number(_float(value), int(digits))


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    return wording.percent(_float(value), int(digits))


@register.filter
def signed(value: Any) -> str:
    return wording.signed(_float(value))


@register.filter
def span(row: Any) -> str:
    """A row's 95 % interval (anything with `low` and `high`), "41,2–47,9"."""
    return wording.interval(getattr(row, "low", None), getattr(row, "high", None))


@register.filter
def share(value: Any) -> str:
    """0.734 → "73 %"."""
    return "–" if value is None else wording.percent(float(value) * 100, 0)


@register.filter
def pvalue(value: Any) -> str:
    if value is None:
        return "–"
    if float(value) < 0.001:
        return "< " + wording.number(0.001, 3)
    return wording.number(float(value), 3)
