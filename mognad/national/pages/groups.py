"""Overall maturity by group of organizations: organization type, size class, county,
municipality group, and by unit type (sector)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from mognad.national.figures import GroupRow
from mognad.national.pages.base import Chart, MeanRow, NationalPage, bars, bars_summary, mean_row
from mognad.results.wording import (
    kind_names,
    municipality_group_names,
    not_stated,
    unit_type_names,
)


@dataclass(frozen=True)
class GroupMean(MeanRow):
    """A group's mean, with the organizations (and units, for unit types) behind it."""

    organizations: int
    units: int


@dataclass(frozen=True)
class Breakdown:
    """One way of grouping the organizations: a row per group and their chart."""

    rows: tuple[GroupMean, ...]
    chart: Chart

    @property
    def summary(self) -> str:
        return self.chart.summary


@dataclass(frozen=True)
class Groups:
    kinds: Breakdown
    sizes: Breakdown
    counties: Breakdown
    municipality_groups: Breakdown
    unit_types: Breakdown


def build(page: NationalPage) -> Groups:
    national = page.national
    return Groups(
        kinds=_breakdown(
            "kinds",
            _("Kinds of organization"),
            national.by_kind,
            kind_names(),
            _("Kinds of organization"),
        ),
        sizes=_breakdown("sizes", _("Size classes"), national.by_size_class),
        counties=_breakdown("counties", _("Counties"), national.by_county),
        municipality_groups=_breakdown(
            "groups",
            _("Municipality groups"),
            national.by_municipality_group,
            municipality_group_names(),
        ),
        unit_types=_breakdown(
            "units",
            _("Unit types (sectors)"),
            national.by_unit_type,
            unit_type_names(),
            _("Unit types"),
        ),
    )


def _breakdown(
    name: str,
    title: str,
    rows: Sequence[GroupRow],
    names: dict[str, str] | None = None,
    what: str | None = None,
) -> Breakdown:
    """The rows of a grouping; `what` names the groups in the summary (the title by default)."""
    found = tuple(_group_mean((names or {}).get(row.key, not_stated(row.key)), row) for row in rows)
    return Breakdown(found, bars(name, title, found, bars_summary(what or title, found)))


def _group_mean(label: str, row: GroupRow) -> GroupMean:
    mean = mean_row(label, row.mean)
    return GroupMean(
        mean.label, mean.score, mean.low, mean.high, mean.n, row.organizations, row.units
    )
