"""What the national page and the status report show: figures with labels, tables, chart specs.

`base.load(year)` takes the year's national figures from `store` (stored, computed again only
when their inputs changed) and the participation live from the database, in a fixed number of
queries; `sections.build(page)` turns them into frozen, typed sections – labelled rows,
one-sentence summaries and Vega-Lite specs in the current language – one module per section:

    participation   participation and response rates (live), the sample composition
    maturity        national maturity, its change (fixed panel and naive), the series over years
    types           the four organization types and the flows between them
    tree            dimensions, categories and capabilities
    groups          organization types, size classes, counties, municipality groups, unit types
    spread          the spread within and between organizations
    quality         data quality

The web page and the report render the same sections. Names, numbers and sentence parts shared
with the results pages are in `mognad.results.wording`.
"""

from mognad.national.pages.base import NationalPage, load
from mognad.national.pages.sections import Sections
from mognad.national.pages.sections import build as sections
from mognad.national.store import NoInstrument

__all__ = ["NationalPage", "NoInstrument", "Sections", "load", "sections"]
