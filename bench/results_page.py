"""An organization's results pages against a 1,000-organization year.

product.md §9: the results page answers with p95 under 150 ms against a 1,000-organization
benchmark, with a fixed number of database queries whatever the data size.

The population is generated here with bulk inserts into a fresh SQLite database in a temporary
folder (or the PostgreSQL database named by BENCH_DATABASE_URL): 1,000 organizations with stored
organization-level results (scored by the real engine on synthetic answers) and peer benchmarks,
plus one organization measured the real way (responses, answers, `compute_and_store`) over four
years with 12 units and six roles. The page is requested through Django's test client (the whole
middleware stack, templates and the session), after a warm-up.
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
REQUESTS = 60
TARGET_P95_MS = 150.0
YEAR = 2026


def _population(rng: np.random.Generator) -> Any:
    """1,000 organizations with stored organization results; returns the instrument version."""
    from django.utils import timezone

    from mognad.instrument.actions import publish_instrument
    from mognad.results.models import MeasurementResult, MeasurementScore
    from mognad.scoring.engine import score
    from mognad.scoring.structure import Structure
    from mognad.surveys.models import Measurement

    version = publish_instrument(Path(__file__).parent.parent / "instruments/standard/2026.1.yaml")
    structure = Structure.from_instrument(version.definition())
    orgs = synthetic_organizations(ORGANIZATIONS, "bench-")
    measurements = Measurement.objects.bulk_create(
        [
            Measurement(organization=org, year=YEAR, instrument=version, state="closed")
            for org in orgs
        ]
    )
    # 40 distinct scored organizations, reused round-robin: realistic payloads, quick to build.
    scored = [
        score(
            synthetic_answers(rng, 40, len(structure.item_ids), rng.normal(3.6, 0.5)),
            structure,
            resamples=200,
            seed=i,
        )
        for i in range(40)
    ]
    now = timezone.now()
    results = MeasurementResult.objects.bulk_create(
        [
            MeasurementResult(
                measurement=m,
                group_kind="organization",
                group_key="",
                respondents=scored[i % 40].respondents,
                payload=scored[i % 40].to_dict(),
                computed_at=now,
            )
            for i, m in enumerate(measurements)
        ],
        batch_size=200,
    )
    rows = []
    for i, result in enumerate(results):
        shift = float(rng.normal(0, 4))
        rows += shifted_score_rows(result, scored[i % 40], shift, items=True)
    MeasurementScore.objects.bulk_create(rows, batch_size=5000)
    return version


def _own_organization(rng: np.random.Generator, version: Any) -> Any:
    """Ankeby: 12 units in two levels, six roles, four closed years scored the real way."""
    from mognad.orgs.models import Membership, Organization, Unit, User
    from mognad.results.compute import compute_and_store
    from mognad.surveys.models import Answer, Measurement, Response

    org = Organization.objects.create(
        name="Ankeby kommun",
        slug="ankeby",
        kind="municipality",
        county="Län 01",
        size_class="M",
        municipality_group="G1",
    )
    units = []
    for top in range(4):
        parent = Unit.objects.create(organization=org, name=f"Förvaltning {top}", unit_type="other")
        units.append(parent)
        for child in range(2):
            units.append(
                Unit.objects.create(
                    organization=org,
                    name=f"Avdelning {top}.{child}",
                    unit_type="other",
                    parent=parent,
                )
            )
    roles = ["politician", "top_management", "manager", "strategist", "it", "staff"]
    items = list(version.items.order_by("position"))
    for year in range(YEAR - 3, YEAR + 1):
        measurement = Measurement.objects.create(
            organization=org, year=year, instrument=version, state="closed"
        )
        answers = synthetic_answers(rng, 160, len(items), 3.2 + 0.15 * (year - YEAR + 3))
        responses = [
            Response(
                measurement=measurement,
                unit=units[i % len(units)],
                role=roles[i % len(roles)],
                state="submitted",
            )
            for i in range(len(answers))
        ]
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(
            [
                Answer(response=response, item=item, value=int(value))
                for response, row in zip(responses, answers, strict=True)
                for item, value in zip(items, row, strict=True)
            ],
            batch_size=5000,
        )
        compute_and_store(measurement)
    user = User.objects.create_user("alice@ankeby.se", "bench-password-123")
    Membership.objects.create(user=user, organization=org, role="key_user")
    return org, user


def _time(client: Any, url: str) -> list[float]:
    for _ in range(5):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def run() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="mognad-bench-results-") as folder:
        setup_django(folder)
        from mognad.results.benchmarks import compute_benchmarks
        from mognad.test import enroll_totp, logged_in_client

        rng = np.random.default_rng(2026)
        started = time.perf_counter()
        version = _population(rng)
        org, user = _own_organization(rng, version)
        compute_benchmarks(YEAR)
        build_s = time.perf_counter() - started
        # Key users must have a second factor (MOGNAD_2FA_REQUIRED_ROLES): Ankeby's has, and the
        # client is past its step, as a person who logged in is.
        enroll_totp(user)
        client = logged_in_client(user)
        figures = []
        size = f"{ORGANIZATIONS + 1:,} organizations (built in {build_s:.0f} s)"
        for name, path in (
            ("overview", "results/"),
            ("categories and capabilities", "results/categories/"),
            ("internal comparison", "results/internal/"),
            ("all organizations", "results/all/"),
            ("over time", "results/over-time/"),
        ):
            url = f"/orgs/{org.slug}/{path}"
            times = _time(client, url)
            p50 = statistics.median(times)
            p95 = float(np.percentile(times, 95))
            queries = _queries(client, url)
            is_target = name == "overview"
            figures.append(
                {
                    "figure": f"results page '{name}': p50 {p50:.0f} ms, {queries} queries",
                    "value": p95,
                    "unit": "ms p95",
                    "size": size,
                    "target": f"p95 < {TARGET_P95_MS:.0f} ms" if is_target else "–",
                    "ok": p95 < TARGET_P95_MS if is_target else None,
                }
            )
        return figures


if __name__ == "__main__":
    from bench.__main__ import show

    for figure in run():
        print(show(figure))
