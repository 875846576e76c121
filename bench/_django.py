"""Shared set-up for the benchmarks that need Django: a fresh database and synthetic answers.

Named with a leading underscore so `python -m bench` does not take it for a benchmark.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np


def setup_django(folder: str) -> None:
    """Point Django at a fresh SQLite file in `folder` (or BENCH_DATABASE_URL) and migrate it."""
    os.environ.setdefault("MOGNAD_DEBUG", "true")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mognad.settings")
    os.environ.setdefault("MOGNAD_BOOTSTRAP_RESAMPLES", "200")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def synthetic_answers(rng: np.random.Generator, respondents: int, items: int, level: float) -> Any:
    """Answers 1–6 around `level` with a person effect and about 5 % "Vet ej"."""
    person = rng.normal(0, 0.7, size=(respondents, 1))
    noise = rng.normal(0, 0.9, size=(respondents, items))
    answers = np.clip(np.rint(level + person + noise), 1, 6).astype(np.int8)
    answers[rng.random((respondents, items)) < 0.05] = -1
    return answers


def synthetic_organizations(count: int, slug_prefix: str) -> list[Any]:
    """`count` organizations spread over kinds, size classes, 21 counties and 9 municipality groups;
    every fourth one agreed to be named."""
    from mognad.orgs.models import Organization

    kinds = ["municipality"] * 6 + ["region", "agency", "company"]
    sizes = ["XS", "S", "M", "L", "XL"]
    return Organization.objects.bulk_create(
        [
            Organization(
                name=f"Organisation {i:04d}",
                slug=f"{slug_prefix}{i:04d}",
                kind=kinds[i % len(kinds)],
                county=f"Län {i % 21:02d}",
                size_class=sizes[i % len(sizes)],
                municipality_group=f"G{i % 9}",
                named_in_comparisons=i % 4 == 0,
            )
            for i in range(count)
        ]
    )


def shifted_score_rows(result: Any, scored: Any, shift: float, *, items: bool = False) -> list[Any]:
    """`MeasurementScore` rows (unsaved) of one engine result with every score moved by `shift`
    points (kept within 0–100): one scored sample stands in for many organizations' results.
    Overall, dimensions, categories and capabilities; the items too when `items`."""
    from mognad.results.models import MeasurementScore

    nodes = [("overall", "", scored.overall)]
    for kind, estimates in (
        ("dimension", scored.dimensions),
        ("category", scored.categories),
        ("capability", scored.capabilities),
        *([("item", scored.items)] if items else []),
    ):
        nodes += [(kind, node_id, est) for node_id, est in estimates.items()]
    rows = []
    for node, node_id, est in nodes:
        value = None if est.score is None else min(100.0, max(0.0, est.score + shift))
        low, high = est.ci if est.ci else (None, None)
        rows.append(
            MeasurementScore(
                result=result,
                node=node,
                node_id=node_id,
                score=value,
                ci_low=low,
                ci_high=high,
                se=est.se,
                n=est.n,
            )
        )
    return rows
