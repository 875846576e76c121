"""The result dialogue's workshop guide: one organization's year, for a group that talks the
results through and agrees what to do.

It shows the figures (overall, dimensions, categories with their intervals), where respondents
disagree most (the consensus figures stored with the results: the spread in percentage points and
r_wg agreement per category), the weakest capabilities with three questions each
(`questions.py`), and the conclusions recorded so far. Everything comes from a results `Page`, i.e.
from the released figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from mognad.examples.models import Conclusion
from mognad.examples.questions import questions_for
from mognad.results.figures import OVERALL, Figure
from mognad.results.pages import Page
from mognad.results.pages.base import FigureRow
from mognad.results.pages.overview import current_type
from mognad.results.pages.suggestions import WEAKEST_CAPABILITIES

MOST_DISAGREEMENT = 3
LOW_AGREEMENT = 0.5  # r_wg below this: respondents see the category differently (internal tab)


@dataclass(frozen=True)
class CategoryRow:
    name: str
    figure: Figure | None
    sd: float | None  # the spread of respondents' scores, percentage points
    agreement: float | None  # r_wg, 0–1

    @property
    def low_agreement(self) -> bool:
        return self.agreement is not None and self.agreement < LOW_AGREEMENT


@dataclass(frozen=True)
class WeakCapability:
    id: str
    name: str
    category: str
    figure: Figure
    questions: tuple[str, ...]
    conclusion: Conclusion | None


@dataclass(frozen=True)
class Guide:
    organization_name: str
    group_name: str
    year: int
    respondents: int | None
    type_name: str | None
    headline: tuple[FigureRow, ...]
    categories: tuple[CategoryRow, ...]
    disagreements: tuple[CategoryRow, ...]  # the categories with the lowest agreement
    weak: tuple[WeakCapability, ...]
    generated: str


def build(page: Page, conclusions: dict[str, Conclusion]) -> Guide:
    lang = page.lang
    headline = [FigureRow(_("Overall maturity"), page.figure(OVERALL))] + [
        FigureRow(d.name.get(lang), page.figure(("dimension", d.id)))
        for d in page.instrument.dimensions
    ]
    categories = tuple(
        _category_row(page, c.id, c.name.get(lang)) for c in page.instrument.categories
    )
    disagreements = sorted(
        (row for row in categories if row.agreement is not None),
        key=lambda row: (row.agreement, -(row.sd or 0.0)),
    )[:MOST_DISAGREEMENT]
    org_type = current_type(page, page.group)
    return Guide(
        organization_name=page.organization.name,
        group_name=page.group_name,
        year=page.year,
        respondents=page.figures.respondents(page.group),
        type_name=org_type.name.get(lang) if org_type else None,
        headline=tuple(headline),
        categories=categories,
        disagreements=tuple(disagreements),
        weak=weakest(page, conclusions),
        generated=timezone.localtime().strftime("%Y-%m-%d"),
    )


def _category_row(page: Page, category_id: str, name: str) -> CategoryRow:
    entry = page.figures.consensus(page.group, category_id)
    return CategoryRow(
        name=name,
        figure=page.figure(("category", category_id)),
        sd=float(entry["sd"]) if entry else None,
        agreement=float(entry["agreement"])
        if entry and entry.get("agreement") is not None
        else None,
    )


def weakest(
    page: Page, conclusions: dict[str, Conclusion] | None = None, count: int = WEAKEST_CAPABILITIES
) -> tuple[WeakCapability, ...]:
    """The page group's weakest shown capabilities, weakest first, with their questions."""
    found = []
    for category in page.instrument.categories:
        for cap in category.capabilities:
            figure = page.figure(("capability", cap.id))
            if figure is None:
                continue
            found.append(
                WeakCapability(
                    id=cap.id,
                    name=cap.name.get(page.lang),
                    category=category.name.get(page.lang),
                    figure=figure,
                    questions=questions_for(cap.id, page.lang),
                    conclusion=(conclusions or {}).get(cap.id),
                )
            )
    return tuple(sorted(found, key=lambda w: w.figure.score)[:count])
