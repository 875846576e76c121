"""Logical dumps of the test database, as an operator with a backup has them.

PostgreSQL: the real `pg_dump` (its COPY rows, in the order it writes them, which is the tables'
physical order). SQLite: the real `sqlite3` dump (`iterdump`, rowid order), loaded into an empty
database and read back in the order the dump holds. The data must be committed for `pg_dump` to see
it: tests using it run with `django_db(transaction=True)`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass

from django.db import connection

Row = dict[str, str | None]


@dataclass(frozen=True)
class Dump:
    text: str
    tables: dict[str, list[Row]]


def logical_dump() -> Dump:
    if connection.vendor == "postgresql":
        return _pg_dump()
    return _sqlite_dump()


def _sqlite_dump() -> Dump:
    connection.ensure_connection()
    text = "\n".join(connection.connection.iterdump())
    copy = sqlite3.connect(":memory:")
    copy.executescript(text)
    tables: dict[str, list[Row]] = {}
    for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        # A fresh table gives rows back in the order they were inserted: the dump's order.
        cursor = copy.execute(f'SELECT * FROM "{name}"')  # noqa: S608 (names from the dump)
        columns = [d[0] for d in cursor.description]
        tables[name] = [
            {c: None if v is None else str(v) for c, v in zip(columns, row, strict=True)}
            for row in cursor.fetchall()
        ]
    copy.close()
    return Dump(text=text, tables=tables)


def _pg_dump() -> Dump:
    executable = shutil.which("pg_dump")
    assert executable, "pg_dump is needed for the dump-and-join tests on PostgreSQL"
    params = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
    command = [executable, "--data-only", "--no-owner", "--dbname", params["NAME"]]
    command += [
        "--host",
        params.get("HOST") or "127.0.0.1",
        "--port",
        str(params.get("PORT") or 5432),
    ]
    command += ["--username", params.get("USER") or "postgres"]
    text = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return Dump(text=text, tables=_copy_blocks(text))


def _copy_blocks(text: str) -> dict[str, list[Row]]:
    tables: dict[str, list[Row]] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if not line.startswith("COPY "):
            continue
        head, _sep, rest = line[len("COPY ") :].partition(" (")
        name = head.split(".")[-1].strip('"')
        columns = [c.strip().strip('"') for c in rest.split(") FROM stdin")[0].split(",")]
        rows: list[Row] = []
        for data in lines:
            if data == "\\.":
                break
            values = [None if v == "\\N" else _unescape(v) for v in data.split("\t")]
            rows.append(dict(zip(columns, values, strict=True)))
        tables[name] = rows
    return tables


def _unescape(value: str) -> str:
    return (
        value.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\")
    )
