"""Reads of the orgs app: what views and actions look up without changing anything."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from mognad.orgs.models import Invitation, Organization, Unit, User
from mognad.platform.hashing import sha256_hex


def unit_is_empty(unit: Unit) -> bool:
    """No child units and nothing else (members, respondents, invitations …) points at the unit."""
    for relation in Unit._meta.related_objects:
        accessor = relation.get_accessor_name()
        if accessor is None:
            continue
        if relation.one_to_one:
            if hasattr(unit, accessor):
                return False
        elif getattr(unit, accessor).exists():
            return False
    return True


def find_invitation(token: str) -> Invitation | None:
    """The usable invitation for this token, or None (unknown, used or expired alike)."""
    if not token or len(token) > 100:
        return None
    invitation = (
        Invitation.objects.select_related("organization", "unit")
        .filter(token_hash=sha256_hex(token))
        .first()
    )
    if invitation is None or not invitation.is_usable():
        return None
    return invitation


def user_for_reset(uidb64: str, token: str) -> User | None:
    """The user a password-reset link belongs to, if the link is valid and unused."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def open_invitations(org: Organization) -> list[Invitation]:
    """Invitations not yet accepted and not expired, newest first."""
    return list(
        Invitation.objects.filter(
            organization=org, accepted_at__isnull=True, expires_at__gt=timezone.now()
        ).select_related("unit", "invited_by")
    )
