"""Time-based one-time passwords (TOTP, RFC 6238) for two-factor authentication.

A session that passed the second step carries SESSION_KEY; users without TOTP never need it.
National coordinators must enroll before they can use any other page (see middleware.py).
The secret is stored encrypted in the user row (mognad/platform/fields.py).
"""

from __future__ import annotations

import pyotp
from django.http import HttpRequest
from django.utils import timezone

from mognad.orgs.models import User
from mognad.platform.fields import UNREADABLE

SESSION_KEY = "mognad_2fa_verified"
ISSUER = "Mognad"


def new_secret() -> str:
    return pyotp.random_base32()


def grouped(secret: str) -> str:
    """The secret in groups of four characters, easier to type into an authenticator app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def code_is_valid(secret: str, code: str) -> bool:
    """A six-digit code of the current 30-second step, or of the step before or after."""
    code = "".join(code.split())
    if not secret or secret == UNREADABLE or len(code) != 6 or not code.isdigit():
        # UNREADABLE: encrypted under a key no longer configured; an administrator has to reset
        # the user's two-factor authentication.
        return False
    return pyotp.TOTP(secret).verify(code, valid_window=1)


def is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_KEY))


def mark_verified(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = timezone.now().isoformat()


def needs_verification(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and user.has_totp and not is_verified(request)
