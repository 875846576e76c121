"""Shared personas for every test (see mognad/test.py for the factories).

- alice: key user of Ankeby kommun
- bob: unit admin of Socialförvaltningen in Ankeby (which has the child unit Äldreomsorg)
- ulla: unit admin of Utbildningsförvaltningen in Ankeby (a sibling of bob's unit)
- victor: viewer in Ankeby
- charlie: key user of Bebyholm kommun, the outsider
- nadia: national coordinator, with TOTP enrolled (secret mognad.test.NADIA_TOTP_SECRET)
`<name>_client` fixtures are test clients logged in as a persona (nadia past her 2FA step); ulla
has none: the tests use her user object directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from mognad import test
from mognad.orgs.models import Membership, Organization, Unit, User


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # Django's LocaleMiddleware activates a request's language in the thread and nothing turns it
    # off after the response: a test whose last request was in English left English active for
    # the next test in the same process (test_rounding.py once wrote "0.13" under xdist).
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is deliberately slow; tests only need passwords to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _second_factor_for_coordinators_only(settings: Any) -> None:
    # Key users must enrol a second factor by default (MOGNAD_2FA_REQUIRED_ROLES); the personas
    # alice and charlie would be sent to enrolment on every page. Tests of that rule set it
    # themselves (mognad/orgs/tests/test_second_factor.py checks the shipped default).
    settings.TWOFACTOR_REQUIRED_ROLES = ["coordinator"]


@pytest.fixture
def ankeby(db: None) -> Organization:
    return test.build_ankeby()


@pytest.fixture
def bebyholm(db: None) -> Organization:
    return test.build_bebyholm()


@pytest.fixture
def social_services(ankeby: Organization) -> Unit:
    unit: Unit = ankeby.units.get(name="Socialförvaltningen")
    return unit


@pytest.fixture
def elder_care(ankeby: Organization) -> Unit:
    unit: Unit = ankeby.units.get(name="Äldreomsorg")
    return unit


@pytest.fixture
def education(ankeby: Organization) -> Unit:
    unit: Unit = ankeby.units.get(name="Utbildningsförvaltningen")
    return unit


@pytest.fixture
def alice(ankeby: Organization) -> User:
    user = test.make_user("alice@ankeby.se", name="Alice Andersson")
    test.make_member(user, ankeby, Membership.Role.KEY_USER)
    return user


@pytest.fixture
def bob(ankeby: Organization, social_services: Unit) -> User:
    user = test.make_user("bob@ankeby.se", name="Bob Berg")
    test.make_member(user, ankeby, Membership.Role.UNIT_ADMIN, unit=social_services)
    return user


@pytest.fixture
def ulla(ankeby: Organization, education: Unit) -> User:
    user = test.make_user("ulla@ankeby.se", name="Ulla Uddén")
    test.make_member(user, ankeby, Membership.Role.UNIT_ADMIN, unit=education)
    return user


@pytest.fixture
def victor(ankeby: Organization) -> User:
    user = test.make_user("victor@ankeby.se", name="Victor Vik")
    test.make_member(user, ankeby, Membership.Role.VIEWER)
    return user


@pytest.fixture
def charlie(bebyholm: Organization) -> User:
    user = test.make_user("charlie@bebyholm.se", name="Charlie Carlsson")
    test.make_member(user, bebyholm, Membership.Role.KEY_USER)
    return user


@pytest.fixture
def nadia(db: None) -> User:
    user = test.make_user("nadia@mognad.example", name="Nadia Nord", coordinator=True)
    test.enroll_totp(user, test.NADIA_TOTP_SECRET)
    return user


@pytest.fixture
def alice_client(alice: User) -> Client:
    return test.logged_in_client(alice)


@pytest.fixture
def bob_client(bob: User) -> Client:
    return test.logged_in_client(bob)


@pytest.fixture
def victor_client(victor: User) -> Client:
    return test.logged_in_client(victor)


@pytest.fixture
def charlie_client(charlie: User) -> Client:
    return test.logged_in_client(charlie)


@pytest.fixture
def nadia_client(nadia: User) -> Client:
    return test.logged_in_client(nadia)
