"""Logging in through an organization's SAML 2.0 identity provider, end to end: what belongs to
this protocol (what both protocols share is in test_sso_login.py).

The IdP is real (pysaml2's Server with xmlsec1 and its own key, saml_idp.py) on 127.0.0.1. The
test plays the browser: it follows Mognad's redirect to the IdP, takes the IdP's auto-posting
form and posts it to Mognad's ACS, then follows Mognad's redirect to the finish step.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from mognad.sso.models import UsedAssertion
from mognad.sso.tests.trips import LOGIN, idp_form, logged_in_as, post_to_acs, refused

pytestmark = pytest.mark.django_db


def test_the_service_provider_metadata_names_the_acs_and_wants_signed_assertions(client, db):
    response = client.get("/sso/saml/metadata/")
    xml = response.content.decode()
    assert response.status_code == 200
    assert 'WantAssertionsSigned="true"' in xml
    assert "http://127.0.0.1:8000/sso/saml/acs/" in xml
    assert 'entityID="http://127.0.0.1:8000/sso/saml/metadata/"' in xml


def test_an_expired_assertion_is_refused(alice, ankeby_saml, saml_idp):
    client = Client()
    fields = idp_form(client, saml_idp, alice.email)
    # The IdP's assertions live five minutes; the browser brings this one ten minutes later.
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=True):
        response = post_to_acs(client, fields)
    assert response.status_code == 403
    assert logged_in_as(client) is None
    assert refused("expired")


def test_a_replayed_assertion_is_refused(alice, ankeby_saml, saml_idp):
    client = Client()
    fields = idp_form(client, saml_idp, alice.email)
    assert post_to_acs(client, fields).status_code == 302
    assert UsedAssertion.objects.count() == 1  # kept until it expires
    # Whoever captured the posted form sends it again, in a login of their own.
    thief = Client()
    thief.post(LOGIN, {"username": alice.email})
    response = thief.post("/sso/saml/acs/", fields)
    assert response.status_code == 403
    assert refused("replay")
    assert logged_in_as(thief) is None


def test_an_answer_to_a_tampered_relay_state_is_refused(alice, ankeby_saml, saml_idp):
    client = Client()
    fields = idp_form(client, saml_idp, alice.email)
    pk, _request_id = fields["RelayState"].split(".", 1)
    fields["RelayState"] = f"{pk}.id-{'0' * 40}"
    assert post_to_acs(client, fields).status_code == 403
    assert refused("request")
    assert logged_in_as(client) is None


def test_an_answer_brought_to_another_browser_is_refused(alice, ankeby_saml, saml_idp):
    fields = idp_form(Client(), saml_idp, alice.email)
    other = Client()
    response = post_to_acs(other, fields)
    assert response.status_code == 403
    assert logged_in_as(other) is None
    assert refused("state")
