"""Benchmarks that need Django run in a child process of their own.

`python -m bench` runs every benchmark module in one process, and Django's settings (the database
above all) are fixed at the first `django.setup()`. So `bench.answer_save`,
`bench.import_respondents` and `bench.national_rescore` each start `python -m bench.<module>
--child …` with the environment they need, and read its figures back as JSON lines.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
FIGURE_PREFIX = "BENCH-FIGURE "


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MOGNAD_") and key != "DATABASE_URL"
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="mognad.settings",
        MOGNAD_DEBUG="false",
        # Plain HTTP on loopback: the HTTPS hardening (on by default outside debug) stays off.
        MOGNAD_SECURE="false",
        MOGNAD_SECRET_KEY=secrets.token_urlsafe(50),
        MOGNAD_ALLOWED_HOSTS="testserver,127.0.0.1",
        MOGNAD_LOG_LEVEL="WARNING",
        MOGNAD_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def postgres_available() -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def fresh_postgres(name: str) -> str:
    """Drop and create database `name` on the benchmark server; returns its URL."""
    import psycopg
    from psycopg import sql

    if not name.startswith("bench_"):
        raise ValueError("benchmark databases are named bench_…")
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{POSTGRES}/{name}"


def drop_postgres(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def database_label() -> str:
    """In the child: the database in use, as people name it."""
    from django.db import connection

    return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(
        connection.vendor, connection.vendor
    )


def run_in_child(
    module: str, args: list[str], env: dict[str, str], *, timeout: float
) -> list[dict[str, Any]]:
    """Run `python -m <module> --child <args>`; its output passes through as it comes (so a figure
    is seen even if a later step fails), figures come back."""
    command = [sys.executable, "-m", module, "--child", *args]
    figures = []
    with subprocess.Popen(  # noqa: S603 (our own module and arguments)
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as child:
        timer = threading.Timer(timeout, child.kill)
        timer.start()
        try:
            assert child.stdout is not None and child.stderr is not None
            for line in child.stdout:
                line = line.rstrip("\n")
                if line.startswith(FIGURE_PREFIX):
                    figure = json.loads(line[len(FIGURE_PREFIX) :])
                    figures.append(figure)
                    print(
                        f"    (figure) {figure['figure']}: {figure['value']:.2f} {figure['unit']}"
                    )
                else:
                    print(f"    {line}", flush=True)
            errors = child.stderr.read()
            child.wait()
        finally:
            timer.cancel()
    if child.returncode != 0:
        tail = "\n".join(errors.splitlines()[-25:])
        raise RuntimeError(f"{module} failed ({child.returncode}):\n{tail}")
    return figures


def run_on_databases(
    module: str,
    *,
    postgres_name: str,
    timeout: float,
    databases: tuple[str, ...] = ("sqlite", "postgres"),
) -> list[dict[str, Any]]:
    """Run the module's child once per database: a fresh SQLite file in a temporary folder, then a
    fresh PostgreSQL database `postgres_name` (skipped, with a note, when no server answers); each
    is removed afterwards."""
    figures = []
    if "sqlite" in databases:
        url, folder = temporary_sqlite()
        try:
            figures += run_in_child(module, [], django_env(url), timeout=timeout)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if "postgres" not in databases:
        return figures
    if not postgres_available():
        print("    PostgreSQL is not reachable: the PostgreSQL figure is skipped")
        return figures
    url = fresh_postgres(postgres_name)
    try:
        figures += run_in_child(module, [], django_env(url), timeout=timeout)
    finally:
        drop_postgres(postgres_name)
    return figures


def emit(figure: dict[str, Any]) -> None:
    """In the child: hand one figure to the parent."""
    print(FIGURE_PREFIX + json.dumps(figure), flush=True)


def temporary_sqlite(folder: str | None = None) -> tuple[str, str]:
    """(URL, folder) of a new SQLite database in a temporary folder."""
    folder = folder or tempfile.mkdtemp(prefix="mognad-bench-")
    return f"sqlite:///{Path(folder) / 'bench.sqlite3'}", folder


def setup_django() -> None:
    """In the child: start Django and create the tables."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
