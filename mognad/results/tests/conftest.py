"""Fixtures for the results tests: Ankeby kommun with two closed years, and peers.

Ankeby 2026 (24 respondents): Kommunledningsförvaltningen 8 (4 managers, 4 top management),
Socialförvaltningen 6 directly + Äldreomsorg 7 (staff), Utbildningsförvaltningen 3 (IT).
Utbildningsförvaltningen is under k = 5 and hidden; as nobody is outside the units, it could be
derived from the organization minus the others, so Kommunledningsförvaltningen (the smallest shown
sibling) is hidden too.
"""

from __future__ import annotations

import pytest

from mognad.results.benchmarks import compute_benchmarks
from mognad.results.tests.factories import Answers, closed_measurement, peer_organizations


@pytest.fixture(autouse=True)
def _fast_bootstrap(settings):
    settings.BOOTSTRAP_RESAMPLES = 100
    settings.ANONYMITY_K = 5


@pytest.fixture
def management(ankeby):
    return ankeby.units.get(name="Kommunledningsförvaltningen")


def _ankeby_groups(management, social_services, elder_care, education, shift=0.0):
    return [
        Answers(4, management, "manager", 4.2 + shift),
        Answers(4, management, "top_management", 4.5 + shift),
        Answers(6, social_services, "staff", 3.0 + shift),
        Answers(7, elder_care, "staff", 2.8 + shift),
        Answers(3, education, "it", 4.0 + shift),
    ]


@pytest.fixture
def results_2026(ankeby, management, social_services, elder_care, education):
    return closed_measurement(
        ankeby, _ankeby_groups(management, social_services, elder_care, education), seed=1
    )


@pytest.fixture
def results_2025(ankeby, management, social_services, elder_care, education):
    return closed_measurement(
        ankeby,
        _ankeby_groups(management, social_services, elder_care, education, shift=-0.8),
        year=2025,
        seed=2,
    )


@pytest.fixture
def peers(ankeby):
    orgs = peer_organizations(6, named=2)
    return orgs


@pytest.fixture
def benchmarks(results_2026, peers):
    compute_benchmarks(2026)
