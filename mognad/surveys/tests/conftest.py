import datetime as dt

import pytest
import time_machine

from mognad.surveys import actions
from mognad.surveys.tests.factories import make_measurement, make_respondent


@pytest.fixture(autouse=True)
def _spring_2026():
    """Measurements belong to a calendar year: every surveys test runs in March 2026."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def measurement(ankeby):
    return make_measurement(ankeby)


@pytest.fixture
def open_measurement(measurement, social_services, education, elder_care):
    make_respondent(measurement, "sara@ankeby.se", unit=social_services, role="manager")
    make_respondent(measurement, "eero@ankeby.se", unit=elder_care, role="staff", language="en")
    make_respondent(measurement, "ulf@ankeby.se", unit=education, role="it")
    return actions.open_measurement(measurement, by=None)
