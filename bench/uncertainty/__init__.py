"""The uncertainty harness: do the intervals, tests and type probabilities the product shows keep
their promises? `python -m bench uncertainty [--quick] [--write-docs]`.

Simulated organizations with known true scores (population.py) are sampled under simple random
sampling, as a finite population and in whole units (scenarios.py); every interval, test and type
probability the product shows is checked against the truth, and the tables (report.py) are printed
and, with `--write-docs`, written into docs/scoring.md between its markers. The full run takes a few
minutes (`make bench` runs it); `--quick` runs a small version in seconds (the test suite runs it).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Config:
    sizes: tuple[int, ...]
    organizations: int
    population: int
    draws: int  # per scenario and n
    seed: int = 2026


FULL = Config(sizes=(5, 8, 15, 40, 120), organizations=60, population=12_000, draws=2400)
QUICK = Config(sizes=(5, 15, 40), organizations=3, population=3_000, draws=40)
# The parts of a run (`--only`): the three sampling scenarios and the change test.
PARTS = frozenset({"srs", "finite", "clustered", "change"})
# The change the power of the change test is measured at, in points of the overall score.
CHANGE = 10.0


def _setup_django() -> None:
    """The demo generator's models are imported, nothing is read or written: no database."""
    os.environ.setdefault("MOGNAD_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mognad.settings")
    import django

    django.setup()


def measure(config: Config, only: frozenset[str] = PARTS) -> Any:
    """Run the scenarios of `config` named in `only` (PARTS: all of them); the `Results`."""
    from bench.uncertainty import scenarios
    from bench.uncertainty.population import simulate
    from mognad.instrument.loader import find_instrument
    from mognad.scoring.structure import Structure

    instrument = find_instrument(None)
    structure = Structure.from_instrument(instrument)

    def org(index: int, shift: float = 0.0) -> Any:
        return simulate(
            instrument,
            structure,
            index,
            seed=config.seed,
            population=config.population,
            shift=shift,
        )

    orgs = [org(i) for i in range(config.organizations)]
    # A shift of the latent maturity that moves the overall score by about CHANGE points.
    probe = org(0, 0.5)
    shift = 0.5 * CHANGE / (probe.truth.score["overall"][0] - orgs[0].truth.score["overall"][0])
    pairs = [(o, org(i, shift)) for i, o in enumerate(orgs)]
    results = scenarios.Results()
    results.true_change = [
        float(after.truth.score["overall"][0] - before.truth.score["overall"][0])
        for before, after in pairs
    ]
    for number, (name, run) in enumerate(scenarios.SCENARIOS.items()):
        if name not in only:
            continue
        for n in config.sizes:
            rng = np.random.default_rng([config.seed, n, number])
            run(results, orgs, structure, n, config.draws, rng)
    for n in config.sizes if "change" in only else ():
        scenarios.run_change(
            results, pairs, structure, n, config.draws, np.random.default_rng([config.seed, n, 9])
        )
    return results


def parse(options: Sequence[str]) -> tuple[Config, frozenset[str], bool]:
    """The configuration, the parts to run and whether to write the docs, from the options:
    `--quick`, `--write-docs`, `--draws=N`, `--sizes=5,15`, `--only=srs,change` (a reduced run
    while developing; the docs' tables come from a full run, or say how reduced theirs was);
    `--jobs=2` (two processes) is read by `run`."""
    flags = {o for o in options if "=" not in o}
    values = dict(o.split("=", 1) for o in options if "=" in o)
    unknown = (flags - {"--quick", "--write-docs"}) | (
        set(values) - {"--draws", "--sizes", "--only", "--jobs"}
    )
    if unknown:
        raise SystemExit(
            f"unknown option(s): {', '.join(sorted(unknown))}; use --quick, --write-docs, "
            "--draws=N, --sizes=5,8,…, --only=srs,finite,clustered,change or --jobs=2"
        )
    config = QUICK if "--quick" in flags else FULL
    try:
        if "--draws" in values:
            config = replace(config, draws=int(values["--draws"]))
        if "--sizes" in values:
            config = replace(config, sizes=tuple(int(v) for v in values["--sizes"].split(",")))
    except ValueError:
        raise SystemExit("--draws and --sizes take whole numbers") from None
    only = frozenset(values["--only"].split(",")) if "--only" in values else PARTS
    if not only <= PARTS or config.draws < 1 or min(config.sizes) < 2:
        raise SystemExit(f"--only takes {', '.join(sorted(PARTS))}; --draws ≥ 1, --sizes ≥ 2")
    return config, only, "--write-docs" in flags


# The parts in about equal halves of the work (scores per draw: srs 2, finite 2, clustered 1,
# change 3), for `--jobs=2`.
HALVES = (("srs", "finite"), ("clustered", "change"))


def measure_in_parallel(config: Config, only: frozenset[str], jobs: int) -> Any:
    """`measure`, with `jobs` = 2 in two processes (each part's draws are seeded on their own, so
    the figures are the same as in one process)."""
    groups = [frozenset(half) & only for half in HALVES] if jobs > 1 else [only]
    groups = [g for g in groups if g]
    if len(groups) == 1:
        return measure(config, groups[0])
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(len(groups)) as pool:
        parts = list(pool.map(measure, [config] * len(groups), groups))
    for part in parts[1:]:
        parts[0].merge(part)
    return parts[0]


def run(options: Sequence[str] = ()) -> Iterator[dict[str, Any]]:
    config, only, write = parse(options)
    jobs = int(next((o.split("=", 1)[1] for o in options if o.startswith("--jobs=")), "1"))
    _setup_django()
    from bench.uncertainty import report

    started = time.perf_counter()
    results = measure_in_parallel(config, only, jobs)
    took = time.perf_counter() - started
    shown = " ".join(o for o in options if o != "--write-docs")
    header = (
        f"Measured by `python -m bench uncertainty{' ' + shown if shown else ''}` "
        f"({config.draws} draws per scenario and n over {config.organizations} simulated "
        f"organizations of {config.population:,} people asked, seed {config.seed}; "
        f"{took:.0f} s)."
    )
    table = report.markdown(results, config.sizes, header)
    print(table)
    if write:
        report.write_docs(table)
        print(f"written into {report.DOCS}")
    yield from report.verdicts(results, config.sizes)
