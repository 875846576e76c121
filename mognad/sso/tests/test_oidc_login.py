"""Logging in through an organization's OpenID Connect provider, end to end: what belongs to this
protocol (what both protocols share is in test_sso_login.py).

The provider is real (Authlib's server components, oidc_provider.py) and runs on 127.0.0.1;
Mognad's client reads its discovery document, sends the browser there with state, nonce and a
PKCE challenge, exchanges the code over HTTP and checks the ID token. Nothing is mocked.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from mognad.sso.tests.trips import logged_in_as, provider_answer, refused, to_provider

pytestmark = pytest.mark.django_db


def test_the_trip_carries_state_nonce_and_a_pkce_challenge(alice, ankeby_oidc, oidc_idp):
    client = Client()
    authorize_url = to_provider(client, "Alice@Ankeby.se")
    assert authorize_url.startswith(oidc_idp.url + "/authorize?")
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["login_hint"] == ["alice@ankeby.se"]
    response = client.get(provider_answer(oidc_idp, authorize_url, "alice@ankeby.se"))
    assert response.status_code == 302, response.content.decode()
    assert logged_in_as(client) == "alice@ankeby.se"
    assert oidc_idp.token_requests == 1


def test_the_next_address_survives_the_trip(alice, ankeby_oidc, oidc_idp):
    client = Client()
    authorize_url = to_provider(client, alice.email, next_url="/orgs/ankeby-kommun/")
    response = client.get(provider_answer(oidc_idp, authorize_url, alice.email))
    assert response["Location"] == "/orgs/ankeby-kommun/"


def test_a_tampered_state_is_refused_before_the_code_is_exchanged(alice, ankeby_oidc, oidc_idp):
    client = Client()
    callback = provider_answer(oidc_idp, to_provider(client, alice.email), alice.email)
    query = parse_qs(urlsplit(callback).query)
    state = query["state"][0]
    tampered = callback.replace(f"state={state}", f"state={state[:-2]}xy")
    assert client.get(tampered).status_code == 403
    assert oidc_idp.token_requests == 0
    assert refused("state")
    # The flow is spent: the genuine answer afterwards does not log in either.
    assert client.get(callback).status_code == 403
    assert logged_in_as(client) is None


def test_an_answer_is_used_once(alice, ankeby_oidc, oidc_idp):
    client = Client()
    callback = provider_answer(oidc_idp, to_provider(client, alice.email), alice.email)
    assert client.get(callback).status_code == 302
    client.logout()
    assert client.get(callback).status_code == 403
    assert logged_in_as(client) is None


def test_an_answer_in_another_browser_is_refused(alice, ankeby_oidc, oidc_idp):
    callback = provider_answer(oidc_idp, to_provider(Client(), alice.email), alice.email)
    other = Client()
    assert other.get(callback).status_code == 403
    assert logged_in_as(other) is None
