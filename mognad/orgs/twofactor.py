"""Time-based one-time passwords (TOTP, RFC 6238) for two-factor authentication.

A session that passed the second step carries SESSION_KEY; users without TOTP never need it.
National coordinators must enroll before they can use any other page (see middleware.py).
The secret is stored encrypted in the user row (mognad/platform/fields.py).
"""

from __future__ import annotations

import hmac
import time

import pyotp
from django.db.models import Q
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


STEP_SECONDS = 30


def current_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def matching_step(secret: str, code: str, *, at: float | None = None) -> int | None:
    """The 30-second step (the current one, the one before or the one after) whose code this is."""
    code = "".join(code.split())
    if not secret or secret == UNREADABLE or len(code) != 6 or not code.isdigit():
        # UNREADABLE: encrypted under a key no longer configured; an administrator has to reset
        # the user's two-factor authentication.
        return None
    totp = pyotp.TOTP(secret)
    now = current_step(at)
    found = None
    for step in (now - 1, now, now + 1):
        # Every candidate is compared, so the time taken does not tell which step matched.
        if hmac.compare_digest(totp.generate_otp(step), code) and found is None:
            found = step
    return found


def code_is_valid(secret: str, code: str) -> bool:
    """A six-digit code of the current 30-second step, or of the step before or after.

    Only for a secret not yet stored (enrolment); a stored factor is checked with `use_code`,
    which also refuses a code that was already used.
    """
    return matching_step(secret, code) is not None


def use_code(user: User, code: str) -> bool:
    """Check a code of the user's stored secret and use it up: True at most once per step.

    The step of the accepted code is written in one conditional UPDATE (only if it is later than
    the last used step), so the same code – or an older one – cannot be used again, not even by
    two requests at the same moment.
    """
    step = matching_step(user.totp_secret, code)
    if step is None:
        return False
    updated = (
        User.objects.filter(pk=user.pk)
        .filter(Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step))
        .update(totp_last_step=step)
    )
    if updated:
        user.totp_last_step = step
    return bool(updated)


def is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_KEY))


def mark_verified(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = timezone.now().isoformat()


def needs_verification(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and user.has_totp and not is_verified(request)
