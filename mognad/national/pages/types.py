"""The four organization types: the share of organizations of each type and the flows between
the types from the year before."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mognad.national.pages.base import Chart, MeanRow, NationalPage, bars
from mognad.results.wording import percent, type_names


@dataclass(frozen=True)
class TypeRow(MeanRow):
    """A type's share of the organizations with a type, in percent, with its Wilson interval;
    `n` is the number of organizations of the type."""

    @property
    def count(self) -> int:
        return self.n


@dataclass(frozen=True)
class Flow:
    """Organizations of one type in the year before, by their type this year."""

    label: str
    counts: tuple[int, ...]  # in the order of `Types.names`
    total: int


@dataclass(frozen=True)
class Types:
    rows: tuple[TypeRow, ...]
    typed: int  # organizations with a type
    uncertain: int  # organizations whose type is uncertain
    summary: str
    chart: Chart
    names: tuple[str, ...]  # the four types, in the instrument's order
    flows: tuple[Flow, ...]  # empty without a year to compare with


def build(page: NationalPage) -> Types:
    names = type_names(page.instrument, page.lang)
    order = tuple(t.id for t in page.instrument.types)
    rows = _rows(page, names, order)
    typed = sum(r.count for r in rows)
    summary = _summary(page, rows, typed)
    change = page.change
    return Types(
        rows=rows,
        typed=typed,
        uncertain=page.national.uncertain_types,
        summary=summary,
        chart=bars("types", _("The four types"), rows, summary),
        names=tuple(names[t] for t in order),
        flows=tuple(
            Flow(names.get(source, source), tuple(counts), total)
            for source, counts, total in (change.flow_matrix(order) if change is not None else ())
        ),
    )


def _percent(value: float | None) -> float | None:
    return None if value is None else value * 100


def _rows(page: NationalPage, names: dict[str, str], order: tuple[str, ...]) -> tuple[TypeRow, ...]:
    rows = []
    for type_id in order:
        share = page.national.types.get(type_id)
        if share is not None:
            rows.append(
                TypeRow(
                    label=names.get(type_id, type_id),
                    score=_percent(share.share),
                    low=_percent(share.low),
                    high=_percent(share.high),
                    n=share.count,
                )
            )
    return tuple(rows)


def _summary(page: NationalPage, rows: tuple[TypeRow, ...], typed: int) -> str:
    if not typed:
        return _("No organization has a type for %(year)s yet.") % {"year": page.year}
    return _("Share of organizations of each type: %(shares)s.") % {
        "shares": ", ".join(f"{r.label} {percent(r.score, 0)}" for r in rows)
    }
