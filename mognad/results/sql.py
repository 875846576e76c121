"""Plain SQL on a model's table, for the bulk reads and writes of scoring.

A national re-score reads millions of answers and replaces ~12,000 results and ~1.2 million score
rows; Django's per-object and per-field work would cost more than the database's.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import connections, router
from django.db.models import Field, Model, QuerySet

from mognad.platform.bulk import insert_rows


def execute(alias: str, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run one statement; its rows as the database driver returns them (none for a DELETE)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall() if cursor.description else []
    return rows


def raw_rows(query: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` query as the database driver returns them (no converters)."""
    sql, params = query.query.sql_with_params()
    return execute(query.db, sql, list(params))


class Table:
    """Plain SQL on one model's table (its quoted name and columns, inserts, statements)."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.meta = model._meta
        self.connection = connections[router.db_for_write(model)]
        self.name = self.connection.ops.quote_name(self.meta.db_table)

    def column(self, field: str) -> str:
        column = cast("Field[Any, Any]", self.meta.get_field(field)).column
        return self.connection.ops.quote_name(column)

    def insert(self, fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        insert_rows(self.connection.alias, self.model, fields, rows)

    def execute(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        return execute(self.connection.alias, sql, params)
