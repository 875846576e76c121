"""The over-time tab: the yearly series up to the chosen year with intervals, the change from the
year before and whether it is significant, and the path through the organization types."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mognad.results import charts, extensions, queries
from mognad.results.figures import ORGANIZATION, OVERALL, Figure, MeasurementFigures, NodeKey
from mognad.results.models import MeasurementResult
from mognad.results.pages.base import Page
from mognad.results.wording import find_type, whole
from mognad.scoring.engine import Change, Estimate, compare
from mognad.surveys.models import Measurement


@dataclass(frozen=True)
class Value:
    """One node's figure in one year and its change from the year before (None: not computed)."""

    figure: Figure | None
    change: Change | None


@dataclass(frozen=True)
class YearRow:
    year: int
    instrument: str
    respondents: int | None
    type_name: str | None
    uncertain: bool  # the type is uncertain (no type reaches the certainty)
    values: tuple[Value, ...]  # overall maturity, then the dimensions (as `node_names`)
    comparable: bool | None  # with the year before; None for the first year

    @property
    def overall(self) -> Figure | None:
        return self.values[0].figure


@dataclass(frozen=True)
class CapabilityRow:
    """A capability in the page's year, its change from the year before, and whether the
    organization's action plan of the year before had actions for it."""

    name: str
    value: Value
    had_actions: bool


@dataclass(frozen=True)
class OverTime:
    node_names: tuple[str, ...]
    rows: tuple[YearRow, ...]  # oldest first
    path: tuple[tuple[int, str], ...]  # (year, type name) where a type is shown
    not_comparable: tuple[int, ...]
    chart: charts.Spec | None
    summary: str
    capabilities: tuple[CapabilityRow, ...] = ()  # when the year before compares
    plan_year: int | None = None  # the year before, whose plan marks capabilities


def comparable(a: Measurement, b: Measurement) -> bool:
    """Two measurements compare when their instruments share the slug, structure and cut-offs."""
    if a.instrument_id == b.instrument_id:
        return True
    ia, ib = a.instrument.definition(), b.instrument.definition()
    return (
        ia.id == ib.id
        and [(d.id, [c.id for c in d.categories]) for d in ia.dimensions]
        == [(d.id, [c.id for c in d.categories]) for d in ib.dimensions]
        and (ia.capability_cutoff, ia.legacy_cutoff) == (ib.capability_cutoff, ib.legacy_cutoff)
    )


def build(page: Page) -> OverTime:
    """The yearly series of the page's group: 1 query for every year's stored groups."""
    nodes = [(OVERALL, _("Overall maturity"))] + [
        (("dimension", d.id), d.name.get(page.lang)) for d in page.instrument.dimensions
    ]
    by_year = _figures_by_year(page)
    rows = _year_rows(page, by_year, [node for node, _name in nodes])
    names = tuple(name for _node, name in nodes)
    capabilities, plan_year = _capability_rows(page, by_year, rows)
    return OverTime(
        node_names=names,
        rows=rows,
        path=tuple((r.year, r.type_name) for r in rows if r.type_name),
        not_comparable=tuple(r.year for r in rows if r.comparable is False),
        chart=_chart(rows, names),
        summary=_summary(rows),
        capabilities=capabilities,
        plan_year=plan_year,
    )


def _capability_rows(
    page: Page, by_year: list[tuple[Measurement, MeasurementFigures]], rows: tuple[YearRow, ...]
) -> tuple[tuple[CapabilityRow, ...], int | None]:
    """The page's year against the year before (if they compare), capability by capability,
    marked where the plan of the year before had actions."""
    if len(by_year) < 2 or not rows[-1].comparable:
        return (), None
    (before_m, before), (_now_m, now) = by_year[-2], by_year[-1]
    planned = extensions.planned_capabilities(page.organization, before_m.year, page.scope)
    found = []
    for capability in page.instrument.capabilities:
        node = ("capability", capability.id)
        value = _value(page, now, before, node)
        if value.figure is not None:
            found.append(
                CapabilityRow(capability.name.get(page.lang), value, capability.id in planned)
            )
    return tuple(found), before_m.year


def _figures_by_year(page: Page) -> list[tuple[Measurement, MeasurementFigures]]:
    """Every year up to the page's year: the results (and the report) of a year never show a
    later one."""
    measurements = [m for m in page.measurements if m.year <= page.year]
    results = queries.results_of_many(measurements, organization_only=page.group == ORGANIZATION)
    by_measurement: dict[int, list[MeasurementResult]] = {}
    for result in results:
        by_measurement.setdefault(result.measurement_id, []).append(result)
    return [(m, MeasurementFigures(m, by_measurement.get(m.pk, []))) for m in measurements]


def _year_rows(
    page: Page, by_year: list[tuple[Measurement, MeasurementFigures]], nodes: list[NodeKey]
) -> tuple[YearRow, ...]:
    rows = []
    previous: tuple[Measurement, MeasurementFigures] | None = None
    for measurement, figures in by_year:
        definition = measurement.instrument.definition()
        quadrant = figures.quadrant(page.group, definition)
        org_type = find_type(definition, quadrant["type"]) if quadrant else None
        compared = comparable(previous[0], measurement) if previous is not None else None
        before = previous[1] if previous is not None and compared else None
        rows.append(
            YearRow(
                year=measurement.year,
                instrument=measurement.instrument.key,
                respondents=figures.respondents(page.group),
                type_name=org_type.name.get(page.lang) if org_type else None,
                uncertain=bool(quadrant and quadrant.get("uncertain")),
                values=tuple(_value(page, figures, before, node) for node in nodes),
                comparable=compared,
            )
        )
        previous = (measurement, figures)
    return tuple(rows)


def _value(
    page: Page, figures: MeasurementFigures, before: MeasurementFigures | None, node: NodeKey
) -> Value:
    figure = figures.figure(page.group, node)
    earlier = before.figure(page.group, node) if before is not None else None
    if figure is None or earlier is None:
        return Value(figure, None)
    return Value(figure, change(earlier, figure))


def change(before: Figure, after: Figure) -> Change:
    """The change between two years' figures and whether it is larger than the noise: the one
    change test of the over-time tab (and of the action plans' follow-up)."""
    return compare(_estimate(before), _estimate(after))


def _estimate(figure: Figure) -> Estimate:
    ci = (figure.low, figure.high) if figure.low is not None and figure.high is not None else None
    return Estimate(figure.score, ci, figure.se, figure.n)


def _chart(rows: tuple[YearRow, ...], names: tuple[str, ...]) -> charts.Spec | None:
    points = [
        charts.Point(
            year=row.year,
            series=name,
            score=value.figure.score,
            low=value.figure.low,
            high=value.figure.high,
        )
        for row in rows
        for name, value in zip(names, row.values, strict=True)
        if value.figure is not None
    ]
    if not points:
        return None
    return charts.trend(
        title=_("Maturity over the years"),
        description=_("Yearly scores with their confidence intervals."),
        rows=points,
        y_title=_("Percent of optimal preconditions"),
        x_title=_("Year"),
    )


def _summary(rows: tuple[YearRow, ...]) -> str:
    shown = [(row.year, figure) for row in rows if (figure := row.overall) is not None]
    if len(shown) < 2:
        return _("There is not yet more than one year to compare.")
    (first_year, first), (last_year, last) = shown[0], shown[-1]
    return _(
        "Overall maturity went from %(first)s %% in %(first_year)s to %(last)s %% in %(last_year)s."
    ) % {
        "first": whole(first.score),
        "first_year": first_year,
        "last": whole(last.score),
        "last_year": last_year,
    }
