"""``X-Hub-Signature-256``: HMAC-SHA256 of the raw request body under the Meta app secret."""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Hub-Signature-256"
PREFIX = "sha256="


def sign(app_secret: str, body: bytes) -> str:
    """The header value Meta sends with ``body``: ``sha256=<hex digest>``."""
    return PREFIX + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def valid_signature(app_secret: str, body: bytes, header: str | None) -> bool:
    """True when ``header`` is the signature of ``body`` (constant-time compare)."""
    if not app_secret or not header or not header.startswith(PREFIX):
        return False
    return hmac.compare_digest(sign(app_secret, body).encode(), header.strip().encode())
