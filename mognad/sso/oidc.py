"""OpenID Connect: the authorization code flow with PKCE, using Authlib's client and joserfc.

Checked at every login (docs/sso.md): the state (against the one kept in this browser's
session), the ID token's signature (keys from the provider's JWKS), issuer, audience (and `azp`
when there are several), expiry, issue time and nonce. Authlib's OAuth2Session builds the
authorization request (S256 code challenge) and exchanges the code with the code verifier.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2 import OAuth2Error
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from mognad.sso.errors import ConfigurationError, SsoError
from mognad.sso.models import IdentityProvider

TIMEOUT = 10  # seconds for each request to the provider
LEEWAY = 60  # seconds of clock skew allowed on exp/iat
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
SCOPE = "openid email profile"


@dataclass(frozen=True)
class Identity:
    email: str
    subject: str
    # The IdP asserted more than one factor (an acr listed in the configuration, or amr "mfa").
    multi_factor: bool


def discover(issuer: str) -> dict[str, Any]:
    """The provider's discovery document; ConfigurationError says what is wrong with it."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ConfigurationError(
            _("The discovery document %(url)s could not be read: %(error)s")
            % {"url": url, "error": error}
        ) from None
    if not isinstance(document, dict):
        raise ConfigurationError(
            _("The discovery document %(url)s is not a JSON object.") % {"url": url}
        )
    if document.get("issuer") != issuer:
        raise ConfigurationError(
            _("The provider calls itself “%(found)s”, not “%(issuer)s”: enter its issuer exactly.")
            % {"found": document.get("issuer"), "issuer": issuer}
        )
    missing = [
        key
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(document.get(key), str) or not document[key]
    ]
    if missing:
        raise ConfigurationError(
            _("The discovery document lacks %(keys)s.") % {"keys": ", ".join(missing)}
        )
    return document


def _session(
    provider: IdentityProvider, redirect_uri: str, state: str | None = None
) -> OAuth2Session:
    return OAuth2Session(
        client_id=provider.oidc_client_id,
        client_secret=provider.oidc_client_secret,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        state=state,
    )


def new_flow() -> dict[str, str]:
    """The secrets of one login, kept in the session: state, nonce and PKCE code verifier."""
    return {
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "code_verifier": secrets.token_urlsafe(48),
    }


def authorization_url(
    provider: IdentityProvider, redirect_uri: str, flow: dict[str, str], *, login_hint: str
) -> str:
    with _session(provider, redirect_uri) as session:
        url, _state = session.create_authorization_url(
            provider.oidc_discovery["authorization_endpoint"],
            state=flow["state"],
            code_verifier=flow["code_verifier"],
            nonce=flow["nonce"],
            login_hint=login_hint,
        )
    return str(url)


def complete(
    provider: IdentityProvider, redirect_uri: str, flow: dict[str, str], params: dict[str, str]
) -> Identity:
    """Check the provider's answer to the browser and the tokens; raises SsoError."""
    if not secrets.compare_digest(params.get("state", ""), flow["state"]):
        raise SsoError(
            "state",
            _(
                "The login could not be matched to this browser (it took too long or was started "
                "in another window). Start again."
            ),
        )
    if params.get("error"):
        raise SsoError(
            "provider_error",
            _("Your organization's identity provider did not log you in (%(error)s).")
            % {"error": params["error"][:100]},
        )
    code = params.get("code", "")
    if not code:
        raise SsoError("no_code", _("The identity provider sent no authorization code."))
    discovery = provider.oidc_discovery
    try:
        with _session(provider, redirect_uri, state=flow["state"]) as session:
            token = session.fetch_token(
                discovery["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=flow["code_verifier"],
                timeout=TIMEOUT,
            )
    except (OAuth2Error, requests.RequestException, ValueError) as error:
        raise SsoError(
            "token",
            _("The identity provider did not accept the login: %(error)s") % {"error": error},
        ) from None
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise SsoError("token", _("The identity provider sent no ID token."))
    claims = _verified_claims(provider, id_token, flow["nonce"])
    email = _email(provider, claims, token)
    amr = claims.get("amr") or []
    multi_factor = claims.get("acr") in provider.mfa_values() or (
        isinstance(amr, list) and "mfa" in amr
    )
    return Identity(email=email, subject=str(claims["sub"]), multi_factor=multi_factor)


def _keys(provider: IdentityProvider) -> KeySet:
    try:
        response = requests.get(provider.oidc_discovery["jwks_uri"], timeout=TIMEOUT)
        response.raise_for_status()
        return KeySet.import_key_set(response.json())
    except (requests.RequestException, ValueError, JoseError) as error:
        raise SsoError(
            "keys",
            _("The identity provider's keys could not be read: %(error)s") % {"error": error},
        ) from None


def _verified_claims(provider: IdentityProvider, id_token: str, nonce: str) -> dict[str, Any]:
    try:
        token = jwt.decode(id_token, _keys(provider), algorithms=ALGORITHMS)
    except BadSignatureError:
        raise SsoError(
            "signature", _("The ID token's signature does not match the identity provider's keys.")
        ) from None
    except (JoseError, ValueError) as error:
        raise SsoError(
            "signature", _("The ID token is not valid: %(error)s") % {"error": error}
        ) from None
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": provider.oidc_issuer},
        aud={"essential": True, "value": provider.oidc_client_id},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    claims = token.claims
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise SsoError("expired", _("The ID token has expired. Log in again.")) from None
    except (InvalidClaimError, MissingClaimError) as error:
        reason = {"aud": "audience", "iss": "issuer", "nonce": "nonce"}.get(
            getattr(error, "claim", ""), "claims"
        )
        raise SsoError(
            reason, _("The ID token was not issued for this login: %(error)s") % {"error": error}
        ) from None
    audience = claims["aud"]
    if (
        isinstance(audience, list)
        and len(audience) > 1
        and claims.get("azp") != provider.oidc_client_id
    ):
        raise SsoError(
            "audience", _("The ID token names several audiences but not Mognad as its party.")
        )
    return claims


def _email(provider: IdentityProvider, claims: dict[str, Any], token: dict[str, Any]) -> str:
    value = claims.get(provider.email_attribute)
    if value is None and provider.oidc_discovery.get("userinfo_endpoint"):
        value = _userinfo(provider, token, claims["sub"]).get(provider.email_attribute)
    if claims.get("email_verified") is False:
        raise SsoError(
            "email_unverified", _("The identity provider has not verified the e-mail address.")
        )
    if not isinstance(value, str) or "@" not in value:
        raise SsoError(
            "no_email",
            _("The identity provider sent no e-mail address in “%(claim)s”.")
            % {"claim": provider.email_attribute},
        )
    return value.strip().lower()


def _userinfo(provider: IdentityProvider, token: dict[str, Any], subject: str) -> dict[str, Any]:
    try:
        response = requests.get(
            provider.oidc_discovery["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {token.get('access_token', '')}"},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        info = response.json()
    except (requests.RequestException, ValueError):
        return {}
    # The user info must be about the same person as the ID token (OIDC Core 5.3.2).
    return info if isinstance(info, dict) and info.get("sub") == subject else {}
