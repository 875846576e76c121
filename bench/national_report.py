"""The national status report for 1,000 organizations.

product.md §9: the national report PDF for 1,000 organizations in under 60 s.

The population is generated here with bulk inserts into a fresh SQLite database in a temporary
folder (or the PostgreSQL database named by BENCH_DATABASE_URL): 1,000 organizations measured in
2026 and 900 of them also in 2025 (so the fixed panel, the naive change and the flows are
computed), each with a stored organization result scored by the real engine on synthetic answers
and two sector units (social services, education) with their own stored results.

The national page (GET /national/, through Django's test client: middleware, session, templates)
is requested once to warm up – that first request computes the year's national figures, printed
separately – then `REQUESTS` times for p50/p95 and once more to count its queries. Then one
organization's results are stored again (as a re-close does) and the next request, which must
recompute, is timed. Last, the PDF of 2026 is generated the way `mognad report national` does it
(HTML, charts to SVG, WeasyPrint).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench._django import (
    setup_django,
    shifted_score_rows,
    synthetic_answers,
    synthetic_organizations,
)

ORGANIZATIONS = 1000
PANEL = 900
TARGET_S = 60.0
REQUESTS = 60
TARGET_PAGE_P95_MS = 150.0
YEARS = (2025, 2026)


def _population(rng: np.random.Generator) -> None:
    from django.utils import timezone

    from mognad.instrument.actions import publish_instrument
    from mognad.orgs.models import Unit
    from mognad.results.models import MeasurementResult, MeasurementScore
    from mognad.scoring.engine import score
    from mognad.scoring.structure import Structure
    from mognad.surveys.models import Measurement

    version = publish_instrument(Path(__file__).parent.parent / "instruments/standard/2026.1.yaml")
    structure = Structure.from_instrument(version.definition())
    items = len(structure.item_ids)
    orgs = synthetic_organizations(ORGANIZATIONS, "bench-national-")
    units = Unit.objects.bulk_create(
        [
            Unit(organization=org, name=name, unit_type=kind, path="/")
            for org in orgs
            for name, kind in (("Socialtjänst", "social_services"), ("Utbildning", "education"))
        ]
    )
    for unit in units:
        unit.path = f"/{unit.pk}/"
    Unit.objects.bulk_update(units, ["path"], batch_size=1000)
    # 40 distinct scored organizations (and units), reused round-robin with a per-organization
    # shift: realistic payloads, quick to build.
    levels = rng.normal(3.5, 0.5, 40)
    whole = [
        score(synthetic_answers(rng, 40, items, lv), structure, resamples=200, seed=i)
        for i, lv in enumerate(levels)
    ]
    social = [
        score(synthetic_answers(rng, 15, items, lv - 0.3), structure, resamples=200, seed=i)
        for i, lv in enumerate(levels)
    ]
    school = [
        score(synthetic_answers(rng, 15, items, lv + 0.2), structure, resamples=200, seed=i)
        for i, lv in enumerate(levels)
    ]
    now = timezone.now()
    for year in YEARS:
        members = orgs if year == YEARS[-1] else orgs[:PANEL]
        measurements = Measurement.objects.bulk_create(
            [
                Measurement(organization=org, year=year, instrument=version, state="closed")
                for org in members
            ]
        )
        results, shifts = [], []
        for i, measurement in enumerate(measurements):
            shift = float(rng.normal(0, 4)) + (2.0 if year == YEARS[-1] else 0.0)
            for kind, key, unit, scored in (
                ("organization", "", None, whole[i % 40]),
                ("unit", str(units[2 * i].pk), units[2 * i], social[i % 40]),
                ("unit", str(units[2 * i + 1].pk), units[2 * i + 1], school[i % 40]),
            ):
                results.append(
                    MeasurementResult(
                        measurement=measurement,
                        group_kind=kind,
                        group_key=key,
                        unit=unit,
                        respondents=scored.respondents,
                        payload=scored.to_dict(),
                        computed_at=now,
                    )
                )
                shifts.append((scored, shift))
        stored = MeasurementResult.objects.bulk_create(results, batch_size=300)
        rows = []
        for result, (scored, shift) in zip(stored, shifts, strict=True):
            rows += shifted_score_rows(result, scored, shift)
        MeasurementScore.objects.bulk_create(rows, batch_size=5000)


def _get(client: Any, url: str) -> float:
    return _timed(client, url)[0]


def _timed(client: Any, url: str) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one request (CPU of this process: with SQLite that
    includes the database's work, with PostgreSQL not)."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def _store_again(year: int) -> None:
    """One organization's results stored again the way a re-close stores them: its rows are
    replaced by new ones (`compute_and_store` deletes and inserts)."""
    from django.utils import timezone

    from mognad.results.models import MeasurementResult, MeasurementScore

    result = MeasurementResult.objects.filter(
        measurement__year=year, group_kind="organization"
    ).first()
    assert result is not None
    scores = list(result.scores.all())
    result.delete()
    result.pk = None
    result.computed_at = timezone.now()
    result.save()
    for row in scores:
        row.pk = None
        row.result = result
    MeasurementScore.objects.bulk_create(scores)


def run() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        from mognad import test
        from mognad.national import report

        rng = np.random.default_rng(2026)
        started = time.perf_counter()
        _population(rng)
        built = time.perf_counter() - started
        size = (
            f"{ORGANIZATIONS} organizations in {YEARS[-1]} ({PANEL} also in {YEARS[0]}), "
            f"2 sector units each; data built in {built:.0f} s"
        )

        user = test.make_user("bench@national.example", coordinator=True)
        test.enroll_totp(user)
        client = test.logged_in_client(user)
        url = "/national/"
        first = _get(client, url)  # warm-up: computes the year's figures (and templates)
        timed = [_timed(client, url) for _ in range(REQUESTS)]
        times = [wall for wall, _cpu in timed]
        cpu_p50 = statistics.median(cpu for _wall, cpu in timed)
        queries = _queries(client, url)
        _store_again(YEARS[-1])
        after_change = _get(client, url)
        p50 = statistics.median(times)
        p95 = float(np.percentile(times, 95))

        started, cpu = time.perf_counter(), time.process_time()
        pdf = report.render_pdf(YEARS[-1], "sv")
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        (Path(folder) / "report.pdf").write_bytes(pdf)
        return [
            {
                "figure": "national page, first request (computes the year's figures)",
                "value": first,
                "unit": "ms wall clock",
                "size": size,
                "target": "–",
                "ok": None,
            },
            {
                "figure": f"national page (GET {url}): p50 {p50:.0f} ms (CPU {cpu_p50:.0f} ms) "
                f"over {REQUESTS} requests after the first, {queries} queries",
                "value": p95,
                "unit": "ms p95",
                "size": size,
                "target": f"p95 < {TARGET_PAGE_P95_MS:.0f} ms",
                "ok": p95 < TARGET_PAGE_P95_MS,
            },
            {
                "figure": "national page, first request after one organization's results "
                "were stored again",
                "value": after_change,
                "unit": "ms wall clock",
                "size": size,
                "target": "–",
                "ok": None,
            },
            {
                "figure": "national status report PDF",
                "value": seconds,
                "unit": f"s wall clock ({cpu_seconds:.1f} s CPU), {len(pdf) / 1024:.0f} KB",
                "size": size,
                "target": f"< {TARGET_S:.0f} s",
                "ok": seconds < TARGET_S,
            },
        ]
