"""Names, numbers and sentence parts shared by the results pages and the national pages.

Everything a page says about a node, a group or a figure in the current language is written once
here: the names of nodes, types, roles, organization kinds and unit types; numbers with a decimal
comma in Swedish; intervals; and the pick of the highest and lowest figure a one-sentence summary
names. Results and national both import it (results is the lower layer).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, TypeVar

from django.utils.translation import gettext as _

from mognad.instrument.language import active_language
from mognad.instrument.schema import Instrument, OrganizationType
from mognad.orgs.models import Organization, Unit
from mognad.results.figures import OVERALL, NodeKey
from mognad.surveys.models import Role

T = TypeVar("T")


# The language of instrument texts for the current request (the rule lives in instrument).
language = active_language


# --- Names --------------------------------------------------------------------------------------


def node_names(instrument: Instrument, lang: str) -> dict[NodeKey, str]:
    """Overall maturity, every dimension, category, capability and statement, by node."""
    names: dict[NodeKey, str] = {OVERALL: _("Overall maturity")}
    for d in instrument.dimensions:
        names[("dimension", d.id)] = d.name.get(lang)
    for c in instrument.categories:
        names[("category", c.id)] = c.name.get(lang)
    for cap in instrument.capabilities:
        names[("capability", cap.id)] = cap.name.get(lang)
    for item in instrument.items:
        names[("item", item.id)] = item.text.get(lang)
    return names


def find_type(instrument: Instrument, type_id: str) -> OrganizationType | None:
    return next((t for t in instrument.types if t.id == type_id), None)


def type_names(instrument: Instrument, lang: str) -> dict[str, str]:
    """The four maturity types' names by id."""
    return {t.id: t.name.get(lang) for t in instrument.types}


def quadrant_names(instrument: Instrument, lang: str) -> dict[str, str]:
    """The four maturity types' names by quadrant, "low-limiting" and so on."""
    return {f"{t.capability}-{t.legacy}": t.name.get(lang) for t in instrument.types}


def role_name(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def kind_names() -> dict[str, str]:
    """Organization kinds (municipality, region, …) by stored value."""
    return {value: str(label) for value, label in Organization.Kind.choices}


def municipality_group_names() -> dict[str, str]:
    """SKR's municipality groups (kommungrupper) by code, each code with its name, so that "B4"
    is never shown alone: {"B4": "B4 Pendlingskommun nära större stad", …}."""
    names = {
        "A1": _("Large cities"),
        "A2": _("Commuting municipality near a large city"),
        "B3": _("Medium-sized town"),
        "B4": _("Commuting municipality near a medium-sized town"),
        "B5": _("Low-commuting municipality near a medium-sized town"),
        "C6": _("Small town"),
        "C7": _("Commuting municipality near a small town"),
        "C8": _("Rural municipality"),
        "C9": _("Rural municipality with a visitor industry"),
    }
    return {code: f"{code} {name}" for code, name in names.items()}


def municipality_group_name(code: str) -> str:
    """A municipality group's code with its name ("B4 Pendlingskommun nära större stad"); an
    unknown code as it is."""
    return municipality_group_names().get(code.strip().upper(), code)


def unit_type_names() -> dict[str, str]:
    return {value: str(label) for value, label in Unit.UnitType.choices}


def not_stated(key: str) -> str:
    """A group key as its own name, or "Not stated" when it is empty."""
    return key or _("Not stated")


# --- Numbers ------------------------------------------------------------------------------------


def rounded(value: float, digits: int = 0) -> Decimal:
    """The one rounding of every shown figure: half away from zero, of the decimal number as it
    is written (38.5 → 39, 38.45 → 38.5), always from the unrounded value, so that a figure shows
    the same on every page, export and report (no rounding of a rounded value, no banker's
    rounding)."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def whole(value: float) -> int:
    """A figure as the whole number the pages show: 38.52 → 39, 38.5 → 39."""
    return int(rounded(value, 0))


def number(value: float | None, digits: int = 1) -> str:
    """48.25 → "48,3" in Swedish, "48.3" in English; None → "–"."""
    if value is None:
        return "–"
    text = f"{rounded(value, digits):f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    if language() == "sv":
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
    """A 95 % interval as "41,2–47,9"; "–" when either end is missing."""
    if low is None or high is None:
        return "–"
    return f"{number(low, digits)}–{number(high, digits)}"


# --- Sentences ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Extremes(Generic[T]):
    """The highest and the lowest of the rows that have a figure, and how many have one."""

    high: T
    low: T
    shown: int

    def values(self, label: Callable[[T], str], score: Callable[[T], object]) -> dict[str, object]:
        """The placeholders of a "highest … lowest …" sentence: high, high_score, low, low_score."""
        return {
            "high": label(self.high),
            "high_score": score(self.high),
            "low": label(self.low),
            "low_score": score(self.low),
        }


def extremes(rows: Sequence[T], score: Callable[[T], float | None]) -> Extremes[T] | None:
    """What a "highest … lowest …" summary names; None when no row has a figure."""
    shown = [(value, row) for row in rows if (value := score(row)) is not None]
    if not shown:
        return None
    high = max(shown, key=lambda pair: pair[0])[1]
    low = min(shown, key=lambda pair: pair[0])[1]
    return Extremes(high, low, len(shown))
