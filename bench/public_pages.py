"""The public national figures page (/figures/) for 1,000 organizations, from a published release.

The population is national_report's (1,000 organizations in 2026, 900 also in 2025). The release
holds the year's frozen national figures (`figures.json`) and the open data's `organizations.csv`,
stored the way a draft stores them (made here directly, without the rest of a draft's files, so
the benchmark times the page and not the snapshot). The page is requested as an anonymous visitor
through Django's test client: the first request decodes the release and builds the sections (and
caches them for the release and language), then `REQUESTS` more for p50/p95, and once to count
its queries; the same for the named organizations' page.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from typing import Any

import numpy as np

from bench._django import setup_django
from bench.national_report import ORGANIZATIONS, PANEL, YEARS, _population, _queries, _timed

REQUESTS = 40
TARGET_P95_MS = 150.0


def _release() -> None:
    from django.utils import timezone

    from mognad.national import opendata, pages, queries, store
    from mognad.national.publishing.models import (
        PublicationDraft,
        PublicationFile,
        PublishedRelease,
    )

    year = YEARS[-1]
    now = timezone.now()
    found = store.figures(year)
    page = pages.load(year)
    organizations = queries.year_data(year, units=False).organizations
    header = opendata.organization_header(page)
    rows = opendata.organization_rows(page, organizations)
    lines = [",".join(header)] + [",".join(opendata.cells(r)) for r in rows]
    draft = PublicationDraft.objects.create(year=year, number=1, created_at=now, closes_at=now)
    for name, content in (
        ("figures.json", store.encode(found).encode()),
        ("opendata/organizations.csv", ("\n".join(lines) + "\n").encode()),
    ):
        PublicationFile.of(draft, name, content).save()
    draft.state = PublicationDraft.State.PUBLISHED
    draft.save()
    PublishedRelease(year=year, version=1, draft=draft, published_at=now, licence="CC0-1.0").save()


def _page(client: Any, url: str, label: str, size: str) -> list[dict[str, Any]]:
    first = _timed(client, url)[0]
    timed = [_timed(client, url) for _ in range(REQUESTS)]
    walls = [wall for wall, _cpu in timed]
    p50, p95 = statistics.median(walls), float(np.percentile(walls, 95))
    queries = _queries(client, url)
    return [
        {
            "figure": f"{label}, first request after publishing (builds and caches the page)",
            "value": first,
            "unit": "ms wall clock",
            "size": size,
            "target": "–",
            "ok": None,
        },
        {
            "figure": f"{label} (GET {url}, anonymous): p50 {p50:.0f} ms over {REQUESTS} "
            f"requests after the first, {queries} queries",
            "value": p95,
            "unit": "ms p95",
            "size": size,
            "target": f"p95 < {TARGET_P95_MS:.0f} ms",
            "ok": p95 < TARGET_P95_MS,
        },
    ]


def run() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        from django.test import Client

        rng = np.random.default_rng(2026)
        started = time.perf_counter()
        _population(rng)
        _release()
        built = time.perf_counter() - started
        size = (
            f"{ORGANIZATIONS} organizations in {YEARS[-1]} ({PANEL} also in {YEARS[0]}); "
            f"data and release built in {built:.0f} s"
        )
        client = Client()
        return [
            *_page(client, "/figures/", "public national figures", size),
            *_page(client, "/figures/organizations/", "public named organizations", size),
        ]
