"""The instrument's reliability on a year's answers: pure numpy/scipy/semopy, no Django.

- `consistency`: per category Cronbach's α and McDonald's ω with bootstrap intervals, item–rest
  correlations and "Vet ej" rates; ICC(1) and ICC(2) of organizations; a summary of the r_wg the
  scoring engine stored for each organization;
- `cfa`: the confirmatory factor analysis of the six-category model and its measurement invariance
  across groups (years, organization kinds), with semopy.

`analyse` runs all of it on answer matrices; `mognad/national/reliability.py` loads them from the
database and `mognad validate instrument` prints the result. The method is in docs/scoring.md,
"The instrument's reliability".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from mognad.instrument.scale import DONT_KNOW, SCALE
from mognad.scoring.reliability.cfa import Fit, Invariance, Moments, fit, invariance
from mognad.scoring.reliability.consistency import (
    Agreement,
    CategoryConsistency,
    Icc,
    agreement_summary,
    category_scores,
    icc,
    internal_consistency,
    pairwise_covariance,
)

__all__ = [
    "AnswerSet",
    "InstrumentReliability",
    "ReliabilityError",
    "analyse",
]

# A factor analysis needs this many respondents per statement at least (in every group compared).
RESPONDENTS_PER_STATEMENT = 10
# A statement with fewer answers on the scale than this, or without variance, is left out.
MIN_ANSWERS = 10


class ReliabilityError(ValueError):
    """The answers cannot support the analysis (too few, no variance …): a clear message."""


@dataclass(frozen=True)
class AnswerSet:
    """Submitted responses × statements, coded as the engine codes them (1–6, DONT_KNOW,
    UNANSWERED), with each response's organization and a group label (e.g. organization kind)."""

    item_ids: tuple[str, ...]
    answers: npt.NDArray[np.int8]
    organizations: npt.NDArray[np.intp]
    groups: tuple[str, ...]

    def __post_init__(self) -> None:
        rows = self.answers.shape[0]
        if self.answers.ndim != 2 or self.answers.shape[1] != len(self.item_ids):
            raise ReliabilityError("the answer matrix does not match the statements")
        if len(self.organizations) != rows or len(self.groups) != rows:
            raise ReliabilityError("every response needs its organization and group")

    def values(self) -> npt.NDArray[np.float64]:
        """Answers on the scale as floats, NaN for "Vet ej" and unanswered."""
        on_scale = np.isin(self.answers, SCALE)
        return np.where(on_scale, self.answers.astype(np.float64), np.nan)

    def columns(self, item_ids: Sequence[str]) -> AnswerSet:
        position = {item: n for n, item in enumerate(self.item_ids)}
        return AnswerSet(
            tuple(item_ids),
            self.answers[:, [position[i] for i in item_ids]],
            self.organizations,
            self.groups,
        )

    def rows(self, keep: npt.NDArray[np.bool_]) -> AnswerSet:
        return AnswerSet(
            self.item_ids,
            self.answers[keep],
            self.organizations[keep],
            tuple(g for g, k in zip(self.groups, keep.tolist(), strict=True) if k),
        )


@dataclass(frozen=True)
class GroupComparison:
    """Measurement invariance over groups, or why it was not run."""

    compared: tuple[str, ...]
    left_out: tuple[str, ...]  # groups too small to take part
    result: Invariance | None
    reason: str | None = None  # set when result is None


@dataclass(frozen=True)
class InstrumentReliability:
    respondents: int
    organizations: int
    statements: int
    draws: int
    seed: int
    categories: tuple[CategoryConsistency, ...]
    icc: dict[str, Icc | None]
    agreement: dict[str, Agreement]
    cfa: Fit | None
    one_factor: Fit | None
    cfa_reason: str | None
    groups: dict[str, GroupComparison] = field(default_factory=dict)
    # Responses with at least one "Vet ej" / with every statement answered on the scale.
    with_dont_know: int = 0
    complete: int = 0
    # Statements left out: (id, "Vet ej" rate) of those with too few answers or no variance.
    left_out: tuple[tuple[str, float | None], ...] = ()


def _moments(label: str, item_ids: Sequence[str], values: npt.NDArray[np.float64]) -> Moments:
    covariance, counts = pairwise_covariance(values)
    if not np.all(np.isfinite(covariance)) or np.any(np.diag(covariance) <= 0):
        raise ReliabilityError(
            f"{label}: some statement has no variance or too few answers for a covariance"
        )
    with np.errstate(invalid="ignore"):
        means = np.nanmean(values, axis=0)
    return Moments(label, tuple(item_ids), covariance, means, int(counts.min()))


def _minimum(statements: int) -> int:
    return RESPONDENTS_PER_STATEMENT * statements


def _compare(
    named: Sequence[tuple[str, AnswerSet]],
    factors: Sequence[tuple[str, Sequence[str]]],
    item_ids: Sequence[str],
    *,
    min_organizations: int,
) -> GroupComparison:
    need = _minimum(len(item_ids))
    compared, left_out, moments = [], [], []
    for label, answers in named:
        organizations = len(set(answers.organizations.tolist()))
        if len(answers.groups) < need or organizations < min_organizations:
            left_out.append(label)
            continue
        compared.append(label)
        moments.append(_moments(label, item_ids, answers.values()))
    if len(moments) < 2:
        return GroupComparison(
            tuple(compared),
            tuple(left_out),
            None,
            f"needs two groups of at least {need} respondents and {min_organizations} "
            "organizations each",
        )
    return GroupComparison(tuple(compared), tuple(left_out), invariance(moments, factors))


