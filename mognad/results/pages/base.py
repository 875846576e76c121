"""The year's stored results of one group, loaded once per request, and what every tab shares.

`load` reads the organization's closed measurements and the chosen year's stored results (2
queries) into a `Page`; each tab's module turns a `Page` into its own frozen view model. Every
figure comes from `MeasurementFigures` (results/figures.py), which applies the suppression.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mognad.instrument.schema import Instrument
from mognad.orgs.models import Organization, Unit
from mognad.results import charts, queries
from mognad.results.figures import ORGANIZATION, Figure, GroupKey, MeasurementFigures, NodeKey
from mognad.results.wording import language
from mognad.surveys.models import Measurement

TOP = 3


class NoResults(Exception):
    """The organization (or the chosen year or unit) has no results to show."""


@dataclass(frozen=True)
class Page:
    """One organization's results for one year, seen from one group (the organization or a unit)."""

    organization: Organization
    measurements: list[Measurement]
    measurement: Measurement
    figures: MeasurementFigures
    group: GroupKey
    unit: Unit | None
    scope: Unit | None  # the unit admin's unit, or None for the whole organization
    lang: str = field(default_factory=language)

    @property
    def instrument(self) -> Instrument:
        return self.measurement.instrument.definition()

    @property
    def year(self) -> int:
        return self.measurement.year

    @property
    def group_name(self) -> str:
        return self.unit.name if self.unit else self.organization.name

    def figure(self, node: NodeKey, group: GroupKey | None = None) -> Figure | None:
        return self.figures.figure(group or self.group, node)


def load(
    org: Organization,
    *,
    year: int | None,
    unit: Unit | None,
    scope: Unit | None,
) -> Page:
    """The page data: 2 queries (measurements, the year's stored groups)."""
    measurements = queries.closed_measurements(org)
    measurement = queries.pick_year(measurements, year)
    if measurement is None:
        raise NoResults
    figures = MeasurementFigures(measurement, queries.results_of(measurement))
    unit = unit or scope
    group = ("unit", str(unit.pk)) if unit is not None else ORGANIZATION
    return Page(org, measurements, measurement, figures, group, unit, scope)


@dataclass(frozen=True)
class Layout:
    """What the frame around every tab shows: the year (and the years to choose from), the group,
    the questionnaire, the respondents and the query that keeps year and unit across tabs."""

    year: int
    year_choices: tuple[int, ...]
    group_name: str
    instrument_key: str
    query: str
    respondents: int | None
    k: int
    hidden_statements: int = 0  # statements the door hid in this group (parents computed without)


def layout(page: Page) -> Layout:
    query: dict[str, object] = {"year": page.year}
    if page.unit is not None and page.unit != page.scope:
        query["unit"] = page.unit.pk
    return Layout(
        year=page.year,
        year_choices=tuple(m.year for m in page.measurements),
        group_name=page.group_name,
        instrument_key=page.measurement.instrument.key,
        query="&".join(f"{k}={v}" for k, v in query.items()),
        respondents=page.figures.respondents(page.group),
        k=page.figures.k,
        hidden_statements=len(page.figures.hidden_items(page.group)),
    )


@dataclass(frozen=True)
class FigureRow:
    """A table or chart row: a label and its figure (None when hidden). Scores stay unrounded:
    the one rounding of shown figures (`wording.rounded`) happens when they are written out."""

    label: str
    figure: Figure | None

    @property
    def score(self) -> float | None:
        return self.figure.score if self.figure else None

    @property
    def low(self) -> float | None:
        return self.figure.low if self.figure else None

    @property
    def high(self) -> float | None:
        return self.figure.high if self.figure else None

    def bar(self) -> charts.Bar:
        return charts.Bar(self.label, self.score, self.low, self.high)
