"""Every section of the national page and the status report, in the current language."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mognad.national import release
from mognad.national.pages import groups, maturity, participation, quality, spread, tree, types
from mognad.national.pages.base import NationalPage, bars_summary
from mognad.national.pages.groups import Groups
from mognad.national.pages.maturity import Maturity
from mognad.national.pages.participation import Participation
from mognad.national.pages.quality import Quality
from mognad.national.pages.spread import Spread
from mognad.national.pages.tree import Tree
from mognad.national.pages.types import Types


@dataclass(frozen=True)
class Sections:
    year: int
    k: int
    min_organizations: int  # organizations a group needs to get a figure
    instrument_key: str
    named: tuple[str, ...]  # organizations with results that agreed to be named
    findings: tuple[str, ...]  # the report's summary, one sentence each
    participation: Participation
    maturity: Maturity
    types: Types
    tree: Tree
    groups: Groups
    spread: Spread
    quality: Quality


def build(page: NationalPage) -> Sections:
    """Every section's rows, summaries and chart specs."""
    found_maturity = maturity.build(page)
    found_types = types.build(page)
    found_tree = tree.build(page, found_maturity)
    found_groups = groups.build(page)
    return Sections(
        year=page.year,
        k=page.k,
        min_organizations=release.MIN_ORGANIZATIONS,
        instrument_key=page.instrument.key,
        named=tuple(page.named),
        findings=(
            bars_summary(_("Categories"), found_tree.category_rows),
            found_types.summary,
            found_groups.kinds.summary,
            found_groups.unit_types.summary,
        ),
        participation=participation.build(page),
        maturity=found_maturity,
        types=found_types,
        tree=found_tree,
        groups=found_groups,
        spread=spread.build(page),
        quality=quality.build(page),
    )
