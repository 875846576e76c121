"""The year's national figures and participation, and the rows and charts every section shares.

`load(year)` takes the year's national figures from `store` (stored, computed again only when
their inputs changed) and the participation live from the database, in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from mognad.instrument.schema import Instrument
from mognad.national import figures, queries, store
from mognad.national.participation import Participation, participation
from mognad.national.stats import Mean
from mognad.results import charts
from mognad.results.wording import extremes, language, percent


@dataclass(frozen=True)
class NationalPage:
    year: int
    instrument: Instrument
    national: figures.NationalFigures
    change: figures.Change | None
    participation: Participation
    series: list[figures.SeriesPoint]
    named: list[str]
    k: int
    with_results: dict[str, int]  # organizations with shown results, by organization type
    data_date: datetime | None
    base_data_date: datetime | None

    @property
    def lang(self) -> str:
        return language()


def load(year: int) -> NationalPage:
    """The year's page: the stored national figures (`store.figures`) and live participation."""
    found = store.figures(year)
    return NationalPage(
        year=year,
        instrument=store.instrument(found.instrument),
        national=found.national,
        change=found.change,
        participation=participation(year, queries.participation_rows(year)),
        series=found.series,
        named=found.named,
        k=found.k,
        with_results=found.with_results,
        data_date=found.data_date,
        base_data_date=found.base_data_date,
    )


@dataclass(frozen=True)
class MeanRow:
    """A national mean over organizations with its 95 % interval (None everywhere when hidden)."""

    label: str
    score: float | None
    low: float | None
    high: float | None
    n: int

    def bar(self) -> charts.Bar:
        return charts.Bar(self.label, self.score, self.low, self.high)


def mean_row(label: str, mean: Mean | None) -> MeanRow:
    if mean is None or mean.mean is None:
        return MeanRow(label, None, None, None, mean.n if mean else 0)
    return MeanRow(label, mean.mean, mean.low, mean.high, mean.n)


@dataclass(frozen=True)
class Chart:
    """A chart as the page draws it (a Vega-Lite spec, None when there is nothing to draw) and its
    one-sentence summary, which also stands in for it when there is no chart."""

    id: str
    spec: charts.Spec | None
    summary: str


def bars_summary(what: str, rows: Sequence[MeanRow]) -> str:
    found = extremes(rows, lambda r: r.score)
    if found is None:
        return _("%(what)s: no group has enough organizations to show a figure.") % {"what": what}
    high, low = found.high, found.low
    if high is low:
        return _("%(what)s: %(label)s %(score)s.") % {
            "what": what,
            "label": high.label,
            "score": percent(high.score),
        }
    return _("%(what)s: highest %(high)s (%(high_score)s), lowest %(low)s (%(low_score)s).") % {
        "what": what,
        **found.values(lambda r: r.label, lambda r: percent(r.score)),
    }


def bars(name: str, title: str, rows: Sequence[MeanRow], summary: str) -> Chart:
    """Bars of the rows' means with their intervals (no chart when every figure is hidden)."""
    spec = None
    if any(r.score is not None for r in rows):
        spec = charts.bars(
            title=title,
            description=summary,
            rows=[r.bar() for r in rows],
            x_title=_("Percent of optimal preconditions"),
            own_label=_("National mean"),
        )
    return Chart(f"chart-{name}", spec, summary)
