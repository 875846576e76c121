"""What each results page shows, built from stored results through the suppression door.

`base.load` reads one organization's year once per request into a `Page`; each tab has its own
module that turns the `Page` into a frozen, typed view model (`build(page) -> …`):

    overview            Översikt: overall maturity, the dimensions, the matrix, type, data quality
    categories          Kategorier och förmågor: against a peer group, statements and their answers
    internal            Intern jämförelse: the unit tree, roles side by side, consensus
    all_organizations   Alla organisationer: the distribution of all organizations, the own place
    over_time           Över tid: the yearly series, changes and the path through the types
    suggestions         Förbättringsförslag: suggestions for the weakest categories and capabilities

Views, exports and the PDF report all build their content here, so they show the same figures.
Each builder reads only what `load` fetched plus a fixed number of queries of its own. Names,
numbers and sentence parts shared with the national pages are in `mognad.results.wording`.
"""

from mognad.results.pages import (
    all_organizations,
    categories,
    internal,
    over_time,
    overview,
    suggestions,
)
from mognad.results.pages.base import Layout, NoResults, Page, layout, load

__all__ = [
    "Layout",
    "NoResults",
    "Page",
    "all_organizations",
    "categories",
    "internal",
    "layout",
    "load",
    "over_time",
    "overview",
    "suggestions",
]
