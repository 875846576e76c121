"""The question tree nationally: the national mean of every dimension, category and capability."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mognad.national.pages.base import Chart, MeanRow, NationalPage, bars, bars_summary, mean_row
from mognad.national.pages.maturity import Maturity
from mognad.results.wording import node_names


@dataclass(frozen=True)
class Tree:
    category_rows: tuple[MeanRow, ...]
    capability_rows: tuple[MeanRow, ...]
    categories: Chart  # overall maturity, the dimensions and the categories
    capabilities: Chart


def build(page: NationalPage, maturity: Maturity) -> Tree:
    names = node_names(page.instrument, page.lang)
    nodes = page.national.nodes
    category_rows = tuple(
        mean_row(names[("category", c.id)], nodes.get(("category", c.id)))
        for c in page.instrument.categories
    )
    capability_rows = tuple(
        mean_row(names[("capability", cap.id)], nodes.get(("capability", cap.id)))
        for cap in page.instrument.capabilities
    )
    return Tree(
        category_rows=category_rows,
        capability_rows=capability_rows,
        categories=bars(
            "categories",
            _("Categories"),
            maturity.headline + category_rows,
            maturity.summary,
        ),
        capabilities=bars(
            "capabilities",
            _("Capabilities"),
            capability_rows,
            bars_summary(_("Capabilities"), capability_rows),
        ),
    )
