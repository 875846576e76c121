"""The plans app's migrations run back to nothing and forward again (the tables go and come)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = {"plans_actionplan", "plans_plannedaction"}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()


def _tables():
    return TABLES & set(connection.introspection.table_names())


def test_the_plans_tables_go_back_and_come_forward():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    plans_leaf = next(node for node in leaves if node[0] == "plans")
    assert _tables() == TABLES
    try:
        _migrate([("plans", None)])
        assert _tables() == set()
    finally:
        _migrate(leaves)
    assert _tables() == TABLES
    assert plans_leaf in MigrationExecutor(connection).loader.applied_migrations
