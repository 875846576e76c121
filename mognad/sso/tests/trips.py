"""The browser's trip through an identity provider and back, played by the tests.

OpenID Connect: Mognad's login sends the browser to the provider's authorize address; the provider
answers with a redirect to Mognad's callback. SAML: Mognad sends the browser to the IdP, whose page
posts a form to Mognad's ACS, which redirects to the finish step. `SingleSignOn` (the `sso` fixture
in conftest.py) runs either trip for the tests that hold for both protocols (test_sso_login.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from django.test import Client
from django.utils import timezone

from mognad.orgs.models import AuditEvent, Invitation, Membership, Organization, User
from mognad.sso.models import IdentityProvider
from mognad.sso.tests.oidc_provider import OidcProvider
from mognad.sso.tests.pages import continue_url
from mognad.sso.tests.saml_idp import SamlIdp, form_fields

LOGIN = "/accounts/login/"


def logged_in_as(client: Client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).email if user_id else None


def refused(reason: str) -> bool:
    """Whether a refused single sign-on was audited with `reason`."""
    return AuditEvent.objects.filter(action="sso.login_refused", details__reason=reason).exists()


def invite(org: Organization, email: str, *, valid_for: timedelta = timedelta(days=3)) -> None:
    """An invitation to `org` as a viewer, open for `valid_for` (negative: expired)."""
    Invitation.objects.create(
        organization=org,
        email=email,
        role=Membership.Role.VIEWER,
        token_hash=hashlib.sha256(email.encode()).hexdigest(),
        expires_at=timezone.now() + valid_for,
    )


# --- OpenID Connect -------------------------------------------------------------------------------


def to_provider(client: Client, email: str, next_url: str = "") -> str:
    """The login form with `email`: the provider's authorize address Mognad sends the browser to."""
    data = {"username": email}
    if next_url:
        data["next"] = next_url
    return continue_url(client.post(LOGIN, data))


def provider_answer(idp: OidcProvider, authorize_url: str, asserted_email: str) -> str:
    """The browser at the provider: it logs `asserted_email` in and sends the browser back."""
    idp.user_email = asserted_email
    answer = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"


def oidc_login(client: Client, idp: OidcProvider, email: str, asserted: str | None = None) -> Any:
    authorize_url = to_provider(client, email)
    return client.get(provider_answer(idp, authorize_url, asserted or email))


# --- SAML 2.0 -------------------------------------------------------------------------------------


def idp_form(
    client: Client, idp: SamlIdp, email: str, asserted: str | None = None
) -> dict[str, str]:
    """The login form with `email`, then the IdP: the fields its page posts to Mognad's ACS."""
    address = continue_url(client.post(LOGIN, {"username": email}))
    assert address.startswith(idp.url + "/sso/redirect?SAMLRequest=")
    idp.user_email = asserted or email
    page = requests.get(address, timeout=20)
    assert page.status_code == 200, page.text
    action, fields = form_fields(page.text)
    assert action.endswith("/sso/saml/acs/")
    return fields


def post_to_acs(client: Client, fields: dict[str, str]) -> Any:
    response = client.post("/sso/saml/acs/", fields)
    if response.status_code != 303:
        return response
    assert response["Location"] == "/sso/saml/finish/"
    return client.get(response["Location"])


def saml_login(client: Client, idp: SamlIdp, email: str, asserted: str | None = None) -> Any:
    return post_to_acs(client, idp_form(client, idp, email, asserted))


# --- Either ---------------------------------------------------------------------------------------


@dataclass
class SingleSignOn:
    """An organization's identity provider of one protocol, and the trip through it."""

    protocol: str  # "oidc" | "saml"
    idp: OidcProvider | SamlIdp
    provider: IdentityProvider

    def login(self, client: Client, email: str, asserted: str | None = None) -> Any:
        """The whole trip for `email`, the provider vouching for `asserted` (default: `email`);
        Mognad's last answer."""
        if isinstance(self.idp, OidcProvider):
            return oidc_login(client, self.idp, email, asserted)
        return saml_login(client, self.idp, email, asserted)

    def with_two_factors(self, context: str) -> None:
        """The provider asserts a login with two factors (`context`: its acr / AuthnContext)."""
        if isinstance(self.idp, OidcProvider):
            self.idp.acr = context
        else:
            self.idp.authn_context = context
