"""The instrument's reliability section of the national report, from the figures `mognad validate
instrument` stored for the year (`ReliabilityYear`); docs/scoring.md §12 explains them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mognad.instrument.schema import Instrument
from mognad.national.models import ReliabilityYear
from mognad.results.wording import interval, kind_names, language, node_names, number, signed

LEVEL_NAMES = {
    "configural": gettext_lazy("Configural (same structure)"),
    "metric": gettext_lazy("Metric (equal loadings)"),
    "scalar": gettext_lazy("Scalar (equal loadings and intercepts)"),
}


@dataclass(frozen=True)
class CategoryRow:
    name: str
    statements: int
    alpha: str  # "0,84"
    alpha_ci: str  # "0,83–0,85"
    omega: str
    omega_ci: str
    dont_know: str
    icc1: str
    icc2: str
    rwg: str


@dataclass(frozen=True)
class FitRow:
    name: str
    cfi: str
    tli: str
    rmsea: str
    srmr: str
    delta_cfi: str
    delta_rmsea: str


@dataclass(frozen=True)
class InvarianceTable:
    title: str
    groups: str  # "agency (n = 629), municipality (n = 2 733)"
    rows: tuple[FitRow, ...]
    not_run: str | None  # why there is no table


@dataclass(frozen=True)
class Reliability:
    year: int
    computed_at: datetime
    demo: bool
    respondents: int
    organizations: int
    draws: int
    categories: tuple[CategoryRow, ...]
    models: tuple[FitRow, ...]  # six categories, one factor
    invariance: tuple[InvarianceTable, ...]
    left_out: tuple[str, ...]
    command: str


def _fit_row(name: str, fit: dict[str, Any] | None) -> FitRow:
    fit = fit or {}
    return FitRow(
        name=name,
        cfi=number(fit.get("cfi"), 3),
        tli=number(fit.get("tli"), 3),
        rmsea=number(fit.get("rmsea"), 3),
        srmr=number(fit.get("srmr"), 3),
        delta_cfi=signed(fit.get("delta_cfi"), 3) if fit.get("delta_cfi") is not None else "",
        delta_rmsea=signed(fit.get("delta_rmsea"), 3) if fit.get("delta_rmsea") is not None else "",
    )


def _category(entry: dict[str, Any], names: dict[Any, str]) -> CategoryRow:
    alpha = entry.get("alpha") or [None, None, None]
    omega = entry.get("omega") or [None, None, None]
    rate = entry.get("dont_know_rate")
    return CategoryRow(
        name=names.get(("category", entry["category"]), entry["category"]),
        statements=int(entry["statements"]),
        alpha=number(alpha[0], 2),
        alpha_ci=interval(alpha[1], alpha[2], 2),
        omega=number(omega[0], 2),
        omega_ci=interval(omega[1], omega[2], 2),
        dont_know=number(None if rate is None else rate * 100, 0) + "\u00a0%",
        icc1=number(entry.get("icc1"), 2),
        icc2=number(entry.get("icc2"), 2),
        rwg=number(entry.get("rwg_mean"), 2),
    )


def _invariance(name: str, entry: dict[str, Any], kinds: dict[str, str]) -> InvarianceTable:
    title = _("Across years") if name == "years" else _("Across kinds of organization")
    levels = entry.get("levels") or []
    sizes = ", ".join(
        f"{kinds.get(label, label)} (n\u00a0=\u00a0{level_n})"
        for label, level_n in zip(entry.get("compared") or [], _sizes(entry), strict=False)
    )
    if not levels:
        return InvarianceTable(
            title, sizes, (), _("Not computed: too few organizations or answers in the groups.")
        )
    rows = tuple(
        _fit_row(str(LEVEL_NAMES.get(level["level"], level["level"])), level) for level in levels
    )
    return InvarianceTable(title, sizes, rows, None)


def _sizes(entry: dict[str, Any]) -> list[int]:
    return [int(n) for n in entry.get("sizes") or []]


def load(year: int, instrument: Instrument) -> Reliability | None:
    row = ReliabilityYear.objects.filter(year=year).first()
    if row is None:
        return None
    figures = json.loads(row.figures)
    names = node_names(instrument, language())
    kinds = kind_names()
    cfa = figures.get("cfa") or {}
    models: tuple[FitRow, ...] = ()
    if cfa.get("six_factors"):
        models = (
            _fit_row(_("Six categories"), cfa["six_factors"]),
            _fit_row(_("One common factor"), cfa.get("one_factor")),
        )
    return Reliability(
        year=year,
        computed_at=row.computed_at,
        demo=bool(figures.get("demo_data")),
        respondents=int(figures["respondents"]),
        organizations=int(figures["organizations"]),
        draws=int(figures["bootstrap"]["draws"]),
        categories=tuple(_category(c, names) for c in figures.get("categories") or []),
        models=models,
        invariance=tuple(
            _invariance(name, entry, kinds)
            for name, entry in (figures.get("invariance") or {}).items()
        ),
        left_out=tuple(
            names.get(("item", i["item"]), i["item"]) for i in figures.get("left_out") or []
        ),
        command=f"mognad validate instrument --year {year}",
    )
