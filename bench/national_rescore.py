"""Re-scoring a national year: 1,000 organizations, ~100,000 respondents, from the database.

product.md §9: a national year is fully re-scored with confidence intervals and all peer benchmarks
in under 30 s, on SQLite and on PostgreSQL.

Data: `mognad demo generate --orgs 1000` for one year (the real generator: organizations, units,
closed measurements, respondents, responses, answers; scored once while generating, with only 100
resamples to save time), with three times the generator's usual number of people asked per
organization so that the year has the target's size (RESPONDENTS_SCALE).

The timed part is what `mognad results rescore --year 2025 --jobs N` does
(`mognad.results.rescore.rescore_year`): for every closed measurement of the year, read its answers
from the database, score every group (organization, units, roles) with bootstrap intervals
(MOGNAD_BOOTSTRAP_RESAMPLES, 2,000) and replace its stored results (`compute_and_store`, the
scoring the worker runs after a close); then recompute the year's peer benchmarks. One process
(jobs=1), then two (jobs=2, the machine's cores). SQLite: a temporary file; PostgreSQL: database
bench_rescore on BENCH_POSTGRES_URL.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from typing import Any

from bench.reliability.child import database_label, emit, run_on_databases, setup_django

ORGANIZATIONS = 1000
YEAR = 2025
# The generator's organizations ask 20–300 people each and about two thirds answer: 1,000
# organizations give a year of ~36,000 answering people. Three times as many people asked gives
# the target's year: ~100,000 people who answered, ~3.6 million answers.
RESPONDENTS_SCALE = 3.0
TARGET_S = 30.0


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the scoring processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child(argv: list[str]) -> None:
    setup_django()
    from django.conf import settings

    from mognad.demo.generate import generate
    from mognad.results.rescore import rescore_year
    from mognad.surveys.models import Answer, Measurement, Response

    started = time.perf_counter()
    report = generate(
        organizations=ORGANIZATIONS,
        years=[YEAR],
        seed=1,
        resamples=100,
        benchmarks=False,
        jobs=2,
        respondents_scale=RESPONDENTS_SCALE,
    )
    generated = time.perf_counter() - started
    ids = list(
        Measurement.objects.filter(year=YEAR, state=Measurement.State.CLOSED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    respondents = Response.objects.filter(
        measurement__year=YEAR, state=Response.State.SUBMITTED
    ).count()
    answers = Answer.objects.filter(
        response__measurement__year=YEAR, response__state=Response.State.SUBMITTED
    ).count()
    label = database_label()
    print(
        f"generated {report.organizations} organizations, {len(ids)} measurements, "
        f"{respondents:,} respondents, {answers:,} answers in {generated:.0f} s ({label})"
    )
    size = (
        f"{len(ids):,} organizations measuring, {respondents:,} respondents (submitted), "
        f"{answers:,} answers, "
        f"{settings.BOOTSTRAP_RESAMPLES} resamples, {label}"
    )
    for jobs in (1, 2):
        cpu = _cpu_seconds()
        done = rescore_year(YEAR, jobs=jobs)
        total = done.scoring_seconds + done.benchmark_seconds
        cpu = _cpu_seconds() - cpu
        emit(
            {
                "figure": f"national year re-scored from the database, {jobs} process"
                f"{'es' if jobs > 1 else ''} ({label})",
                "value": total,
                "unit": f"s wall clock, {cpu:.0f} s CPU (groups scored and stored "
                f"{done.scoring_seconds:.1f} s: {done.groups:,} groups of {done.measurements:,} "
                f"measurements; peer benchmarks {done.benchmark_seconds:.1f} s: "
                f"{done.benchmarks:,}; load average {os.getloadavg()[0]:.1f})",
                "size": size,
                "target": f"< {TARGET_S:.0f} s",
                "ok": total < TARGET_S,
            }
        )


def run() -> list[dict[str, Any]]:
    """BENCH_RESCORE_DATABASES=sqlite or =postgres measures one of the two (default both)."""
    wanted = os.environ.get("BENCH_RESCORE_DATABASES", "sqlite,postgres").split(",")
    return run_on_databases(
        __name__, postgres_name="bench_rescore", timeout=3600, databases=tuple(wanted)
    )


if __name__ == "__main__" and "--child" in sys.argv:
    child(sys.argv[2:])
