"""The examples app's migrations run back to nothing and forward again (the tables go and come)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = {"examples_example", "examples_conclusion"}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()


def _tables():
    return TABLES & set(connection.introspection.table_names())


def test_the_examples_tables_go_back_and_come_forward():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    examples_leaf = next(node for node in leaves if node[0] == "examples")
    assert _tables() == TABLES
    try:
        _migrate([("examples", None)])
        assert _tables() == set()
    finally:
        _migrate(leaves)
    assert _tables() == TABLES
    assert examples_leaf in MigrationExecutor(connection).loader.applied_migrations
