"""The production-stack test runs only when asked for by its marker (`make stack`, i.e.
`pytest -m stack`): it starts a dozen processes and needs PostgreSQL and nginx, so a plain
`pytest mognad/tests` leaves it out instead of failing for want of them."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("markexpr", "").strip() == "stack":
        return
    skip = pytest.mark.skip(reason="the production stack runs with `make stack` (pytest -m stack)")
    for item in items:
        if item.get_closest_marker("stack"):
            item.add_marker(skip)
