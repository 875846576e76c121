"""`mognad demo generate` for 1,000 organizations × 8 years (2019–2026), timed.

Issue 5: 1,000 organizations × 8 years generated and scored within a few minutes. The run writes
into its own database — a fresh SQLite file in a temporary folder, or the PostgreSQL database named
by BENCH_DATABASE_URL — through the generator's `--database` option (a database alias added at run
time). The time per phase is reported too: the scoring phase is the real close path
(`compute_and_store`). BENCH_DEMO_JOBS sets the number of scoring processes (default 1);
BENCH_DEMO_ORGS runs a smaller population instead (then the figure is extrapolated per measurement
to the 1,000-organization plan, and says so).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

ORGANIZATIONS = int(os.environ.get("BENCH_DEMO_ORGS", "1000"))
JOBS = int(os.environ.get("BENCH_DEMO_JOBS", "1"))
FULL = 1000
FIRST_YEAR, LAST_YEAR = 2019, 2026
TARGET_S = 300.0  # "a few minutes"
ALIAS = "bench_demo"


def _django() -> None:
    os.environ.setdefault("MOGNAD_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mognad.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _database(folder: str) -> str:
    """Add the benchmark's own database alias and migrate it; returns a description."""
    import dj_database_url
    from django.core.management import call_command
    from django.db import connections

    from mognad.demo.generate import pinned_database

    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(folder) / 'demo.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"].endswith("sqlite3"):
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    configured = connections.configure_settings({**connections.settings, ALIAS: config})
    connections.settings[ALIAS] = configured[ALIAS]
    # Pinned: the data migration that loads the registry writes through the default manager.
    with pinned_database(ALIAS):
        call_command("migrate", database=ALIAS, verbosity=0, interactive=False)
    return "PostgreSQL" if "postgres" in config["ENGINE"] else "SQLite"


def _full_measurements() -> int:
    """How many measurements the 1,000-organization plan has (planning alone is quick)."""
    from mognad.demo.population import RegistryEntry, plan_population
    from mognad.orgs.registry import registry_rows

    registry = [
        RegistryEntry(r["kind"], r["code"], r["name"], r["county"], r["county_code"])
        for r in registry_rows()
    ]
    plans = plan_population(
        count=FULL,
        years=list(range(FIRST_YEAR, LAST_YEAR + 1)),
        seed=1,
        registry=registry,
        categories=6,
    )
    return sum(len(plan.years) for plan in plans)


def run() -> list[dict[str, Any]]:
    _django()
    from django.conf import settings

    from mognad.demo.generate import generate

    with tempfile.TemporaryDirectory() as folder:
        engine = _database(folder)
        started = time.perf_counter()
        report = generate(
            organizations=ORGANIZATIONS,
            years=list(range(FIRST_YEAR, LAST_YEAR + 1)),
            seed=1,
            database=ALIAS,
            replace=True,
            jobs=JOBS,
        )
        total = time.perf_counter() - started
        from django.db import connections

        connections[ALIAS].close()
    size = (
        f"{ORGANIZATIONS} organizations × {FIRST_YEAR}–{LAST_YEAR}: {report.measurements} "
        f"measurements, {report.respondents:,} respondents, {report.answers:,} answers, "
        f"{report.results:,} stored results; {engine}, "
        f"{settings.BOOTSTRAP_RESAMPLES} resamples, {JOBS} scoring process(es)"
    )
    phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.seconds.items())
    per_measurement = total / report.measurements
    figures = [
        {
            "figure": "demo generate: per measurement (written and scored)",
            "value": per_measurement * 1000,
            "unit": "ms",
            "size": size,
            "target": None,
            "ok": None,
        }
    ]
    if ORGANIZATIONS == FULL:
        return [
            {
                "figure": "demo generate: 1,000 organizations × 8 years",
                "value": total,
                "unit": "s",
                "size": f"{size} ({phases})",
                "target": f"< {TARGET_S:.0f} s (a few minutes)",
                "ok": total < TARGET_S,
            },
            *figures,
        ]
    full = _full_measurements()
    extrapolated = per_measurement * full
    return [
        {
            "figure": "demo generate, scaled run: total",
            "value": total,
            "unit": "s",
            "size": f"{size} ({phases})",
            "target": None,
            "ok": None,
        },
        *figures,
        {
            "figure": "demo generate: 1,000 organizations × 8 years, extrapolated",
            "value": extrapolated,
            "unit": "s",
            "size": f"{full} measurements in the 1,000-organization plan",
            "target": f"< {TARGET_S:.0f} s (a few minutes)",
            "ok": extrapolated < TARGET_S,
        },
    ]
