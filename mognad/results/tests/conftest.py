"""Fixtures for the results tests: Ankeby kommun with two closed years, and peers.

Ankeby 2026 (24 respondents): Kommunledningsförvaltningen 8 (4 managers, 4 top management),
Socialförvaltningen 6 directly + Äldreomsorg 7 (staff), Utbildningsförvaltningen 3 (IT).
Utbildningsförvaltningen is under k = 5 and hidden; as nobody is outside the units, it could be
derived from the organization minus the others, so Kommunledningsförvaltningen (the smallest shown
sibling) is hidden too.

`answered`: an open measurement of 2026 answered through the real actions (three invited, two
submitted), for the tests of computing and storing results.
"""

from __future__ import annotations

import pytest
import time_machine

from mognad.instrument.models import InstrumentItem
from mognad.instrument.scale import DONT_KNOW
from mognad.results.benchmarks import compute_benchmarks
from mognad.results.tests.factories import Answers, closed_measurement, peer_organizations
from mognad.surveys import answering
from mognad.surveys.tests.factories import (
    SPRING_2026,
    make_measurement,
    open_with_three_respondents,
)


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


@pytest.fixture
def open_measurement(ankeby, social_services, elder_care, education):
    with time_machine.travel(SPRING_2026, tick=True):
        return open_with_three_respondents(
            make_measurement(ankeby),
            social_services=social_services,
            elder_care=elder_care,
            education=education,
        )


@pytest.fixture
def answered(open_measurement):
    """Sara (manager, social services) and Eero (staff, elder care, under social services) submit;
    Ulf (IT, education) starts but never submits."""
    items = list(InstrumentItem.objects.filter(version=open_measurement.instrument))
    plans = {
        "sara@ankeby.se": {item.pk: 1 + n % 6 for n, item in enumerate(items)},
        # "Vet ej" on the first five, nothing at all on the last three.
        "eero@ankeby.se": {item.pk: DONT_KNOW if n < 5 else 6 for n, item in enumerate(items[:-3])},
        "ulf@ankeby.se": {item.pk: 3 for item in items},
    }
    for respondent in open_measurement.respondents.all():
        response = answering.start_response(
            open_measurement, key=f"key-{respondent.pk}", respondent=respondent, channel="email"
        )
        answering.save_answers(response, plans[respondent.email])
        if respondent.email != "ulf@ankeby.se":
            answering.submit_response(response, respondent=respondent)
    return open_measurement
