"""Logging in through an organization's OpenID Connect provider, end to end.

The provider is real (Authlib's server components, oidc_provider.py) and runs on 127.0.0.1;
Mognad's client reads its discovery document, sends the browser there with state, nonce and a
PKCE challenge, exchanges the code over HTTP and checks the ID token. Nothing is mocked.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.utils import timezone

from mognad.orgs.models import AuditEvent, Invitation, Membership, User
from mognad.sso.tests.oidc_provider import OidcProvider
from mognad.sso.tests.pages import continue_url
from mognad.test import enroll_totp, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _to_provider(client: Client, email: str, next_url: str = "") -> str:
    data = {"username": email}
    if next_url:
        data["next"] = next_url
    return continue_url(client.post(LOGIN, data))


def _provider_answer(idp: OidcProvider, authorize_url: str, asserted_email: str) -> str:
    """The browser at the provider: it logs `asserted_email` in and sends the browser back."""
    idp.user_email = asserted_email
    answer = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"


def _sso(client: Client, idp: OidcProvider, email: str, asserted: str | None = None):
    authorize_url = _to_provider(client, email)
    return client.get(_provider_answer(idp, authorize_url, asserted or email))


def _logged_in_as(client: Client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).email if user_id else None


def _refusal(action_reason: str) -> bool:
    return AuditEvent.objects.filter(
        action="sso.login_refused", details__reason=action_reason
    ).exists()


def test_an_invited_member_logs_in_through_the_provider(alice, ankeby_oidc, oidc_idp):
    client = Client()
    authorize_url = _to_provider(client, "Alice@Ankeby.se")
    assert authorize_url.startswith(oidc_idp.url + "/authorize?")
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["login_hint"] == ["alice@ankeby.se"]
    response = client.get(_provider_answer(oidc_idp, authorize_url, "alice@ankeby.se"))
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/start/"
    assert _logged_in_as(client) == "alice@ankeby.se"
    assert oidc_idp.token_requests == 1
    event = AuditEvent.objects.get(action="sso.login")
    assert event.actor == alice and event.details["protocol"] == "oidc"
    assert client.get("/orgs/").status_code == 200


def test_the_next_address_survives_the_trip(alice, ankeby_oidc, oidc_idp):
    client = Client()
    authorize_url = _to_provider(client, alice.email, next_url="/orgs/ankeby-kommun/")
    response = client.get(_provider_answer(oidc_idp, authorize_url, alice.email))
    assert response["Location"] == "/orgs/ankeby-kommun/"


def test_an_open_invitation_becomes_an_account_without_a_password(ankeby, ankeby_oidc, oidc_idp):
    Invitation.objects.create(
        organization=ankeby,
        email="dora@ankeby.se",
        role=Membership.Role.VIEWER,
        token_hash="x" * 64,
        expires_at=timezone.now() + timedelta(days=3),
    )
    client = Client()
    response = _sso(client, oidc_idp, "dora@ankeby.se")
    assert response.status_code == 302
    dora = User.objects.get(email="dora@ankeby.se")
    assert _logged_in_as(client) == dora.email
    assert not dora.has_usable_password()
    assert Membership.objects.get(user=dora).organization == ankeby
    assert Invitation.objects.get(email="dora@ankeby.se").accepted_at is not None


def test_an_unknown_person_is_refused_and_no_account_is_made(ankeby, ankeby_oidc, oidc_idp):
    client = Client()
    response = _sso(client, oidc_idp, "eve@ankeby.se")
    assert response.status_code == 403
    assert "has no account in Ankeby kommun" in response.content.decode() or (
        "har inget konto" in response.content.decode()
    )
    assert _logged_in_as(client) is None
    assert not User.objects.filter(email="eve@ankeby.se").exists()
    assert _refusal("not_invited")


def test_an_expired_invitation_does_not_let_anyone_in(ankeby, ankeby_oidc, oidc_idp):
    Invitation.objects.create(
        organization=ankeby,
        email="dora@ankeby.se",
        role=Membership.Role.VIEWER,
        token_hash="y" * 64,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    assert _sso(Client(), oidc_idp, "dora@ankeby.se").status_code == 403
    assert not User.objects.filter(email="dora@ankeby.se").exists()


def test_a_member_of_another_organization_is_not_let_into_this_one(
    charlie, ankeby, ankeby_oidc, oidc_idp
):
    # Charlie's account exists (Bebyholm); the provider vouches for an Ankeby address he lacks.
    make_user("charlie.two@ankeby.se")
    client = Client()
    assert _sso(client, oidc_idp, "charlie.two@ankeby.se").status_code == 403
    assert not Membership.objects.filter(user__email="charlie.two@ankeby.se").exists()


def test_an_address_outside_the_routed_domains_is_refused(alice, charlie, ankeby_oidc, oidc_idp):
    client = Client()
    response = _sso(client, oidc_idp, alice.email, asserted=charlie.email)
    assert response.status_code == 403
    assert _logged_in_as(client) is None
    assert _refusal("domain")


@pytest.mark.parametrize(
    ("fault", "reason"),
    [("wrong_audience", "audience"), ("expired", "expired"), ("wrong_key", "signature")],
)
def test_a_bad_id_token_is_refused(alice, ankeby_oidc, oidc_idp, fault, reason):
    oidc_idp.fault = fault
    client = Client()
    response = _sso(client, oidc_idp, alice.email)
    assert response.status_code == 403
    assert _logged_in_as(client) is None
    assert _refusal(reason)


def test_a_tampered_state_is_refused_before_the_code_is_exchanged(alice, ankeby_oidc, oidc_idp):
    client = Client()
    callback = _provider_answer(oidc_idp, _to_provider(client, alice.email), alice.email)
    query = parse_qs(urlsplit(callback).query)
    state = query["state"][0]
    tampered = callback.replace(f"state={state}", f"state={state[:-2]}xy")
    assert client.get(tampered).status_code == 403
    assert oidc_idp.token_requests == 0
    assert _refusal("state")
    # The flow is spent: the genuine answer afterwards does not log in either.
    assert client.get(callback).status_code == 403
    assert _logged_in_as(client) is None


def test_an_answer_is_used_once(alice, ankeby_oidc, oidc_idp):
    client = Client()
    callback = _provider_answer(oidc_idp, _to_provider(client, alice.email), alice.email)
    assert client.get(callback).status_code == 302
    client.logout()
    assert client.get(callback).status_code == 403
    assert _logged_in_as(client) is None


def test_an_answer_in_another_browser_is_refused(alice, ankeby_oidc, oidc_idp):
    callback = _provider_answer(oidc_idp, _to_provider(Client(), alice.email), alice.email)
    other = Client()
    assert other.get(callback).status_code == 403
    assert _logged_in_as(other) is None


def test_a_totp_user_still_enters_a_code_when_the_provider_asserts_one_factor(
    alice, ankeby_oidc, oidc_idp
):
    enroll_totp(alice)
    client = Client()
    response = _sso(client, oidc_idp, alice.email)
    assert response["Location"].startswith("/accounts/2fa/verify/")
    assert client.get("/orgs/")["Location"].startswith("/accounts/2fa/verify/")


def test_a_provider_login_with_two_factors_counts_as_the_second_step(alice, ankeby_oidc, oidc_idp):
    enroll_totp(alice)
    ankeby_oidc.mfa_contexts = "http://id.elegnamnden.se/loa/1.0/loa3"
    ankeby_oidc.save()
    oidc_idp.acr = "http://id.elegnamnden.se/loa/1.0/loa3"
    client = Client()
    assert _sso(client, oidc_idp, alice.email)["Location"] == "/start/"
    assert client.get("/orgs/").status_code == 200


def test_where_two_factors_are_required_the_providers_two_factors_suffice(
    alice, ankeby_oidc, oidc_idp, settings
):
    settings.TWOFACTOR_REQUIRED_ROLES = ["coordinator", "key_user"]
    loa3 = "http://id.elegnamnden.se/loa/1.0/loa3"
    ankeby_oidc.mfa_contexts = loa3
    ankeby_oidc.save()
    # One factor at the provider: the key user must still enrol Mognad's own second factor.
    client = Client()
    _sso(client, oidc_idp, alice.email)
    assert client.get("/orgs/")["Location"].startswith("/accounts/2fa/enroll/")
    # Two factors at the provider: that is the second factor.
    oidc_idp.acr = loa3
    client = Client()
    _sso(client, oidc_idp, alice.email)
    assert client.get("/orgs/").status_code == 200
