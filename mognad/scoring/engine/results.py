"""What the engine returns: frozen dataclasses of plain numbers and strings, each with `to_dict`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _figure(
    score: float | None, ci: tuple[float, float] | None, se: float | None, n: int
) -> dict[str, Any]:
    return {"score": score, "ci": list(ci) if ci is not None else None, "se": se, "n": n}


@dataclass(frozen=True)
class Estimate:
    """A score in percent with its 95 % interval and standard error.

    `n` is the number of respondents with at least one answer on the scale under this node. With a
    single one, `se` is None and the interval is the whole scale.
    """

    score: float | None
    ci: tuple[float, float] | None
    se: float | None
    n: int

    def to_dict(self) -> dict[str, Any]:
        return _figure(self.score, self.ci, self.se, self.n)


@dataclass(frozen=True)
class ItemScore:
    """One item: the mean score, how many answered, said "Vet ej" or left it empty.

    `distribution` counts the answers 1..6 (empty when the group is below the minimum size).
    """

    score: float | None
    n: int
    dont_know: int
    unanswered: int
    distribution: tuple[int, ...]
    ci: tuple[float, float] | None = None
    se: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **_figure(self.score, self.ci, self.se, self.n),
            "dont_know": self.dont_know,
            "unanswered": self.unanswered,
            "distribution": list(self.distribution),
        }


@dataclass(frozen=True)
class Quadrant:
    """The organization type of the point estimate and the probability of each type (§4)."""

    type_id: str
    probabilities: dict[str, float]
    uncertain: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type_id,
            "probabilities": dict(self.probabilities),
            "uncertain": self.uncertain,
        }


@dataclass(frozen=True)
class Consensus:
    """Spread between respondents in one category: SD of their category scores and r_wg."""

    sd: float | None
    agreement: float | None
    n: int

    def to_dict(self) -> dict[str, Any]:
        return {"sd": self.sd, "agreement": self.agreement, "n": self.n}


@dataclass(frozen=True)
class Flag:
    """A data-quality note: `subject` is an item id, or "" for the whole group."""

    code: str
    subject: str
    detail: dict[str, int | float]

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "subject": self.subject, "detail": dict(self.detail)}


@dataclass(frozen=True)
class Sampling:
    """How the intervals treat the respondents (docs/scoring.md §3).

    `design`: "sample" (a simple random sample of a large group), "whole_group" (the invited are
    the whole target group: finite-population correction with N = `invited`) or "units" (whole
    units were sampled: the jackknife leaves out one of the `units` at a time).
    """

    design: str = "sample"
    invited: int | None = None
    units: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"design": self.design, "invited": self.invited, "units": self.units}


@dataclass(frozen=True)
class OrganizationScore:
    respondents: int
    overall: Estimate
    dimensions: dict[str, Estimate]
    categories: dict[str, Estimate]
    capabilities: dict[str, Estimate]
    items: dict[str, ItemScore]
    quadrant: Quadrant | None
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    consensus: dict[str, Consensus]
    flags: tuple[Flag, ...]
    sampling: Sampling = Sampling()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (dicts, lists, numbers, strings, None)."""
        return {
            "respondents": self.respondents,
            "overall": self.overall.to_dict(),
            "dimensions": {k: v.to_dict() for k, v in self.dimensions.items()},
            "categories": {k: v.to_dict() for k, v in self.categories.items()},
            "capabilities": {k: v.to_dict() for k, v in self.capabilities.items()},
            "items": {k: v.to_dict() for k, v in self.items.items()},
            "quadrant": self.quadrant.to_dict() if self.quadrant is not None else None,
            "strengths": list(self.strengths),
            "weaknesses": list(self.weaknesses),
            "consensus": {k: v.to_dict() for k, v in self.consensus.items()},
            "flags": [f.to_dict() for f in self.flags],
            "sampling": self.sampling.to_dict(),
        }


@dataclass(frozen=True)
class Change:
    """Difference b − a with its 95 % interval (Welch's t); significant when the interval excludes
    0. Without a spread on both sides (fewer than two respondents) there is no interval."""

    delta: float | None
    ci: tuple[float, float] | None
    significant: bool
