"""Shared personas for every test (see mognad/test.py for the factories).

- alice: key user of Ankeby kommun
- bob: unit admin of Socialförvaltningen in Ankeby (which has the child unit Äldreomsorg)
- ulla: unit admin of Utbildningsförvaltningen in Ankeby (a sibling of bob's unit)
- victor: viewer in Ankeby
- charlie: key user of Bebyholm kommun, the outsider
- nadia: national coordinator, with TOTP enrolled (secret mognad.test.NADIA_TOTP_SECRET)
`<name>_client` fixtures are test clients logged in as each persona (nadia past her 2FA step).
"""

from __future__ import annotations

import pytest

from mognad import test
from mognad.orgs.models import Membership, Organization, Unit, User


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests only need passwords to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ankeby(db) -> Organization:
    return test.build_ankeby()


@pytest.fixture
def bebyholm(db) -> Organization:
    return test.build_bebyholm()


@pytest.fixture
def social_services(ankeby) -> Unit:
    return ankeby.units.get(name="Socialförvaltningen")


@pytest.fixture
def elder_care(ankeby) -> Unit:
    return ankeby.units.get(name="Äldreomsorg")


@pytest.fixture
def education(ankeby) -> Unit:
    return ankeby.units.get(name="Utbildningsförvaltningen")


@pytest.fixture
def alice(ankeby) -> User:
    user = test.make_user("alice@ankeby.se", name="Alice Andersson")
    test.make_member(user, ankeby, Membership.Role.KEY_USER)
    return user


@pytest.fixture
def bob(ankeby, social_services) -> User:
    user = test.make_user("bob@ankeby.se", name="Bob Berg")
    test.make_member(user, ankeby, Membership.Role.UNIT_ADMIN, unit=social_services)
    return user


@pytest.fixture
def ulla(ankeby, education) -> User:
    user = test.make_user("ulla@ankeby.se", name="Ulla Uddén")
    test.make_member(user, ankeby, Membership.Role.UNIT_ADMIN, unit=education)
    return user


@pytest.fixture
def victor(ankeby) -> User:
    user = test.make_user("victor@ankeby.se", name="Victor Vik")
    test.make_member(user, ankeby, Membership.Role.VIEWER)
    return user


@pytest.fixture
def charlie(bebyholm) -> User:
    user = test.make_user("charlie@bebyholm.se", name="Charlie Carlsson")
    test.make_member(user, bebyholm, Membership.Role.KEY_USER)
    return user


@pytest.fixture
def nadia(db) -> User:
    user = test.make_user("nadia@mognad.example", name="Nadia Nord", coordinator=True)
    test.enroll_totp(user, test.NADIA_TOTP_SECRET)
    return user


@pytest.fixture
def alice_client(alice):
    return test.logged_in_client(alice)


@pytest.fixture
def bob_client(bob):
    return test.logged_in_client(bob)


@pytest.fixture
def ulla_client(ulla):
    return test.logged_in_client(ulla)


@pytest.fixture
def victor_client(victor):
    return test.logged_in_client(victor)


@pytest.fixture
def charlie_client(charlie):
    return test.logged_in_client(charlie)


@pytest.fixture
def nadia_client(nadia):
    return test.logged_in_client(nadia)
