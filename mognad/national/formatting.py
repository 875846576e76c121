"""Numbers as people read them: a decimal comma and a real minus sign in Swedish."""

from __future__ import annotations

from django.utils import translation


def number(value: float | None, digits: int = 1) -> str:
    """48.25 → "48,3" in Swedish, "48.3" in English; None → "–"."""
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    if (translation.get_language() or "sv").startswith("sv"):
        text = text.replace(".", ",").replace("-", "\u2212")
    return text


def signed(value: float | None, digits: int = 1) -> str:
    """A change in percentage points with its sign: +2,4 or −1,0."""
    if value is None:
        return "–"
    text = number(value, digits)
    return text if text.startswith(("-", "\u2212")) else "+" + text


def percent(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{number(value, digits)}\u00a0%"


def interval(low: float | None, high: float | None, digits: int = 1) -> str:
    if low is None or high is None:
        return "–"
    return f"{number(low, digits)}–{number(high, digits)}"
