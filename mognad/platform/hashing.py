"""The one SHA-256 helper: what Mognad stores instead of a secret or a personal value.

Tokens, link tokens, rate-limit keys, instrument sources and Message-IDs are all kept or compared as
the hex SHA-256 of their UTF-8 text. Keyed hashes (HMACs) and key derivations are deliberately
different computations and stay next to what they protect, each with its own domain prefix.
"""

from __future__ import annotations

import hashlib


def sha256_hex(text: str) -> str:
    """The SHA-256 of `text` (UTF-8) as 64 lowercase hex digits."""
    return hashlib.sha256(text.encode()).hexdigest()