def _usable(
    categories: Sequence[tuple[str, Sequence[str]]], current: AnswerSet
) -> tuple[list[tuple[str, list[str]]], tuple[tuple[str, float | None], ...]]:
    """The categories without the statements that have fewer than MIN_ANSWERS answers on the scale
    or no variance (and without categories left with fewer than two); the statements left out with
    their "Vet ej" rate."""
    every = [item for _, items in categories for item in items]
    missing = sorted(set(every) - set(current.item_ids))
    if missing:
        raise ReliabilityError(f"no answers to the statements {', '.join(missing)}")
    everything = current.columns(every)
    values = everything.values()
    answered = (~np.isnan(values)).sum(axis=0)
    spread = np.array(
        [
            float(np.var(column[~np.isnan(column)])) if count >= 2 else 0.0
            for column, count in zip(values.T, answered.tolist(), strict=True)
        ]
    )
    usable = (answered >= MIN_ANSWERS) & (spread > 0)
    said = (everything.answers == DONT_KNOW).sum(axis=0)
    left_out = tuple(
        (item, float(said[n] / (said[n] + answered[n])) if said[n] + answered[n] else None)
        for n, item in enumerate(every)
        if not usable[n]
    )
    dropped = {item for item, _ in left_out}
    kept = [(cid, [i for i in items if i not in dropped]) for cid, items in categories]
    kept = [(cid, items) for cid, items in kept if len(items) >= 2]
    if not kept:
        raise ReliabilityError("no category has two statements with answers to analyse")
    return kept, left_out


def _factor_analysis(
    categories: Sequence[tuple[str, Sequence[str]]],
    item_ids: Sequence[str],
    values: npt.NDArray[np.float64],
) -> tuple[Fit | None, Fit | None, str | None]:
    """The six-category CFA and the one-factor model, or why they were not run."""
    need = _minimum(len(item_ids))
    if values.shape[0] < need:
        return None, None, f"a factor analysis of {len(item_ids)} statements needs {need} responses"
    moments = _moments("all", item_ids, values)
    return fit([moments], categories), fit([moments], [("general", item_ids)]), None


def analyse(
    categories: Sequence[tuple[str, Sequence[str]]],
    current: AnswerSet,
    *,
    agreement: Mapping[str, Sequence[float]],
    comparisons: Mapping[str, Sequence[tuple[str, AnswerSet]]] | None = None,
    min_organizations: int,
    draws: int,
    seed: int,
) -> InstrumentReliability:
    """Every reliability figure of `current` (one year's responses).

    `categories`: (category id, its statement ids) in instrument order; `agreement`: the stored
    r_wg of each organization per category; `comparisons`: name → labelled answer sets to test
    measurement invariance over (e.g. "years": [("2025", …), ("2026", …)]).
    """
    if draws < 0:
        raise ReliabilityError("the number of bootstrap draws cannot be negative")
    categories, left_out = _usable(categories, current)
    item_ids = [item for _, items in categories for item in items]
    answers = current.columns(item_ids)
    values = answers.values()
    respondents = values.shape[0]
    if respondents < 2:
        raise ReliabilityError(f"{respondents} responses are too few for any reliability figure")
    columns, start = [], 0
    for category_id, items in categories:
        columns.append((category_id, tuple(range(start, start + len(items)))))
        start += len(items)
    with threadpool_limits(limits=1, user_api="blas"):
        consistency = internal_consistency(
            values,
            answers.answers == DONT_KNOW,
            tuple(item_ids),
            tuple(columns),
            draws=draws,
            seed=seed,
        )
        iccs: dict[str, Icc | None] = {}
        for category_id, cols in columns:
            try:
                iccs[category_id] = icc(category_scores(values, cols), answers.organizations)
            except ValueError:
                iccs[category_id] = None
        cfa, one, reason = _factor_analysis(categories, item_ids, values)
        groups = {
            name: _compare(
                [(label, a.columns(item_ids)) for label, a in named],
                categories,
                item_ids,
                min_organizations=min_organizations,
            )
            for name, named in (comparisons or {}).items()
        }
    on_scale = ~np.isnan(values)
    return InstrumentReliability(
        respondents=respondents,
        organizations=len(set(answers.organizations.tolist())),
        statements=len(item_ids),
        draws=draws,
        seed=seed,
        categories=consistency,
        icc=iccs,
        agreement={cid: agreement_summary(list(agreement.get(cid, ()))) for cid, _ in categories},
        cfa=cfa,
        one_factor=one,
        cfa_reason=reason,
        groups=groups,
        with_dont_know=int((answers.answers == DONT_KNOW).any(axis=1).sum()),
        complete=int(on_scale.all(axis=1).sum()),
        left_out=left_out,
    )
