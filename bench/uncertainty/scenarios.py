"""The simulated draws: samples of n people from simulated organizations, scored by the engine and
checked against the true scores.

- `srs`: a simple random sample of n of the organization's people (organization level), and of n of
  one unit's people (unit level, the unit drawn in proportion to its size), drawn with replacement:
  independent draws, as from an infinite population;
- `finite`: a group of N people (N uniform in max(10, n)…300) is the whole target group, n of them
  answer; the truth is the group's own score, the engine is told N was invited and that they are the
  whole group;
- `clustered`: c = round(n / 10) units (at least 2) drawn in proportion to their size, with
  replacement, and about n / c people from each; the truth is the organization's.

Tests: the year-over-year change (two independent samples of n, the same organization or one
whose overall score rose by about 10 points) and the difference from a peer average (the peer
average equal to the true score, or 10 points from it). Calibration: every type's reported
probability against whether the true type is that type.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from bench.uncertainty.population import (
    LEVELS,
    Figures,
    SimulatedOrganization,
    true_type,
)
from mognad.scoring.engine import Estimate, compare, differs_from_peers, score
from mognad.scoring.structure import Structure

# Items whose "Vet ej" rate in the population is at least this are also reported on their own.
HIGH_DONT_KNOW = 0.20
PEER_GAP = 10.0
FINITE_RANGE = (10, 300)
CLUSTER_SIZE = 10
# Calibration bins of a reported type probability.
CALIBRATION_EDGES = (0.0, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 1.0)

# Item coverage is also split by the answers on the scale m an item got (report.by_answers_table).
ANSWER_BUCKETS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("m = 1", lambda m: m == 1),
    ("m = 2", lambda m: m == 2),
    ("m = 3", lambda m: m == 3),
    ("m = 4", lambda m: m == 4),
    ("m ≥ 5", lambda m: m >= 5),
)

_OPTIONS = set(inspect.signature(score).parameters)


def score_sample(
    values: npt.NDArray[np.int8],
    structure: Structure,
    *,
    invited: int | None = None,
    whole_group: bool = False,
    clusters: npt.NDArray[np.intp] | None = None,
) -> Any:
    """The engine's score, told what this engine can take (the harness measures older ones too)."""
    options: dict[str, Any] = {}
    if invited is not None:
        options["invited"] = invited
    if whole_group and "whole_group" in _OPTIONS:
        options["whole_group"] = True
    if clusters is not None and "clusters" in _OPTIONS:
        options["clusters"] = clusters
    return score(values, structure, **options)


@dataclass
class Rate:
    hits: int = 0
    total: int = 0

    def add(self, hits: int, total: int) -> None:
        self.hits += hits
        self.total += total

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else float("nan")


