"""What the demo tests share: one `mognad demo setup` per test module, rolled back at its end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def run_demo_setup(organizations: int) -> str:
    """`mognad demo setup --orgs N`; returns what it printed."""
    out = StringIO()
    call_command("demo", "setup", "--orgs", str(organizations), stdout=out)
    return out.getvalue()


@contextmanager
def demo_for_module(django_db_blocker: Any, organizations: int) -> Iterator[str]:
    """For a module-scoped fixture: the demo set up once (it takes seconds) on `NOW`, inside a
    transaction that is rolled back when the module is done; yields the printed output."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=False),
        override_settings(
            BASE_URL="http://testserver",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        yield run_demo_setup(organizations)
        transaction.set_rollback(True)
