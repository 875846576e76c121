"""Logging in through an organization's SAML 2.0 identity provider, end to end.

The IdP is real (pysaml2's Server with xmlsec1 and its own key, saml_idp.py) on 127.0.0.1. The
test plays the browser: it follows Mognad's redirect to the IdP, takes the IdP's auto-posting
form and posts it to Mognad's ACS, then follows Mognad's redirect to the finish step.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
import time_machine
from django.test import Client
from django.utils import timezone

from mognad.orgs.models import AuditEvent, Invitation, Membership, User
from mognad.sso.models import UsedAssertion
from mognad.sso.tests.pages import continue_url
from mognad.sso.tests.saml_idp import SamlIdp, form_fields
from mognad.test import enroll_totp

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _idp_form(client: Client, idp: SamlIdp, email: str, asserted: str | None = None):
    address = continue_url(client.post(LOGIN, {"username": email}))
    assert address.startswith(idp.url + "/sso/redirect?SAMLRequest=")
    idp.user_email = asserted or email
    page = requests.get(address, timeout=20)
    assert page.status_code == 200, page.text
    action, fields = form_fields(page.text)
    assert action.endswith("/sso/saml/acs/")
    return fields


def _post_to_acs(client: Client, fields: dict[str, str]):
    response = client.post("/sso/saml/acs/", fields)
    if response.status_code != 303:
        return response
    assert response["Location"] == "/sso/saml/finish/"
    return client.get(response["Location"])


def _sso(client: Client, idp: SamlIdp, email: str, asserted: str | None = None):
    return _post_to_acs(client, _idp_form(client, idp, email, asserted))


def _logged_in_as(client: Client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).email if user_id else None


def _refusal(reason: str) -> bool:
    return AuditEvent.objects.filter(action="sso.login_refused", details__reason=reason).exists()


def test_the_service_provider_metadata_names_the_acs_and_wants_signed_assertions(client, db):
    response = client.get("/sso/saml/metadata/")
    xml = response.content.decode()
    assert response.status_code == 200
    assert 'WantAssertionsSigned="true"' in xml
    assert "http://127.0.0.1:8000/sso/saml/acs/" in xml
    assert 'entityID="http://127.0.0.1:8000/sso/saml/metadata/"' in xml


def test_an_invited_member_logs_in_through_the_idp(alice, ankeby_saml, saml_idp):
    client = Client()
    response = _sso(client, saml_idp, alice.email)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/start/"
    assert _logged_in_as(client) == alice.email
    event = AuditEvent.objects.get(action="sso.login")
    assert event.actor == alice and event.details["protocol"] == "saml"
    assert UsedAssertion.objects.count() == 1
    assert client.get("/orgs/").status_code == 200


def test_an_open_invitation_becomes_an_account(ankeby, ankeby_saml, saml_idp):
    Invitation.objects.create(
        organization=ankeby,
        email="dora@ankeby.se",
        role=Membership.Role.VIEWER,
        token_hash="z" * 64,
        expires_at=timezone.now() + timedelta(days=3),
    )
    client = Client()
    assert _sso(client, saml_idp, "dora@ankeby.se").status_code == 302
    dora = User.objects.get(email="dora@ankeby.se")
    assert _logged_in_as(client) == dora.email and not dora.has_usable_password()


def test_an_unknown_person_is_refused(ankeby, ankeby_saml, saml_idp):
    client = Client()
    assert _sso(client, saml_idp, "eve@ankeby.se").status_code == 403
    assert _logged_in_as(client) is None
    assert not User.objects.filter(email="eve@ankeby.se").exists()
    assert _refusal("not_invited")


@pytest.mark.parametrize(
    ("fault", "reason"),
    [("wrong_audience", "audience"), ("wrong_key", "signature"), ("unsigned", "signature")],
)
def test_a_bad_assertion_is_refused(alice, ankeby_saml, saml_idp, fault, reason):
    saml_idp.fault = fault
    client = Client()
    response = _sso(client, saml_idp, alice.email)
    assert response.status_code == 403
    assert _logged_in_as(client) is None
    assert _refusal(reason), list(AuditEvent.objects.values_list("details", flat=True))
    assert not UsedAssertion.objects.exists()


def test_an_expired_assertion_is_refused(alice, ankeby_saml, saml_idp):
    client = Client()
    fields = _idp_form(client, saml_idp, alice.email)
    # The IdP's assertions live five minutes; the browser brings this one ten minutes later.
    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=True):
        response = _post_to_acs(client, fields)
    assert response.status_code == 403
    assert _logged_in_as(client) is None
    assert _refusal("expired")


def test_a_replayed_assertion_is_refused(alice, ankeby_saml, saml_idp):
    client = Client()
    fields = _idp_form(client, saml_idp, alice.email)
    assert _post_to_acs(client, fields).status_code == 302
    # Whoever captured the posted form sends it again, in a login of their own.
    thief = Client()
    thief.post(LOGIN, {"username": alice.email})
    response = thief.post("/sso/saml/acs/", fields)
    assert response.status_code == 403
    assert _refusal("replay")
    assert _logged_in_as(thief) is None


def test_an_answer_to_a_tampered_relay_state_is_refused(alice, ankeby_saml, saml_idp):
    client = Client()
    fields = _idp_form(client, saml_idp, alice.email)
    pk, _request_id = fields["RelayState"].split(".", 1)
    fields["RelayState"] = f"{pk}.id-{'0' * 40}"
    assert _post_to_acs(client, fields).status_code == 403
    assert _refusal("request")
    assert _logged_in_as(client) is None


def test_an_answer_brought_to_another_browser_is_refused(alice, ankeby_saml, saml_idp):
    fields = _idp_form(Client(), saml_idp, alice.email)
    other = Client()
    response = _post_to_acs(other, fields)
    assert response.status_code == 403
    assert _logged_in_as(other) is None
    assert _refusal("state")


def test_the_idps_two_factor_context_counts_as_the_second_step(alice, ankeby_saml, saml_idp):
    enroll_totp(alice)
    loa3 = "http://id.elegnamnden.se/loa/1.0/loa3"
    ankeby_saml.mfa_contexts = loa3
    ankeby_saml.save()
    client = Client()
    assert _sso(client, saml_idp, alice.email)["Location"].startswith("/accounts/2fa/verify/")
    client.logout()
    saml_idp.authn_context = loa3
    client = Client()
    assert _sso(client, saml_idp, alice.email)["Location"] == "/start/"
    assert client.get("/orgs/").status_code == 200
