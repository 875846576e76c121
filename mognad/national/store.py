"""Stored national figures: computed when their inputs change, not on every request.

Computing a year's national figures reads the stored results of every organization of the year and
of the previous year with results, and every organization's overall score up to the year: at 1,000
organizations that is some 2,000 result payloads and well over a second. They change only when
those inputs change, so `figures(year)` keeps them in one `NationalYear` row per year, together
with a *fingerprint* of the inputs, and serves the row while the fingerprint still matches;
otherwise it computes the figures again (`compute`) and stores them.

The fingerprint (`fingerprint(year)`: four queries whatever the size) covers everything the
computation reads (`queries.year_data` of the year and every year before, the choice of instrument):

- every stored result (organization, unit and role) of the closed measurements of the year and the
  years before: how many, the sum of their ids and the sum of their measurements' ids. Storing a
  measurement's results replaces its rows by new ones (`results.compute.compute_and_store`
  deletes and inserts, and new ids are always higher), and closing, reopening or deleting a
  measurement adds rows to the set or takes them out, so each of these changes the sums;
- the organizations with a closed measurement in the year or a year before: the fields the
  figures group by or show (name, code, organization type, size class, county, municipality
  group, the consents to be named and to research);
- their units: organization, unit type and path (a unit moved, given another type or deleted
  changes the unit-type figures);
- the published instrument versions (a year without results uses the latest), the anonymity
  thresholds (k and the unnamed organizations') and `FORMAT` with the application's version (a
  new release computes afresh).

The fingerprint is taken *before* the figures are computed, so a change that lands during a
computation leaves a row whose fingerprint is already out of date, and the next request computes
again. Nothing has to call in when results are stored or organizations change. The worker's job
`national.refresh_figures` (jobs.py) runs `refresh()` every minute, so after a measurement closes it
is usually not a coordinator's request that pays for the computation.

What is stored is language-independent (numbers and keys; labels are added per request by
`pages.sections`). Participation – measurements open and closed, response rates, who has not
started – is not stored: it is cheap and stays live (`pages.load`). The peer benchmarks of
`mognad.results.benchmarks` are not an input of the national figures (these are means over
organizations computed from the stored results themselves), so refreshing them changes nothing here.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import types
import typing
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import Count, Exists, Max, OuterRef, Sum
from django.utils import timezone

import mognad
from mognad.instrument.models import InstrumentVersion
from mognad.instrument.schema import Instrument
from mognad.national import figures as national_figures
from mognad.national import queries
from mognad.national.models import NationalYear
from mognad.national.queries import OVERALL, NodeKey
from mognad.national.release import change_groups
from mognad.orgs.models import Organization, Unit
from mognad.results.disclosure.door import threshold, unnamed_threshold
from mognad.results.models import MeasurementResult
from mognad.surveys.models import Measurement

# Bump when what is stored, or how it is computed, changes: every stored year is computed again.
FORMAT = 2  # 2: the trend through the disclosure door

# The organization fields the figures group by or show (and so the fingerprint covers).
ORGANIZATION_FIELDS = (
    "name",
    "code",
    "kind",
    "size_class",
    "county",
    "municipality_group",
    "named_in_comparisons",
    "research_consent",
)


class NoInstrument(Exception):
    """No instrument is published yet, so there is nothing to measure or report."""


@dataclass(frozen=True)
class YearFigures:
    """Everything the national page and the report show that comes from the stored results."""

    year: int
    instrument: str  # the instrument the figures are laid out by, "slug@version"
    k: int
    national: national_figures.NationalFigures
    change: national_figures.Change | None
    series: list[national_figures.SeriesPoint]
    named: list[str]  # organizations with results that agreed to be named, by name
    with_results: dict[str, int]  # organizations with shown results, by organization type
    data_date: datetime | None  # the newest stored result of the year
    base_data_date: datetime | None  # the same for the year compared with


# --- Computing -----------------------------------------------------------------------------------


def _instrument_version(data: queries.YearData) -> InstrumentVersion:
    """The year's most used instrument version (the latest standard one when there is no data)."""
    used = Counter(o.instrument for o in data.organizations)
    if used:
        key = sorted(used.items(), key=lambda pair: (-pair[1], pair[0]))[0][0]
        slug, _sep, version = key.partition("@")
        found = InstrumentVersion.objects.filter(slug=slug, version=version).first()
        if found is not None:
            return found
    try:
        return InstrumentVersion.latest()
    except InstrumentVersion.DoesNotExist:
        raise NoInstrument from None


def instrument(key: str) -> Instrument:
    """The definition of the instrument version `key` ("slug@version")."""
    slug, _sep, version = key.partition("@")
    found = InstrumentVersion.objects.filter(slug=slug, version=version).first()
    if found is None:
        raise NoInstrument
    return found.definition()


def compute(year: int) -> YearFigures:
    """The year's national figures, computed from the stored results (a fixed number of queries)."""
    data = queries.year_data(year)
    version = _instrument_version(data)
    definition = version.definition()
    category_ids = [c.id for c in definition.categories]
    national = national_figures.national(
        data,
        category_ids,
        [value for value, _label in Unit.UnitType.choices],
        [t.id for t in definition.types],
    )
    earlier = [y for y in queries.years_with_results() if y < year]
    base = queries.year_data(earlier[-1], units=False) if earlier else None
    nodes: list[NodeKey] = [OVERALL]
    nodes += [("dimension", d.id) for d in definition.dimensions]
    nodes += [("category", c.id) for c in definition.categories]
    return YearFigures(
        year=year,
        instrument=version.key,
        k=data.k,
        national=national,
        change=national_figures.change(base, data, nodes) if base is not None else None,
        series=national_figures.series(
            _years_up_to(data, base), change_groups(base, data) if base is not None else None
        ),
        named=sorted(o.name for o in data.organizations if o.named),
        with_results=dict(sorted(Counter(o.kind for o in data.organizations).items())),
        data_date=data.data_date,
        base_data_date=base.data_date if base is not None else None,
    )


