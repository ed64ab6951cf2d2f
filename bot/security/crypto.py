"""Keyed hashing (pseudonyms, look-up hashes) and encryption at rest for contact addresses."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


def keyed_hash(secret: str, value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of ``value`` under ``secret``, separated by ``purpose`` (hex, 64 chars)."""
    message = f"{purpose}\x1f{value}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def invite_code_hash(secret: str, code: str) -> str:
    """The keyed hash an invitation code is stored and looked up by (case and spaces ignored)."""
    return keyed_hash(secret, code.strip().upper(), purpose="invite")


def new_pseudo_id() -> str:
    """A random pseudonymous trainee id (not derived from any personal data)."""
    return "T" + secrets.token_hex(8)


def new_invite_code() -> str:
    """An unguessable invitation code: 10 characters from an unambiguous alphabet (~50 bits)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Cipher:
    """Fernet encryption; several comma-separated keys allow rotation (first one encrypts)."""

    def __init__(self, keys: str) -> None:
        self._fernet = MultiFernet(
            [Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()]
        )

    def encrypt(self, plaintext: str) -> str:
        """Encrypt a string to a URL-safe token."""
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Decrypt a token; ``ValueError`` when the key does not match."""
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as error:
            raise ValueError("cannot decrypt: wrong or rotated-out encryption key") from error

    def rotate(self, token: str) -> str:
        """Re-encrypt a token under the first (newest) key."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")
