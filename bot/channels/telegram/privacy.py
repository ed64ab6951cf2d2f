"""Pseudonymous references for logs: a chat id never appears in a log line."""

from __future__ import annotations

from bot.security.crypto import keyed_hash


def conversation_ref(secret_key: str, chat_id: str | int) -> str:
    """A short keyed hash of a chat id, stable per deployment, for correlating log lines."""
    return "c" + keyed_hash(secret_key, str(chat_id), purpose="log")[:12]
