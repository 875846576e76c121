"""Writing many rows at once: COPY on PostgreSQL, one `executemany` on SQLite.

For the few places where row counts reach millions (storing results, generating demo data): Django's
`bulk_create` spends more time building statements than the database spends storing them, and on
PostgreSQL even a driver-level `executemany` sends every row as its own statement for the server to
parse. Values must already be in the database's form (plain str/int/float/None, datetimes adapted).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models


def insert_rows(
    alias: str, model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Insert `rows` (values for the fields `names`, in that order) into the model's table on the
    database `alias`; returns how many rows were written. Runs in the caller's transaction."""
    if not rows:
        return 0
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(quote(f.column) for f in fields if isinstance(f, models.Field))
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # Table and column names come from the model, quoted; the values are parameters.
            placeholders = ", ".join(["%s"] * len(names))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(sql, rows)
    return len(rows)
