"""Participation, live: organizations registered, measurements closed and open, response rates;
and the sample composition (organizations with results against all registered)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mognad.national.pages.base import NationalPage
from mognad.national.participation import ParticipationRow
from mognad.results.wording import kind_names, not_stated


@dataclass(frozen=True)
class Labelled:
    label: str
    row: ParticipationRow


@dataclass(frozen=True)
class Table:
    caption: str
    heading: str
    rows: tuple[Labelled, ...]


@dataclass(frozen=True)
class Composition:
    label: str
    registered: int
    with_results: int


@dataclass(frozen=True)
class Participation:
    year: int
    total: ParticipationRow
    tables: tuple[Table, ...]  # by organization type, by county
    composition: tuple[Composition, ...]  # by organization type


def build(page: NationalPage) -> Participation:
    found = page.participation
    kinds = kind_names()
    return Participation(
        year=found.year,
        total=found.total,
        tables=(
            Table(
                _("Participation by kind of organization"),
                _("Kind of organization"),
                tuple(Labelled(kinds.get(r.key, not_stated(r.key)), r) for r in found.by_kind),
            ),
            Table(
                _("Participation by county"),
                _("County"),
                tuple(Labelled(not_stated(r.key), r) for r in found.by_county),
            ),
        ),
        composition=tuple(
            Composition(
                kinds.get(r.key, not_stated(r.key)), r.registered, page.with_results.get(r.key, 0)
            )
            for r in found.by_kind
        ),
    )
