import pytest

from mognad.national.tests.factories import build_two_years


@pytest.fixture(autouse=True)
def _fast_bootstrap(settings):
    settings.BOOTSTRAP_RESAMPLES = 100
    settings.ANONYMITY_K = 5


@pytest.fixture
def two_years(db):
    """See `factories.build_two_years`."""
    return build_two_years()
