"""The internal comparison tab: the unit tree with drill-down, roles side by side, consensus."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mognad.results import charts
from mognad.results.figures import ORGANIZATION, OVERALL, Figure, Group, GroupKey
from mognad.results.pages.base import FigureRow, Page
from mognad.results.wording import extremes, role_name, whole


@dataclass(frozen=True)
class GroupRow:
    """A unit (at its depth below the page's group) or a role with its main figures."""

    key: GroupKey
    label: str
    depth: int
    unit_id: str | None  # for the drill-down link
    respondents: int | None
    overall: Figure | None
    dimensions: tuple[Figure | None, ...]
    categories: tuple[Figure | None, ...]

    @property
    def overall_score(self) -> float | None:
        return self.overall.score if self.overall else None


@dataclass(frozen=True)
class ConsensusRow:
    label: str
    sd: float | None  # percentage points
    agreement: float | None  # 0–1
    low_agreement: bool


@dataclass(frozen=True)
class Internal:
    dimension_names: tuple[str, ...]
    category_names: tuple[str, ...]
    unit_rows: tuple[GroupRow, ...]  # the page's group first, then its units in tree order
    role_rows: tuple[GroupRow, ...]  # only on the whole organization's results
    consensus_rows: tuple[ConsensusRow, ...]
    hidden_units: int
    units_chart: charts.Spec | None
    roles_chart: charts.Spec | None
    units_summary: str
    roles_summary: str


def build(page: Page) -> Internal:
    instrument, lang = page.instrument, page.lang
    unit_rows = _unit_rows(page)
    role_rows = (
        tuple(_group_row(page, g, role_name(g.key[1])) for g in page.figures.roles())
        if page.group == ORGANIZATION
        else ()
    )
    hidden_units = _withheld_units(page)
    return Internal(
        dimension_names=tuple(d.name.get(lang) for d in instrument.dimensions),
        category_names=tuple(c.name.get(lang) for c in instrument.categories),
        unit_rows=unit_rows,
        role_rows=role_rows,
        consensus_rows=_consensus_rows(page),
        hidden_units=hidden_units,
        units_chart=_chart(
            unit_rows[1:],
            _("Overall maturity per unit"),
            _("Overall maturity per unit with its confidence interval."),
        ),
        roles_chart=_chart(
            role_rows,
            _("Overall maturity per role"),
            _("Overall maturity per respondent role with its confidence interval."),
        ),
        units_summary=_units_summary(unit_rows[1:], hidden_units, page.figures.k),
        roles_summary=_roles_summary(role_rows),
    )


def _withheld_units(page: Page) -> int:
    """How many units below the page's group the disclosure-control door withheld."""
    withheld = [w for w in page.figures.withheld() if w.get("kind") == "unit"]
    if page.group == ORGANIZATION:
        return len(withheld)
    below = f"/{page.group[1]}/"
    return sum(1 for w in withheld if below in w.get("path", "") and w["key"] != page.group[1])


def _group_row(page: Page, group: Group, label: str, depth: int = 0) -> GroupRow:
    key, instrument = group.key, page.instrument
    return GroupRow(
        key=key,
        label=label,
        depth=depth,
        unit_id=key[1] if key[0] == "unit" else None,
        respondents=page.figures.respondents(key),
        overall=page.figure(OVERALL, key),
        dimensions=tuple(page.figure(("dimension", d.id), key) for d in instrument.dimensions),
        categories=tuple(page.figure(("category", c.id), key) for c in instrument.categories),
    )


def _unit_rows(page: Page) -> tuple[GroupRow, ...]:
    figures = page.figures
    base_depth = figures.depth(page.group)
    rows = []
    for group in figures.subtree(page.group):
        if group.key == ORGANIZATION:
            label = page.organization.name
        else:
            label = group.unit_name or _("A unit that no longer exists")
        rows.append(_group_row(page, group, label, figures.depth(group.key) - base_depth))
    return tuple(rows)


def _consensus_rows(page: Page) -> tuple[ConsensusRow, ...]:
    rows = []
    for c in page.instrument.categories:
        entry = page.figures.consensus(page.group, c.id)
        rows.append(
            ConsensusRow(
                label=c.name.get(page.lang),
                # Unrounded: the template writes them out with the one rounding (`decimal`).
                sd=entry["sd"] if entry else None,
                agreement=entry["agreement"] if entry else None,
                low_agreement=bool(entry and entry["agreement"] < 0.5),
            )
        )
    return tuple(rows)


def _chart(rows: tuple[GroupRow, ...], title: str, description: str) -> charts.Spec | None:
    bars = [FigureRow(r.label, r.overall).bar() for r in rows if r.overall is not None]
    if not bars:
        return None
    return charts.bars(
        title=title,
        description=description,
        rows=bars,
        x_title=_("Percent of optimal preconditions"),
        own_label=_("Overall maturity"),
    )


def _label(row: GroupRow) -> str:
    return row.label


def _rounded_overall(row: GroupRow) -> int:
    return whole(row.overall_score or 0)


def _roles_summary(rows: tuple[GroupRow, ...]) -> str:
    found = extremes(rows, lambda r: r.overall_score)
    if found is None or found.shown < 2:
        return _("Fewer than two roles have enough respondents to compare.")
    return _(
        "%(high)s see the organization most positively (%(high_score)s %%), %(low)s least "
        "(%(low_score)s %%)."
    ) % found.values(_label, _rounded_overall)


def _units_summary(rows: tuple[GroupRow, ...], hidden: int, k: int) -> str:
    found = extremes(rows, lambda r: r.overall_score)
    text = ""
    if found is not None and found.shown >= 2:
        text = _(
            "The highest unit is %(high)s (%(high_score)s %%), the lowest %(low)s "
            "(%(low_score)s %%)."
        ) % found.values(_label, _rounded_overall)
    elif found is None:
        text = _("No unit has enough respondents to be shown.")
    if hidden:
        text += " " + _(
            "Figures are hidden for groups with fewer than %(k)s respondents, and for groups "
            "whose figures could otherwise be worked out from the others."
        ) % {"k": k}
    return text.strip()
