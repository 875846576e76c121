"""Link tokens for respondents and open links.

A respondent's database row holds a random 256-bit `nonce`. The link token is HMAC-SHA256(key
derived from SECRET_KEY, nonce), base64url-encoded (43 characters, 256 bits): it can be recomputed
whenever an email is rendered (so reminders resend the same link) but is never stored. The database
keeps `sha256(token)` to find the respondent, and the response is found through `sha256("response:"
+ token)`, which cannot be computed from anything the database holds.

Rotating the secret key (the old one moved to MOGNAD_SECRET_KEY_FALLBACKS) does not revoke links:
a link is found by the hash of its token, whatever key made it, and every email rendered after the
rotation (reminders, re-sent invitations) and the open link shown to key users recompute the token
with whichever key – current or fallback – reproduces the stored hash, so a reminder carries the
very link the invitation did. Only when the key that made a link is no longer configured at all
does the next email carry a new link (new nonce, current key); the old link then stops working and
a respondent who had started begins again (docs/security.md, "Rotating the secret key").
To revoke a measurement's links, close it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from django.conf import settings

from mognad.platform.hashing import sha256_hex

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _key(secret_key: str | None = None) -> bytes:
    # A key derivation (raw bytes under its own domain prefix), not the stored hash of a value.
    secret = settings.SECRET_KEY if secret_key is None else secret_key
    return hashlib.sha256(b"mognad.surveys.link-token:" + secret.encode()).digest()


def new_nonce() -> str:
    return secrets.token_hex(32)


def token_for(nonce: str, *, secret_key: str | None = None) -> str:
    """The token of a nonce under the current secret key (or the given one)."""
    digest = hmac.new(_key(secret_key), nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def stored_token(nonce: str | None, token_hash: str | None) -> str | None:
    """The token whose hash is stored: made with the current key or one of the fallback keys.

    None when no configured key reproduces it (the key that made it was removed).
    """
    if not nonce or not token_hash:
        return None
    for secret_key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
        token = token_for(nonce, secret_key=secret_key)
        if hmac.compare_digest(sha256_hex(token), token_hash):
            return token
    return None


def looks_like_token(token: str) -> bool:
    return bool(_TOKEN_RE.match(token))


def response_key(token: str) -> str:
    return sha256_hex("response:" + token)


def open_response_key(browser_id: str) -> str:
    return sha256_hex("open:" + browser_id)


def new_browser_id() -> str:
    return secrets.token_urlsafe(32)
