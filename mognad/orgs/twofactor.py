"""Two-factor authentication: TOTP (RFC 6238), one-time recovery codes, who must have it.

A session that passed the second step carries SESSION_KEY; users without a factor never need it.
Users whose role MOGNAD_2FA_REQUIRED_ROLES names (coordinators and key users by default) must
enrol before they can use any other page (see middleware.py). The TOTP secret is stored
encrypted in the user row (mognad/platform/fields.py), each code can be used once (the last used
time step is kept), and recovery codes are stored as SHA-256 hashes only.
"""

from __future__ import annotations

import hmac
import secrets
import time

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mognad.orgs.audit import audit
from mognad.orgs.models import Passkey, RecoveryCode, User
from mognad.platform.actions import ActionError
from mognad.platform.fields import UNREADABLE
from mognad.platform.hashing import sha256_hex
from mognad.platform.mail import enqueue_email

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


def qr_svg(uri: str) -> str:
    """The setup address as a QR code: inline SVG without style attributes or scripts (CSP)."""
    svg: str = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", omitsize=False
    )
    label = _("QR code for your authenticator app")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


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
    return isinstance(user, User) and has_factor(user) and not is_verified(request)


# --- Who must have a second factor ------------------------------------------------------------


def has_factor(user: User) -> bool:
    """The user has a second factor: the authenticator app (TOTP) or a passkey."""
    return user.has_totp or user.has_passkeys


def is_required(user: User) -> bool:
    """MOGNAD_2FA_REQUIRED_ROLES names the user's coordinator role or one of their memberships."""
    roles = set(settings.TWOFACTOR_REQUIRED_ROLES)
    if user.is_coordinator and "coordinator" in roles:
        return True
    member_roles = roles - {"coordinator"}
    return bool(member_roles) and user.memberships.filter(role__in=member_roles).exists()


# --- Recovery codes ---------------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10
# Lower-case letters and digits without look-alikes (i, l, o, 0, 1): 31 symbols, so 16 of them
# carry 79 random bits – too many to guess, so a plain SHA-256 is a safe way to store them.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 16


def _normalized(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _recovery_hash(code: str) -> str:
    return sha256_hex("mognad.orgs.recovery-code:" + _normalized(code))


def looks_like_recovery_code(code: str) -> bool:
    plain = _normalized(code)
    return len(plain) == CODE_LENGTH and all(char in ALPHABET for char in plain)


def new_recovery_codes(user: User) -> list[str]:
    """Ten new codes (the old ones stop working), grouped "abcd-efgh-jkmn-pqrs"; shown once."""
    codes = [
        "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            [RecoveryCode(user=user, code_hash=_recovery_hash(code)) for code in codes]
        )
        audit("account.recovery_codes_created", by=user, target=user.email)
    return ["-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4)) for code in codes]


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def use_recovery_code(user: User, code: str) -> bool:
    """Use up one of the user's unused recovery codes: True once per code, never again.

    One conditional UPDATE, so two requests with the same code cannot both succeed.
    """
    if not has_factor(user) or not looks_like_recovery_code(code):
        return False
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if used:
        audit(
            "account.recovery_code_used",
            by=user,
            target=user.email,
            left=recovery_codes_left(user),
        )
    return bool(used)


# --- A coordinator resets someone's second factor -------------------------------------------


@transaction.atomic
def reset_second_factor(user: User, *, by: User) -> None:
    """Remove the user's second factor and recovery codes (a lost phone); audited, and the user
    is told by e-mail. A user who must have one is sent to enrolment at the next login."""
    if user.pk == by.pk:
        raise ActionError(_("You cannot reset your own second factor; ask another coordinator."))
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    RecoveryCode.objects.filter(user=user).delete()
    Passkey.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(has_passkeys=False)
    user.has_passkeys = False
    audit("account.2fa_reset", by=by, target=user.email, user_id=user.pk)
    enqueue_email(
        to=user.email,
        template="second-factor-reset",
        context={"name": user.name, "login_url": settings.BASE_URL + reverse("login")},
        language=user.language or "sv",
        dedupe_key=f"2fa-reset:{user.pk}:{timezone.now().isoformat()}",
    )
