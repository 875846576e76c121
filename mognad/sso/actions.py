"""Single sign-on workflows: configuring an organization's identity provider, linking a login.

Linking rule (docs/sso.md): an identity provider's assertion logs in only an account that is
already a member of the provider's organization, or an address with an open invitation to it
(the invitation is then accepted). Nobody registers themselves into an organization.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mognad.orgs import actions as org_actions
from mognad.orgs.audit import audit
from mognad.orgs.models import Invitation, Membership, Organization, User
from mognad.sso.errors import SsoError
from mognad.sso.models import IdentityProvider

# Refusals that link() has already written to the audit log.
AUDITED_BY_LINK = {"domain", "inactive", "not_invited"}

# Fields whose changes the audit event lists (the secret only as "changed").
AUDITED = [
    "protocol",
    "email_domains",
    "email_attribute",
    "passwords_allowed",
    "mfa_contexts",
    "oidc_issuer",
    "oidc_client_id",
    "saml_metadata_url",
    "saml_entity_id",
]


@transaction.atomic
def save_provider(org: Organization, *, by: User, **values: Any) -> IdentityProvider:
    """Create or change the organization's identity provider (values already validated)."""
    provider = IdentityProvider.objects.select_for_update().filter(organization=org).first()
    created = provider is None
    if provider is None:
        provider = IdentityProvider(organization=org)
    before = {name: getattr(provider, name) for name in AUDITED}
    old_secret = provider.oidc_client_secret
    for name, value in values.items():
        setattr(provider, name, value)
    provider.save()
    changed = {
        name: getattr(provider, name) for name in AUDITED if getattr(provider, name) != before[name]
    }
    if provider.oidc_client_secret != old_secret:
        changed["oidc_client_secret"] = "changed"  # noqa: S105 (a marker, not the secret)
    audit(
        "sso.configured" if created else "sso.changed",
        by=by,
        organization=org,
        target=org.name,
        changed=sorted(changed),
        protocol=provider.protocol,
        domains=provider.domains(),
        passwords_allowed=provider.passwords_allowed,
    )
    return provider


@transaction.atomic
def remove_provider(provider: IdentityProvider, *, by: User) -> None:
    org = provider.organization
    provider.delete()
    audit("sso.removed", by=by, organization=org, target=org.name, protocol=provider.protocol)


def link(provider: IdentityProvider, email: str, *, protocol: str) -> User:
    """The account an identity provider's login for `email` opens; raises SsoError.

    A refusal is audited (outside any transaction, so the event stays) before it is raised.
    """
    org = provider.organization
    email = email.strip().lower()
    domain = email.rpartition("@")[2]
    if domain not in provider.domains():
        refuse(provider, "domain", domain)
        raise SsoError(
            "domain",
            _("The identity provider vouched for an address outside %(org)s's routed domains.")
            % {"org": org.name},
        )
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and not user.is_active:
        refuse(provider, "inactive", domain)
        raise SsoError("inactive", _("This account has been turned off."))
    if user is not None and Membership.objects.filter(user=user, organization=org).exists():
        audit("sso.login", by=user, organization=org, target=user.email, protocol=protocol)
        return user
    invitation = (
        Invitation.objects.filter(
            organization=org,
            email__iexact=email,
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )
    if invitation is None:
        refuse(provider, "not_invited", domain)
        raise SsoError(
            "not_invited",
            _(
                "%(email)s has no account in %(org)s. Ask your organization's key user for an "
                "invitation."
            )
            % {"email": email, "org": org.name},
        )
    return _accept(invitation, user, protocol=protocol)


@transaction.atomic
def _accept(invitation: Invitation, user: User | None, *, protocol: str) -> User:
    created = user is None
    user = org_actions.accept_invitation(invitation, user=user)
    if created:
        # An account made by single sign-on has no password until its owner sets one.
        user.set_unusable_password()
        user.save(update_fields=["password"])
    audit(
        "sso.login",
        by=user,
        organization=invitation.organization,
        target=user.email,
        protocol=protocol,
        linked="invitation",
    )
    return user


def refuse(provider: IdentityProvider, reason: str, detail: str = "") -> None:
    """Audit a refused single sign-on (the address's domain only: no unknown person's address)."""
    audit(
        "sso.login_refused",
        by=None,
        organization=provider.organization,
        target=provider.organization.name,
        reason=reason,
        detail=detail[:200],
    )
