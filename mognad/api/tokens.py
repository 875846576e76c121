"""Personal API tokens: create, revoke, list, and find the user behind a presented token.

A token is "mgn_" followed by 43 URL-safe characters (256 random bits). The database keeps only
its SHA-256, so a copy of the database does not let anyone call the API. Creating and revoking a
token are audited; using one updates `last_used_at` (at most once a minute, to spare writes).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mognad.api.models import ApiToken
from mognad.orgs.audit import audit
from mognad.orgs.models import User
from mognad.platform.hashing import sha256_hex

PREFIX = "mgn_"
_TOKEN_RE = re.compile(r"^mgn_[A-Za-z0-9_-]{43}$")
# The lifetimes offered on the tokens page, in days.
LIFETIMES = (30, 90, 180, 365)
# A user may hold at most this many usable tokens at once.
MAX_ACTIVE = 20
# `last_used_at` is written at most this often per token.
TOUCH_INTERVAL = timedelta(minutes=1)


class TokenError(Exception):
    """A token cannot be created now; the message is for the user."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the token itself, shown once and never stored


def looks_like_token(secret: str) -> bool:
    return bool(_TOKEN_RE.match(secret))


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones included)."""
    return ApiToken.objects.filter(user=user)


def active_tokens_of(user: User) -> QuerySet[ApiToken]:
    return tokens_of(user).filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


def get_token_for_user(user: User, token_id: int | str) -> ApiToken:
    """One of the user's own tokens; anybody else's (or a missing one) is a 404."""
    try:
        pk = int(token_id)
    except (TypeError, ValueError):
        raise Http404 from None
    token = tokens_of(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


@transaction.atomic
def create_token(user: User, *, name: str, days: int) -> NewToken:
    if days not in LIFETIMES:
        raise ValueError(f"a token lives {LIFETIMES} days, not {days}")
    if active_tokens_of(user).count() >= MAX_ACTIVE:
        raise TokenError(
            _("You already have %(count)s tokens. Revoke one you no longer use.")
            % {"count": MAX_ACTIVE}
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        sha256=sha256_hex(secret),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit("api_token.create", by=user, target=token.name, token_id=token.pk, days=days)
    return NewToken(token, secret)


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User) -> bool:
    """Revoke; revoking twice changes nothing. Returns True when this call revoked it."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        token.refresh_from_db(fields=["revoked_at"])
        audit("api_token.revoke", by=by, target=token.name, token_id=token.pk)
    return bool(updated)


def user_for(secret: str) -> User | None:
    """The active user behind a usable token, or None (unknown, revoked, expired, inactive)."""
    if not looks_like_token(secret):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(sha256=sha256_hex(secret), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at < now - TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_INTERVAL)
        ).update(last_used_at=now)
    return token.user
