"""The harness's tables (Markdown), its verdicts, and writing them into docs/scoring.md."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.uncertainty.population import LEVELS
from bench.uncertainty.scenarios import ANSWER_BUCKETS, CALIBRATION_EDGES, Results
from mognad.scoring.engine import calibrated

DOCS = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"
START = "<!-- uncertainty-harness:start -->"
END = "<!-- uncertainty-harness:end -->"

COVERAGE = (94.0, 97.0)
CLUSTERED_COVERAGE = 92.0
SIZE = (4.0, 6.0)
CALIBRATION = 5.0  # percentage points
# A calibration bin is judged only with at least this many reported probabilities in it.
CALIBRATION_MIN = 100

SCENARIO_TITLES = {
    "srs": "Simple random sample, organization level",
    "unit": "Simple random sample, unit level",
    "finite": "Finite population (the whole target group of N = 10–300 invited, n answered)",
    "clustered": "Whole units sampled (clustered), organization level",
}
TEST_COLUMNS = (
    ("change null overall", "change, no change: overall"),
    ("change null dimension", "change, no change: dimension"),
    ("change power overall", "change, +10 points: overall"),
    ("change power dimension", "change, +10 points: dimension"),
    ("peer null overall", "differs from peers, none: overall"),
    ("peer null category", "differs from peers, none: category"),
    ("peer power overall", "differs from peers, 10 points: overall"),
    ("peer power category", "differs from peers, 10 points: category"),
)
COVERAGE_COLUMNS = (*LEVELS, "item, Vet ej ≥ 20 %")
# Statement coverage by their answers on the scale is shown for n up to this.
BY_ANSWERS_UP_TO = 8


def _pct(value: float) -> str:
    return "–" if math.isnan(value) else f"{100 * value:.1f}"


def coverage_table(results: Results, scenario: str, sizes: Sequence[int]) -> list[str]:
    lines = [
        f"**{SCENARIO_TITLES[scenario]}**: coverage of the 95 % intervals, percent",
        "",
        "| n | " + " | ".join(COVERAGE_COLUMNS) + " |",
        "|---|" + "---|" * len(COVERAGE_COLUMNS),
    ]
    for n in sizes:
        cells = [_pct(results.rate(scenario, n, level)) for level in COVERAGE_COLUMNS]
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def width_table(results: Results, sizes: Sequence[int]) -> list[str]:
    lines = [
        "**Mean width of the intervals** (simple random sample, organization level), points",
        "",
        "| n | " + " | ".join(LEVELS) + " |",
        "|---|" + "---|" * len(LEVELS),
    ]
    for n in sizes:
        cells = []
        for level in LEVELS:
            widths = results.widths["srs", n, level]
            cells.append(f"{np.mean(widths):.1f}" if widths else "–")
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def by_answers_table(results: Results, sizes: Sequence[int]) -> list[str]:
    """Statement coverage by m, the answers on the scale, at the small sizes."""
    small = [n for n in sizes if n <= BY_ANSWERS_UP_TO]
    columns = [
        (f"{what} {label}", f"{title}, {label}")
        for what, title in (("hard", "Vet ej ≥ 20 %"), ("easy", "others"))
        for label, _ in ANSWER_BUCKETS
    ]
    lines = [
        "**Statements by their answers on the scale m** (simple random sample, organization "
        "level): coverage of the 95 % intervals, percent (number of intervals)",
        "",
        "| n | " + " | ".join(title for _, title in columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for n in small:
        cells = []
        for key, _ in columns:
            rate = results.rates["by m", n, key]
            cells.append(f"{_pct(rate.value)} ({rate.total})" if rate.total else "–")
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    return [*lines, ""] if small else []


def tests_table(results: Results, sizes: Sequence[int]) -> list[str]:
    change = np.mean(results.true_change) if results.true_change else float("nan")
    lines = [
        "**Tests at α = 5 %**: share of draws marked significant, percent (two independent samples "
        f"of n each for a change; the true overall change in the power columns averaged "
        f"{change:.1f} points)",
        "",
        "| n | " + " | ".join(title for _, title in TEST_COLUMNS) + " |",
        "|---|" + "---|" * len(TEST_COLUMNS),
    ]
    for n in sizes:
        cells = [_pct(results.rate("tests", n, key)) for key, _ in TEST_COLUMNS]
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def calibration_rows(pairs: list[tuple[float, bool]]) -> Iterator[tuple[str, float, float, int]]:
    """(bin, mean reported probability, share right, count) per calibration bin."""
    if not pairs:
        return
    p = np.array([x for x, _ in pairs])
    right = np.array([y for _, y in pairs], dtype=float)
    for low, high in itertools.pairwise(CALIBRATION_EDGES):
        inside = (p >= low) & ((p < high) if high < 1.0 else (p <= high))
        count = int(inside.sum())
        label = f"{low:.2f}–{high:.2f}"
        if count:
            yield label, float(p[inside].mean()), float(right[inside].mean()), count
        else:
            yield label, float("nan"), float("nan"), 0


def calibration_table(results: Results, sizes: Sequence[int]) -> list[str]:
    lines = [
        "**Calibration of the type probabilities**: per bin of the reported probability, its mean "
        "/ how often the true type was that type, percent (number of reported probabilities)",
        "",
        "| reported | " + " | ".join(f"n = {n}" for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    by_n = {n: list(calibration_rows(results.calibration[n])) for n in sizes}
    for row, (label, *_rest) in enumerate(by_n[sizes[0]]):
        cells = []
        for n in sizes:
            _, mean, right, count = by_n[n][row]
            cells.append(f"{_pct(mean)} / {_pct(right)} ({count})" if count else "–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def markdown(results: Results, sizes: Sequence[int], header: str) -> str:
    lines = [header, ""]
    for scenario in ("srs", "unit", "finite", "clustered"):
        lines += coverage_table(results, scenario, sizes)
    lines += by_answers_table(results, sizes)
    lines += width_table(results, sizes)
    lines += tests_table(results, sizes)
    lines += calibration_table(results, sizes)
    return "\n".join(lines)


def verdicts(results: Results, sizes: Sequence[int]) -> Iterator[dict[str, Any]]:
    """The harness's figures for `python -m bench`, each with its target and whether it is met."""

    def worst(scenarios: Sequence[str], columns: Sequence[str]) -> tuple[float, float]:
        values = [
            100 * results.rate(s, n, c)
            for s in scenarios
            for n in sizes
            for c in columns
            if results.rates[s, n, c].total
        ]
        return (min(values), max(values)) if values else (float("nan"), float("nan"))

    low, high = worst(("srs", "unit"), COVERAGE_COLUMNS)
    yield _figure("coverage, simple random sample, every figure (lowest)", low, COVERAGE, low)
    yield _figure("coverage, simple random sample, every figure (highest)", high, COVERAGE, high)
    low, high = worst(("finite",), COVERAGE_COLUMNS)
    yield _figure("coverage, finite population, every figure (lowest)", low, COVERAGE, low)
    yield _figure("coverage, finite population, every figure (highest)", high, COVERAGE, high)
    low, _ = worst(("clustered",), COVERAGE_COLUMNS)
    yield {
        "figure": "coverage, whole units sampled, every figure (lowest)",
        "value": low,
        "unit": "%",
        "target": f"≥ {CLUSTERED_COVERAGE:.0f} %",
        "ok": low >= CLUSTERED_COVERAGE,
    }
    nulls = [k for k, _ in TEST_COLUMNS if " null " in k]
    low, high = worst(("tests",), nulls)
    yield _figure("false positives of the change and peer tests (lowest)", low, SIZE, low)
    yield _figure("false positives of the change and peer tests (highest)", high, SIZE, high)
    gap = max_calibration_gap(results, sizes)
    yield {
        "figure": "type probabilities below 5 % and from 95 %: largest calibration gap "
        f"(bins of ≥ {CALIBRATION_MIN})",
        "value": gap,
        "unit": "points",
        "target": f"≤ {CALIBRATION:.0f} points",
        "ok": gap <= CALIBRATION,
    }