@dataclass
class Results:
    """Everything measured, keyed by (scenario, n, what)."""

    rates: dict[tuple[str, int, str], Rate] = field(default_factory=lambda: defaultdict(Rate))
    widths: dict[tuple[str, int, str], list[float]] = field(
        default_factory=lambda: defaultdict(list)
    )
    calibration: dict[int, list[tuple[float, bool]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    true_change: list[float] = field(default_factory=list)

    def rate(self, scenario: str, n: int, what: str) -> float:
        return self.rates[scenario, n, what].value

    def merge(self, other: Results) -> None:
        """Add the draws of `other` (another part of the same run) to these."""
        for key, rate in other.rates.items():
            self.rates[key].add(rate.hits, rate.total)
        for key, widths in other.widths.items():
            self.widths[key] += widths
        for n, pairs in other.calibration.items():
            self.calibration[n] += pairs
        self.true_change = self.true_change or other.true_change


def _cover(
    results: Results,
    key: tuple[str, int],
    truth: Figures,
    found: Figures,
    high_dont_know: npt.NDArray[np.bool_],
) -> None:
    for level in LEVELS:
        shown = ~np.isnan(found.score[level]) & ~np.isnan(truth.score[level])
        inside = (found.low[level] <= truth.score[level] + 1e-9) & (
            truth.score[level] - 1e-9 <= found.high[level]
        )
        results.rates[(*key, level)].add(int((inside & shown).sum()), int(shown.sum()))
        results.widths[(*key, level)] += (found.high[level] - found.low[level])[shown].tolist()
        if level == "item":
            hard = shown & high_dont_know
            results.rates[(*key, "item, Vet ej ≥ 20 %")].add(
                int((inside & hard).sum()), int(hard.sum())
            )
            if key[0] == "srs" and found.item_n is not None:
                _by_answers(results, key[1], found.item_n, inside, hard, shown & ~high_dont_know)


def _by_answers(
    results: Results,
    n: int,
    m: npt.NDArray[np.intp],
    inside: npt.NDArray[np.bool_],
    hard: npt.NDArray[np.bool_],
    easy: npt.NDArray[np.bool_],
) -> None:
    """Item coverage split by m, the answers on the scale (the small-sample cells)."""
    for label, answers in ANSWER_BUCKETS:
        bucket = answers(m)
        for what, chosen in (("hard", hard), ("easy", easy)):
            cell = chosen & bucket
            results.rates["by m", n, f"{what} {label}"].add(
                int((inside & cell).sum()), int(cell.sum())
            )


def _peer_test(results: Results, n: int, truth: Figures, found: Figures, rng: Any) -> None:
    """ "Differs from the peer average" (the product's `differs_from_peers`): the peer average
    outside the own interval."""
    for level in ("overall", "category"):
        shown = ~np.isnan(found.score[level]) & ~np.isnan(truth.score[level])
        for what, peer in (
            ("peer null", truth.score[level]),
            ("peer power", truth.score[level] + PEER_GAP * rng.choice((-1.0, 1.0))),
        ):
            # The product's own marker, figure by figure.
            outside = [
                bool(differs_from_peers((low, high), reference))
                for low, high, reference, on in zip(
                    found.low[level], found.high[level], peer, shown, strict=True
                )
                if on
            ]
            results.rates["tests", n, f"{what} {level}"].add(sum(outside), len(outside))


def _calibrate(
    results: Results, n: int, structure: Structure, truth: Figures, found: Figures
) -> None:
    if found.probabilities is None:
        return
    actual = true_type(structure, truth)
    for index, p in enumerate(found.probabilities.tolist()):
        results.calibration[n].append((p, index == actual))


def run_srs(
    results: Results,
    orgs: Sequence[SimulatedOrganization],
    structure: Structure,
    n: int,
    draws: int,
    rng: np.random.Generator,
) -> None:
    for draw in range(draws):
        org = orgs[draw % len(orgs)]
        high_dk = org.dont_know_rate >= HIGH_DONT_KNOW
        # With replacement: independent draws from the population, as from an infinite one.
        rows = rng.choice(len(org.people), size=n)
        found = Figures.of(score_sample(org.people[rows], structure), structure)
        _cover(results, ("srs", n), org.truth, found, high_dk)
        _peer_test(results, n, org.truth, found, rng)
        _calibrate(results, n, structure, org.truth, found)
        unit = int(rng.choice(len(org.unit_weights), p=org.unit_weights))
        members = np.flatnonzero(org.units == unit)
        picked = org.people[rng.choice(members, size=n)]
        found = Figures.of(score_sample(picked, structure), structure)
        _cover(results, ("unit", n), org.unit_truth[unit], found, high_dk)


def run_finite(
    results: Results,
    orgs: Sequence[SimulatedOrganization],
    structure: Structure,
    n: int,
    draws: int,
    rng: np.random.Generator,
) -> None:
    for draw in range(draws):
        org = orgs[draw % len(orgs)]
        size = int(rng.integers(max(FINITE_RANGE[0], n), FINITE_RANGE[1] + 1))
        group = org.people[rng.choice(len(org.people), size=size, replace=False)]
        truth = Figures.of(score(group, structure, resamples=1), structure)
        sample = group[rng.choice(size, size=n, replace=False)]
        found = Figures.of(
            score_sample(sample, structure, invited=size, whole_group=True), structure
        )
        _cover(results, ("finite", n), truth, found, org.dont_know_rate >= HIGH_DONT_KNOW)


def run_clustered(
    results: Results,
    orgs: Sequence[SimulatedOrganization],
    structure: Structure,
    n: int,
    draws: int,
    rng: np.random.Generator,
) -> None:
    clusters = max(2, round(n / CLUSTER_SIZE))
    for draw in range(draws):
        org = orgs[draw % len(orgs)]
        picks = rng.choice(len(org.unit_weights), size=clusters, p=org.unit_weights)
        each = -(-n // clusters)
        rows: list[int] = []
        labels: list[int] = []
        for label, unit in enumerate(picks.tolist()):
            members = np.flatnonzero(org.units == unit)
            chosen = rng.choice(members, size=min(each, n - len(rows)), replace=False)
            rows += chosen.tolist()
            labels += [label] * len(chosen)
        found = Figures.of(
            score_sample(org.people[rows], structure, clusters=np.array(labels, dtype=np.intp)),
            structure,
        )
        _cover(results, ("clustered", n), org.truth, found, org.dont_know_rate >= HIGH_DONT_KNOW)


def _estimates(scored: Any, structure: Structure) -> list[tuple[str, Estimate]]:
    return [("overall", scored.overall)] + [("dimension", e) for e in scored.dimensions.values()]


def run_change(
    results: Results,
    pairs: Sequence[tuple[SimulatedOrganization, SimulatedOrganization]],
    structure: Structure,
    n: int,
    draws: int,
    rng: np.random.Generator,
) -> None:
    """Two independent samples of n: the same organization (a false positive when "significant"),
    or the organization after its scores rose by about 10 points (power)."""
    for draw in range(draws):
        before, after = pairs[draw % len(pairs)]
        first = score_sample(before.people[rng.choice(len(before.people), n)], structure)
        for what, org in (("change null", before), ("change power", after)):
            second = score_sample(org.people[rng.choice(len(org.people), n)], structure)
            for (level, a), (_, b) in zip(
                _estimates(first, structure), _estimates(second, structure), strict=True
            ):
                if a.score is None or b.score is None:
                    continue
                found = compare(a, b)
                results.rates["tests", n, f"{what} {level}"].add(int(found.significant), 1)


SCENARIOS: dict[str, Callable[..., None]] = {
    "srs": run_srs,
    "finite": run_finite,
    "clustered": run_clustered,
}