def _years_up_to(
    data: queries.YearData, base: queries.YearData | None
) -> dict[int, list[queries.OrganizationYear]]:
    """Every year's organizations up to `data`'s year, for the trend (the two at hand reused)."""
    known = {found.year: found for found in (data, base) if found is not None}
    years = [y for y in queries.years_with_results() if y < data.year] + [data.year]
    return {
        y: (known[y] if y in known else queries.year_data(y, units=False)).organizations
        for y in years
    }


# --- The fingerprint of the inputs --------------------------------------------------------------


def fingerprint(year: int) -> str:
    """A hash of everything `compute(year)` reads (see the module docstring); four queries.

    Each query reads indexes or narrow tables only: on SQLite a result's `computed_at` or `unit_id`
    sits behind its large payload, and reading them for thousands of rows costs tens of ms.
    """
    results = MeasurementResult.objects.filter(
        measurement__year__lte=year, measurement__state=Measurement.State.CLOSED
    ).aggregate(n=Count("id"), ids=Sum("id"), measurements=Sum("measurement_id"))
    with_results = Exists(
        Measurement.objects.filter(
            organization=OuterRef("pk"), year__lte=year, state=Measurement.State.CLOSED
        )
    )  # the trend reads every earlier year's organizations (their consent to be named)
    organizations = (
        Organization.objects.filter(with_results)
        .order_by("id")
        .values_list("id", *ORGANIZATION_FIELDS)
    )
    units = (
        Unit.objects.filter(
            Exists(
                Measurement.objects.filter(
                    organization=OuterRef("organization"),
                    year=year,
                    state=Measurement.State.CLOSED,
                )
            )
        )
        .order_by("id")
        .values_list("id", "organization_id", "unit_type", "path")
    )
    versions = InstrumentVersion.objects.aggregate(n=Count("id"), last=Max("id"))
    # Fed part by part (not platform.hashing.sha256_hex, which hashes one text).
    digest = hashlib.sha256()
    for part in (
        (FORMAT, mognad.__version__, year, threshold(), unnamed_threshold()),
        sorted(results.items()),
        sorted(versions.items()),
        list(organizations),
        list(units),
    ):
        digest.update(repr(part).encode())
        digest.update(b"\n")
    return digest.hexdigest()


# --- Storing and serving ------------------------------------------------------------------------


def figures(year: int) -> YearFigures:
    """The year's national figures: the stored ones while their inputs are unchanged."""
    mark = fingerprint(year)
    row = NationalYear.objects.filter(year=year).first()
    if row is not None and row.fingerprint == mark:
        return decode(row.figures)
    found = compute(year)
    _save(found, mark)
    return found


def stored(year: int) -> YearFigures | None:
    """The figures stored for `year` as they are, whether or not still up to date."""
    row = NationalYear.objects.filter(year=year).first()
    return decode(row.figures) if row is not None else None


def _save(found: YearFigures, mark: str) -> None:
    # One statement that inserts or replaces: two requests computing the same year at once both
    # succeed (the figures are the same).
    NationalYear.objects.bulk_create(
        [
            NationalYear(
                year=found.year,
                fingerprint=mark,
                figures=encode(found),
                computed_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["year"],
        update_fields=["fingerprint", "figures", "computed_at"],
    )


def refresh() -> list[int]:
    """Compute again every year whose stored figures are out of date, and every year with results
    that has none; returns those years."""
    years = sorted(
        {*queries.years_with_results(), *NationalYear.objects.values_list("year", flat=True)}
    )
    marks = dict(NationalYear.objects.values_list("year", "fingerprint"))
    done: list[int] = []
    for year in years:
        mark = fingerprint(year)
        if marks.get(year) == mark:
            continue
        try:
            _save(compute(year), mark)
        except NoInstrument:
            return done
        done.append(year)
    return done


# --- JSON, typed by the dataclasses ------------------------------------------------------------


def encode(found: YearFigures) -> str:
    return json.dumps(_plain(found), ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> YearFigures:
    value: YearFigures = _typed(YearFigures, json.loads(text))
    return value


def _plain(value: Any) -> Any:
    """Dataclasses to objects, dicts to lists of pairs (keys may be tuples), times to ISO 8601."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return [[_plain(key), _plain(item)] for key, item in value.items()]
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _typed(hint: Any, value: Any) -> Any:
    """The inverse of `_plain`, led by the type hints of the dataclasses."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _typed(inner, value)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return hint(**{name: _typed(field, value[name]) for name, field in _fields(hint).items()})
    if origin is dict:
        key_hint, item_hint = typing.get_args(hint)
        return {_typed(key_hint, key): _typed(item_hint, item) for key, item in value}
    if origin is list:
        (item_hint,) = typing.get_args(hint)
        return [_typed(item_hint, item) for item in value]
    if origin is tuple:
        return tuple(_typed(h, item) for h, item in zip(typing.get_args(hint), value, strict=True))
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is float and isinstance(value, int):
        return float(value)
    return value


@functools.cache
def _fields(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}
