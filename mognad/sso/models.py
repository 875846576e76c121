"""Single sign-on per organization: its identity provider, and the SAML assertions already used."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from mognad.orgs.models import Organization
from mognad.platform.fields import EncryptedCharField


class IdentityProvider(models.Model):
    """How the people of one organization log in through their own identity provider (IdP).

    Configured by a national coordinator (views.py, actions.py); the rules are in docs/sso.md.
    """

    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="identity_provider"
    )
    protocol = models.CharField(_("protocol"), max_length=10, choices=Protocol.choices)
    # E-mail domains whose addresses log in here, one a line; each is one of the organization's
    # e-mail domains (orgs/domains.py) and routed to no other identity provider.
    email_domains = models.TextField(_("e-mail domains routed to the identity provider"))
    # The claim (OIDC) or attribute (SAML) that holds the user's e-mail address.
    email_attribute = models.CharField(_("attribute holding the e-mail address"), max_length=200)
    passwords_allowed = models.BooleanField(_("passwords still allowed"), default=True)
    # Authentication context values (OIDC acr, SAML AuthnContextClassRef) that mean the IdP used
    # more than one factor; one a line. Such a login counts as Mognad's second step.
    mfa_contexts = models.TextField(
        _("authentication contexts that count as two factors"), blank=True
    )
    # OpenID Connect
    oidc_issuer = models.URLField(_("issuer"), max_length=500, blank=True)
    oidc_client_id = models.CharField(_("client id"), max_length=255, blank=True)
    oidc_client_secret = EncryptedCharField(_("client secret"), max_length=1000, blank=True)
    # The provider's discovery document, as read when the configuration was saved.
    oidc_discovery = models.JSONField(default=dict, blank=True)
    # SAML 2.0: the IdP's metadata as read (from the URL or the uploaded file) and checked on save.
    saml_metadata_url = models.URLField(_("metadata URL"), max_length=500, blank=True)
    saml_metadata = models.TextField(blank=True)
    saml_entity_id = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_protocol_display()})"

    def domains(self) -> list[str]:
        return [line.strip().lower() for line in self.email_domains.split() if line.strip()]

    def mfa_values(self) -> set[str]:
        return {line.strip() for line in self.mfa_contexts.splitlines() if line.strip()}


class UsedAssertion(models.Model):
    """A SAML assertion already used to log in, remembered until it expires (replay refused)."""

    issuer = models.CharField(max_length=500)
    assertion_id = models.CharField(max_length=200)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["issuer", "assertion_id"], name="unique_used_assertion")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.assertion_id}"
