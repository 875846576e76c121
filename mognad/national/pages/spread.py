"""The spread within and between organizations, per category and between sectors."""

from __future__ import annotations

from dataclasses import dataclass

from mognad.national.figures import SectorSpread
from mognad.national.pages.base import NationalPage
from mognad.results.wording import node_names


@dataclass(frozen=True)
class SpreadRow:
    label: str
    organizations: int
    within: float | None  # pooled standard deviation inside organizations, points
    between: float | None  # standard deviation of the organizations' true scores, points
    share: float | None  # percent of the variance that lies between organizations


@dataclass(frozen=True)
class Spread:
    rows: tuple[SpreadRow, ...]
    sectors: SectorSpread


def build(page: NationalPage) -> Spread:
    names = node_names(page.instrument, page.lang)
    return Spread(
        rows=tuple(
            SpreadRow(
                label=names.get(("category", row.category_id), row.category_id),
                organizations=row.organizations,
                within=row.within_sd,
                between=row.between_sd,
                share=None if row.share_between is None else row.share_between * 100,
            )
            for row in page.national.spread
        ),
        sectors=page.national.sector_spread,
    )
