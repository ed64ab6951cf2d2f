"""Web chat session ids that the server issues and signs, so a browser cannot choose one.

A token is ``<conversation id>.<expiry>.<signature>``: a random conversation id, the Unix time
after which the token is refused, and an HMAC-SHA256 of both under the project secret. The
conversation id alone is the Rasa sender id; the token is what the browser keeps.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SIGNATURE_CHARS = 32


class WebSessionSigner:
    """Issues and checks signed web chat session tokens."""

    def __init__(self, secret_key: str, lifetime_days: int) -> None:
        self._key = hashlib.sha256(f"web-session:{secret_key}".encode()).digest()
        self._lifetime = lifetime_days * 86400

    def _signature(self, conversation_id: str, expiry: int) -> str:
        message = f"{conversation_id}.{expiry}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:SIGNATURE_CHARS]

    def issue(self, now: float | None = None) -> tuple[str, str]:
        """A new (token, conversation id)."""
        conversation_id = secrets.token_hex(16)
        expiry = int((time.time() if now is None else now) + self._lifetime)
        token = f"{conversation_id}.{expiry}.{self._signature(conversation_id, expiry)}"
        return token, conversation_id

    def conversation_of(self, token: object, now: float | None = None) -> str | None:
        """The conversation id of a valid, unexpired token; None for anything else."""
        if not isinstance(token, str) or len(token) > 128:
            return None
        parts = token.split(".")
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        conversation_id, expiry_text, signature = parts
        expected = self._signature(conversation_id, int(expiry_text))
        if not hmac.compare_digest(expected, signature):
            return None
        if int(expiry_text) < (time.time() if now is None else now):
            return None
        return conversation_id
