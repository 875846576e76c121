"""A real SAML 2.0 identity provider for the tests, built on pysaml2's IdP server classes.

pysaml2's `Server` parses Mognad's AuthnRequest (HTTP-Redirect) and builds a signed Response
(xmlsec1, with a key and self-signed certificate the test generates with `cryptography`); a small
WSGI app on 127.0.0.1 (servers.py) serves it and answers with the HTML form that posts the
Response to Mognad's ACS, as a production IdP does.

The IdP logs in `idp.user_email` at once. `idp.fault`: "wrong_audience" (the assertion names
another service), "wrong_key" (signed with a key the metadata does not publish), "unsigned" (no
signature at all). `idp.authn_context` is the AuthnContextClassRef it asserts.
"""

from __future__ import annotations

import html
import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server

from mognad.sso.saml import xmlsec_binary

PASSWORD_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
MAIL = "urn:oid:0.9.2342.19200300.100.1.3"
OTHER_SERVICE = "https://another-service.example/saml"


def _key_pair(folder: Path, name: str) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Test IdP {name}")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = folder / f"{name}.key", folder / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


class SamlIdp:
    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="mognad-test-idp-")
        folder = Path(self._folder.name)
        self.key = _key_pair(folder, "idp")
        self.other_key = _key_pair(folder, "other")
        self.url = ""
        self.sp_metadata = ""
        self.user_email = ""
        self.fault = ""
        self.authn_context = PASSWORD_CONTEXT
        self.requests = 0

    def close(self) -> None:
        self._folder.cleanup()

    @property
    def entity_id(self) -> str:
        return f"{self.url}/metadata"

    def _config(self, key: tuple[str, str]) -> IdPConfig:
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": xmlsec_binary(),
                "key_file": key[0],
                "cert_file": key[1],
                "service": {
                    "idp": {
                        "name": "Mognad test IdP",
                        "endpoints": {
                            "single_sign_on_service": [
                                (f"{self.url}/sso/redirect", BINDING_HTTP_REDIRECT)
                            ]
                        },
                        "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 5},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                    }
                },
                "metadata": {"inline": self._known_services()} if self.sp_metadata else {},
            }
        )
        return config

    def _known_services(self) -> list[str]:
        # Mognad, and another service whose assertions an attacker might bring to Mognad (the
        # same ACS address, its own entity id).
        other = re.sub(r'entityID="[^"]+"', f'entityID="{OTHER_SERVICE}"', self.sp_metadata)
        return [self.sp_metadata, other]

    def metadata(self) -> str:
        """The IdP's metadata, with the certificate of its real key."""
        xml = create_metadata_string(None, config=self._config(self.key))
        return xml.decode() if isinstance(xml, bytes) else str(xml)

    def _respond(self, query: dict[str, str]) -> str:
        signing_key = self.other_key if self.fault == "wrong_key" else self.key
        server = Server(config=self._config(signing_key))
        request = server.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
        args = server.response_args(request.message, [BINDING_HTTP_POST])
        if self.fault == "wrong_audience":
            args["sp_entity_id"] = OTHER_SERVICE
        response = server.create_authn_response(
            identity={MAIL: [self.user_email]},
            userid=self.user_email,
            authn={"class_ref": self.authn_context, "authn_auth": self.entity_id},
            sign_assertion=self.fault != "unsigned",
            sign_response=False,
            **args,
        )
        http = server.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            args["destination"],
            query.get("RelayState", ""),
            response=True,
        )
        return str(http["data"])

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [self.metadata().encode()]
        if path == "/sso/redirect":
            self.requests += 1
            body = self._respond(dict(parse_qsl(environ.get("QUERY_STRING", ""))))
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [body.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]


def form_fields(page: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the IdP's auto-posting form (what a browser would send)."""
    action = html.unescape(re.search(r'action="([^"]+)"', page).group(1))  # type: ignore[union-attr]
    fields = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', page)
    }
    return action, fields
