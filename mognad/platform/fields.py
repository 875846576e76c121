"""A text column encrypted at rest.

The value is encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) under a key
derived from SECRET_KEY; keys in SECRET_KEY_FALLBACKS still decrypt, so the secret key can be
rotated (a value is re-encrypted under the new key the next time its row is saved). A database dump
alone therefore does not reveal the value.

Encryption is randomized: such a column cannot be searched or compared in SQL (only "" — no value —
is stored as is). A value that no configured key can decrypt reads as `UNREADABLE` and, if its row
is saved again, is written back exactly as it was stored, so adding the old key to
SECRET_KEY_FALLBACKS later recovers it.
"""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "enc1:"
UNREADABLE = "!unreadable"


def _fernet(secret_key: str) -> Fernet:
    # A key derivation, not hashing.sha256_hex: raw bytes under a domain prefix of its own. The
    # prefix keeps its original "orgs" name: every stored value was encrypted under it.
    digest = hashlib.sha256(b"mognad.orgs.encrypted-field:" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _cipher() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


class Unreadable(str):
    """Equal to UNREADABLE; remembers what was stored, so a save writes that back unchanged."""

    stored: str

    def __new__(cls, stored: str) -> Unreadable:
        value = super().__new__(cls, UNREADABLE)
        value.stored = stored
        return value


def encrypt(value: str) -> str:
    return PREFIX + _cipher().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    """The plain value; a value stored before encryption (no prefix) is returned as it is."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _cipher().decrypt(stored.removeprefix(PREFIX).encode()).decode()
    except InvalidToken:
        return Unreadable(stored)


if TYPE_CHECKING:
    _CharField = models.CharField[str, str]
else:
    _CharField = models.CharField


class EncryptedCharField(_CharField):
    """A CharField whose non-empty values are stored encrypted (see the module docstring).

    `max_length` limits the stored (encrypted) text: allow about 2 × the plain length + 100.
    """

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Unreadable):
            return value.stored
        value = super().get_prep_value(value)
        if not value or str(value).startswith(PREFIX):
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if not value:
            return value
        return decrypt(value)
