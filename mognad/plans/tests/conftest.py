"""The plans tests read messages in English unless a test says otherwise (Swedish is the
product's default; tests of the Swedish text override it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield
