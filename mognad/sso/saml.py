"""SAML 2.0 with pysaml2 (and Debian's xmlsec1): Mognad is one service provider (SP) for every
organization; each organization's identity provider is known by its metadata.

Checked at every login (docs/sso.md): the assertion is signed with a key from the IdP's metadata
(an unsigned assertion or one signed with any other key is refused), it answers the request this
browser sent (InResponseTo; unsolicited responses are refused), its audience is Mognad's entity
id, the subject confirmation's recipient is Mognad's ACS address, NotOnOrAfter has not passed
(60 s allowed for clock skew), and its id has not been used before (UsedAssertion, kept until the
assertion expires).

The IdP posts its answer across sites, where the browser may hold back the session cookie. So the
ACS checks the answer on its own (RelayState names the provider and the request id), hands the
result to the browser as a signed, short-lived cookie, and the finish step — a same-site GET with
the session — accepts it only for the request id this browser's session started.
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.time_util import str_to_time

from mognad.sso.errors import ConfigurationError, SsoError
from mognad.sso.models import IdentityProvider, UsedAssertion

CLOCK_SKEW = 60  # seconds
TICKET_COOKIE = "mognad_sso_ticket"
TICKET_MAX_AGE = 120  # seconds from the ACS to the finish step
_TICKET_SALT = "mognad.sso.saml.ticket"
MAX_METADATA_BYTES = 5 * 1024 * 1024


def xmlsec_binary() -> str:
    found = shutil.which("xmlsec1")
    if found is None:
        raise ConfigurationError(_("xmlsec1 is not installed on the server (Debian: xmlsec1)."))
    return found


def entity_id() -> str:
    return settings.BASE_URL + reverse("sso:saml_metadata")


def acs_url() -> str:
    return settings.BASE_URL + reverse("sso:saml_acs")


def _config(metadata: str | None) -> SPConfig:
    config = SPConfig()
    config.load(
        {
            "entityid": entity_id(),
            "xmlsec_binary": xmlsec_binary(),
            "accepted_time_diff": CLOCK_SKEW,
            "allow_unknown_attributes": True,
            "service": {
                "sp": {
                    "name": "Mognad",
                    "endpoints": {"assertion_consumer_service": [(acs_url(), BINDING_HTTP_POST)]},
                    "allow_unsolicited": False,
                    "authn_requests_signed": False,
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                    "want_assertions_or_response_signed": False,
                }
            },
            "metadata": {"inline": [metadata]} if metadata else {},
        }
    )
    return config


def sp_metadata() -> str:
    """Mognad's SP metadata: entity id and ACS (HTTP-POST); assertions must be signed."""
    xml = create_metadata_string(None, config=_config(None))
    return xml.decode() if isinstance(xml, bytes) else str(xml)


# --- The IdP's metadata, checked when the coordinator saves it -------------------------------


def check_metadata(xml: str, wanted_entity_id: str = "") -> str:
    """The IdP entity id in `xml` (the one wanted when it lists several); ConfigurationError
    says what is missing."""
    if len(xml.encode()) > MAX_METADATA_BYTES:
        raise ConfigurationError(_("The metadata is larger than 5 MB."))
    try:
        metadata = Saml2Client(_config(xml)).metadata
        identity_providers = [
            entity for entity, kinds in metadata.items() if "idpsso_descriptor" in kinds
        ]
    except Exception as error:  # pysaml2 raises many kinds for bad XML or schema violations
        raise ConfigurationError(
            _("The metadata could not be read as SAML 2.0 metadata: %(error)s")
            % {"error": str(error)[:300] or type(error).__name__}
        ) from None
    if not identity_providers:
        raise ConfigurationError(
            _("The metadata describes no identity provider (IDPSSODescriptor).")
        )
    if wanted_entity_id:
        if wanted_entity_id not in identity_providers:
            raise ConfigurationError(
                _("The metadata has no identity provider “%(entity)s”.")
                % {"entity": wanted_entity_id}
            )
        chosen = wanted_entity_id
    elif len(identity_providers) == 1:
        chosen = identity_providers[0]
    else:
        raise ConfigurationError(
            _("The metadata lists %(count)s identity providers: enter the entity id of yours.")
            % {"count": len(identity_providers)}
        )
    if not metadata.single_sign_on_service(chosen, BINDING_HTTP_REDIRECT):
        raise ConfigurationError(
            _("The identity provider offers no single sign-on service by HTTP-Redirect.")
        )
    if not metadata.certs(chosen, "idpsso", use="signing"):
        raise ConfigurationError(
            _("The metadata holds no signing certificate for the identity provider.")
        )
    return str(chosen)


# --- A login -------------------------------------------------------------------------------


