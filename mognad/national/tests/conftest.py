import pytest


@pytest.fixture(autouse=True)
def _fast_bootstrap(settings):
    settings.BOOTSTRAP_RESAMPLES = 100
    settings.ANONYMITY_K = 5
