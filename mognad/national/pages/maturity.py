"""National maturity and its change: the headline means, the change on the fixed panel and the
naive one, and the series over the years."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mognad.national import figures
from mognad.national.pages.base import Chart, MeanRow, NationalPage, mean_row
from mognad.results import charts
from mognad.results.figures import OVERALL
from mognad.results.wording import interval, node_names, percent


@dataclass(frozen=True)
class ChangeRow:
    """One node's change between the two years, on the fixed panel and naive."""

    label: str
    change: figures.NodeChange


@dataclass(frozen=True)
class Maturity:
    summary: str  # the national maturity of the year in one sentence
    headline: tuple[MeanRow, ...]  # overall maturity, then the dimensions
    change: figures.Change | None  # from the year before with results, if any
    explanation: str  # why the panel and the naive change differ ("" without a change)
    change_rows: tuple[ChangeRow, ...]
    trend: Chart
    series: tuple[figures.SeriesPoint, ...]


def build(page: NationalPage) -> Maturity:
    names = node_names(page.instrument, page.lang)
    nodes = page.national.nodes
    headline = tuple(
        mean_row(names[node], nodes.get(node))
        for node in [OVERALL, *(("dimension", d.id) for d in page.instrument.dimensions)]
    )
    change = page.change
    return Maturity(
        summary=summary(page),
        headline=headline,
        change=change,
        explanation=figures.explain(change) if change is not None else "",
        change_rows=tuple(
            ChangeRow(names.get(node, node[1]), found)
            for node, found in (change.nodes.items() if change is not None else ())
        ),
        trend=_trend(page),
        series=tuple(page.series),
    )


def summary(page: NationalPage) -> str:
    overall = page.national.overall
    if overall.mean is None:
        return _("No organization has results for %(year)s yet.") % {"year": page.year}
    return ngettext(
        "National maturity %(year)s is %(score)s (95 %% interval %(interval)s) over "
        "%(n)s organization.",
        "National maturity %(year)s is %(score)s (95 %% interval %(interval)s) over "
        "%(n)s organizations.",
        overall.n,
    ) % {
        "year": page.year,
        "score": percent(overall.mean),
        "interval": interval(overall.low, overall.high),
        "n": overall.n,
    }


def _trend(page: NationalPage) -> Chart:
    description = _(
        "The national mean of each year over all organizations, next to an index that follows "
        "only organizations measured in consecutive years."
    )
    points = []
    for point in page.series:
        naive = point.naive
        points.append(
            charts.Point(
                point.year, _("All organizations (naive)"), naive.mean, naive.low, naive.high
            )
        )
        if point.chained is not None:
            points.append(
                charts.Point(point.year, _("Fixed panel, chained"), point.chained, None, None)
            )
    spec = (
        charts.trend(
            title=_("National maturity over the years"),
            description=description,
            rows=points,
            y_title=_("Percent of optimal preconditions"),
            x_title=_("Year"),
        )
        if points
        else None
    )
    return Chart("chart-trend", spec, description)
