"""What single sign-on does the same way by OpenID Connect and by SAML 2.0, each test run once per
protocol (the `sso` fixture) against a real provider on 127.0.0.1 (test_oidc_login.py and
test_saml_login.py hold what belongs to one protocol)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from mognad.orgs.models import AuditEvent, Invitation, Membership, User
from mognad.sso.models import UsedAssertion
from mognad.sso.tests.trips import invite, logged_in_as, refused
from mognad.test import enroll_totp, make_user

pytestmark = pytest.mark.django_db
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"


def test_an_invited_member_logs_in_through_the_provider(alice, sso):
    client = Client()
    response = sso.login(client, alice.email)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/start/"
    assert logged_in_as(client) == alice.email
    event = AuditEvent.objects.get(action="sso.login")
    assert event.actor == alice and event.details["protocol"] == sso.protocol
    assert client.get("/orgs/").status_code == 200


def test_an_open_invitation_becomes_an_account_without_a_password(ankeby, sso):
    invite(ankeby, "dora@ankeby.se")
    client = Client()
    assert sso.login(client, "dora@ankeby.se").status_code == 302
    dora = User.objects.get(email="dora@ankeby.se")
    assert logged_in_as(client) == dora.email
    assert not dora.has_usable_password()
    assert Membership.objects.get(user=dora).organization == ankeby
    assert Invitation.objects.get(email="dora@ankeby.se").accepted_at is not None


def test_an_unknown_person_is_refused_and_no_account_is_made(ankeby, sso):
    client = Client()
    response = sso.login(client, "eve@ankeby.se")
    assert response.status_code == 403
    assert "har inget konto i Ankeby kommun" in response.content.decode()
    assert logged_in_as(client) is None
    assert not User.objects.filter(email="eve@ankeby.se").exists()
    assert refused("not_invited")


def test_an_expired_invitation_does_not_let_anyone_in(ankeby, sso):
    invite(ankeby, "dora@ankeby.se", valid_for=timedelta(minutes=-1))
    assert sso.login(Client(), "dora@ankeby.se").status_code == 403
    assert not User.objects.filter(email="dora@ankeby.se").exists()


def test_a_member_of_another_organization_is_not_let_into_this_one(charlie, ankeby, sso):
    # Charlie's account exists (Bebyholm); the provider vouches for an Ankeby address he lacks.
    make_user("charlie.two@ankeby.se")
    assert sso.login(Client(), "charlie.two@ankeby.se").status_code == 403
    assert not Membership.objects.filter(user__email="charlie.two@ankeby.se").exists()


def test_an_address_outside_the_routed_domains_is_refused(alice, charlie, sso):
    client = Client()
    response = sso.login(client, alice.email, asserted=charlie.email)
    assert response.status_code == 403
    assert logged_in_as(client) is None
    assert refused("domain")


@pytest.mark.parametrize(
    ("sso", "fault", "reason"),
    [
        ("oidc", "wrong_audience", "audience"),
        ("oidc", "expired", "expired"),
        ("oidc", "wrong_key", "signature"),
        ("saml", "wrong_audience", "audience"),
        ("saml", "wrong_key", "signature"),
        ("saml", "unsigned", "signature"),
    ],
    indirect=["sso"],
)
def test_a_bad_token_or_assertion_is_refused(alice, sso, fault, reason):
    sso.idp.fault = fault
    client = Client()
    response = sso.login(client, alice.email)
    assert response.status_code == 403
    assert logged_in_as(client) is None
    assert refused(reason), list(AuditEvent.objects.values_list("details", flat=True))
    assert not UsedAssertion.objects.exists()


def test_a_totp_user_still_enters_a_code_when_the_provider_asserts_one_factor(alice, sso):
    enroll_totp(alice)
    sso.provider.mfa_contexts = LOA3
    sso.provider.save()
    client = Client()
    assert sso.login(client, alice.email)["Location"].startswith("/accounts/2fa/verify/")
    assert client.get("/orgs/")["Location"].startswith("/accounts/2fa/verify/")


def test_a_provider_login_with_two_factors_counts_as_the_second_step(alice, sso):
    enroll_totp(alice)
    sso.provider.mfa_contexts = LOA3
    sso.provider.save()
    sso.with_two_factors(LOA3)
    client = Client()
    assert sso.login(client, alice.email)["Location"] == "/start/"
    assert client.get("/orgs/").status_code == 200


def test_where_two_factors_are_required_the_providers_two_factors_suffice(alice, sso, settings):
    settings.TWOFACTOR_REQUIRED_ROLES = ["coordinator", "key_user"]
    sso.provider.mfa_contexts = LOA3
    sso.provider.save()
    # One factor at the provider: the key user must still enrol Mognad's own second factor.
    client = Client()
    sso.login(client, alice.email)
    assert client.get("/orgs/")["Location"].startswith("/accounts/2fa/enroll/")
    # Two factors at the provider: that is the second factor.
    sso.with_two_factors(LOA3)
    client = Client()
    sso.login(client, alice.email)
    assert client.get("/orgs/").status_code == 200