def start(request: HttpRequest, provider: IdentityProvider, flow: dict[str, Any]) -> str:
    """The address of the IdP with an AuthnRequest (HTTP-Redirect); the request id goes into the
    flow kept in the session."""
    client = Saml2Client(_config(provider.saml_metadata))
    request_id = "id-" + secrets.token_hex(20)
    _request_id, info = client.prepare_for_authenticate(
        entityid=provider.saml_entity_id,
        relay_state=f"{provider.pk}.{request_id}",
        binding=BINDING_HTTP_REDIRECT,
        message_id=request_id,
    )
    flow["request_id"] = request_id
    return str(dict(info["headers"])["Location"])


@dataclass(frozen=True)
class Answer:
    provider: IdentityProvider
    request_id: str
    email: str
    multi_factor: bool


def provider_of(relay_state: str) -> tuple[IdentityProvider, str] | None:
    pk, _dot, request_id = relay_state.partition(".")
    if not pk.isdigit() or not request_id.startswith("id-") or len(request_id) > 64:
        return None
    provider = (
        IdentityProvider.objects.select_related("organization")
        .filter(pk=int(pk), protocol=IdentityProvider.Protocol.SAML)
        .first()
    )
    return (provider, request_id) if provider else None


def check_response(provider: IdentityProvider, request_id: str, saml_response: str) -> Answer:
    """Verify the IdP's Response (see the module docstring); raises SsoError."""
    client = Saml2Client(_config(provider.saml_metadata))
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"}
        )
    except Exception as error:  # pysaml2 signals each failed check with its own exception
        raise _refusal(error) from None
    if response is None or response.assertion is None:
        raise SsoError("invalid", _("The identity provider's answer holds no assertion."))
    if response.issuer() != provider.saml_entity_id:
        raise SsoError("issuer", _("The answer comes from another identity provider."))
    assertion = response.assertion
    _remember(provider.saml_entity_id, assertion)
    email = _email(provider, response)
    contexts = {ref for ref, *_rest in response.authn_info()}
    return Answer(
        provider=provider,
        request_id=request_id,
        email=email,
        multi_factor=bool(contexts & provider.mfa_values()),
    )


def _refusal(error: Exception) -> SsoError:
    name = type(error).__name__
    text = str(error)
    if "Signature" in name or "signature" in text.lower():
        return SsoError(
            "signature", _("The assertion is not signed with the identity provider's key.")
        )
    if "Audience" in text:
        return SsoError("audience", _("The assertion was issued for another service, not Mognad."))
    if name in {"ResponseLifetimeExceed", "ToOld", "ToEarly"} or "Can't use response" in text:
        return SsoError("expired", _("The assertion has expired. Log in again."))
    if name in {"UnsolicitedResponse", "UnknownPrincipal"} or "InResponseTo" in text:
        return SsoError("request", _("The answer does not belong to a login started here."))
    return SsoError(
        "invalid",
        _("The identity provider's answer is not valid: %(error)s") % {"error": text[:200] or name},
    )


def _remember(issuer: str, assertion: Any) -> None:
    """Refuse an assertion id seen before; keep it until it expires."""
    now = timezone.now()
    expires = now + timedelta(hours=1)
    confirmation = assertion.subject.subject_confirmation if assertion.subject else []
    moments = [
        c.subject_confirmation_data.not_on_or_after
        for c in confirmation
        if c.subject_confirmation_data
    ]
    if assertion.conditions is not None:
        moments.append(assertion.conditions.not_on_or_after)
    stamps = [str_to_time(m) for m in moments if m]
    if stamps:
        latest = max(stamps)
        year, month, day, hour, minute, second = latest[:6]
        expires = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        expires += timedelta(seconds=CLOCK_SKEW)
    UsedAssertion.objects.filter(expires_at__lt=now).delete()
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(
                issuer=issuer, assertion_id=assertion.id, expires_at=expires
            )
    except IntegrityError:
        raise SsoError("replay", _("This assertion has been used already.")) from None


def _email(provider: IdentityProvider, response: Any) -> str:
    wanted = provider.email_attribute
    for statement in response.assertion.attribute_statement:
        for attribute in statement.attribute:
            if wanted in (attribute.name, attribute.friendly_name):
                values = [v.text for v in attribute.attribute_value if v.text]
                if values and "@" in values[0]:
                    return str(values[0]).strip().lower()
    for key, values in (response.ava or {}).items():
        if key == wanted and values and "@" in str(values[0]):
            return str(values[0]).strip().lower()
    raise SsoError(
        "no_email",
        _("The identity provider sent no e-mail address in “%(claim)s”.") % {"claim": wanted},
    )


def ticket(answer: Answer) -> str:
    return signing.dumps(
        {
            "p": answer.provider.pk,
            "r": answer.request_id,
            "e": answer.email,
            "m": answer.multi_factor,
        },
        salt=_TICKET_SALT,
    )


def read_ticket(value: str) -> dict[str, Any] | None:
    try:
        data = signing.loads(value, salt=_TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None
