"""Reads of the example library: the search, the names to show, an organization's years.

Callers pass querysets and organizations they got through `mognad.examples.access`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from mognad.examples.models import Example
from mognad.instrument.models import InstrumentVersion
from mognad.instrument.schema import Instrument
from mognad.orgs.models import Organization
from mognad.results import queries as results_queries


@dataclass(frozen=True)
class Filters:
    capability: str = ""
    maturity_type: str = ""
    kind: str = ""
    size_class: str = ""


def current_instrument() -> Instrument | None:
    """The latest published standard questionnaire (its capabilities and types name filters)."""
    try:
        return InstrumentVersion.latest().definition()
    except InstrumentVersion.DoesNotExist:
        return None


def search(examples: QuerySet[Example], filters: Filters) -> list[Example]:
    """Published examples matching the filters, newest first. The capability filter runs in
    Python (the list of capabilities is JSON, which SQLite and PostgreSQL query differently)."""
    rows = examples.filter(status=Example.Status.APPROVED)
    if filters.maturity_type:
        rows = rows.filter(maturity_type=filters.maturity_type)
    if filters.kind:
        rows = rows.filter(organization__kind=filters.kind)
    if filters.size_class:
        rows = rows.filter(organization__size_class=filters.size_class)
    found = list(rows.order_by("-reviewed_at", "-id"))
    if filters.capability:
        found = [e for e in found if filters.capability in e.capabilities]
    return found


def capability_names(instrument: Instrument | None, lang: str) -> dict[str, str]:
    if instrument is None:
        return {}
    return {cap.id: cap.name.get(lang) for cap in instrument.capabilities}


CapabilityGroups = list[tuple[str, list[tuple[str, str]]]]


def capability_choices(instrument: Instrument | None, lang: str) -> CapabilityGroups:
    """Capabilities grouped by category, for a select or checkboxes."""
    if instrument is None:
        return []
    return [
        (c.name.get(lang), [(cap.id, cap.name.get(lang)) for cap in c.capabilities])
        for c in instrument.categories
    ]


def type_choices(instrument: Instrument | None, lang: str) -> list[tuple[str, str]]:
    if instrument is None:
        return []
    return [(t.id, t.name.get(lang)) for t in instrument.types]


def result_years(org: Organization) -> list[int]:
    """The years of the organization's closed measurements with stored results, newest first."""
    return sorted({m.year for m in results_queries.closed_measurements(org)}, reverse=True)
