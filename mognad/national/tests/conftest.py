import pytest
from django.db import transaction
from django.test import override_settings

from mognad.national.tests.factories import build_two_years

FAST = {"BOOTSTRAP_RESAMPLES": 100, "ANONYMITY_K": 5}


@pytest.fixture(autouse=True)
def _fast_bootstrap(settings):
    for name, value in FAST.items():
        setattr(settings, name, value)


@pytest.fixture
def two_years(db):
    """See `factories.build_two_years`."""
    return build_two_years()


@pytest.fixture(scope="module")
def two_years_for_module(django_db_setup, django_db_blocker):
    """`build_two_years()` once for a test module *all* of whose database tests use it.

    Built in a transaction that stays open while the module's tests run – each test runs in its
    own savepoint inside it, rolled back after the test as usual – and is rolled back at the end
    of the module. A module that also has tests expecting other data must not use it.
    """
    with django_db_blocker.unblock(), override_settings(**FAST), transaction.atomic():
        orgs = build_two_years()
        yield orgs
        transaction.set_rollback(True)
