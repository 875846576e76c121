import pytest
import time_machine

from mognad.surveys.tests.factories import (
    SPRING_2026,
    make_measurement,
    open_with_three_respondents,
)


@pytest.fixture(autouse=True)
def _spring_2026():
    """Measurements belong to a calendar year: every surveys test runs in March 2026."""
    with time_machine.travel(SPRING_2026, tick=True):
        yield


@pytest.fixture
def measurement(ankeby):
    return make_measurement(ankeby)


@pytest.fixture
def open_measurement(measurement, social_services, education, elder_care):
    return open_with_three_respondents(
        measurement, social_services=social_services, elder_care=elder_care, education=education
    )
