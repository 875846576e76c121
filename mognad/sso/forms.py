"""The coordinator's form for an organization's identity provider, and the login's e-mail step."""

from __future__ import annotations

from typing import Any

import requests
from django import forms
from django.utils.translation import gettext_lazy as _

from mognad.orgs import domains
from mognad.orgs.models import Organization
from mognad.sso import oidc, saml
from mognad.sso.errors import ConfigurationError
from mognad.sso.models import IdentityProvider


class EmailForm(forms.Form):
    """The login's first step: the address decides between the IdP and the password."""

    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )


class ProviderForm(forms.Form):
    protocol = forms.ChoiceField(
        label=_("Protocol"),
        choices=IdentityProvider.Protocol.choices,
    )
    email_domains = forms.CharField(
        label=_("E-mail domains routed to the identity provider"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line, each one of the organization's e-mail domains. Whoever enters an "
            "address in these domains at login is sent to the identity provider."
        ),
    )
    email_attribute = forms.CharField(
        label=_("Claim or attribute holding the e-mail address"),
        max_length=200,
        help_text=_(
            "OpenID Connect: usually email (Entra ID: email or preferred_username). SAML: "
            "usually urn:oid:0.9.2342.19200300.100.1.3 (mail)."
        ),
    )
    passwords_allowed = forms.BooleanField(
        label=_("The organization's users may still log in with a password"), required=False
    )
    mfa_contexts = forms.CharField(
        label=_("Authentication contexts that count as two factors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line: acr values (OpenID Connect) or AuthnContextClassRef values (SAML) that "
            "the identity provider sends only after a login with two factors. Such a login "
            "counts as Mognad's second step; any other still needs it."
        ),
    )
    oidc_issuer = forms.URLField(
        label=_("Issuer (OpenID Connect)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Exactly as the provider names itself; its discovery document is read from "
            "ISSUER/.well-known/openid-configuration."
        ),
    )
    oidc_client_id = forms.CharField(label=_("Client id"), required=False, max_length=255)
    oidc_client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        max_length=500,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted. Leave empty to keep the stored secret."),
    )

    saml_metadata_url = forms.URLField(
        label=_("Metadata URL (SAML)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the identity provider publishes its metadata; read when you save."),
    )
    saml_metadata_file = forms.FileField(
        label=_("Or a metadata file (SAML)"),
        required=False,
        help_text=_("An XML file of at most 5 MB; it takes the place of the URL."),
    )
    saml_entity_id = forms.CharField(
        label=_("Entity id of the identity provider (SAML)"),
        required=False,
        max_length=500,
        help_text=_(
            "Needed only when the metadata lists several identity providers, as a "
            "federation's metadata does."
        ),
    )

    def __init__(
        self, *args: Any, org: Organization, provider: IdentityProvider | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self.provider = provider

    def clean_email_domains(self) -> list[str]:
        try:
            routed = domains.parse_domains(self.cleaned_data["email_domains"])
        except domains.DomainError as error:
            raise forms.ValidationError(str(error)) from None
        if not routed:
            raise forms.ValidationError(_("Enter at least one e-mail domain."))
        own = domains.domains_of(self.org)
        foreign = [d for d in routed if d not in own]
        if foreign:
            raise forms.ValidationError(
                _(
                    "%(domains)s is not one of %(org)s's e-mail domains (%(own)s). Add it under "
                    "“E-mail domains” first."
                )
                % {
                    "domains": ", ".join(foreign),
                    "org": self.org.name,
                    "own": ", ".join(own) or _("none yet"),
                }
            )
        others = IdentityProvider.objects.exclude(organization=self.org)
        for other in others:
            taken = sorted(set(routed) & set(other.domains()))
            if taken:
                raise forms.ValidationError(
                    _("%(domains)s is already routed to the identity provider of %(org)s.")
                    % {"domains": ", ".join(taken), "org": other.organization.name}
                )
        return routed

    def clean_email_attribute(self) -> str:
        return str(self.cleaned_data["email_attribute"]).strip()

    def clean_mfa_contexts(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["mfa_contexts"].splitlines()]
        return "\n".join(line for line in lines if line)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("protocol") == IdentityProvider.Protocol.OIDC:
            self._clean_oidc(data)
        elif data.get("protocol") == IdentityProvider.Protocol.SAML:
            self._clean_saml(data)
        return data

    def _clean_saml(self, data: dict[str, Any]) -> None:
        upload = data.get("saml_metadata_file")
        url = data.get("saml_metadata_url") or ""
        try:
            if upload is not None:
                if upload.size > saml.MAX_METADATA_BYTES:
                    raise ConfigurationError(_("The metadata is larger than 5 MB."))
                xml = upload.read().decode("utf-8")
                url = ""
            elif url:
                xml = _fetch_metadata(url)
            elif self.provider is not None and self.provider.saml_metadata:
                xml, url = self.provider.saml_metadata, self.provider.saml_metadata_url
            else:
                self.add_error("saml_metadata_url", _("SAML needs the metadata: a URL or a file."))
                return
            data["saml_entity_id"] = saml.check_metadata(
                xml, data.get("saml_entity_id", "").strip()
            )
        except UnicodeDecodeError:
            self.add_error("saml_metadata_file", _("The metadata file is not UTF-8 text."))
            return
        except ConfigurationError as error:
            field = "saml_metadata_file" if upload is not None else "saml_metadata_url"
            self.add_error(field, str(error))
            return
        data["saml_metadata"], data["saml_metadata_url"] = xml, url

    def _clean_oidc(self, data: dict[str, Any]) -> None:
        for name in ("oidc_issuer", "oidc_client_id"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("OpenID Connect needs this."))
        has_secret = self.provider is not None and bool(self.provider.oidc_client_secret)
        if not data.get("oidc_client_secret") and not has_secret:
            self.add_error("oidc_client_secret", _("OpenID Connect needs this."))
        if self.errors:
            return
        try:
            data["oidc_discovery"] = oidc.discover(data["oidc_issuer"])
        except ConfigurationError as error:
            self.add_error("oidc_issuer", str(error))

    def values(self) -> dict[str, Any]:
        """What save_provider stores (the secret only when a new one was entered)."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            "protocol": data["protocol"],
            "email_domains": "\n".join(data["email_domains"]),
            "email_attribute": data["email_attribute"],
            "passwords_allowed": data["passwords_allowed"],
            "mfa_contexts": data["mfa_contexts"],
        }
        if data["protocol"] == IdentityProvider.Protocol.OIDC:
            values.update(
                oidc_issuer=data["oidc_issuer"],
                oidc_client_id=data["oidc_client_id"],
                oidc_discovery=data["oidc_discovery"],
            )
            if data.get("oidc_client_secret"):
                values["oidc_client_secret"] = data["oidc_client_secret"]
        else:
            values.update(
                saml_metadata_url=data["saml_metadata_url"],
                saml_metadata=data["saml_metadata"],
                saml_entity_id=data["saml_entity_id"],
            )
        return values


def _fetch_metadata(url: str) -> str:
    try:
        response = requests.get(url, timeout=oidc.TIMEOUT, stream=True)
        response.raise_for_status()
        body = response.raw.read(saml.MAX_METADATA_BYTES + 1, decode_content=True)
    except requests.RequestException as error:
        raise ConfigurationError(
            _("The metadata %(url)s could not be read: %(error)s") % {"url": url, "error": error}
        ) from None
    if len(body) > saml.MAX_METADATA_BYTES:
        raise ConfigurationError(_("The metadata is larger than 5 MB."))
    try:
        return str(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigurationError(_("The metadata is not UTF-8 text.")) from None


def initial_for(provider: IdentityProvider | None) -> dict[str, Any]:
    if provider is None:
        return {
            "protocol": IdentityProvider.Protocol.OIDC,
            "email_attribute": "email",
            "passwords_allowed": True,
        }
    return {
        "protocol": provider.protocol,
        "email_domains": "\n".join(provider.domains()),
        "email_attribute": provider.email_attribute,
        "passwords_allowed": provider.passwords_allowed,
        "mfa_contexts": provider.mfa_contexts,
        "oidc_issuer": provider.oidc_issuer,
        "oidc_client_id": provider.oidc_client_id,
        "saml_metadata_url": provider.saml_metadata_url,
        "saml_entity_id": provider.saml_entity_id,
    }
