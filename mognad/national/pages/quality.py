"""Data quality: response rates, "Vet ej", straight-lining, the instrument versions, the
organizations left out, and the statements with the most "Vet ej"."""

from __future__ import annotations

from dataclasses import dataclass

from mognad.national.figures import DataQuality
from mognad.national.pages.base import NationalPage
from mognad.results.wording import node_names


@dataclass(frozen=True)
class DontKnowItem:
    label: str  # the statement
    share: float  # percent of those who saw it
    seen: int


@dataclass(frozen=True)
class Quality:
    figures: DataQuality
    dont_know_items: tuple[DontKnowItem, ...]
    hidden: int  # organizations left out: fewer than k respondents


def build(page: NationalPage) -> Quality:
    quality = page.national.quality
    names = node_names(page.instrument, page.lang)
    return Quality(
        figures=quality,
        dont_know_items=tuple(
            DontKnowItem(
                names.get(("item", item.item_id), item.item_id), item.share * 100, item.seen
            )
            for item in quality.top_dont_know
        ),
        hidden=page.national.hidden,
    )
