"""A real OpenID Connect provider for the tests, built on Authlib's server components.

Authlib's AuthorizationServer, AuthorizationCodeGrant, OpenIDCode (ID tokens) and CodeChallenge
(PKCE, RFC 7636) run behind a small WSGI app on 127.0.0.1 (servers.py). Mognad's client talks to
it over HTTP exactly as to a production provider: discovery, authorization, token, JWKS.

The provider logs in `provider.user_email` at once (no login form: the "user" has already
authenticated). `provider.fault` makes it misbehave the way a broken or hostile provider would:
"wrong_audience", "expired", "wrong_key". `provider.acr` is put in the ID token as `acr`.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "mognad-test-client"
CLIENT_SECRET = "a-client-secret-known-only-to-the-test"


@dataclass
class _Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in {"openid", "email", "profile"})

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in {"client_secret_basic", "client_secret_post"}

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class _Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    email: str
    acr: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str | None:
        return self.acr

    def get_amr(self) -> None:
        return None


class _Request(OAuth2Request):
    def __init__(self, environ: dict[str, Any], base_url: str) -> None:
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        body: dict[str, str] = {}
        if environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = dict(parse_qsl(environ["wsgi.input"].read(length).decode()))
        headers = {"Authorization": environ.get("HTTP_AUTHORIZATION", "")}
        super().__init__(
            environ["REQUEST_METHOD"], base_url + environ["PATH_INFO"], headers=headers
        )
        self._args, self._form = query, body
        self.payload = BasicOAuth2Payload({**query, **body})

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class OidcProvider:
    """The provider's state and its WSGI app (`provider.app`); `provider.url` once served."""

    def __init__(self) -> None:
        self.url = ""
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "use": "sig"})
        # A key the provider does not publish: an ID token signed with it must be refused.
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1"})
        self.user_email = ""
        self.acr: str | None = None
        self.fault = ""
        self.redirect_uris: list[str] = []
        self.codes: dict[str, _Code] = {}
        self.nonces: set[str] = set()
        self.token_requests = 0

    # --- Authlib's server pieces, bound to this provider --------------------------------------

    def _server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):
            def query_client(self, client_id: str) -> _Client | None:
                if client_id != CLIENT_ID:
                    return None
                return _Client(CLIENT_ID, CLIENT_SECRET, provider.redirect_uris)

            def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
                pass

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                pass

            def create_oauth2_request(self, request: Any) -> OAuth2Request:
                return request

            def handle_response(self, status: int, body: Any, headers: Any) -> Any:
                return status, body, headers

        class CodeGrant(grants.AuthorizationCodeGrant):
            def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
                payload = request.payload
                provider.nonces.add(payload.data.get("nonce"))
                provider.codes[code] = _Code(
                    code=code,
                    client_id=payload.client_id,
                    redirect_uri=payload.redirect_uri,
                    scope=payload.scope,
                    nonce=payload.data.get("nonce"),
                    code_challenge=payload.data.get("code_challenge"),
                    code_challenge_method=payload.data.get("code_challenge_method"),
                    email=request.user,
                    acr=provider.acr,
                )

            def query_authorization_code(self, code: str, client: _Client) -> _Code | None:
                found = provider.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code: _Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: _Code) -> str:
                return authorization_code.email

        class IdTokens(OpenIDCode):
            def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
                return nonce in provider.nonces

            def generate_user_info(self, user: str, scope: str) -> UserInfo:
                return UserInfo(sub=f"subject-{user}", email=user, email_verified=True)

            def resolve_client_private_key(self, client: _Client) -> RSAKey:
                return provider.other_key if provider.fault == "wrong_key" else provider.key

            def get_client_algorithm(self, client: _Client) -> str:
                return "RS256"

            def get_client_claims(self, client: _Client) -> dict[str, Any]:
                now = int(time.time())
                audience = "some-other-client" if provider.fault == "wrong_audience" else CLIENT_ID
                expires = now - 600 if provider.fault == "expired" else now + 300
                issued = now - 900 if provider.fault == "expired" else now
                return {"iss": provider.url, "aud": [audience], "exp": expires, "iat": issued}

            def get_encode_header(self, client: _Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": "test-key-1"}

        server = Server(scopes_supported=["openid", "email", "profile"])
        server.register_grant(
            CodeGrant, [IdTokens(require_nonce=True), CodeChallenge(required=True)]
        )
        server.register_token_generator(
            "default", BearerTokenGenerator(lambda **kwargs: secrets.token_urlsafe(32))
        )
        return server

    # --- HTTP ----------------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "profile"],
        }

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        if path == "/.well-known/openid-configuration":
            return _json(start_response, 200, self.discovery())
        if path == "/jwks":
            return _json(start_response, 200, KeySet([self.key]).as_dict(private=False))
        server = self._server()
        request = _Request(environ, self.url)
        if path == "/authorize":
            grant = server.get_consent_grant(request, end_user=self.user_email)
            request.user = self.user_email
            status, body, headers = server.create_authorization_response(
                request, grant_user=self.user_email, grant=grant
            )
        elif path == "/token" and environ["REQUEST_METHOD"] == "POST":
            self.token_requests += 1
            status, body, headers = server.create_token_response(request)
        else:
            return _json(start_response, 404, {"error": "not_found"})
        if isinstance(body, dict):
            return _json(start_response, status, body, headers)
        start_response(f"{status} X", list(headers))
        return [body.encode() if isinstance(body, str) else b""]


def _json(
    start_response: Any, status: int, data: Any, headers: list[tuple[str, str]] | None = None
) -> list[bytes]:
    extra = [h for h in headers or [] if h[0].lower() != "content-type"]
    start_response(f"{status} X", [("Content-Type", "application/json"), *extra])
    return [json.dumps(data).encode()]