# The bins of probabilities the page states without "osäker": those wholly inside the product's
# calibrated range (`calibrated`: below 5 % and from 95 %).
CLAIMED_BINS = tuple(
    f"{low:.2f}–{high:.2f}"
    for low, high in itertools.pairwise(CALIBRATION_EDGES)
    if calibrated(low) and calibrated(high - 1e-12)
)


def max_calibration_gap(results: Results, sizes: Sequence[int]) -> float:
    gaps = [
        100 * abs(right - mean)
        for n in sizes
        for label, mean, right, count in calibration_rows(results.calibration[n])
        if count >= CALIBRATION_MIN and label in CLAIMED_BINS
    ]
    return max(gaps) if gaps else float("nan")


def _figure(name: str, value: float, target: tuple[float, float], check: float) -> dict[str, Any]:
    return {
        "figure": name,
        "value": value,
        "unit": "%",
        "target": f"{target[0]:.0f}–{target[1]:.0f} %",
        "ok": target[0] <= check <= target[1],
    }


def write_docs(table: str, path: Path = DOCS) -> None:
    """Replace the text between the harness's markers in docs/scoring.md."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{path}: the markers {START} … {END} are missing")
    path.write_text(
        pattern.sub(lambda _m: f"{START}\n{table}\n{END}", text, count=1), encoding="utf-8"
    )
