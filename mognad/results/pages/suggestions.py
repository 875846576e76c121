"""The improvement suggestions tab: the instrument's suggestions for the weakest categories and
capabilities, weakest first, and the recommendations for the organization type."""

from __future__ import annotations

from dataclasses import dataclass

from mognad.results.pages.base import TOP, Page
from mognad.results.pages.overview import current_type, recommendations

WEAKEST_CAPABILITIES = 5


@dataclass(frozen=True)
class Suggestion:
    """A category's or capability's score (unrounded, as everywhere) and the instrument's
    suggestions for it."""

    name: str
    score: float
    suggestions: tuple[str, ...]
    category: str | None = None  # the category a capability belongs to
    node_id: str = ""  # the category's or capability's id in the instrument


@dataclass(frozen=True)
class Suggestions:
    weakest_categories: tuple[Suggestion, ...]
    weakest_capabilities: tuple[Suggestion, ...]
    type_name: str | None
    recommendations: tuple[str, ...]


def build(page: Page) -> Suggestions:
    lang = page.lang
    org_type = current_type(page, page.group)
    return Suggestions(
        weakest_categories=_weakest_categories(page)[:TOP],
        weakest_capabilities=_weakest_capabilities(page)[:WEAKEST_CAPABILITIES],
        type_name=org_type.name.get(lang) if org_type else None,
        recommendations=recommendations(org_type, lang),
    )


def _weakest_categories(page: Page) -> tuple[Suggestion, ...]:
    found = []
    for c in page.instrument.categories:
        figure = page.figure(("category", c.id))
        if figure is not None:
            found.append(
                Suggestion(
                    name=c.name.get(page.lang),
                    score=figure.score,
                    suggestions=tuple(s.get(page.lang) for s in c.suggestions),
                    node_id=c.id,
                )
            )
    return tuple(sorted(found, key=lambda s: s.score))


def _weakest_capabilities(page: Page) -> tuple[Suggestion, ...]:
    found = []
    for c in page.instrument.categories:
        for cap in c.capabilities:
            figure = page.figure(("capability", cap.id))
            if figure is not None and cap.suggestions:
                found.append(
                    Suggestion(
                        name=cap.name.get(page.lang),
                        score=figure.score,
                        suggestions=tuple(s.get(page.lang) for s in cap.suggestions),
                        category=c.name.get(page.lang),
                        node_id=cap.id,
                    )
                )
    return tuple(sorted(found, key=lambda s: s.score))
