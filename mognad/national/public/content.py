"""What the public pages show, built from a published release and cached per release.

`sections(release)` turns the release's frozen national figures into the national page's
sections (`mognad.national.pages`, the same view models as the coordinator's page and the status
report); `named(release)` reads the named organizations' rows from the release's
`opendata/organizations.csv` (only organizations that agreed to be named are in it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from django.core.cache import cache
from django.utils.translation import get_language

import mognad
from mognad.instrument.language import active_language
from mognad.instrument.models import InstrumentVersion
from mognad.instrument.schema import Instrument
from mognad.national import pages, store
from mognad.national.participation import participation
from mognad.national.publishing.models import PublishedRelease
from mognad.results.wording import kind_names, node_names, type_names

T = TypeVar("T")


def cached(release: PublishedRelease, what: str, build: Callable[[], T]) -> T:
    """`build()` once per release, language and application version (a release never changes)."""
    key = f"mognad:public:{mognad.__version__}:{release.pk}:{get_language()}:{what}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, timeout=None)
    return cast(T, found)


def instrument() -> Instrument | None:
    """The questionnaire of the newest release, or the latest published one before any release."""
    from mognad.national.publishing import queries

    found = queries.latest_release()
    if found is not None:
        return store.instrument(found.figures().instrument)
    try:
        return InstrumentVersion.latest().definition()
    except InstrumentVersion.DoesNotExist:
        return None


def page(release: PublishedRelease) -> pages.NationalPage:
    """The national page of the release's frozen figures. Participation is not part of a release's
    figures and is not shown publicly (it is left empty here)."""
    found = release.figures()
    return pages.NationalPage(
        year=found.year,
        instrument=store.instrument(found.instrument),
        national=found.national,
        change=found.change,
        participation=participation(found.year, []),
        series=found.series,
        named=found.named,
        k=found.k,
        with_results=found.with_results,
        data_date=found.data_date,
        base_data_date=found.base_data_date,
    )


def sections(release: PublishedRelease) -> pages.Sections:
    return cached(release, "sections", lambda: pages.sections(page(release)))


@dataclass(frozen=True)
class Figure:
    label: str
    score: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class NamedOrganization:
    name: str
    kind: str
    county: str
    type: str
    respondents: str
    figures: tuple[Figure, ...]  # overall, then the dimensions


def _number(text: str) -> float | None:
    return float(text) if text else None


def _named(release: PublishedRelease, instrument: Instrument) -> list[NamedOrganization]:
    lang = active_language()
    names = node_names(instrument, lang)
    kinds, types = kind_names(), type_names(instrument, lang)
    columns = [("overall", names[("overall", "")])] + [
        (d.id, names[("dimension", d.id)]) for d in instrument.dimensions
    ]
    text = release.file("opendata/organizations.csv").decode("utf-8")
    found = []
    for row in csv.DictReader(io.StringIO(text)):
        found.append(
            NamedOrganization(
                name=row["organization"],
                kind=kinds.get(row["kind"], row["kind"]),
                county=row["county"],
                type=types.get(row["type"], row["type"]),
                respondents=row["respondents"],
                figures=tuple(
                    Figure(
                        label,
                        _number(row.get(f"{prefix}_score", "")),
                        _number(row.get(f"{prefix}_ci_low", "")),
                        _number(row.get(f"{prefix}_ci_high", "")),
                    )
                    for prefix, label in columns
                ),
            )
        )
    return found


@dataclass(frozen=True)
class Named:
    labels: list[str]  # the figures' names: overall maturity, then the dimensions
    organizations: list[NamedOrganization]


def named(release: PublishedRelease) -> Named:
    """The figure labels and the named organizations with their published figures."""

    def build() -> Named:
        instrument = store.instrument(release.figures().instrument)
        rows = _named(release, instrument)
        names = node_names(instrument, active_language())
        labels = [names[("overall", "")]] + [
            names[("dimension", d.id)] for d in instrument.dimensions
        ]
        return Named(labels, rows)

    return cached(release, "named", build)
