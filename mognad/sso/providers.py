"""Which identity provider an e-mail address belongs to, and whether passwords still work."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from mognad.orgs.models import Membership, Organization, User
from mognad.sso.models import IdentityProvider


def _address(email: str) -> str | None:
    """The address in lower case, or None for anything that is not one (checked before any
    query: a hostile value must not reach a LIKE pattern)."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        return None
    return email


def for_email(email: str) -> IdentityProvider | None:
    """The provider whose routed domains include the address's domain (exact match)."""
    address = _address(email)
    if address is None:
        return None
    domain = address.rpartition("@")[2]
    candidates = IdentityProvider.objects.select_related("organization").filter(
        email_domains__icontains=domain
    )
    return next((p for p in candidates if domain in p.domains()), None)


def password_refused(email: str) -> bool:
    """True when the address, or an organization its account belongs to, logs in only by SSO."""
    address = _address(email)
    if address is None:
        return False
    provider = for_email(address)
    if provider is not None and not provider.passwords_allowed:
        return True
    user = User.objects.filter(email__iexact=address).first()
    if user is None:
        return False
    organizations = Membership.objects.filter(user=user).values("organization_id")
    return IdentityProvider.objects.filter(
        organization_id__in=organizations, passwords_allowed=False
    ).exists()


def of(org: Organization) -> IdentityProvider | None:
    return IdentityProvider.objects.filter(organization=org).first()


def by_id(provider_id: object) -> IdentityProvider | None:
    if not isinstance(provider_id, int):
        return None
    return IdentityProvider.objects.select_related("organization").filter(pk=provider_id).first()
