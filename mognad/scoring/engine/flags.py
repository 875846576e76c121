"""Data-quality flags (docs/scoring.md §7): notes on a group's answers, shown beside its figures."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from mognad.instrument.scale import DONT_KNOW, HIGHEST, LOWEST, UNANSWERED
from mognad.scoring.engine.results import Flag
from mognad.scoring.structure import Structure

Answers = npt.NDArray[np.int8]

FEW_RESPONDENTS = 10  # fewer respondents than this → `few_respondents`
HIGH_DONT_KNOW_SHARE = 0.30  # more "Vet ej" than this share of those who saw an item
STRAIGHT_LINING_ITEMS = 10  # the same answer to at least this many answered items
LOW_RESPONSE_RATE = 0.50  # a response rate below this → `low_response_rate`


def responded(data: Answers) -> int:
    """Rows with any answer, "Vet ej" included (the response-rate numerator)."""
    return int(np.count_nonzero((data != UNANSWERED).any(axis=1)))


def data_quality_flags(
    structure: Structure, data: Answers, respondents: int, invited: int | None
) -> tuple[Flag, ...]:
    """Every flag that applies to the group, in the order of the table in docs/scoring.md §7."""
    flags = []
    if respondents < FEW_RESPONDENTS:
        flags.append(
            Flag("few_respondents", "", {"respondents": respondents, "threshold": FEW_RESPONDENTS})
        )
    if invited is not None:
        rate = responded(data) / invited
        if rate < LOW_RESPONSE_RATE:
            flags.append(
                Flag(
                    "low_response_rate",
                    "",
                    {"responded": responded(data), "invited": invited, "rate": rate},
                )
            )
    straight = _straight_liners(data)
    if straight:
        flags.append(
            Flag(
                "straight_lining",
                "",
                {"respondents": straight, "min_items": STRAIGHT_LINING_ITEMS},
            )
        )
    return (*flags, *_high_dont_know(structure, data))


def _straight_liners(data: Answers) -> int:
    """Respondents who answered at least `STRAIGHT_LINING_ITEMS` items on the scale, all alike."""
    scale = data >= LOWEST
    answered = scale.sum(axis=1)
    lowest = np.where(scale, data, HIGHEST + 1).min(axis=1)
    highest = np.where(scale, data, LOWEST - 1).max(axis=1)
    return int(np.count_nonzero((answered >= STRAIGHT_LINING_ITEMS) & (lowest == highest)))


def _high_dont_know(structure: Structure, data: Answers) -> list[Flag]:
    """Items where more than `HIGH_DONT_KNOW_SHARE` of those who saw them said "Vet ej"."""
    dont_know = (data == DONT_KNOW).sum(axis=0)
    seen = dont_know + (data >= LOWEST).sum(axis=0)
    return [
        Flag(
            "high_dont_know",
            structure.item_ids[j],
            {
                "dont_know": int(dont_know[j]),
                "seen": int(seen[j]),
                "share": float(dont_know[j] / seen[j]),
            },
        )
        for j in np.flatnonzero(dont_know > HIGH_DONT_KNOW_SHARE * seen)
    ]
