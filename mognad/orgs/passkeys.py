"""Passkeys (WebAuthn) as a second factor, alternative to the authenticator app.

Registration and the second step are each two requests: the server makes options with a fresh
random challenge (kept in the session, usable once), the browser's authenticator signs it
(static/orgs/passkeys.js), and the server verifies the answer with the `webauthn` library against
the challenge, MOGNAD_WEBAUTHN_RP_ID and MOGNAD_WEBAUTHN_ORIGIN. Only the public key is stored. A
signature counter that goes backwards (a cloned authenticator) is refused.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from mognad.orgs.audit import audit
from mognad.orgs.models import Passkey, User
from mognad.platform.actions import ActionError

_REGISTER = "mognad_passkey_register_challenge"
_AUTHENTICATE = "mognad_passkey_authenticate_challenge"
MAX_PASSKEYS = 10


class PasskeyError(ActionError):
    """The browser's answer was refused; the message is for the user."""


def passkeys_of(user: User) -> list[Passkey]:
    return list(Passkey.objects.filter(user=user))


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(credential_id))
        for credential_id in Passkey.objects.filter(user=user).values_list(
            "credential_id", flat=True
        )
    ]


def registration_options(user: User, session: SessionBase) -> str:
    """The JSON options for navigator.credentials.create(); the challenge waits in the session."""
    options = generate_registration_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        rp_name=settings.WEBAUTHN_RP_NAME,
        user_id=f"mognad-user-{user.pk}".encode(),
        user_name=user.email,
        user_display_name=user.name or user.email,
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    session[_REGISTER] = bytes_to_base64url(options.challenge)
    return str(options_to_json(options))


def _challenge(session: SessionBase, key: str) -> bytes:
    # Popped: a challenge answers one attempt only, right or wrong.
    stored = session.pop(key, None)
    if not stored:
        raise PasskeyError(_("The passkey request has expired. Try again."))
    return base64url_to_bytes(stored)


@transaction.atomic
def register(user: User, session: SessionBase, *, name: str, credential: Any) -> Passkey:
    """Verify the authenticator's answer and store the new passkey under `name`."""
    name = " ".join(str(name).split())
    if not name or len(name) > 100:
        raise ActionError(_("Give the passkey a name of 1 to 100 characters."), field="name")
    if Passkey.objects.filter(user=user).count() >= MAX_PASSKEYS:
        raise ActionError(
            _("You already have %(count)s passkeys. Remove one first.") % {"count": MAX_PASSKEYS}
        )
    challenge = _challenge(session, _REGISTER)
    try:
        verified = verify_registration_response(
            credential=json.dumps(credential) if isinstance(credential, dict) else credential,
            expected_challenge=challenge,
            expected_rp_id=settings.WEBAUTHN_RP_ID,
            expected_origin=settings.WEBAUTHN_ORIGIN,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise PasskeyError(_("The passkey could not be registered. Try again.")) from error
    credential_id = bytes_to_base64url(verified.credential_id)
    if Passkey.objects.filter(credential_id=credential_id).exists():
        raise PasskeyError(_("This passkey is registered already."))
    passkey = Passkey.objects.create(
        user=user,
        name=name,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
    )
    User.objects.filter(pk=user.pk).update(has_passkeys=True)
    user.has_passkeys = True
    audit("account.passkey_added", by=user, target=user.email, name=name)
    return passkey


@transaction.atomic
def remove(passkey: Passkey, *, by: User, required: bool) -> None:
    """Remove a passkey; the last factor of a user who must have one stays."""
    user = passkey.user
    others = Passkey.objects.filter(user=user).exclude(pk=passkey.pk).exists()
    if required and not others and not user.has_totp:
        raise ActionError(
            _("Your role requires two-factor authentication: this is your only second factor.")
        )
    passkey.delete()
    User.objects.filter(pk=user.pk).update(has_passkeys=others)
    user.has_passkeys = others
    audit("account.passkey_removed", by=by, target=user.email, name=passkey.name)


def authentication_options(user: User, session: SessionBase) -> str:
    options = generate_authentication_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    session[_AUTHENTICATE] = bytes_to_base64url(options.challenge)
    return str(options_to_json(options))


def authenticate(user: User, session: SessionBase, credential: Any) -> Passkey:
    """Verify a signed challenge from one of the user's own passkeys (PasskeyError if not)."""
    challenge = _challenge(session, _AUTHENTICATE)
    refused = PasskeyError(_("The passkey was not accepted. Try again or use a code."))
    raw_id = (
        credential.get("rawId") or credential.get("id") if isinstance(credential, dict) else None
    )
    passkey = Passkey.objects.filter(user=user, credential_id=str(raw_id or "")).first()
    if passkey is None:
        raise refused
    try:
        verified = verify_authentication_response(
            credential=json.dumps(credential),
            expected_challenge=challenge,
            expected_rp_id=settings.WEBAUTHN_RP_ID,
            expected_origin=settings.WEBAUTHN_ORIGIN,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise refused from error
    # A counter that does not move forward (when the authenticator keeps one) means a copy.
    updated = Passkey.objects.filter(pk=passkey.pk, sign_count=passkey.sign_count).update(
        sign_count=verified.new_sign_count, last_used_at=timezone.now()
    )
    if not updated:
        raise refused
    return passkey
