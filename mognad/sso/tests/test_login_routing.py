"""The login page asks for the e-mail first and routes it; passwords where they are turned off."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import Client

from mognad.sso.models import IdentityProvider
from mognad.test import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def test_the_login_page_asks_for_the_email_address_only(db):
    page = Client().get(LOGIN).content.decode()
    assert 'name="username"' in page and 'name="password"' not in page


def test_an_address_without_single_sign_on_goes_on_to_the_password_step(alice):
    response = Client().post(LOGIN, {"username": "alice@ankeby.se"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="password"' in page and 'value="alice@ankeby.se"' in page


def test_a_bad_address_at_the_first_step_is_a_field_error(db):
    response = Client().post(LOGIN, {"username": "not-an-email"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_password_form_still_works_where_passwords_are_allowed(alice, ankeby_oidc):
    client = Client()
    response = client.post(LOGIN, {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/start/"


def test_where_passwords_are_off_the_password_form_refuses_even_the_right_one(alice, ankeby_oidc):
    ankeby_oidc.passwords_allowed = False
    ankeby_oidc.save()
    client = Client()
    response = client.post(LOGIN, {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    # Below the page too: the backend stops Django's authenticate() before the password check.
    assert authenticate(username=alice.email, password=PASSWORD) is None


def test_passwords_off_applies_to_a_member_whatever_their_address(ankeby, bebyholm, charlie):
    from mognad.test import make_member

    make_member(charlie, ankeby)
    IdentityProvider.objects.create(
        organization=ankeby,
        protocol=IdentityProvider.Protocol.OIDC,
        email_domains="ankeby.se",
        email_attribute="email",
        passwords_allowed=False,
    )
    assert authenticate(username=charlie.email, password=PASSWORD) is None


def test_other_organizations_keep_their_passwords(charlie, ankeby_oidc):
    ankeby_oidc.passwords_allowed = False
    ankeby_oidc.save()
    assert authenticate(username=charlie.email, password=PASSWORD) == charlie
