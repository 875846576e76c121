"""Link tokens for respondents and open links.

A respondent's database row holds a random 256-bit `nonce`. The link token is HMAC-SHA256(key
derived from SECRET_KEY, nonce), base64url-encoded (43 characters, 256 bits): it can be recomputed
whenever an email is rendered (so reminders resend the same link) but is never stored. The database
keeps `sha256(token)` to find the respondent, and the response is found through `sha256("response:"
+ token)`, which cannot be computed from anything the database holds. Rotating SECRET_KEY
invalidates every outstanding link.
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


def _key() -> bytes:
    # A key derivation (raw bytes under its own domain prefix), not the stored hash of a value.
    return hashlib.sha256(b"mognad.surveys.link-token:" + settings.SECRET_KEY.encode()).digest()


def new_nonce() -> str:
    return secrets.token_hex(32)


def token_for(nonce: str) -> str:
    digest = hmac.new(_key(), nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def looks_like_token(token: str) -> bool:
    return bool(_TOKEN_RE.match(token))


def response_key(token: str) -> str:
    return sha256_hex("response:" + token)


def open_response_key(browser_id: str) -> str:
    return sha256_hex("open:" + browser_id)


def new_browser_id() -> str:
    return secrets.token_urlsafe(32)
