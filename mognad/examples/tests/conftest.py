"""Fixtures for the example library: Ankeby kommun with a weak 2025 and a much stronger 2026
(every capability rises well beyond the noise), both scored and stored as a real close does."""

from __future__ import annotations

import pytest

from mognad.examples import actions
from mognad.examples.models import Example
from mognad.results.tests.factories import Answers, closed_measurement


@pytest.fixture(autouse=True)
def _fast_bootstrap(settings):
    settings.BOOTSTRAP_RESAMPLES = 100
    settings.ANONYMITY_K = 5


@pytest.fixture
def ankeby(ankeby):
    """Ankeby with its size class from its employees (M), as the registry import sets it."""
    ankeby.size_class = ankeby.size_class_for(ankeby.employees)
    ankeby.save(update_fields=["size_class"])
    return ankeby


@pytest.fixture
def bebyholm(bebyholm):
    bebyholm.size_class = bebyholm.size_class_for(bebyholm.employees)
    bebyholm.save(update_fields=["size_class"])
    return bebyholm


@pytest.fixture
def ankeby_2025(ankeby):
    return closed_measurement(ankeby, [Answers(20, level=2.4)], year=2025, seed=1)


@pytest.fixture
def ankeby_2026(ankeby, ankeby_2025):
    return closed_measurement(ankeby, [Answers(20, level=4.6)], year=2026, seed=2)


def text(**changes) -> actions.ExampleText:
    fields = {
        "title": "Systemägare för de viktigaste systemen",
        "what_was_done": "Ledningsgruppen utsåg en systemägare per system och avsatte tid.",
        "effort": Example.Effort.SMALL,
        "contact_role": "IT-strateg",
        "capabilities": ["eff.management"],
        "named": False,
        "year": 2025,
    }
    fields.update(changes)
    return actions.ExampleText(**fields)
